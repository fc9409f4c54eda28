package indexer

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/tracuu/tracuu/corpus"
)

// exportPage is how many documents ReadDocuments loads at once (with their passages).
const exportPage = 500

// ReadDocuments calls fn with every document stored in the index at dir (each shard of a sharded
// one), put back together from its record and its passages: id, title, date, source, the bodies its
// source gave, and its text. It opens the index read-only and skips the version checks: stored fields
// do not depend on the analysis, so an index this build refuses to search can still give back all it
// holds, documents written through the API included, for a rebuild that loses none of them. Files or
// records that cannot be read are ErrDamaged.
func ReadDocuments(ctx context.Context, dir string, fn func(corpus.Document) error) (int, error) {
	shards, err := ShardCount(dir)
	if err != nil {
		return 0, err
	}
	dirs := []string{dir}
	if shards > 1 {
		dirs = dirs[:0]
		for i := range shards {
			dirs = append(dirs, shardDir(dir, i))
		}
	}
	total := 0
	for _, d := range dirs {
		idx, err := openStore(d, dir, true)
		if err != nil {
			return total, err
		}
		n, err := readDocuments(ctx, idx, fn)
		total += n
		if err := errors.Join(err, idx.Close()); err != nil {
			return total, fmt.Errorf("read the documents of %q: %w", d, err)
		}
	}
	return total, nil
}

// readDocuments pages through the document records of idx in id order, reading the passages of each
// page with one search.
func readDocuments(ctx context.Context, idx bleve.Index, fn func(corpus.Document) error) (int, error) {
	kind := bleve.NewTermQuery(KindDocument)
	kind.SetField(FieldKind)
	var after []string
	n := 0
	for {
		req := bleve.NewSearchRequestOptions(kind, exportPage, 0, false)
		req.Fields = []string{FieldTitle, FieldDate, FieldSource, FieldGaps, fieldPassages}
		req.SortBy([]string{"_id"})
		req.SearchAfter = after
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return n, err
		}
		if len(res.Hits) == 0 {
			return n, nil
		}
		docs, err := withPassages(ctx, idx, res.Hits)
		if err != nil {
			return n, err
		}
		for _, d := range docs {
			if err := fn(d); err != nil {
				return n, err
			}
			n++
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// withPassages puts back the documents of records: their texts from the gaps and the passages, and
// the bodies their source gave, which every passage carries (corpus.Split).
func withPassages(ctx context.Context, idx bleve.Index, records search.DocumentMatchCollection) ([]corpus.Document, error) {
	var ids []string
	for _, r := range records {
		for i := range int(StoredNumber(r.Fields[fieldPassages])) {
			ids = append(ids, corpus.PassageID(r.ID[len(DocumentKeyPrefix):], i))
		}
	}
	type passage struct {
		text   string
		bodies []string
	}
	found := map[string]passage{}
	if len(ids) > 0 {
		req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
		req.Fields = []string{FieldText, FieldBodies}
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			found[h.ID] = passage{text: StoredString(h.Fields[FieldText]), bodies: StoredStrings(h.Fields[FieldBodies])}
		}
	}
	docs := make([]corpus.Document, 0, len(records))
	for _, r := range records {
		id := r.ID[len(DocumentKeyPrefix):]
		count := int(StoredNumber(r.Fields[fieldPassages]))
		passageTexts := make([]string, count)
		var given []string
		for i := range count {
			p, ok := found[corpus.PassageID(id, i)]
			if !ok {
				return nil, fmt.Errorf("document %q: %w: passage %d of %d is missing", id, ErrDamaged, i, count)
			}
			passageTexts[i] = p.text
			if i == 0 {
				given = slices.Clone(p.bodies)
			} else {
				given = slices.DeleteFunc(given, func(b string) bool { return !slices.Contains(p.bodies, b) })
			}
		}
		text, err := StoredText(StoredString(r.Fields[FieldGaps]), passageTexts)
		if err != nil {
			return nil, fmt.Errorf("document %q: %w", id, err)
		}
		docs = append(docs, corpus.Document{
			ID:     id,
			Title:  StoredString(r.Fields[FieldTitle]),
			Date:   StoredString(r.Fields[FieldDate]),
			Source: StoredString(r.Fields[FieldSource]),
			Given:  given,
			Bodies: slices.Clone(given),
			Text:   text,
		})
	}
	return docs, nil
}

// StoredString reads a stored text field as bleve returns it ("" when absent).
func StoredString(v any) string {
	s, _ := v.(string)
	return s
}

// StoredStrings reads a stored multi-valued field, which bleve returns as a string when it has one
// value (never nil: an empty list when absent).
func StoredStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return []string{}
}

// StoredNumber reads a stored numeric field as bleve returns it (0 when absent).
func StoredNumber(v any) float64 {
	f, _ := v.(float64)
	return f
}

// Counts returns how many documents and passages idx holds.
func Counts(ctx context.Context, idx bleve.Index) (documents, passages uint64, err error) {
	for kind, n := range map[string]*uint64{KindDocument: &documents, KindPassage: &passages} {
		q := bleve.NewTermQuery(kind)
		q.SetField(FieldKind)
		res, err := idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 0, 0, false))
		if err != nil {
			return 0, 0, fmt.Errorf("count %ss: %w", kind, err)
		}
		*n = res.Total
	}
	return documents, passages, nil
}
