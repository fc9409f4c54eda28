package indexer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/tracuu/tracuu/analyzer"
	"github.com/tracuu/tracuu/corpus"
)

// DocumentKeyPrefix prefixes the bleve id of a stored whole document, so it never collides with a
// passage id (which is doc id + "#" + ordinal).
const DocumentKeyPrefix = "doc:"

const versionKey = "tracuu.mapping_version"

// ErrVersion is returned by Open for an index built by an incompatible version of tracuu.
var ErrVersion = errors.New("index was built by another version of tracuu")

// NewMemory returns an empty in-memory scorch index (not bleve's deprecated NewMemOnly).
func NewMemory() (bleve.Index, error) {
	idx, err := bleve.NewUsing("", NewMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create in-memory index: %w", err)
	}
	return idx, stampVersions(idx)
}

// Create makes a new on-disk index at dir, which must not exist yet.
func Create(dir string) (bleve.Index, error) {
	idx, err := bleve.New(dir, NewMapping())
	if err != nil {
		return nil, fmt.Errorf("create index %q: %w", dir, err)
	}
	if err := stampVersions(idx); err != nil {
		idx.Close()
		return nil, fmt.Errorf("create index %q: %w", dir, err)
	}
	return idx, nil
}

// Open opens an existing on-disk index for reading and writing, failing fast (instead of waiting
// forever) when another process holds it, and with ErrVersion when it was built with another mapping
// version.
func Open(dir string) (bleve.Index, error) { return open(dir, false) }

// OpenReadOnly opens an existing on-disk index for searching only; any number of processes may.
func OpenReadOnly(dir string) (bleve.Index, error) { return open(dir, true) }

func open(dir string, readOnly bool) (bleve.Index, error) {
	if IsSharded(dir) {
		return openSharded(dir, readOnly)
	}
	return openIn(dir, dir, readOnly)
}

// openIn opens the bleve index at dir, part of the index name (see openStore).
func openIn(dir, name string, readOnly bool) (bleve.Index, error) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		if dir != name {
			return nil, damaged(name, fmt.Errorf("its shard %s holds no index", filepath.Base(dir)))
		}
		return nil, fmt.Errorf("open index %q: no index there (build one with: tracuu index -index %s PATH...)", dir, dir)
	}
	idx, err := openStore(dir, name, readOnly)
	if err != nil {
		return nil, err
	}
	if err := checkVersions(idx, name); err != nil {
		idx.Close()
		return nil, err
	}
	return idx, nil
}

// BatchSize is the number of passages sent to bleve at once: large enough to keep both cores busy
// analyzing, small enough to bound memory (bleve #1304).
const BatchSize = 1500

// concurrentBatches is how many batches are indexed at once: bleve builds a batch's segment on one
// core, so a second batch keeps the other busy.
const concurrentBatches = 2

// Add indexes documents and their passages, replacing any earlier version of the same ids.
// progress, when not nil, is called after each batch with the number of documents done.
func Add(ctx context.Context, idx bleve.Index, docs []corpus.Document, progress func(done int)) (passages int, err error) {
	var report func(docs, passages int)
	if progress != nil {
		report = func(docs, _ int) { progress(docs) }
	}
	b, err := NewBuilder(ctx, idx, report)
	if err != nil {
		return 0, err
	}
	for _, d := range docs {
		if err := b.Add(d); err != nil {
			break // Close says why
		}
	}
	_, passages, err = b.Close()
	return passages, err
}

// Builder indexes a stream of documents with no pause between them: while batches are indexed,
// concurrentBatches at a time, the documents after them are split into passages on every core and
// gathered into the next batch. Documents keep their order: of an id seen twice, the later version
// wins. A document already in the index is replaced by id; a fresh index skips that look-up for
// every document but the ones seen twice. Call Add for each document, then Close.
type Builder struct {
	ctx      context.Context
	progress func(docs, passages int)
	parts    []*builderPart // one per shard of a sharded index, else one
	sharded  *Sharded

	mu       sync.Mutex
	stopErr  error // why the build stopped early (cancelled), nil while it goes on
	docsDone []int // per part, documents on disk
	passDone []int
}

