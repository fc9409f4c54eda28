package search

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
)

// Document is a whole stored document with the ids of its passages.
type Document struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Date     string   `json:"date"`
	Source   string   `json:"source"`
	Bodies   []string `json:"bodies"`
	Text     string   `json:"text"`
	Passages []string `json:"passages"`
}

// Stats counts what the index holds.
type Stats struct {
	Documents uint64 `json:"documents"`
	Passages  uint64 `json:"passages"`
}

// Stats counts documents and passages.
func (s *Searcher) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	var err error
	st.Documents, st.Passages, err = indexer.Counts(ctx, s.idx)
	return st, err
}

// Passage returns one passage by id, without score or highlights.
func (s *Searcher) Passage(ctx context.Context, id string) (*Result, error) {
	fields, err := s.stored(ctx, id, indexer.KindPassage)
	if err != nil {
		return nil, err
	}
	r := resultFromFields(id, fields)
	r.Highlights = []Span{}
	r.Snippet = snippet(r.Text, nil)
	return &r, nil
}

// Document returns a whole document by id, with its passage ids in order.
func (s *Searcher) Document(ctx context.Context, id string) (*Document, error) {
	fields, err := s.stored(ctx, indexer.DocumentKeyPrefix+id, indexer.KindDocument)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w: document %q", ErrNotFound, id) // the key's prefix is internal
	}
	if err != nil {
		return nil, err
	}
	d := &Document{
		ID:     id,
		Title:  indexer.StoredString(fields[indexer.FieldTitle]),
		Date:   indexer.StoredString(fields[indexer.FieldDate]),
		Source: indexer.StoredString(fields[indexer.FieldSource]),
		Bodies: indexer.StoredStrings(fields[indexer.FieldBodies]),
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(
		termQuery(indexer.FieldKind, indexer.KindPassage, 1),
		termQuery(indexer.FieldDocID, id, 1)), indexer.MaxPassages, 0, false)
	req.Fields = []string{indexer.FieldOrdinal, indexer.FieldText}
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("passages of %q: %w", id, err)
	}
	sort.Slice(res.Hits, func(i, j int) bool {
		return indexer.StoredNumber(res.Hits[i].Fields[indexer.FieldOrdinal]) < indexer.StoredNumber(res.Hits[j].Fields[indexer.FieldOrdinal])
	})
	d.Passages = make([]string, 0, len(res.Hits))
	texts := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		d.Passages = append(d.Passages, h.ID)
		texts = append(texts, indexer.StoredString(h.Fields[indexer.FieldText]))
	}
	if d.Text, err = indexer.StoredText(indexer.StoredString(fields[indexer.FieldGaps]), texts); err != nil {
		return nil, fmt.Errorf("document %q: %w", id, err)
	}
	return d, nil
}

// stored loads the stored fields of one bleve document of the given kind.
func (s *Searcher) stored(ctx context.Context, key, kind string) (map[string]any, error) {
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(
		bleve.NewDocIDQuery([]string{key}),
		termQuery(indexer.FieldKind, kind, 1)), 1, 0, false)
	req.Fields = []string{"*"}
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("load %q: %w", key, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("%w: no %s %q", ErrNotFound, kind, strings.TrimPrefix(key, indexer.DocumentKeyPrefix))
	}
	return res.Hits[0].Fields, nil
}

// resultFields are the stored fields a Result is made of.
var resultFields = []string{indexer.FieldText, indexer.FieldTitle, indexer.FieldDocID, indexer.FieldDate,
	indexer.FieldBodies, indexer.FieldPlaces, indexer.FieldDates}

func resultFromFields(id string, f map[string]any) Result {
	return Result{
		ID:     id,
		DocID:  indexer.StoredString(f[indexer.FieldDocID]),
		Title:  indexer.StoredString(f[indexer.FieldTitle]),
		Date:   indexer.StoredString(f[indexer.FieldDate]),
		Bodies: indexer.StoredStrings(f[indexer.FieldBodies]),
		Places: indexer.StoredStrings(f[indexer.FieldPlaces]),
		Dates:  indexer.StoredStrings(f[indexer.FieldDates]),
		Text:   indexer.StoredString(f[indexer.FieldText]),

		TitleHighlights: []Span{},
	}
}

// BodyCount is a government body known to the index, with the number of passages tagged with it.
type BodyCount struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind,omitempty"`
	Aliases  []string `json:"aliases"`
	Passages int      `json:"passages"`
}

// maxBodyFacet bounds the number of distinct bodies listed.
const maxBodyFacet = 10000

// Bodies lists every body tagged on at least one passage, most passages first, with the gazetteer's
// aliases where it knows the body.
func (s *Searcher) Bodies(ctx context.Context) ([]BodyCount, error) {
	req := bleve.NewSearchRequestOptions(termQuery(indexer.FieldKind, indexer.KindPassage, 1), 0, 0, false)
	req.AddFacet("bodies", bleve.NewFacetRequest(indexer.FieldBodies, maxBodyFacet))
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("count bodies: %w", err)
	}
	known := map[string]corpus.Body{}
	for _, b := range corpus.Bodies() {
		known[b.Name] = b
	}
	out := []BodyCount{}
	for _, v := range facetValues(res.Facets["bodies"]) {
		b := BodyCount{Name: v.Value, Aliases: []string{}, Passages: v.Count}
		if k, ok := known[v.Value]; ok {
			b.Kind, b.Aliases = k.Kind, k.Aliases
		}
		out = append(out, b)
	}
	return out, nil
}

func facetValues(f *search.FacetResult) []FacetValue {
	out := []FacetValue{}
	if f == nil || f.Terms == nil {
		return out
	}
	for _, t := range f.Terms.Terms() {
		// A passage without a date is indexed under the year "": no year to count, chart or filter by.
		if t.Term == "" {
			continue
		}
		out = append(out, FacetValue{Value: t.Term, Count: t.Count})
	}
	return out
}
