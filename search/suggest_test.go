package search

import (
	"context"
	"testing"
)

// BenchmarkRestoreDiacritics measures learning a stripped query's diacritics from its best seed
// passages, as Search does.
func BenchmarkRestoreDiacritics(b *testing.B) {
	s := seedIndex(b)
	const q = "dinh danh dien tu cho nguoi dan"
	resp, err := s.Search(context.Background(), Request{Query: q, Limit: restoreFrom, SkipHighlights: true})
	if err != nil || len(resp.Results) == 0 {
		b.Fatal(err)
	}
	var texts []string
	for _, r := range resp.Results {
		texts = append(texts, r.Text)
	}
	p := parse(q)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := restoreDiacritics(q, p, texts); !ok {
			b.Fatal("nothing restored")
		}
	}
}
