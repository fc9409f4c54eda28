// Package search answers queries against a tracuu index: it builds the query from analyzed syllables in
// every view, filters by body and date, ranks, highlights the returned page and counts facets.
package search

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
)

// Limits of a request, as in the API contract.
const (
	MaxQueryRunes = 1000
	MaxLimit      = 100
	MaxOffset     = 10000
	DefaultLimit  = 10
	facetSize     = 20
	maxBodies     = 20
)

// ErrBadRequest marks errors caused by the request rather than by the index.
var ErrBadRequest = errors.New("bad request")

// ErrNotFound is returned for an unknown passage or document id.
var ErrNotFound = errors.New("not found")

// Request is one search.
type Request struct {
	Query  string
	Limit  int      // 1..MaxLimit
	Offset int      // 0..MaxOffset
	Bodies []string // any of these bodies
	From   string   // YYYY, YYYY-MM or YYYY-MM-DD, inclusive
	To     string

	SkipHighlights bool // leave snippet and highlights empty (benchmarks that need only the ranking)
}

// Result is one ranked passage.
type Result struct {
	ID         string   `json:"id"`
	DocID      string   `json:"doc_id"`
	Title      string   `json:"title"`
	Date       string   `json:"date"`
	Bodies     []string `json:"bodies"`
	Places     []string `json:"places"`
	Dates      []string `json:"dates"`
	Text       string   `json:"text"`
	Score      float64  `json:"score,omitempty"` // absent on a passage fetched by id
	Snippet    string   `json:"snippet"`
	Highlights []Span   `json:"highlights"`
	// TitleHighlights are the matches in Title, as Highlights in Text: a passage can be found by its
	// document's title alone.
	TitleHighlights []Span `json:"title_highlights"`
}

// FacetValue is one value of a facet with the number of matching passages.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facets counts the matching passages by body and by year.
type Facets struct {
	Bodies []FacetValue `json:"bodies"`
	Years  []FacetValue `json:"years"`
}

// Response is the answer to a Request.
type Response struct {
	Query      string   `json:"query"`
	Total      uint64   `json:"total"`
	TookMS     float64  `json:"took_ms"`
	Results    []Result `json:"results"`
	Facets     Facets   `json:"facets"`
	Suggestion *string  `json:"suggestion"`
	Fuzzy      bool     `json:"fuzzy,omitempty"` // results allow a typo in a long syllable (one in no passage, or all when nothing matched)
}

// Searcher runs searches on one index. It is safe for concurrent use.
type Searcher struct {
	idx       bleve.Index
	minCommon uint64                   // a word in fewer passages is never common
	window    int                      // candidates ranked at once (candidateCount; tests take fewer)
	acronyms  atomic.Pointer[acronyms] // replaced whole by ReloadAcronyms, read by every search
	reload    sync.Mutex               // one ReloadAcronyms at a time, so an older list never replaces a newer one
}

// New returns a Searcher over idx, with the curated acronyms and those its documents define.
func New(idx bleve.Index) *Searcher {
	s := &Searcher{idx: idx, minCommon: defaultMinCommon, window: candidateCount}
	s.ReloadAcronyms()
	return s
}

// ReloadAcronyms reads again the acronyms the indexed documents define, so that a document written
// since New ("Cơ sở dữ liệu (CSDL)") is expanded in the searches that follow, and one deleted no
// longer is.
func (s *Searcher) ReloadAcronyms() {
	s.reload.Lock()
	defer s.reload.Unlock()
	mined, err := indexer.Acronyms(s.idx)
	if err != nil {
		mined = nil // an unreadable list only costs the mined acronyms; the curated ones remain
	}
	a := loadAcronyms(mined)
	s.acronyms.Store(&a)
}

