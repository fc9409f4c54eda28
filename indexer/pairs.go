package indexer

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"

	"github.com/tracuu/tracuu/analyzer"
)

// The bigram view of a bulk build is not indexed by bleve: each of its passages is marked paired and
// its pairs of adjacent folded syllables are written, per segment, to a file of postings of our own
// (pairs/<segment>.bin beside the store). Bleve spends most of a bigram field's cost per distinct term
// of each segment it builds and merges, and nearly every pair is distinct; here each pair costs a
// hash and a posting, once. Passages written any other way (updates, in-memory indexes) index the
// bigram view in bleve as before; a search reads both (PairSources). The files are a cache of what the
// index holds: one missing, damaged or from another segment is made again from the stored texts of
// the segment's paired passages.

// pairsDir holds the pair postings of an index's segments.
const pairsDir = "pairs"

// pairsMagic starts every pair postings file (and names its format version).
var pairsMagic = []byte("TCPAIRS1")

// pairsHeader is the size of a file's header: the magic, the segment's CRC (4 bytes) and number of
// documents (8), the number of pairs (4).
const pairsHeader = 8 + 4 + 8 + 4

// PairHash hashes a folded bigram term (FNV-1a, 64 bits): stable across processes, since it is
// written to files.
func PairHash(term []byte) uint64 { return fnvAdd(fnvOffset, term) }

const fnvOffset = uint64(14695981039346656037)