// NewBuilder starts a build or update of idx. progress, when not nil, is called (never
// concurrently) each time more documents are in the index, with the totals so far.
func NewBuilder(ctx context.Context, idx bleve.Index, progress func(docs, passages int)) (*Builder, error) {
	return newBuilder(ctx, idx, progress, false)
}

// NewBulkBuilder is NewBuilder for the first build of an on-disk index, to be ended by Close and
// FinishWarn (the final merge): the passages' bigrams are kept out of bleve and FinishWarn writes them
// as pair postings files (pairs.go). On an index that already holds documents, or in memory, it is
// NewBuilder.
func NewBulkBuilder(ctx context.Context, idx bleve.Index, progress func(docs, passages int)) (*Builder, error) {
	return newBuilder(ctx, idx, progress, true)
}

func newBuilder(ctx context.Context, idx bleve.Index, progress func(docs, passages int), bulk bool) (*Builder, error) {
	shards := []bleve.Index{idx}
	sh, _ := idx.(*Sharded) // nil for one index
	if sh != nil {
		shards = sh.Shards()
	}
	b := &Builder{ctx: ctx, progress: progress, sharded: sh,
		docsDone: make([]int, len(shards)), passDone: make([]int, len(shards))}
	// The shards share the slots: as many batches in flight as for one index.
	slots := make(chan struct{}, concurrentBatches)
	for i, s := range shards {
		// A fresh index has nothing to replace: skip the look-up of earlier versions.
		existing, err := s.DocCount()
		if err != nil {
			b.abort()
			return nil, fmt.Errorf("count documents: %w", err)
		}
		b.parts = append(b.parts, b.startPart(i, s, existing > 0, bulk && existing == 0 && s.Name() != "", slots))
	}
	return b, nil
}

// splitGroup is how many documents a split worker takes at once.
const splitGroup = 32

// splitAhead is how many groups may be split ahead of the batch being gathered: enough for a batch,
// so that the next one is ready when a slot frees.
const splitAhead = 64

// builderPart builds one index (one shard): split workers, and a batcher that gathers their output in
// order into batches.
type builderPart struct {
	b        *Builder
	n        int // the shard number
	idx      bleve.Index
	existing bool // the index had documents: replace them by id
	bulk     bool // passages paired: their pairs gathered in table and pairs

	group    *docGroup
	work     chan *docGroup // to the split workers
	order    chan *docGroup // the same groups, in order, to the batcher
	finished chan struct{}  // closed when the batcher is done
	sender   *batches

	mu      sync.Mutex
	haltErr error // why the batcher stopped early, nil while it goes on

	// Set by the batcher, read after finished.
	table          *pairTable
	pairs          map[string]passagePairs // by passage id: a document seen twice keeps its last version's
	docs, passages int
	err            error
}

// docGroup is a run of documents, split by one worker.
type docGroup struct {
	docs     []corpus.Document
	passages [][]corpus.Passage
	acronyms []map[string]string
	pairs    [][]hashedPairs // per document, per passage, in a bulk build
	ready    chan struct{}   // closed once split
}

func (b *Builder) startPart(n int, idx bleve.Index, existing, bulk bool, slots chan struct{}) *builderPart {
	p := &builderPart{b: b, n: n, idx: idx, existing: existing, bulk: bulk,
		work:     make(chan *docGroup, splitAhead),
		order:    make(chan *docGroup, splitAhead),
		finished: make(chan struct{}),
	}
	if bulk {
		p.table, p.pairs = newPairTable(), map[string]passagePairs{}
	}
	p.sender = &batches{idx: idx, slots: slots, done: map[int]batchCount{}, onDone: func(docs, passages int) {
		b.indexed(n, docs, passages)
	}}
	for range runtime.GOMAXPROCS(0) {
		go func() {
			walker := analyzer.NewPairWalker()
			for g := range p.work {
				for _, d := range g.docs {
					ps := corpus.Split(d)
					g.passages = append(g.passages, ps)
					g.acronyms = append(g.acronyms, corpus.MineAcronyms(d.Text))
					if bulk {
						hs := make([]hashedPairs, len(ps))
						for i, pa := range ps {
							hs[i] = pairsOf(walker, pa.Text)
						}
						g.pairs = append(g.pairs, hs)
					}
				}
				close(g.ready)
			}
		}()
	}
	go p.run()
	return p
}