// Validate checks a request against the limits of the API and normalizes its query text.
func (r *Request) Validate() error {
	r.Query = normalizeQuery(r.Query)
	switch n := len([]rune(r.Query)); {
	case n == 0:
		return fmt.Errorf("%w: q must not be empty", ErrBadRequest)
	case n > MaxQueryRunes:
		return fmt.Errorf("%w: q must be at most %d characters", ErrBadRequest, MaxQueryRunes)
	}
	if err := checkCost(r.Query); err != nil {
		return err
	}
	if r.Limit < 1 || r.Limit > MaxLimit {
		return fmt.Errorf("%w: limit must be between 1 and %d", ErrBadRequest, MaxLimit)
	}
	if r.Offset < 0 || r.Offset > MaxOffset {
		return fmt.Errorf("%w: offset must be between 0 and %d", ErrBadRequest, MaxOffset)
	}
	if len(r.Bodies) > maxBodies {
		return fmt.Errorf("%w: at most %d body filters", ErrBadRequest, maxBodies)
	}
	for _, d := range []*string{&r.From, &r.To} {
		if *d != "" && !corpus.ValidDate(*d) {
			return fmt.Errorf("%w: dates must be YYYY, YYYY-MM or YYYY-MM-DD, got %q", ErrBadRequest, *d)
		}
	}
	if r.From != "" && r.To != "" && r.From > r.To && !strings.HasPrefix(r.From, r.To) {
		return fmt.Errorf("%w: from (%s) is after to (%s)", ErrBadRequest, r.From, r.To)
	}
	return nil
}