func fnvAdd(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// pairHash is PairHash of the term "first second".
func pairHash(first, second []byte) uint64 {
	h := fnvAdd(fnvOffset, first)
	h = (h ^ ' ') * 1099511628211
	return fnvAdd(h, second)
}

// hashedPairs are a passage's bigrams, hashed, distinct and sorted, with their frequencies, and how
// many there are (bleve's field length, for the norm).
type hashedPairs struct {
	hashes []uint64
	tfs    []uint8
	length int
}

// pairsOf hashes the bigrams of a passage's text.
func pairsOf(w *analyzer.PairWalker, text string) hashedPairs {
	var hs []uint64
	w.Walk([]byte(text), func(first, second []byte) { hs = append(hs, pairHash(first, second)) })
	slices.Sort(hs)
	out := hashedPairs{length: len(hs)}
	for i := 0; i < len(hs); {
		j := i + 1
		for j < len(hs) && hs[j] == hs[i] {
			j++
		}
		out.hashes = append(out.hashes, hs[i])
		out.tfs = append(out.tfs, uint8(min(j-i, 255)))
		i = j
	}
	return out
}

// pairTable gives each distinct pair a dense id. A bulk build fills it as it goes, so that writing
// the postings at the end is a copy.
type pairTable struct {
	ids    map[uint64]uint32
	hashes []uint64
}

func newPairTable() *pairTable { return &pairTable{ids: make(map[uint64]uint32, 1<<16)} }

// passagePairs is a passage's distinct pairs as ids of a pairTable.
type passagePairs struct {
	ids    []uint32
	tfs    []uint8
	length int
}

func (t *pairTable) add(h hashedPairs) passagePairs {
	out := passagePairs{ids: make([]uint32, len(h.hashes)), tfs: h.tfs, length: h.length}
	for i, x := range h.hashes {
		n, ok := t.ids[x]
		if !ok {
			n = uint32(len(t.hashes))
			t.ids[x] = n
			t.hashes = append(t.hashes, x)
		}
		out.ids[i] = n
	}
	return out
}

// pairedDoc is a passage of a segment: its doc number there and its pairs.
type pairedDoc struct {
	num uint32
	passagePairs
}

// encodePairs writes the postings of docs, a segment's paired passages (ids of t), with the
// segment's CRC and size so that a file is never read for another segment.
func encodePairs(t *pairTable, docs []pairedDoc, segCRC uint32, segDocs uint64) []byte {
	slices.SortFunc(docs, func(a, b pairedDoc) int { return cmp.Compare(a.num, b.num) })
	counts := make([]uint32, len(t.hashes))
	for _, d := range docs {
		for _, id := range d.ids {
			counts[id]++
		}
	}
	var used []uint32 // the pairs of these docs, by hash
	for id, c := range counts {
		if c > 0 {
			used = append(used, uint32(id))
		}
	}
	slices.SortFunc(used, func(a, b uint32) int { return cmp.Compare(t.hashes[a], t.hashes[b]) })
	start := make([]uint32, len(t.hashes)) // first posting of each used pair
	var total uint32
	for _, id := range used {
		start[id] = total
		total += counts[id]
	}
	dict := pairsHeader
	lens := dict + 12*len(used)
	post := lens + 2*int(segDocs)
	out := make([]byte, post+5*int(total)+4)
	copy(out, pairsMagic)
	le := binary.LittleEndian
	le.PutUint32(out[8:], segCRC)
	le.PutUint64(out[12:], segDocs)
	le.PutUint32(out[20:], uint32(len(used)))
	for i, id := range used {
		le.PutUint64(out[dict+12*i:], t.hashes[id])
		le.PutUint32(out[dict+12*i+8:], start[id])
	}
	for _, d := range docs { // in doc number order: each pair's postings come out sorted
		if int(d.num) < int(segDocs) {
			le.PutUint16(out[lens+2*int(d.num):], uint16(min(d.length, 65535)))
		}
		for k, id := range d.ids {
			at := post + 5*int(start[id])
			le.PutUint32(out[at:], d.num)
			out[at+4] = d.tfs[k]
			start[id]++
		}
	}
	le.PutUint32(out[len(out)-4:], crc32.ChecksumIEEE(out[:len(out)-4]))
	return out
}

// SegmentPairs are the pair postings of one segment's paired passages, in its doc numbers.
type SegmentPairs struct {
	hashes  []uint64
	starts  []uint32 // of each pair's postings, and one past the last
	lengths []byte   // 2 bytes a doc: its number of pairs
	post    []byte   // 5 bytes a posting: doc number (uint32), frequency
}

// decodePairs reads a file written by encodePairs for the segment with this CRC and size.
func decodePairs(b []byte, segCRC uint32, segDocs uint64) (*SegmentPairs, error) {
	le := binary.LittleEndian
	const head = pairsHeader
	if len(b) < head+4 || !bytes.Equal(b[:8], pairsMagic) {
		return nil, errors.New("not a pair postings file")
	}
	if le.Uint32(b[len(b)-4:]) != crc32.ChecksumIEEE(b[:len(b)-4]) {
		return nil, errors.New("checksum mismatch")
	}
	if le.Uint32(b[8:]) != segCRC || le.Uint64(b[12:]) != segDocs {
		return nil, errors.New("written for another segment")
	}
	n := int(le.Uint32(b[20:]))
	body := b[head : len(b)-4]
	if uint64(len(body)) < 12*uint64(n)+2*segDocs || (uint64(len(body))-12*uint64(n)-2*segDocs)%5 != 0 {
		return nil, errors.New("truncated")
	}
	p := &SegmentPairs{hashes: make([]uint64, n), starts: make([]uint32, n+1)}
	for i := range n {
		p.hashes[i] = le.Uint64(body[12*i:])
		p.starts[i] = le.Uint32(body[12*i+8:])
	}
	body = body[12*n:]
	p.lengths = body[:2*segDocs]
	p.post = body[2*segDocs:]
	p.starts[n] = uint32(len(p.post) / 5)
	for i := range n {
		if p.starts[i] > p.starts[i+1] || (i > 0 && p.hashes[i-1] >= p.hashes[i]) {
			return nil, errors.New("postings out of order")
		}
	}
	for at := 0; at < len(p.post); at += 5 {
		if uint64(le.Uint32(p.post[at:])) >= segDocs {
			return nil, errors.New("doc number out of range")
		}
	}
	return p, nil
}

// Postings returns the postings of a folded bigram term: 5 bytes each, a doc number (little-endian
// uint32) and the frequency, in doc number order.
func (p *SegmentPairs) Postings(term string) []byte {
	i, ok := slices.BinarySearch(p.hashes, PairHash([]byte(term)))
	if !ok {
		return nil
	}
	return p.post[5*p.starts[i] : 5*p.starts[i+1]]
}

// Length returns the number of pairs of the passage with doc number n.
func (p *SegmentPairs) Length(n uint32) int {
	if 2*int(n)+2 > len(p.lengths) {
		return 0
	}
	return int(binary.LittleEndian.Uint16(p.lengths[2*n:]))
}

// PairSource is a segment of a snapshot holding paired passages: where its doc numbers start among
// the snapshot's, its pair postings, and its deleted docs (nil when none).
type PairSource struct {
	Offset  uint64
	Pairs   *SegmentPairs
	Deleted *roaring.Bitmap
}

// PairSources returns the pair postings of the segments of r that hold paired passages, reading or
// making their files: r is a snapshot of one index, or the statistics reader of a sharded one
// (Sharded.Advanced), whose sources are those of every shard (their offsets then mean nothing:
// statistics only).
func PairSources(r index.IndexReader) ([]PairSource, error) {
	if sr, ok := r.(*statsReader); ok {
		var out []PairSource
		for _, shard := range sr.readers {
			srcs, err := PairSources(shard)
			if err != nil {
				return nil, err
			}
			out = append(out, srcs...)
		}
		return out, nil
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil
	}
	var out []PairSource
	var offset uint64
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		p, err := segmentPairs(seg)
		if err != nil {
			return nil, err
		}
		if p != nil {
			out = append(out, PairSource{Offset: offset, Pairs: p, Deleted: ss.Deleted()})
		}
		offset += seg.Count()
	}
	return out, nil
}