// indexed counts documents of part n now in the index and reports the totals.
func (b *Builder) indexed(n, docs, passages int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.docsDone[n] += docs
	b.passDone[n] += passages
	if b.progress != nil {
		b.progress(sum(b.docsDone), sum(b.passDone))
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// stopped returns why the build stopped early, or nil.
func (b *Builder) stopped() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stopErr
}

func (b *Builder) stop(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopErr == nil {
		b.stopErr = err
	}
}

// Add queues a document for indexing. It returns an error once the build has stopped (cancelled, or a
// batch failed): Close then says all that went wrong.
func (b *Builder) Add(doc corpus.Document) error {
	if err := b.ctx.Err(); err != nil {
		b.stop(err)
		return err
	}
	if err := b.stopped(); err != nil {
		return err
	}
	p := b.parts[0]
	if b.sharded != nil {
		p = b.parts[ShardOf(doc.ID, len(b.parts))]
	}
	if err := p.halted(); err != nil {
		return err
	}
	if p.group == nil {
		p.group = &docGroup{ready: make(chan struct{})}
	}
	p.group.docs = append(p.group.docs, doc)
	if len(p.group.docs) >= splitGroup {
		p.submit()
	}
	return nil
}

// submit hands the gathered documents to the split workers and the batcher.
func (p *builderPart) submit() {
	if p.group == nil {
		return
	}
	// Order first: the batcher waits for a group only once it is queued for the workers too, and
	// the workers never wait.
	p.order <- p.group
	p.work <- p.group
	p.group = nil
}

// failed returns the error of a failed batch of the part, or nil.
func (p *builderPart) failed() error {
	p.sender.mu.Lock()
	defer p.sender.mu.Unlock()
	if p.sender.err != nil {
		return fmt.Errorf("index batch: %w", p.sender.err)
	}
	return nil
}

// Close indexes the documents still queued, waits for every batch, and returns how many documents
// and passages were indexed, with every error.
func (b *Builder) Close() (docs, passages int, err error) {
	for _, p := range b.parts {
		p.submit()
		close(p.order)
		close(p.work)
	}
	var errs []error
	for _, p := range b.parts {
		<-p.finished
		docs += p.docs
		passages += p.passages
		if p.err != nil && b.sharded != nil {
			p.err = fmt.Errorf("shard %d: %w", p.n, p.err)
		}
		errs = append(errs, p.err)
		if p.bulk && p.err == nil {
			setPendingPairs(p)
		}
	}
	return docs, passages, errors.Join(append([]error{b.stopped()}, errs...)...)
}

// abort stops the parts started so far (NewBuilder failed half way).
func (b *Builder) abort() {
	b.stop(context.Canceled)
	_, _, _ = b.Close()
}

// errHalted stops a part whose batch failed: the batch's error is reported by the sender's wait.
var errHalted = errors.New("a batch failed")

// run gathers the split documents into batches, in order, and sends them. Once the part has stopped
// (a failure, or the build cancelled) it drains the groups still coming without indexing them.
func (p *builderPart) run() {
	defer close(p.finished)
	var (
		seen      = map[uint64]int{} // hashes of the ids indexed in this build → their batch's number
		seed      = maphash.MakeSeed()
		batch     = p.idx.NewBatch()
		batchDocs int
		batchPass int
	)
	flush := func() {
		if batch.Size() > 0 {
			p.sender.send(batch, batchDocs, batchPass)
			batch, batchDocs, batchPass = p.idx.NewBatch(), 0, 0
		}
	}
	add := func(doc corpus.Document, ps []corpus.Passage, acronyms map[string]string, pairs []hashedPairs) error {
		h := maphash.String(seed, doc.ID)
		in, again := seen[h]
		old := 0
		if again || p.existing {
			if again && !p.sender.isDone(in) {
				// The earlier version must be in the index before this one replaces it (and its
				// passage count is read), or batches in flight could apply in either order.
				flush()
				if p.sender.wait() != nil {
					return errHalted
				}
			}
			var err error
			if old, _, err = passageCount(p.idx, doc.ID); err != nil {
				return err
			}
		}
		seen[h] = p.sender.sent // the number the batch being gathered will have
		doc.Bodies = corpus.BodiesOf(doc, ps)
		for n := len(ps); n < old; n++ {
			batch.Delete(corpus.PassageID(doc.ID, n))
		}
		if err := batch.Index(DocumentKeyPrefix+doc.ID, documentRecord(doc, ps, acronyms)); err != nil {
			return fmt.Errorf("index document %q: %w", doc.ID, err)
		}
		for i, pa := range ps {
			if err := batch.Index(pa.ID, passageRecord(pa, p.bulk)); err != nil {
				return fmt.Errorf("index passage %q: %w", pa.ID, err)
			}
			if p.bulk {
				p.pairs[pa.ID] = p.table.add(pairs[i])
			}
		}
		p.docs++
		p.passages += len(ps)
		batchDocs++
		batchPass += len(ps)
		if batch.Size() >= BatchSize {
			flush()
		}
		return nil
	}
	var own error // the part's own error, besides its batches'
	halted := false
	for g := range p.order {
		<-g.ready
		for i, doc := range g.docs {
			if halted {
				break
			}
			if err := p.b.ctx.Err(); err != nil {
				p.b.stop(err)
			}
			if p.b.stopped() != nil || p.failed() != nil {
				halted = true
				break
			}
			var pairs []hashedPairs
			if p.bulk {
				pairs = g.pairs[i]
			}
			if err := add(doc, g.passages[i], g.acronyms[i], pairs); err != nil {
				halted = true
				if err != errHalted {
					own = err
				}
			}
		}
		if halted {
			p.halt(cmp.Or(own, p.failed(), p.b.stopped()))
		}
	}
	if !halted {
		flush()
	}
	var batchErr error
	if err := p.sender.wait(); err != nil {
		batchErr = fmt.Errorf("index batch: %w", err)
	}
	p.err = errors.Join(own, batchErr)
}

// halt records why the part stopped, for Add to return.
func (p *builderPart) halt(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.haltErr = err
}

// halted returns why the part stopped, or nil.
func (p *builderPart) halted() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.haltErr
}

