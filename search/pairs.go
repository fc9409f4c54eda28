package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/tracuu/tracuu/indexer"
)

// A folded bigram is indexed in two places: the bigram view of passages written one by one (updates,
// in-memory indexes) and the pair postings files of a bulk build's passages (indexer.PairSources).
// pairTerm reads both as one term.

// pairTerm matches the passages holding a folded bigram, scored as bleve scores a term query of the
// bigram view (tf-idf, with the pair's frequency over both places), so rankings do not depend on
// where a passage's pairs are kept.
func pairTerm(term string, boost float64) query.Query { return &pairQuery{term: term, boost: boost} }

// fieldTerm is a term query, on the bigram view a pairTerm.
func fieldTerm(field, term string, boost float64) query.Query {
	if field == indexer.FieldBigram {
		return pairTerm(term, boost)
	}
	return termQuery(field, term, boost)
}

type pairQuery struct {
	term  string
	boost float64
}

// pairCount returns how many passages hold a folded bigram, in both places.
func pairCount(ctx context.Context, r index.IndexReader, term string) (uint64, error) {
	sources, err := indexer.PairSources(r)
	if err != nil {
		return 0, err
	}
	tfr, err := r.TermFieldReader(ctx, []byte(term), indexer.FieldBigram, false, false, false)
	if err != nil {
		return 0, err
	}
	defer tfr.Close()
	n := tfr.Count()
	for _, src := range sources {
		n += liveCount(src.Pairs.Postings(term), src.Deleted)
	}
	return n, nil
}

// liveCount counts the postings of docs not deleted, as bleve's document frequencies do.
func liveCount(post []byte, deleted *roaring.Bitmap) uint64 {
	n := uint64(len(post) / 5)
	if deleted == nil || n == 0 || deleted.IsEmpty() {
		return n
	}
	num := func(i int) uint32 { return binary.LittleEndian.Uint32(post[5*i:]) }
	if deleted.GetCardinality() < n/8 {
		// Few deletions: look each up among the postings.
		it := deleted.Iterator()
		for it.HasNext() {
			d := it.Next()
			i := sort.Search(len(post)/5, func(i int) bool { return num(i) >= d })
			if i < len(post)/5 && num(i) == d {
				n--
			}
		}
		return n
	}
	for i := range len(post) / 5 {
		if deleted.Contains(num(i)) {
			n--
		}
	}
	return n
}

// Searcher implements query.Query.
func (q *pairQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, _ search.SearcherOptions) (search.Searcher, error) {
	sources, err := indexer.PairSources(r)
	if err != nil {
		return nil, fmt.Errorf("pairs of %q: %w", q.term, err)
	}
	tfr, err := r.TermFieldReader(ctx, []byte(q.term), indexer.FieldBigram, true, true, false)
	if err != nil {
		return nil, err
	}
	total, err := r.DocCount()
	if err != nil {
		tfr.Close()
		return nil, err
	}
	s := &pairSearcher{tfr: tfr, boost: q.boost, count: tfr.Count()}
	for _, src := range sources {
		if post := src.Pairs.Postings(q.term); len(post) > 0 {
			s.segments = append(s.segments, &pairStream{offset: src.Offset, pairs: src.Pairs, post: post, deleted: src.Deleted})
			s.count += liveCount(post, src.Deleted)
		}
	}
	// As bleve's TermQueryScorer: idf from the live documents of the snapshot.
	s.idf = 1 + math.Log(float64(total)/float64(s.count+1))
	s.queryWeight = 1 // as bleve's: a searcher alone gets no query norm
	for _, p := range s.segments {
		p.skipDeleted()
	}
	if s.next, err = tfr.Next(&s.nextBuf); err != nil {
		tfr.Close()
		return nil, err
	}
	return s, nil
}

// pairStream walks one segment's postings of the pair.
type pairStream struct {
	offset  uint64 // of the segment's doc numbers in the snapshot's
	pairs   *indexer.SegmentPairs
	post    []byte // 5 bytes a posting
	at      int    // the next posting
	deleted *roaring.Bitmap
}

