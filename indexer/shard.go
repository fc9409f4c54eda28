package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// shardsFile marks a folder as a sharded index: K bleve indexes in shard-00 … shard-K-1, searched
// together through a bleve.IndexAlias.
const shardsFile = "tracuu-shards.json"

// MaxShards bounds -shards: beyond the cores of one machine more shards only add per-shard overhead.
const MaxShards = 64

// ErrShardedBatch is returned by Sharded.Batch: a bleve batch cannot be split by document after it is
// built, so writes to a sharded index go through Add, Index and Delete (which route each id), or a
// batch built on and sent to Route(idx, docID).
var ErrShardedBatch = errors.New("a bleve batch cannot be sent to a sharded index: send it to indexer.Route(idx, docID)")

type shardsMeta struct {
	Shards int    `json:"shards"`
	Hash   string `json:"hash"`
}

const shardHash = "fnv1a32(document id) mod shards"

// Sharded is an index split by document id into several bleve indexes behind one bleve.IndexAlias.
// A document's record and all its passages live in the same shard, so replacing a document is one
// batch on one shard. Searches run on every shard in parallel and the alias merges the hits; each
// shard scores with its own term statistics (tf-idf), so scores differ slightly from one index's.
// Internal keys (version, acronyms) are written to every shard and read from the first.
type Sharded struct {
	bleve.IndexAlias // searches, counts, fields; Add, Remove and Swap are not for callers
	shards           []bleve.Index
}

// Shards returns the sub-indexes, in shard order.
func (s *Sharded) Shards() []bleve.Index { return s.shards }

// ShardOf returns the shard of a document id among n shards.
func ShardOf(docID string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(docID))
	return int(h.Sum32() % uint32(n))
}

// docOf returns the document id a bleve id belongs to: a document record ("doc:ID") or a passage
// ("ID#n").
func docOf(id string) string {
	// A passage first: a document id may start with "doc:", but never holds '#' (corpus.FromJSON).
	if i := strings.LastIndexByte(id, '#'); i >= 0 {
		return id[:i]
	}
	if rest, ok := strings.CutPrefix(id, DocumentKeyPrefix); ok {
		return rest
	}
	return id
}

// Route returns the index that holds (or will hold) a document and its passages: its shard in a
// sharded index, idx itself otherwise. Code that writes a document with its own batch sends the
// batch there.
func Route(idx bleve.Index, docID string) bleve.Index {
	if s, ok := idx.(*Sharded); ok {
		return s.shards[ShardOf(docID, len(s.shards))]
	}
	return idx
}

func (s *Sharded) shard(id string) bleve.Index { return s.shards[ShardOf(docOf(id), len(s.shards))] }

func shardDir(dir string, i int) string { return filepath.Join(dir, fmt.Sprintf("shard-%02d", i)) }

// IsSharded reports whether dir holds a sharded index.
func IsSharded(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, shardsFile))
	return err == nil
}

// CreateSharded makes a new on-disk index at dir split into n shards; dir must not hold an index.
func CreateSharded(dir string, n int) (*Sharded, error) {
	if n < 2 || n > MaxShards {
		return nil, fmt.Errorf("create index %q: shards must be between 2 and %d, got %d", dir, MaxShards, n)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index %q: %w", dir, err)
	}
	shards := make([]bleve.Index, 0, n)
	for i := range n {
		idx, err := Create(shardDir(dir, i))
		if err != nil {
			closeAll(shards)
			return nil, err
		}
		shards = append(shards, idx)
	}
	// The marker file comes last: a folder without it is not opened as a (partial) sharded index.
	raw, _ := json.Marshal(shardsMeta{Shards: n, Hash: shardHash})
	if err := writeFileSync(filepath.Join(dir, shardsFile), raw); err != nil {
		closeAll(shards)
		return nil, fmt.Errorf("create index %q: %w", dir, err)
	}
	return newSharded(shards), nil
}

// ShardCount returns how many shards the index at dir is split into: 1 for one index (or none).
func ShardCount(dir string) (int, error) {
	if !IsSharded(dir) {
		return 1, nil
	}
	raw, err := os.ReadFile(filepath.Join(dir, shardsFile))
	if err != nil {
		return 0, fmt.Errorf("open index %q: %w", dir, err)
	}
	var m shardsMeta
	if err := json.Unmarshal(raw, &m); err != nil || m.Shards < 2 || m.Shards > MaxShards || m.Hash != shardHash {
		return 0, damaged(dir, fmt.Errorf("unreadable %s: %q", shardsFile, raw))
	}
	return m.Shards, nil
}

func openSharded(dir string, readOnly bool) (*Sharded, error) {
	n, err := ShardCount(dir)
	if err != nil {
		return nil, err
	}
	shards := make([]bleve.Index, 0, n)
	for i := range n {
		idx, err := openIn(shardDir(dir, i), dir, readOnly)
		if err != nil {
			closeAll(shards)
			return nil, err
		}
		shards = append(shards, idx)
	}
	return newSharded(shards), nil
}

