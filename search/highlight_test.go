package search

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		m := parse(q).matcher(*s.acronyms.Load())
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

// TestEveryResultShowsWhyItMatched: a passage found through an acronym, a typo or another tone of a
// syllable has those words marked, not none.
func TestEveryResultShowsWhyItMatched(t *testing.T) {
	s := seedIndex(t)
	tests := []struct {
		name, query string
		fuzzy       bool
		want        []string // folded words marked in some result
	}{
		{"an acronym marks its expansion", "CCCD", false, []string{"can", "cuoc", "cong", "dan"}},
		{"an expansion marks its acronym", "cơ sở dữ liệu", false, []string{"csdl"}},
		{"a typo marks the word one edit away", "chuyeb", true, []string{"chuyen"}},
		{"another tone marks the folded match", "hoà", false, []string{"hoa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 50})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			assert.Equal(t, tt.fuzzy, resp.Fuzzy)
			words := map[string]bool{}
			for _, r := range resp.Results {
				// A passage can also match by its document's title alone.
				assert.True(t, len(r.Highlights) > 0 || len(r.TitleHighlights) > 0, "%s: no highlight in %q (title %q)", r.ID, r.Text, r.Title)
				for _, m := range marked(r) {
					for _, w := range foldedTerms(m) {
						words[w] = true
					}
				}
			}
			for _, w := range tt.want {
				assert.True(t, words[w], "%q marked in some result (marked: %v)", w, words)
			}
		})
	}
}

func TestOneEditApart(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"chuyen", "chuyen", true},
		{"chuyen", "chuyeb", true},  // replaced
		{"chuyen", "chuyn", true},   // deleted
		{"chuyen", "chuyenn", true}, // inserted
		{"chuyen", "chuyeng", true},
		{"chuyen", "huyen", false}, // the first letter is kept, as fuzzyQuery's prefix
		{"chuyen", "chuy", false},  // two deleted
		{"chuyen", "chiyeb", false},
		{"dien", "điện", false}, // letters compared as given: the caller folds
		{"", "a", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, oneEditApart(tt.a, tt.b), "%q %q", tt.a, tt.b)
		assert.Equal(t, tt.want, oneEditApart(tt.b, tt.a), "%q %q", tt.b, tt.a)
	}
}