// batches indexes batches concurrently, as many at a time as there are slots.
type batches struct {
	idx      bleve.Index
	slots    chan struct{}
	inflight sync.WaitGroup
	mu       sync.Mutex
	err      error // every batch's error, joined

	// Batches are counted done in the order they were sent, so onDone never counts one that is
	// in the index while an earlier one is not.
	sent, next int
	done       map[int]batchCount
	onDone     func(docs, passages int)
}

type batchCount struct{ docs, passages int }

func newBatches(idx bleve.Index) *batches {
	return &batches{idx: idx, slots: make(chan struct{}, concurrentBatches), done: map[int]batchCount{}}
}

// send indexes b, which holds docs documents and passages passages, in the background once a slot
// is free.
func (p *batches) send(b *bleve.Batch, docs, passages int) {
	p.slots <- struct{}{}
	p.inflight.Add(1)
	seq := p.sent
	p.sent++
	go func() {
		defer func() { <-p.slots; p.inflight.Done() }()
		err := p.idx.Batch(b)
		p.mu.Lock()
		defer p.mu.Unlock()
		if err != nil {
			p.err = errors.Join(p.err, err)
			return
		}
		p.done[seq] = batchCount{docs, passages}
		for c, ok := p.done[p.next]; ok; c, ok = p.done[p.next] {
			delete(p.done, p.next)
			p.next++
			if p.onDone != nil {
				p.onDone(c.docs, c.passages)
			}
		}
	}()
}

// isDone reports whether batch number seq (in the order sent) and every one before it are in the
// index.
func (p *batches) isDone(seq int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return seq < p.next
}

