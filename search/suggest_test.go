package search

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tracuu/tracuu/indexer"
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

// decodeTyping reads a word as Telex or VNI when the decoded word is in far more passages than the
// word as typed: on a large corpus nearly every Telex spelling is in some passage.
func TestDecodeTypingWeighsTheCorpus(t *testing.T) {
	tests := []struct {
		name             string
		rawDF, decodedDF uint64
		want             string
		decoded          bool
	}{
		{"the raw word is in no passage", 0, 5, "là", true},
		{"it is rare beside the decoded one", 3, 300, "là", true},
		{"it is too common to be a typing slip", 10, 500, "", false},
		{"the decoded word is in no passage", 0, 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			df := func(field, term string) uint64 {
				switch {
				case field == indexer.FieldFolded && term == "laf":
					return tt.rawDF
				case field == indexer.FieldText && term == "là":
					return tt.decodedDF
				}
				return 0
			}
			got, ok := decodeTyping("laf", df)
			assert.Equal(t, tt.decoded, ok)
			if ok {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}