func newSharded(shards []bleve.Index) *Sharded {
	alias := bleve.NewIndexAlias(shards...)
	// Every shard has the same mapping; telling the alias spares it a check on each search.
	_ = alias.SetIndexMapping(shards[0].Mapping())
	return &Sharded{IndexAlias: alias, shards: shards}
}

func closeAll(shards []bleve.Index) error {
	var errs []error
	for _, s := range shards {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// Close closes every shard (the alias alone would leave them open).
func (s *Sharded) Close() error {
	return errors.Join(s.IndexAlias.Close(), closeAll(s.shards))
}

// shardFacetFactor is how many more facet values each shard is asked for than the request shows: a
// value just outside one shard's top list would otherwise lose that shard's count (bleve #172), as
// Elasticsearch's shard_size avoids. Measured on viwiki: see docs/operations.md.
const shardFacetFactor = 5

// Search runs a search on every shard in parallel; see SearchInContext.
func (s *Sharded) Search(req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return s.SearchInContext(context.Background(), req)
}

// SearchInContext runs a search on every shard in parallel and merges the hits, totals and facets,
// asking each shard for shardFacetFactor times the term facet values requested and cutting the merged
// lists back to the requested size.
func (s *Sharded) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if len(req.Facets) == 0 {
		return s.IndexAlias.SearchInContext(ctx, req)
	}
	wide := *req
	wide.Facets = make(bleve.FacetsRequest, len(req.Facets))
	for name, fr := range req.Facets {
		c := *fr
		if c.NumericRanges == nil && c.DateTimeRanges == nil {
			c.Size = max(c.Size*shardFacetFactor, c.Size+10)
		}
		wide.Facets[name] = &c
	}
	res, err := s.IndexAlias.SearchInContext(ctx, &wide)
	if err != nil {
		return nil, err
	}
	res.Request = req
	for name, fr := range req.Facets {
		res.Facets.Fixup(name, fr.Size)
	}
	return res, nil
}

// Index indexes one bleve document in its document's shard.
func (s *Sharded) Index(id string, data any) error { return s.shard(id).Index(id, data) }

// Delete deletes one bleve document from its document's shard.
func (s *Sharded) Delete(id string) error { return s.shard(id).Delete(id) }

// Batch refuses: see ErrShardedBatch.
func (s *Sharded) Batch(*bleve.Batch) error { return ErrShardedBatch }

// NewBatch returns a batch of the first shard; Batch refuses it, but building one must not crash.
func (s *Sharded) NewBatch() *bleve.Batch { return s.shards[0].NewBatch() }

// Document loads a stored bleve document from its shard.
func (s *Sharded) Document(id string) (index.Document, error) { return s.shard(id).Document(id) }

// Mapping is the shards' common mapping.
func (s *Sharded) Mapping() mapping.IndexMapping { return s.shards[0].Mapping() }

// GetInternal reads an internal key from the first shard: every shard holds the same.
func (s *Sharded) GetInternal(key []byte) ([]byte, error) { return s.shards[0].GetInternal(key) }

// SetInternal writes an internal key to every shard.
func (s *Sharded) SetInternal(key, val []byte) error {
	for _, sh := range s.shards {
		if err := sh.SetInternal(key, val); err != nil {
			return err
		}
	}
	return nil
}

// DeleteInternal deletes an internal key from every shard.
func (s *Sharded) DeleteInternal(key []byte) error {
	for _, sh := range s.shards {
		if err := sh.DeleteInternal(key); err != nil {
			return err
		}
	}
	return nil
}

// Advanced returns a read-only view for index-wide term statistics: its reader sums DocCount and
// TermFieldReader(…).Count() over the shards, which is what the query builder needs to find common
// syllables, and merges the shards' term dictionaries, which completions read. Iterating postings
// across shards is not supported.
func (s *Sharded) Advanced() (index.Index, error) { return statsIndex{s}, nil }

// optimize merges every shard into one segment, all shards at once.
func (s *Sharded) optimize(ctx context.Context) error {
	errs := make([]error, len(s.shards))
	var wg sync.WaitGroup
	for i, sh := range s.shards {
		wg.Go(func() { errs[i] = Optimize(ctx, sh) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// statsIndex is the index.Index a Sharded returns from Advanced: statistics only.
type statsIndex struct{ s *Sharded }

var errStatsOnly = errors.New("a sharded index offers only term statistics and dictionaries through Advanced()")

func (statsIndex) Open() error                      { return errStatsOnly }
func (statsIndex) Close() error                     { return nil }
func (statsIndex) Update(index.Document) error      { return errStatsOnly }
func (statsIndex) Delete(string) error              { return errStatsOnly }
func (statsIndex) Batch(*index.Batch) error         { return errStatsOnly }
func (statsIndex) SetInternal(_, _ []byte) error    { return errStatsOnly }
func (statsIndex) DeleteInternal([]byte) error      { return errStatsOnly }
func (statsIndex) StatsMap() map[string]interface{} { return map[string]interface{}{} }

func (x statsIndex) Reader() (index.IndexReader, error) {
	r := &statsReader{}
	for _, sh := range x.s.shards {
		adv, err := sh.Advanced()
		if err == nil {
			var sr index.IndexReader
			if sr, err = adv.Reader(); err == nil {
				r.readers = append(r.readers, sr)
				continue
			}
		}
		r.Close()
		return nil, err
	}
	return r, nil
}

// statsReader holds one reader (snapshot) per shard.
type statsReader struct{ readers []index.IndexReader }

func (r *statsReader) Close() error {
	var errs []error
	for _, sr := range r.readers {
		errs = append(errs, sr.Close())
	}
	return errors.Join(errs...)
}

func (r *statsReader) DocCount() (uint64, error) {
	var n uint64
	for _, sr := range r.readers {
		c, err := sr.DocCount()
		if err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}

func (r *statsReader) TermFieldReader(ctx context.Context, term []byte, field string, _, _, _ bool) (index.TermFieldReader, error) {
	var n uint64
	for _, sr := range r.readers {
		tfr, err := sr.TermFieldReader(ctx, term, field, false, false, false)
		if err != nil {
			return nil, err
		}
		n += tfr.Count()
		if err := tfr.Close(); err != nil {
			return nil, err
		}
	}
	return countReader(n), nil
}

func (r *statsReader) GetInternal(key []byte) ([]byte, error) { return r.readers[0].GetInternal(key) }

func (r *statsReader) DocIDReaderAll() (index.DocIDReader, error)          { return nil, errStatsOnly }
func (r *statsReader) DocIDReaderOnly([]string) (index.DocIDReader, error) { return nil, errStatsOnly }

// FieldDict merges the shards' dictionaries of field: every term once, in order, counts summed.
func (r *statsReader) FieldDict(field string) (index.FieldDict, error) {
	return r.mergeDicts(func(sr index.IndexReader) (index.FieldDict, error) { return sr.FieldDict(field) })
}

// FieldDictRange merges the shards' dictionaries of field between two terms, both included.
func (r *statsReader) FieldDictRange(field string, start, end []byte) (index.FieldDict, error) {
	return r.mergeDicts(func(sr index.IndexReader) (index.FieldDict, error) { return sr.FieldDictRange(field, start, end) })
}

// FieldDictPrefix merges the shards' dictionaries of field for the terms beginning with prefix.
func (r *statsReader) FieldDictPrefix(field string, prefix []byte) (index.FieldDict, error) {
	return r.mergeDicts(func(sr index.IndexReader) (index.FieldDict, error) { return sr.FieldDictPrefix(field, prefix) })
}

func (r *statsReader) mergeDicts(open func(index.IndexReader) (index.FieldDict, error)) (index.FieldDict, error) {
	counts := map[string]uint64{}
	for _, sr := range r.readers {
		d, err := open(sr)
		if err != nil {
			return nil, err
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return nil, err
			}
			if e == nil {
				break
			}
			counts[e.Term] += e.Count
		}
		if err := d.Close(); err != nil {
			return nil, err
		}
	}
	terms := slices.Sorted(maps.Keys(counts))
	entries := make([]index.DictEntry, len(terms))
	for i, t := range terms {
		entries[i] = index.DictEntry{Term: t, Count: counts[t]}
	}
	return &mergedDict{entries: entries}, nil
}

// mergedDict iterates over a dictionary merged from the shards.
type mergedDict struct {
	entries []index.DictEntry
	next    int
}

func (d *mergedDict) Next() (*index.DictEntry, error) {
	if d.next >= len(d.entries) {
		return nil, nil
	}
	d.next++
	return &d.entries[d.next-1], nil
}
func (d *mergedDict) Close() error      { return nil }
func (d *mergedDict) Cardinality() int  { return len(d.entries) }
func (d *mergedDict) BytesRead() uint64 { return 0 }

func (r *statsReader) Document(string) (index.Document, error) { return nil, errStatsOnly }
func (r *statsReader) DocValueReader([]string) (index.DocValueReader, error) {
	return nil, errStatsOnly
}
func (r *statsReader) Fields() ([]string, error) { return nil, errStatsOnly }
func (r *statsReader) ExternalID(index.IndexInternalID) (string, error) {
	return "", errStatsOnly
}
func (r *statsReader) InternalID(string) (index.IndexInternalID, error) {
	return nil, errStatsOnly
}

// countReader is a term's document count summed over shards, with no postings to iterate.
type countReader uint64

func (c countReader) Count() uint64 { return uint64(c) }
func (countReader) Next(*index.TermFieldDoc) (*index.TermFieldDoc, error) {
	return nil, errStatsOnly
}
func (countReader) Advance(index.IndexInternalID, *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	return nil, errStatsOnly
}
func (countReader) Close() error { return nil }
func (countReader) Size() int    { return 8 }

// writeFileSync writes a small file and flushes it to disk, so a crash leaves it whole or absent.
func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return err
	}
	return replaceWith(f, path, data, true)
}

// replaceWith writes data to the new temporary file f (flushed to disk when sync) and renames it to
// path, so that a reader sees the old file or the new one, never half of it; on an error f is removed.
func replaceWith(f *os.File, path string, data []byte, sync bool) error {
	_, err := f.Write(data)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
