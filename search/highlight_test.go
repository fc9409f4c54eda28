package search

import (
	"context"
	"testing"
)

// BenchmarkSpans measures the highlights of a page of ten seed passages, for a query typed with its
// diacritics and without.
func BenchmarkSpans(b *testing.B) {
	s := seedIndex(b)
	for _, q := range []string{"định danh điện tử cho người dân", "dinh danh dien tu cho nguoi dan"} {
		resp, err := s.Search(context.Background(), Request{Query: q, Limit: DefaultLimit, SkipHighlights: true})
		if err != nil || len(resp.Results) == 0 {
			b.Fatal(q, err)
		}
		m := parse(q).matcher()
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, r := range resp.Results {
					m.spans(r.Text)
				}
			}
		})
	}
}