// Search runs a request: validation, retrieval, ranking, facets and highlights of the returned page.
func (s *Searcher) Search(ctx context.Context, r Request) (*Response, error) {
	start := time.Now()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	p := parse(r.Query)
	resp := &Response{Query: r.Query, Results: []Result{}, Facets: Facets{Bodies: []FacetValue{}, Years: []FacetValue{}}}
	if len(p.terms) == 0 {
		resp.TookMS = ms(time.Since(start))
		return resp, nil // only punctuation: nothing can match
	}
	df, passages, done, err := s.docFreqs(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	understood := r.Query
	ev := s.evidence(ctx, df)
	if decoded, ok := decodeTyping(r.Query, df); ok {
		ev.decoded = true
		understood = decoded
		resp.Suggestion = &understood
		p = parse(decoded)
		r.Query = decoded // its "quoted phrases" filter as decoded (the response keeps what was typed)
	}
	if fixed, ok := fixSwaps(understood, df); ok {
		understood = fixed
		resp.Suggestion = &understood
		p = parse(fixed)
		r.Query = fixed
	}
	acr := *s.acronyms.Load() // one list for the whole search, though a write may replace it meanwhile
	resp.Fuzzy = p.markTypos(df, acr)
	full, selective := p.textQuery(df, passages, s.minCommon, acr)
	// A query to restore diacritics to learns from the best restoreFrom passages: a single-phase
	// search fetches that many at once rather than searching twice.
	// A typo is named in the suggestion too, from the passages it was matched in.
	restorable := p.restorable() || resp.Fuzzy
	atLeast := 0
	if restorable {
		atLeast = restoreFrom
	}
	// Diacritics restored to a two-phase query are learnt from its best candidates by the selective
	// words, and its candidates are ranked once, by the restored query.
	// The facets of this first search are counted meanwhile; stopFirst stops that count when a
	// restored query replaces them.
	firstCtx, stopFirst := context.WithCancel(ctx)
	defer stopFirst()
	res, ids, facets, err := s.candidates(firstCtx, r, full, selective, atLeast, restorable)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	fallback := false
	if res.Total == 0 {
		// Nothing matched: try again allowing one typo in each long syllable.
		if fq, ok := p.fuzzyQuery(); ok {
			if res, ids, facets, err = s.candidates(ctx, r, fq, nil, 0, false); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			fallback = res.Total > 0
			resp.Fuzzy = fallback
		}
	}
	resp.Total = res.Total
	hits := res.Hits
	m := p.matcher(acr)
	if fallback {
		m = p.fuzzyMatcher()
	}
	// After the typo fallback the hits answer another query: ranking them again with the strict one
	// could empty the page.
	if restorable && len(hits) > 0 && !fallback {
		var texts []string
		if ids == nil {
			for _, h := range hits[:min(len(hits), restoreFrom)] {
				texts = append(texts, indexer.StoredString(h.Fields[indexer.FieldText]))
			}
		} else if texts, err = s.texts(ctx, ids[:min(len(ids), restoreFrom)]); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		restored, ok := restoreDiacritics(understood, p, texts, ev)
		if ok {
			resp.Suggestion = &restored
			// Rank again as if the query had been typed with its diacritics; the folded views stay in
			// the query, so nothing the plain query found is lost.
			pr := parse(restored)
			pr.markTypos(df, acr)
			full, _ = pr.textQuery(df, passages, s.minCommon, acr)
			m = pr.matcher(acr)
		}
		switch {
		case ok && ids == nil:
			// The restored query finds other passages than the one typed: the total, the facets and
			// so the pages must be its own.
			stopFirst()
			if res, _, facets, err = s.candidates(ctx, r, full, nil, 0, false); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			resp.Total, hits = res.Total, res.Hits
		case ok || ids != nil:
			// The candidates stay those the selective words found (the total counts them), ranked now.
			if hits, err = s.rank(ctx, r, full, ids, r.Offset+r.Limit); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
		}
	}
	if fallback && len(hits) > 0 {
		// The suggestion names the words the typos were taken for, from the passages found; the hits
		// stay as the fallback ranked them.
		var texts []string
		for _, h := range hits[:min(len(hits), restoreFrom)] {
			texts = append(texts, indexer.StoredString(h.Fields[indexer.FieldText]))
		}
		if restored, ok := restoreDiacritics(understood, p, texts, ev); ok { // p's typos are marked
			resp.Suggestion = &restored
		}
	}
	hits = page(hits, r)
	for _, hit := range hits {
		result := resultFromFields(hit.ID, hit.Fields)
		result.Score = hit.Score
		result.Highlights = []Span{}
		if !r.SkipHighlights {
			result.Highlights = m.spans(result.Text)
			result.Snippet = snippet(result.Text, result.Highlights)
			result.TitleHighlights = m.spans(result.Title)
		}
		resp.Results = append(resp.Results, result)
	}
	counts, err := facets()
	if err != nil {
		return nil, fmt.Errorf("search: count facets: %w", err)
	}
	resp.Facets.Bodies = facetValues(counts["bodies"])
	resp.Facets.Years = facetValues(counts["years"])
	resp.Facets.Years = resp.Facets.Years[:min(len(resp.Facets.Years), facetSize)]
	sort.SliceStable(resp.Facets.Years, func(i, j int) bool { return resp.Facets.Years[i].Value > resp.Facets.Years[j].Value })
	resp.TookMS = ms(time.Since(start))
	return resp, nil
}

// candidateCount is how many passages the selective words find for the whole query to rank (300
// before: the same MRR on every query set, two decimals, for a tenth less time).
const candidateCount = 200

// candidates runs the first search, with filters; its total is the answer's, and facets waits for the
// answer's facets, counted over the same matches on another goroutine while the hits are ranked.
// For a query without common words that search ranks with the whole query and its hits are the
// ranking (from 0 to offset+limit), and ids is nil. Otherwise it takes the best candidates of the
// selective words, ranks them with the whole query (unless deferRank: the hits are then the candidates
// in the selective words' order, without fields), and returns their ids for reranking. A single phase
// returns at least atLeast hits when there are that many.
func (s *Searcher) candidates(ctx context.Context, r Request, full, selective query.Query, atLeast int, deferRank bool) (res *bleve.SearchResult, ids []string, facets func() (search.FacetResults, error), err error) {
	first, size := full, max(r.Offset+r.Limit, atLeast)
	if selective != nil {
		// Whole windows of candidates (see rank), so a window holds the same ones for every page.
		first, size = selective, (r.Offset+r.Limit+s.window-1)/s.window*s.window
	}
	facets = s.countFacets(ctx, s.filtered(r, first))
	req := bleve.NewSearchRequestOptions(s.filtered(r, first), size, 0, false)
	if selective == nil {
		req.Fields = resultFields
		res, err = s.idx.SearchInContext(ctx, req)
		return res, nil, facets, err
	}
	if res, err = s.idx.SearchInContext(ctx, req); err != nil || len(res.Hits) == 0 {
		return res, nil, facets, err
	}
	ids = make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	if deferRank {
		return res, ids, facets, nil
	}
	if res.Hits, err = s.rank(ctx, r, full, ids, r.Offset+r.Limit); err != nil {
		return nil, nil, nil, err
	}
	return res, ids, facets, nil
}

// countFacets counts the bodies and years of q's matches on another goroutine, without scoring them,
// and returns a function that waits for the counts. Counting reads every match's doc values (a fifth
// of a query's time in one search): beside the ranking it costs the answer no time on a second core.
func (s *Searcher) countFacets(ctx context.Context, q query.Query) func() (search.FacetResults, error) {
	type counted struct {
		facets search.FacetResults
		err    error
	}
	ch := make(chan counted, 1) // buffered: a search that fails early leaves without waiting
	go func() {
		req := bleve.NewSearchRequestOptions(q, 0, 0, false)
		req.Score = bleve.ScoreNone
		req.AddFacet("bodies", bleve.NewFacetRequest(indexer.FieldBodies, facetSize))
		// One more year: passages without a date count under "", which facetValues drops.
		req.AddFacet("years", bleve.NewFacetRequest(indexer.FieldYear, facetSize+1))
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			ch <- counted{err: err}
			return
		}
		ch <- counted{facets: res.Facets}
	}()
	return func() (search.FacetResults, error) {
		c := <-ch
		return c.facets, c.err
	}
}

