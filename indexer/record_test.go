package indexer

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
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

// Document records define the same fields whether or not the text defines acronyms: zap merges
// segments by copying bytes only when all have the same fields.
func TestDocumentRecordsHaveTheSameFields(t *testing.T) {
	m := NewMapping()
	fieldsOf := func(text string) []string {
		d, err := corpus.FromJSON("d", "", text, "", "", nil)
		require.NoError(t, err)
		ps := corpus.Split(d)
		doc := document.NewDocument(DocumentKeyPrefix + d.ID)
		require.NoError(t, m.MapDocument(doc, documentRecord(d, ps, corpus.MineAcronyms(d.Text))))
		var names []string
		for _, f := range doc.Fields {
			names = append(names, f.Name())
		}
		slices.Sort(names)
		return slices.Compact(names)
	}
	with := fieldsOf("Trung tâm dữ liệu quốc gia (TTDLQG) được khởi công tại Khu công nghệ cao Hòa Lạc.")
	without := fieldsOf("Trung tâm dữ liệu quốc gia được khởi công tại Khu công nghệ cao Hòa Lạc.")
	assert.Contains(t, with, FieldAcronyms)
	assert.Equal(t, with, without)
}
