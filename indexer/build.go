package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/tracuu/tracuu/corpus"
)

// DocumentKeyPrefix prefixes the bleve id of a stored whole document, so it never collides with a
// passage id (which is doc id + "#" + ordinal).
const DocumentKeyPrefix = "doc:"

const (
	versionKey  = "tracuu.mapping_version"
	acronymsKey = "tracuu.acronyms"
)

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
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		return nil, fmt.Errorf("open index %q: no index there (build one with: tracuu index -index %s PATH...)", dir, dir)
	}
	idx, err := openStore(dir, readOnly)
	if err != nil {
		return nil, err
	}
	if err := checkVersions(idx, dir); err != nil {
		idx.Close()
		return nil, err
	}
	return idx, nil
}

// BatchSize is the number of passages sent to bleve at once: large enough to keep both cores busy
// analyzing, small enough to bound memory (bleve #1304).
const BatchSize = 1500

// concurrentBatches is how many batches are indexed at once.
const concurrentBatches = 2

// Add indexes documents and their passages, replacing any earlier version of the same ids.
// progress, when not nil, is called after each batch with the number of documents done.
func Add(ctx context.Context, idx bleve.Index, docs []corpus.Document, progress func(done int)) (passages int, err error) {
	if sh, ok := idx.(*Sharded); ok {
		return sh.add(ctx, docs, progress)
	}
	// A document seen twice waits for the batches in flight, so the later version wins.
	var (
		sender  = newBatches(idx)
		inBatch = map[string]bool{}
	)
	wait := func() error {
		clear(inBatch)
		if err := sender.wait(); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		return nil
	}
	batch := idx.NewBatch()
	flush := func() {
		if batch.Size() == 0 {
			return
		}
		sender.send(batch)
		batch = idx.NewBatch()
	}
	// A fresh index has nothing to replace: skip the look-up of earlier versions.
	existing, err := idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count documents: %w", err)
	}
	mined := map[string]string{}
	split := splitAll(docs)
	for i, doc := range docs {
		if err := ctx.Err(); err != nil {
			return passages, errors.Join(err, wait())
		}
		if inBatch[doc.ID] {
			flush()
			if err := wait(); err != nil {
				return passages, err
			}
		}
		inBatch[doc.ID] = true
		maps.Copy(mined, corpus.MineAcronyms(doc.Text))
		old := 0
		if existing > 0 {
			if old, _, err = passageCount(idx, doc.ID); err != nil {
				return passages, errors.Join(err, wait())
			}
		}
		ps := split[i]
		doc.Bodies = corpus.BodiesOf(doc, ps)
		for n := len(ps); n < old; n++ {
			batch.Delete(fmt.Sprintf("%s#%d", doc.ID, n))
		}
		if err := batch.Index(DocumentKeyPrefix+doc.ID, documentRecord(doc, ps)); err != nil {
			return passages, errors.Join(fmt.Errorf("index document %q: %w", doc.ID, err), wait())
		}
		for _, p := range ps {
			if err := batch.Index(p.ID, passageRecord(p)); err != nil {
				return passages, errors.Join(fmt.Errorf("index passage %q: %w", p.ID, err), wait())
			}
		}
		passages += len(ps)
		if batch.Size() >= BatchSize {
			flush()
			if progress != nil {
				progress(i + 1)
			}
		}
	}
	flush()
	if err := wait(); err != nil {
		return passages, err
	}
	if err := addAcronyms(idx, mined); err != nil {
		return passages, err
	}
	if progress != nil {
		progress(len(docs))
	}
	return passages, nil
}

// batches indexes batches concurrentBatches at a time: bleve builds a batch's segment on one core, so a
// second batch keeps the other busy.
type batches struct {
	idx      bleve.Index
	slots    chan struct{}
	inflight sync.WaitGroup
	mu       sync.Mutex
	err      error // every batch's error, joined
}

func newBatches(idx bleve.Index) *batches {
	return &batches{idx: idx, slots: make(chan struct{}, concurrentBatches)}
}

// send indexes b in the background once fewer than concurrentBatches are in flight.
func (p *batches) send(b *bleve.Batch) {
	p.slots <- struct{}{}
	p.inflight.Add(1)
	go func() {
		defer func() { <-p.slots; p.inflight.Done() }()
		if err := p.idx.Batch(b); err != nil {
			p.mu.Lock()
			p.err = errors.Join(p.err, err)
			p.mu.Unlock()
		}
	}()
}

// wait returns once no batch is in flight, with the errors of all batches sent so far.
func (p *batches) wait() error {
	p.inflight.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Acronyms returns the acronyms the indexed documents define ("Cơ sở dữ liệu (CSDL)"), acronym →
// expansion.
func Acronyms(idx bleve.Index) (map[string]string, error) {
	out := map[string]string{}
	raw, err := idx.GetInternal([]byte(acronymsKey))
	if err != nil || raw == nil {
		return out, err
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("read acronyms: %w", err)
	}
	return out, nil
}

// maxAcronyms bounds the mined acronyms kept in an index.
const maxAcronyms = 5000

func addAcronyms(idx bleve.Index, mined map[string]string) error {
	if len(mined) == 0 {
		return nil
	}
	all, err := Acronyms(idx)
	if err != nil {
		return err
	}
	for k, v := range mined {
		if _, ok := all[k]; !ok && len(all) < maxAcronyms {
			all[k] = v
		}
	}
	raw, err := json.Marshal(all)
	if err != nil {
		return err
	}
	return idx.SetInternal([]byte(acronymsKey), raw)
}

// splitAll splits documents into passages on every core, keeping their order.
func splitAll(docs []corpus.Document) [][]corpus.Passage {
	out := make([][]corpus.Passage, len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(docs); i = int(next.Add(1) - 1) {
				out[i] = corpus.Split(docs[i])
			}
		}()
	}
	wg.Wait()
	return out
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
		if err := s.ForceMerge(ctx, &plan); err != nil {
			return fmt.Errorf("optimize: %w", err)
		}
		if segments(s) <= 1 {
			break
		}
	}
	return nil
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
func Finish(ctx context.Context, idx bleve.Index, dir string) error {
	if err := Optimize(ctx, idx); err != nil {
		idx.Close()
		return err
	}
	if sh, ok := idx.(*Sharded); ok {
		for i, shard := range sh.Shards() {
			waitForCleanup(shard, shardDir(dir, i))
		}
	} else {
		waitForCleanup(idx, dir)
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