// rank returns the best size hits of q, among ids when given, else among all passages that pass the
// request's filters. Candidates (ids, in the order the first search found them) are ranked in windows
// of s.window (candidateCount): a window holds the same passages whatever page is asked for, so that
// pages follow each other without repeats or gaps past the first window. The hits of windows before
// the page are nil: only the page is read.
func (s *Searcher) rank(ctx context.Context, r Request, q query.Query, ids []string, size int) (search.DocumentMatchCollection, error) {
	if ids == nil {
		return s.rankAmong(ctx, s.filtered(r, q), size)
	}
	end := min(len(ids), size)
	hits := make(search.DocumentMatchCollection, 0, end)
	for from := 0; from < end; from += s.window {
		window := ids[from:min(len(ids), from+s.window)]
		if from+len(window) <= r.Offset {
			hits = append(hits, make(search.DocumentMatchCollection, len(window))...)
			continue
		}
		ranked, err := s.rankAmong(ctx, bleve.NewConjunctionQuery(q, bleve.NewDocIDQuery(window)), min(len(window), end-from))
		if err != nil {
			return nil, err
		}
		hits = append(hits, ranked...)
		if len(ranked) < len(window) {
			break // the window's last are past the page
		}
	}
	return hits, nil
}

// rankAmong returns the best size hits of q, with the fields of a result.
func (s *Searcher) rankAmong(ctx context.Context, q query.Query, size int) (search.DocumentMatchCollection, error) {
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	req.Fields = resultFields
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	return res.Hits, nil
}

// evidence returns what restoring diacritics asks of the whole index: the texts of passages holding
// a folded bigram, and document frequencies (df, of the search's snapshot).
func (s *Searcher) evidence(ctx context.Context, df docFreq) evidence {
	return evidence{df: df, beside: func(bigram string) []string {
		req := bleve.NewSearchRequestOptions(pairTerm(bigram, 1), besideFrom, 0, false)
		req.Fields = []string{indexer.FieldText}
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil // no evidence: the word stays as typed
		}
		texts := make([]string, 0, len(res.Hits))
		for _, h := range res.Hits {
			texts = append(texts, indexer.StoredString(h.Fields[indexer.FieldText]))
		}
		return texts
	}}
}