func (p *pairStream) done() bool { return 5*p.at >= len(p.post) }

func (p *pairStream) num() uint32 { return binary.LittleEndian.Uint32(p.post[5*p.at:]) }

// id is the snapshot's doc number of the next posting.
func (p *pairStream) id() uint64 { return p.offset + uint64(p.num()) }

func (p *pairStream) skipDeleted() {
	for p.deleted != nil && !p.done() && p.deleted.Contains(p.num()) {
		p.at++
	}
}

// advance moves to the first posting at or after the snapshot's doc number target.
func (p *pairStream) advance(target uint64) {
	if target <= p.offset || p.done() || p.id() >= target {
		return
	}
	local := target - p.offset
	rest := len(p.post)/5 - p.at
	p.at += sort.Search(rest, func(i int) bool {
		return uint64(binary.LittleEndian.Uint32(p.post[5*(p.at+i):])) >= local
	})
	p.skipDeleted()
}

// pairSearcher merges the pair's postings of every segment with its matches in the bigram view.
type pairSearcher struct {
	segments []*pairStream
	tfr      index.TermFieldReader
	next     *index.TermFieldDoc // the bigram view's next match, nil when done
	nextBuf  index.TermFieldDoc

	count       uint64
	idf, boost  float64
	queryWeight float64
}

func internalNum(id index.IndexInternalID) uint64 {
	if len(id) != 8 {
		return math.MaxUint64
	}
	return binary.BigEndian.Uint64(id)
}

// score is bleve's tf-idf of a term: sqrt(tf) × norm × idf × the query weight.
func (s *pairSearcher) score(freq uint64, norm float64) float64 {
	score := math.Sqrt(float64(freq)) * norm * s.idf
	if s.queryWeight != 1 {
		score *= s.queryWeight
	}
	return score
}

func (s *pairSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	var best *pairStream
	for _, p := range s.segments {
		if !p.done() && (best == nil || p.id() < best.id()) {
			best = p
		}
	}
	if best == nil && s.next == nil {
		return nil, nil
	}
	dm := ctx.DocumentMatchPool.Get()
	if best != nil && (s.next == nil || best.id() < internalNum(s.next.ID)) {
		num := best.num()
		freq := best.post[5*best.at+4]
		norm := float64(float32(1 / math.Sqrt(float64(best.pairs.Length(num)))))
		dm.IndexInternalID = setInternalID(dm.IndexInternalID, best.offset+uint64(num))
		dm.Score = s.score(uint64(freq), norm)
		best.at++
		best.skipDeleted()
		return dm, nil
	}
	dm.IndexInternalID = setInternalID(dm.IndexInternalID, internalNum(s.next.ID))
	dm.Score = s.score(s.next.Freq, s.next.Norm)
	var err error
	s.next, err = s.tfr.Next(&s.nextBuf)
	return dm, err
}

func setInternalID(id index.IndexInternalID, n uint64) index.IndexInternalID {
	if cap(id) < 8 {
		id = make(index.IndexInternalID, 8)
	}
	id = id[:8]
	binary.BigEndian.PutUint64(id, n)
	return id
}

func (s *pairSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	target := internalNum(id)
	for _, p := range s.segments {
		p.advance(target)
	}
	if s.next != nil && internalNum(s.next.ID) < target {
		var err error
		if s.next, err = s.tfr.Advance(id, &s.nextBuf); err != nil {
			return nil, err
		}
	}
	return s.Next(ctx)
}

func (s *pairSearcher) Close() error { return s.tfr.Close() }

func (s *pairSearcher) Weight() float64 { w := s.boost * s.idf; return w * w }

func (s *pairSearcher) SetQueryNorm(qnorm float64) { s.queryWeight = s.boost * s.idf * qnorm }

func (s *pairSearcher) Count() uint64 { return s.count }

func (s *pairSearcher) Min() int { return 0 }

func (s *pairSearcher) Size() int { return 128 + 64*len(s.segments) }

func (s *pairSearcher) DocumentMatchPoolSize() int { return 1 }
