package indexer

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/seeds"
)

// The gaps are the text around the passages, cut at their code-point offsets, and put the document
// back together with them.
func TestGapsAroundPassages(t *testing.T) {
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	docs = append(docs, corpus.Parse("lề", "  Điều 1.\n\n\n   Phạm vi điều chỉnh: Nghị định này quy định về định danh điện tử.  \n\nĐiều 2. Đối tượng áp dụng."))
	for _, d := range docs {
		ps := corpus.Split(d)
		require.NotEmpty(t, ps, d.ID)
		runes := []rune(d.Text)
		var want []string
		at := 0
		for _, p := range ps {
			want = append(want, string(runes[at:p.Start]))
			at = p.End
		}
		want = append(want, string(runes[at:]))
		gaps := Gaps(d.Text, ps)
		assert.Equal(t, want, gaps, d.ID)
		texts := make([]string, len(ps))
		for i, p := range ps {
			texts[i] = p.Text
		}
		assert.Equal(t, d.Text, DocumentText(gaps, texts), d.ID)
	}
}