// texts returns the stored texts of passages, in the order of ids.
func (s *Searcher) texts(ctx context.Context, ids []string) ([]string, error) {
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{indexer.FieldText}
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]string, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = indexer.StoredString(h.Fields[indexer.FieldText])
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, byID[id])
	}
	return out, nil
}

// page cuts the requested page out of hits ranked from the first.
func page(hits search.DocumentMatchCollection, r Request) search.DocumentMatchCollection {
	if r.Offset >= len(hits) {
		return nil
	}
	return hits[r.Offset:min(len(hits), r.Offset+r.Limit)]
}

// docFreqs returns a document-frequency look-up on a snapshot of the index, the number of passages,
// and a function that releases the snapshot.
func (s *Searcher) docFreqs(ctx context.Context) (docFreq, uint64, func(), error) {
	r, err := s.reader()
	if err != nil {
		return nil, 0, nil, err
	}
	n, err := r.DocCount()
	if err != nil {
		r.Close()
		return nil, 0, nil, fmt.Errorf("count passages: %w", err)
	}
	df := func(field, term string) uint64 { return docCount(ctx, r, field, term) }
	return df, n, func() { r.Close() }, nil
}

// reader opens a reader of the index's current snapshot, for term statistics and dictionaries; the
// caller closes it.
func (s *Searcher) reader() (index.IndexReader, error) { return indexer.Snapshot(s.idx) }

// filter restricts a search to the requested bodies and dates, and to passages holding the query's
// quoted phrases; nil when there is nothing to restrict. No clause asks for passages: every field a
// query or a filter looks in is indexed on passages only (whole documents are stored, not indexed), so
// a conjunction with kind:passage would only walk its 72,000-entry posting list for nothing.
func (s *Searcher) filter(r Request) query.Query {
	var must []query.Query
	if hasQuote(r.Query) {
		must = append(must, quotedPhrases(r.Query)...)
	}
	if len(r.Bodies) > 0 {
		var anyBody []query.Query
		for _, b := range r.Bodies {
			// A body is asked for by its canonical name or any alias, in any spelling.
			if c, ok := corpus.CanonicalBody(b); ok {
				b = c
			}
			anyBody = append(anyBody, termQuery(indexer.FieldBodies, b, 1))
		}
		must = append(must, bleve.NewDisjunctionQuery(anyBody...))
	}
	if r.From != "" || r.To != "" {
		// Dates are strings of three precisions; "~" sorts after every digit and '-', so a bound
		// such as 2023-06 takes in every day of June.
		var from, to *string
		if r.From != "" {
			from = &r.From
		}
		if r.To != "" {
			t := r.To + "~"
			to = &t
		}
		inclusive := true
		dr := bleve.NewTermRangeInclusiveQuery(deref(from), deref(to), &inclusive, &inclusive)
		dr.SetField(indexer.FieldDate)
		// A document dated by its year or month takes in every day of it: "2023-02" sorts before
		// 2023-02-01 but is in a span from that day. Only the year and month of from itself can be so.
		dates := []query.Query{dr}
		for _, n := range []int{len("2006"), len("2006-01")} {
			if len(r.From) > n {
				dates = append(dates, termQuery(indexer.FieldDate, r.From[:n], 1))
			}
		}
		must = append(must, bleve.NewDisjunctionQuery(dates...))
	}
	if len(must) == 0 {
		return nil
	}
	return bleve.NewConjunctionQuery(must...)
}

// filtered returns q restricted by the request's filters.
func (s *Searcher) filtered(r Request, q query.Query) query.Query {
	f := s.filter(r)
	if f == nil {
		return q
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(q)
	b.AddFilter(f)
	return b
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