// pairCache holds the pair postings of the persisted segments read so far, by file, CRC and size
// (a rebuilt index reuses segment file names).
var pairCache = struct {
	sync.Mutex
	m map[pairKey]*pairEntry
}{m: map[pairKey]*pairEntry{}}

type pairKey struct {
	path string
	crc  uint32
	docs uint64
}

type pairEntry struct {
	once  sync.Once
	pairs *SegmentPairs // nil: the segment has no paired passage
	err   error
}

// forgetPairs empties pairCache (tests: the files changed under the process).
func forgetPairs() {
	pairCache.Lock()
	defer pairCache.Unlock()
	clear(pairCache.m)
}

// maxCachedSegments bounds pairCache: past it, the entries are dropped and read again when asked.
const maxCachedSegments = 256

// segmentPairs returns the pair postings of a segment, nil when it holds no paired passage.
func segmentPairs(seg segment.Segment) (*SegmentPairs, error) {
	zs, ok := seg.(*zap.Segment)
	if !ok {
		// Not persisted: only a bulk build writes paired passages, and it persists them before any
		// search; an unpersisted segment holding some is still answered, made each time.
		return makeSegmentPairs(seg)
	}
	key := pairKey{zs.Path(), zs.CRC(), zs.Count()}
	pairCache.Lock()
	e := pairCache.m[key]
	if e == nil {
		// A new segment: those merged away are dropped with their postings.
		for k := range pairCache.m {
			if _, err := os.Stat(k.path); err != nil || len(pairCache.m) >= maxCachedSegments {
				delete(pairCache.m, k)
			}
		}
		e = &pairEntry{}
		pairCache.m[key] = e
	}
	pairCache.Unlock()
	e.once.Do(func() { e.pairs, e.err = loadSegmentPairs(zs) })
	if e.err != nil {
		// Tried again by the next search (a disk error may pass).
		pairCache.Lock()
		if pairCache.m[key] == e {
			delete(pairCache.m, key)
		}
		pairCache.Unlock()
	}
	return e.pairs, e.err
}

// pairsFile is where the pair postings of the persisted segment at segPath are kept.
func pairsFile(segPath string) string {
	store := filepath.Dir(segPath)
	name := strings.TrimSuffix(filepath.Base(segPath), filepath.Ext(segPath)) + ".bin"
	return filepath.Join(filepath.Dir(store), pairsDir, name)
}

// loadSegmentPairs reads the pair postings file of a persisted segment, or makes it again (and
// writes it, when the folder lets us) when it is missing or not this segment's.
func loadSegmentPairs(zs *zap.Segment) (*SegmentPairs, error) {
	path := pairsFile(zs.Path())
	if b, err := readPairsFile(path, zs.Path()); err == nil {
		if p, err := decodePairs(b, zs.CRC(), zs.Count()); err == nil {
			return p, nil
		}
	}
	t, docs, err := pairedDocs(zs)
	if err != nil || docs == nil {
		return nil, err
	}
	b := encodePairs(t, docs, zs.CRC(), zs.Count())
	// A cache: an index on a read-only disk is answered all the same.
	if writeFileAtomic(path, b) == nil {
		prunePairs(filepath.Dir(zs.Path()))
	}
	return decodePairs(b, zs.CRC(), zs.Count())
}

// readPairsFile reads the pair postings file at path if it is a regular file no larger than its
// segment's (they are a fifth of it): a pipe would block, a huge file fill the memory.
func readPairsFile(path, segPath string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	seg, err := os.Stat(segPath)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > seg.Size() {
		return nil, errors.New("not a pair postings file")
	}
	return os.ReadFile(path)
}

// makeSegmentPairs makes the pair postings of an unpersisted segment.
func makeSegmentPairs(seg segment.Segment) (*SegmentPairs, error) {
	t, docs, err := pairedDocs(seg)
	if err != nil || docs == nil {
		return nil, err
	}
	return decodePairs(encodePairs(t, docs, 0, seg.Count()), 0, seg.Count())
}