// wait returns once no batch is in flight, with the errors of all batches sent so far.
func (p *batches) wait() error {
	p.inflight.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// passageCount returns how many passages the stored version of a document has, and whether there is
// one (0, false when absent).
func passageCount(idx bleve.Index, docID string) (n int, found bool, err error) {
	d, err := idx.Document(DocumentKeyPrefix + docID)
	if err != nil || d == nil {
		return 0, false, err
	}
	d.VisitFields(func(f index.Field) {
		if f.Name() == fieldPassages {
			if v, err := f.(index.NumericField).Number(); err == nil {
				n = int(v)
			}
		}
	})
	return n, true, nil
}

// Optimize merges an on-disk index into one segment, as after a bulk build: each query term is then
// looked up once instead of once per segment. It waits until the merge is done. Only for on-disk
// indexes: an in-memory scorch index has no merger to ask, and the call would never return.
func Optimize(ctx context.Context, idx bleve.Index) error {
	if sh, ok := idx.(*Sharded); ok {
		return sh.optimize(ctx)
	}
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	// All segments in one merge task: the default plan merges ten at a time, leaving several.
	plan := mergeplan.SingleSegmentMergePlanOptions
	plan.SegmentsPerMergeTask = 1000
	// A force merge takes the segments persisted when it starts: one the persister or a background
	// merge introduces meanwhile stays beside the result (seen: a 30 MB segment next to a 214 MB
	// one), so merge again until one is left.
	for range maxForceMerges {
		if err := forceMerge(ctx, s, &plan); err != nil {
			return fmt.Errorf("optimize: %w", err)
		}
		if segments(s) <= 1 {
			break
		}
	}
	return nil
}

// forceMerge runs one force merge, and returns at once when ctx ends: scorch's merge does not always
// stop then (seen spinning for minutes on a full disk, deaf to SIGTERM), and the process, which is
// stopping, must not wait for it. It also returns the merge's first error: asked without a place to
// report it, scorch retries a failed merge forever (a disk too small for the merged segment kept it
// rewriting that segment at 100% CPU for over 10 minutes); given one, it reports and gives up.
func forceMerge(ctx context.Context, s *scorch.Scorch, plan *mergeplan.MergePlanOptions) error {
	failed := make(chan error, 1)
	//lint:ignore SA1029 scorch looks its report channel up under this plain string key (mergeDoneKey).
	mctx := context.WithValue(ctx, "mergeDone", failed)
	done := make(chan error, 1)
	go func() { done <- s.ForceMerge(mctx, plan) }()
	select {
	case err := <-done:
		return err
	case err := <-failed:
		if err == nil {
			// Planned and applied; ForceMerge returns once the merger says so.
			select {
			case err := <-done:
				return err
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		// ForceMerge itself never returns after a reported failure (scorch does not close its done
		// channel then): its goroutine ends when the index is closed.
		return fmt.Errorf("the final merge failed: %w", err)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// mergeStall is how long the final merge may go without writing a byte or a file before it is given
// up: a merge writes its segment file as it goes (viquad2-dev's whole build, merge included, takes
// 20 s), so minutes of nothing mean it is stuck, as scorch's merger was seen rewriting a segment forever on a full disk.
var mergeStall = 2 * time.Minute

// errStalled ends a merge that made no progress for mergeStall.
var errStalled = errors.New("the final merge made no progress")

// watchProgress returns a context that is cancelled (with errStalled as its cause) once state has
// returned the same value for stall, checked every tick, and a function to stop watching.
func watchProgress(ctx context.Context, state func() string, stall, tick time.Duration) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	go func() {
		last, since := state(), time.Now()
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if now := state(); now != last {
				last, since = now, time.Now()
			} else if time.Since(since) >= stall {
				cancel(fmt.Errorf("%w for %s (the index is complete without it, only slower to search: run the same command again)", errStalled, stall))
				return
			}
		}
	}()
	var once sync.Once
	return ctx, func() { once.Do(func() { close(done); cancel(nil) }) }
}

// storeState sums up the segment files under dir, names and sizes: it changes while a merge writes.
func storeState(dir string) string {
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".zap") {
			if info, err := d.Info(); err == nil {
				fmt.Fprintf(&b, "%s:%d ", path, info.Size())
			}
		}
		return nil
	})
	return b.String()
}

