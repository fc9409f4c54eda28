package indexer

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
)

// TestAcronymsFollowTheDocuments: the acronyms an index knows are those its documents define now, on
// one index and on a sharded one, whatever the order of the writes.
func TestAcronymsFollowTheDocuments(t *testing.T) {
	const (
		dataCenter   = "Trung tâm dữ liệu quốc gia (TTDLQG) được khởi công tại Khu công nghệ cao Hòa Lạc."
		dataCenter2  = "Bộ Công an cho biết Trung tâm dữ liệu quốc gia (TTDLQG) sẽ lưu trữ dữ liệu dân cư."
		noDefinition = "Trung tâm dữ liệu quốc gia được khởi công tại Khu công nghệ cao Hòa Lạc."
		infoSystem   = "Hệ thống thông tin (HTTT) giải quyết thủ tục hành chính được kết nối với cơ sở dữ liệu."
		infoSystem2  = "Các hệ thống thông tin (HTTT) của bộ, ngành phải bảo đảm an toàn thông tin cấp độ 3."
		webinar      = "Hội thảo trực tuyến (HTTT) về chuyển đổi số được tổ chức tại Hà Nội."
		webinar2     = "Hội thảo trực tuyến (HTTT) lần thứ hai bàn về định danh điện tử cho doanh nghiệp."
	)
	type step struct {
		id, text string // a document written, or deleted when text is ""
		want     map[string]string
	}
	const (
		center  = "Trung tâm dữ liệu quốc gia"
		system  = "Hệ thống thông tin"
		meeting = "Hội thảo trực tuyến"
	)
	steps := []step{
		{"a", dataCenter, map[string]string{"TTDLQG": center}},
		{"b", dataCenter2, map[string]string{"TTDLQG": center}},
		{"a", "", map[string]string{"TTDLQG": center}}, // b still defines it
		{"b", noDefinition, map[string]string{}},       // rewritten without it
		{"w", webinar, map[string]string{"HTTT": meeting}},
		{"s", infoSystem, map[string]string{"HTTT": system}},       // one each: the first in byte order
		{"w2", webinar2, map[string]string{"HTTT": meeting}},       // two documents against one
		{"s2", infoSystem2, map[string]string{"HTTT": system}},     // two each, whatever the capitals
		{"s", "", map[string]string{"HTTT": meeting}},              // two against one again
		{"w", "", map[string]string{"HTTT": "hệ thống thông tin"}}, // one each; s2's spelling is left
		{"w2", "", map[string]string{"HTTT": "hệ thống thông tin"}},
		{"s2", "", map[string]string{}},
	}
	indexes := map[string]func(t *testing.T) bleve.Index{
		"one index": func(t *testing.T) bleve.Index {
			idx, err := NewMemory()
			require.NoError(t, err)
			return idx
		},
		"3 shards": func(t *testing.T) bleve.Index {
			idx, err := CreateSharded(filepath.Join(t.TempDir(), "idx"), 3)
			require.NoError(t, err)
			return idx
		},
	}
	for name, open := range indexes {
		t.Run(name, func(t *testing.T) {
			idx := open(t)
			defer idx.Close()
			w := NewWriter(idx)
			ctx := context.Background()
			for i, s := range steps {
				if s.text == "" {
					_, err := w.Delete(ctx, s.id)
					require.NoError(t, err)
				} else {
					doc, err := corpus.FromJSON(s.id, "", s.text, "", "", nil)
					require.NoError(t, err)
					_, _, err = w.Put(ctx, doc)
					require.NoError(t, err)
				}
				got, err := Acronyms(idx)
				require.NoError(t, err)
				assert.Equal(t, s.want, got, "after step %d (%s %q)", i, s.id, s.text)
			}
		})
	}
}
