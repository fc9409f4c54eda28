package indexer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/tracuu/tracuu/corpus"
)

// ErrNoDocument is returned by Delete for an id the index does not hold.
var ErrNoDocument = errors.New("no such document")

// ErrTooManyPassages is returned by Writer.Put for a document that splits into more passages than a
// document can have (MaxPassages).
var ErrTooManyPassages = errors.New("document too large")

// MaxPassages bounds the passages of one document written through Writer: the document endpoint lists
// and reassembles at most this many.
const MaxPassages = 100_000

// Delete removes a document: its stored record and every passage. It returns how many passages went,
// or ErrNoDocument when neither the record nor any passage of id is in the index. Passages are found
// both by the count the record keeps and by their doc_id, so a half-written document goes too.
func Delete(ctx context.Context, idx bleve.Index, id string) (passages int, err error) {
	n, found, err := passageCount(idx, id)
	if err != nil {
		return 0, fmt.Errorf("delete %q: %w", id, err)
	}
	ids := map[string]bool{}
	for i := range n {
		ids[corpus.PassageID(id, i)] = true
	}
	tagged, err := passagesOf(ctx, idx, id)
	if err != nil {
		return 0, fmt.Errorf("delete %q: %w", id, err)
	}
	for _, pid := range tagged {
		ids[pid] = true
	}
	if !found && len(tagged) == 0 {
		return 0, fmt.Errorf("%w: %q", ErrNoDocument, id)
	}
	home := Route(idx, id) // the document's shard in a sharded index
	b := home.NewBatch()
	b.Delete(DocumentKeyPrefix + id)
	for pid := range ids {
		b.Delete(pid)
	}
	// Batch returns once the deletion is visible to searches, and, on disk, persisted.
	if err := home.Batch(b); err != nil {
		return 0, fmt.Errorf("delete %q: %w", id, err)
	}
	return len(ids), nil
}

// passagesOf returns the ids of every passage tagged with document id, whatever its record says: after
// a long write cut short, passages beyond the record's count are there too.
func passagesOf(ctx context.Context, idx bleve.Index, id string) ([]string, error) {
	kind := bleve.NewTermQuery(KindPassage)
	kind.SetField(FieldKind)
	doc := bleve.NewTermQuery(id)
	doc.SetField(FieldDocID)
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{kind, doc}), MaxPassages*2, 0, false)
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("find passages: %w", err)
	}
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids, nil
}

// ordinalOf returns the ordinal of a passage id (doc#N), or -1.
func ordinalOf(pid string) int {
	i := strings.LastIndexByte(pid, '#')
	if i < 0 {
		return -1
	}
	n, err := strconv.Atoi(pid[i+1:])
	if err != nil {
		return -1
	}
	return n
}

// Writer adds, replaces and deletes single documents in a live index, one write at a time, so two
// writes of the same id cannot interleave. Searches run beside it: a write of up to BatchSize
// passages is one bleve batch, which they see whole or not at all (Put says how longer ones go).
// A write waiting for the one in progress gives up, having changed nothing, when its context ends.
type Writer struct {
	// turn is the lock, a channel of one slot rather than a sync.Mutex so that waiting for it can
	// stop at the context's deadline: a small write queued behind one of 9 MB (40 s) gets its
	// answer at its time limit, not when the big one ends.
	turn        chan struct{}
	idx         bleve.Index
	maxPassages int
}

// NewWriter returns a Writer for idx.
func NewWriter(idx bleve.Index) *Writer {
	return &Writer{turn: make(chan struct{}, 1), idx: idx, maxPassages: MaxPassages}
}

// lock waits for the writes before this one, or for ctx to end (its error is returned; the lock is
// then not held). Once it has returned nil, the write runs as it always did: unlock must follow. ctx
// bounds only the wait: the write itself then runs to its end under the context lock returns, which
// keeps ctx's values but not its deadline (a write stopped half way would leave a mix of versions, and
// a long document takes longer to write than a caller's limit for waiting).
func (w *Writer) lock(ctx context.Context) (context.Context, error) {
	select {
	case w.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Both were ready and select chose the slot: a context already ended still stops the write.
	if err := ctx.Err(); err != nil {
		w.unlock()
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

func (w *Writer) unlock() { <-w.turn }

// Put adds doc, or replaces the document with its id, and returns the number of its passages and
// whether it is new. It is searchable when Put returns. A document of up to BatchSize passages is
// written in one batch, so searches see the old version or the new one, never a mix; a longer one
// is written BatchSize passages at a time, its record last, which bounds memory as bulk indexing does
// (one batch of 16,000 passages took 2 GB and 50 s).
func (w *Writer) Put(ctx context.Context, doc corpus.Document) (passages int, created bool, err error) {
	split := corpus.Split(doc)
	if len(split) > w.maxPassages {
		return 0, false, fmt.Errorf("%w: it splits into %d passages, at most %d are allowed", ErrTooManyPassages, len(split), w.maxPassages)
	}
	ctx, err = w.lock(ctx)
	if err != nil {
		return 0, false, err
	}
	defer w.unlock()
	old, found, err := passageCount(w.idx, doc.ID)
	if err != nil {
		return 0, false, fmt.Errorf("put %q: %w", doc.ID, err)
	}
	created = !found
	// Passages past both the record's count and the new split are left by a long write cut short
	// (its record is written last): in neither version, they go first, or they would stay found.
	tagged, err := passagesOf(ctx, w.idx, doc.ID)
	if err != nil {
		return 0, false, fmt.Errorf("put %q: %w", doc.ID, err)
	}
	home := Route(w.idx, doc.ID) // the document's shard in a sharded index
	leftover := home.NewBatch()
	for _, pid := range tagged {
		if ordinalOf(pid) >= max(old, len(split)) {
			leftover.Delete(pid)
		}
	}
	if leftover.Size() > 0 {
		if err := home.Batch(leftover); err != nil {
			return 0, false, fmt.Errorf("put %q: %w", doc.ID, err)
		}
	}
	if len(split) <= BatchSize {
		passages, err = Add(ctx, w.idx, []corpus.Document{doc}, nil)
		return passages, created, err
	}
	// Past this point the write is not cancelled: stopping half way would leave a mix of versions.
	sender := newBatches(home)
	for start := 0; start < len(split); start += BatchSize {
		b := home.NewBatch()
		for _, p := range split[start:min(len(split), start+BatchSize)] {
			if err := b.Index(p.ID, passageRecord(p, false)); err != nil {
				sender.wait()
				return 0, created, fmt.Errorf("put %q: %w", doc.ID, err)
			}
		}
		sender.send(b, 0, 0)
	}
	if err := sender.wait(); err != nil {
		return 0, created, fmt.Errorf("put %q: %w", doc.ID, err)
	}
	b := home.NewBatch()
	for n := len(split); n < old; n++ {
		b.Delete(corpus.PassageID(doc.ID, n))
	}
	doc.Bodies = corpus.BodiesOf(doc, split)
	if err := b.Index(DocumentKeyPrefix+doc.ID, documentRecord(doc, split, corpus.MineAcronyms(doc.Text))); err != nil {
		return 0, created, fmt.Errorf("put %q: %w", doc.ID, err)
	}
	if err := home.Batch(b); err != nil {
		return 0, created, fmt.Errorf("put %q: %w", doc.ID, err)
	}
	return len(split), created, nil
}

// Delete removes the document id and its passages (see Delete).
func (w *Writer) Delete(ctx context.Context, id string) (passages int, err error) {
	ctx, err = w.lock(ctx)
	if err != nil {
		return 0, err
	}
	defer w.unlock()
	return Delete(ctx, w.idx, id)
}