// maxForceMerges bounds the merges Optimize asks for.
const maxForceMerges = 5

// segments counts the segments of the index's current snapshot.
func segments(s *scorch.Scorch) uint64 {
	st := s.StatsMap()
	n, _ := st["num_root_filesegments"].(uint64)
	m, _ := st["num_root_memorysegments"].(uint64)
	return n + m
}

// waitForCleanup gives scorch's persister a moment (about 50 ms measured) to delete the segment files
// a merge replaced: it does so after persisting the merged snapshot, and files left when the index is
// closed stay on disk for good, referenced by the snapshots kept for rollback (seen: 411 MB instead of
// 204 MB). It gives up after cleanupWait.
func waitForCleanup(idx bleve.Index, dir string) {
	adv, err := idx.Advanced()
	if err != nil {
		return
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return
	}
	for start := time.Now(); time.Since(start) < cleanupWait; time.Sleep(10 * time.Millisecond) {
		files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
		if err != nil || uint64(len(files)) <= segments(s) {
			return
		}
	}
}

const cleanupWait = 5 * time.Second

// Finish ends a bulk build of the index at dir: it merges it (each shard of a sharded one), waits for
// the files the merge replaced to be deleted, closes it, and opens and closes it once more to check it.
// A merge the disk has no room for is skipped (see FinishWarn), silently: use FinishWarn to say so.
func Finish(ctx context.Context, idx bleve.Index, dir string) error {
	return FinishWarn(ctx, idx, dir, nil)
}

// FinishWarn is Finish, calling warn (when not nil) with a sentence to show when the final merge is
// skipped for lack of disk space. The index is complete without the merge, only slower to search (a
// query term is looked up in each segment), so a build is not thrown away for it; a merge that
// fails on the disk anyway (it filled meanwhile) is an error.
func FinishWarn(ctx context.Context, idx bleve.Index, dir string, warn func(string)) error {
	shards := []bleve.Index{idx}
	sh, sharded := idx.(*Sharded)
	if sharded {
		shards = sh.Shards()
	}
	// Taken now: a build that stops below leaves them to no one.
	pending := make([]*builderPart, len(shards))
	for i, shard := range shards {
		pending[i] = takePendingPairs(shard)
	}
	merge := true
	if segs := SegmentBytes(dir); segs > 0 {
		need := MergeNeeds(segs)
		if free, err := FreeBytes(dir); err == nil && free < need {
			merge = false
			if warn != nil {
				warn(fmt.Sprintf("skipped the final merge of the index at %s: merging its %s of segments needs about %s free on its disk, %s are. "+
					"The index is complete, but searches are slower until it is merged: free some space and run the same tracuu index command again",
					filepath.Clean(dir), MB(segs), MB(need), MB(free)))
			}
		}
	}
	if merge {
		mctx, stalled := watchProgress(ctx, func() string { return storeState(dir) }, mergeStall, mergeStall/20)
		err := Optimize(mctx, idx)
		stalled()
		if cause := context.Cause(mctx); errors.Is(cause, errStalled) {
			// Closing would wait for the merge: the process ends with the index complete, unmerged.
			return fmt.Errorf("optimize: %w", cause)
		}
		if err != nil {
			if ctx.Err() == nil {
				idx.Close()
			} // else the process is stopping: closing would wait for the merge it gave up on
			return err
		}
	}
	if sharded {
		for i, shard := range shards {
			waitForCleanup(shard, shardDir(dir, i))
		}
	} else {
		waitForCleanup(idx, dir)
	}
	for i, shard := range shards {
		// Not fatal: searches make the files again from the stored texts.
		var err error
		if pending[i] != nil {
			err = pending[i].writePairs()
		} else {
			// An update merged into a segment holding paired passages: its file is made now rather
			// than by the first search.
			err = warmPairs(shard)
		}
		if err != nil && warn != nil {
			warn(fmt.Sprintf("%v: searches will make them again, once, from the stored texts", err))
		}
	}
	if err := idx.Close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	again, err := Open(dir)
	if err != nil {
		return err
	}
	return again.Close()
}