// pairedDocs analyzes the stored text of a segment's paired passages (nil when it has none).
func pairedDocs(seg segment.Segment) (*pairTable, []pairedDoc, error) {
	dict, err := seg.Dictionary(FieldPaired)
	if err != nil {
		return nil, nil, fmt.Errorf("pairs of segment: %w", err)
	}
	pl, err := dict.PostingsList([]byte(pairedValue), nil, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("pairs of segment: %w", err)
	}
	if pl == nil || pl.Count() == 0 {
		return nil, nil, nil
	}
	walker := analyzer.NewPairWalker()
	t := newPairTable()
	var docs []pairedDoc
	it := pl.Iterator(false, false, false, nil)
	for {
		posting, err := it.Next()
		if err != nil {
			return nil, nil, fmt.Errorf("pairs of segment: %w", err)
		}
		if posting == nil {
			break
		}
		num := posting.Number()
		var text string
		err = seg.VisitStoredFields(num, func(field string, _ byte, value []byte, _ []uint64) bool {
			if field == FieldText {
				text = string(value)
				return false
			}
			return true
		})
		if err != nil {
			return nil, nil, fmt.Errorf("pairs of segment: %w", err)
		}
		docs = append(docs, pairedDoc{uint32(num), t.add(pairsOf(walker, text))})
	}
	return t, docs, nil
}

// writeFileAtomic writes b to path through a temporary file of its own (two processes may make the
// same file at once), not flushed to disk: a file torn by a crash fails its checksum and is made again.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	return replaceWith(tmp, path, b, false)
}

// pendingPairs holds, by index (shard), the pairs of the bulk build that wrote it, until FinishWarn
// writes them after the final merge: the files are in the doc numbers of the merged segments. One
// build's at most: a new bulk build drops what a failed one left.
var pendingPairs = struct {
	sync.Mutex
	m map[bleve.Index]*builderPart
}{m: map[bleve.Index]*builderPart{}}

func setPendingPairs(p *builderPart) {
	pendingPairs.Lock()
	defer pendingPairs.Unlock()
	if p.n == 0 {
		clear(pendingPairs.m)
	}
	pendingPairs.m[p.idx] = p
}

// takePendingPairs returns (and forgets) the bulk build's pairs of idx, nil when it had none.
func takePendingPairs(idx bleve.Index) *builderPart {
	pendingPairs.Lock()
	defer pendingPairs.Unlock()
	p := pendingPairs.m[idx]
	delete(pendingPairs.m, idx)
	if p == nil || len(p.pairs) == 0 {
		return nil
	}
	return p
}

func (p *builderPart) writePairs() error {
	r, err := Snapshot(p.idx)
	if err != nil {
		return fmt.Errorf("pair postings: %w", err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	segs := snap.Segments()
	offsets := make([]uint64, len(segs))
	var offset uint64
	for i, ss := range segs {
		offsets[i] = offset
		offset += ss.Segment().Count()
	}
	perSegment := make([][]pairedDoc, len(segs))
	for id, pp := range p.pairs {
		iid, err := r.InternalID(id)
		if err != nil {
			return fmt.Errorf("write pair postings: %w", err)
		}
		if len(iid) != 8 {
			continue // not in the index (a failed batch)
		}
		n := binary.BigEndian.Uint64(iid)
		k, _ := slices.BinarySearch(offsets, n+1)
		k--
		perSegment[k] = append(perSegment[k], pairedDoc{uint32(n - offsets[k]), pp})
	}
	var store string
	for k, docs := range perSegment {
		zs, ok := segs[k].Segment().(*zap.Segment)
		if !ok || len(docs) == 0 {
			continue // made when first searched
		}
		if err := writeFileAtomic(pairsFile(zs.Path()), encodePairs(p.table, docs, zs.CRC(), zs.Count())); err != nil {
			return fmt.Errorf("write pair postings: %w", err)
		}
		store = filepath.Dir(zs.Path())
	}
	if store != "" {
		prunePairs(store)
	}
	return nil
}

// warmPairs reads or makes the pair postings files of idx's segments.
func warmPairs(idx bleve.Index) error {
	r, err := Snapshot(idx)
	if err != nil {
		return fmt.Errorf("pair postings: %w", err)
	}
	defer r.Close()
	_, err = PairSources(r)
	return err
}

// prunePairs removes the pair postings files of segments no longer in the store folder (merged), and
// temporary files a killed process left.
func prunePairs(store string) {
	dir := filepath.Join(filepath.Dir(store), pairsDir)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			// Left by a process killed while writing; a recent one may be another's, being written.
			if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > time.Hour {
				os.Remove(filepath.Join(dir, e.Name()))
			}
			continue
		}
		name, ok := strings.CutSuffix(e.Name(), ".bin")
		if !ok {
			continue
		}
		if _, err := os.Stat(filepath.Join(store, name+".zap")); errors.Is(err, os.ErrNotExist) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
