package indexer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	index "github.com/blevesearch/bleve_index_api"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/seeds"
)

func TestOnDiskIndexReopensAndReplaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Create(dir)
	require.NoError(t, err)
	long := corpus.Parse("a", "Bộ Công an chủ trì.\n\nNgân hàng Nhà nước phối hợp.\n\n"+
		"Thủ tướng yêu cầu các bộ, ngành, địa phương khẩn trương kiện toàn Ban Chỉ đạo chuyển đổi số và triển khai Đề án 06 với quyết tâm cao nhất, hoàn thành các nhiệm vụ được giao đúng tiến độ, chất lượng, hiệu quả, bảo đảm an toàn thông tin và bảo vệ dữ liệu cá nhân của người dân trong mọi giao dịch điện tử.\n\n"+
		"Bộ Thông tin và Truyền thông triển khai đồng bộ, hiệu quả các giải pháp để phát triển hạ tầng số, nền tảng số và dịch vụ số, bảo đảm kết nối thông suốt giữa các hệ thống thông tin của bộ, ngành và địa phương, phục vụ người dân và doanh nghiệp tốt hơn.")
	n, err := Add(context.Background(), idx, []corpus.Document{long}, nil)
	require.NoError(t, err)
	require.Greater(t, n, 1)
	require.NoError(t, idx.Close())

	idx, err = Open(dir)
	require.NoError(t, err)
	count, err := idx.DocCount()
	require.NoError(t, err)
	assert.EqualValues(t, n+1, count, "passages plus the stored document")

	// A shorter new version removes the passages the old one had beyond its own.
	_, err = Add(context.Background(), idx, []corpus.Document{corpus.Parse("a", "Văn bản mới.")}, nil)
	require.NoError(t, err)
	count, err = idx.DocCount()
	require.NoError(t, err)
	assert.EqualValues(t, 2, count)
	require.NoError(t, idx.Close())
}

func TestOpenErrorsSayWhatToDo(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "missing"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tracuu index -index")

	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Create(dir)
	require.NoError(t, err)
	require.NoError(t, idx.SetInternal([]byte(versionKey), []byte("0")))
	require.NoError(t, idx.Close())
	_, err = Open(dir)
	require.ErrorIs(t, err, ErrVersion)
	assert.Contains(t, err.Error(), "'tracuu index -index "+dir+" PATH...' or 'tracuu serve -index "+dir+"' rebuilds it from the documents it holds")

	garbage := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(garbage, "index_meta.json"), []byte("{not json"), 0o644))
	_, err = Open(garbage)
	require.Error(t, err)
}

func TestSecondWriterFailsFast(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Create(dir)
	require.NoError(t, err)
	defer idx.Close()
	_, err = Open(dir)
	require.Error(t, err, "a second open of a held index fails instead of waiting forever")
	assert.Contains(t, err.Error(), "another tracuu process")
}

func TestReadersShareAnIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Create(dir)
	require.NoError(t, err)
	_, err = Add(context.Background(), idx, []corpus.Document{corpus.Parse("a", "Bộ Công an chủ trì.")}, nil)
	require.NoError(t, err)
	require.NoError(t, idx.Close())

	first, err := OpenReadOnly(dir)
	require.NoError(t, err)
	defer first.Close()
	second, err := OpenReadOnly(dir)
	require.NoError(t, err, "a second reader opens beside the first")
	defer second.Close()
	n, err := second.DocCount()
	require.NoError(t, err)
	assert.EqualValues(t, 2, n)
}

func TestLaterVersionWinsWithinOneCall(t *testing.T) {
	idx, err := NewMemory()
	require.NoError(t, err)
	docs := []corpus.Document{
		corpus.Parse("a", "Phiên bản cũ về căn cước."),
		corpus.Parse("b", "Văn bản khác."),
		corpus.Parse("a", "Phiên bản mới về định danh."),
	}
	_, err = Add(context.Background(), idx, docs, nil)
	require.NoError(t, err)
	d, err := idx.Document("a#0")
	require.NoError(t, err)
	require.NotNil(t, d)
	var text string
	d.VisitFields(func(f index.Field) {
		if f.Name() == FieldText {
			text = string(f.Value())
		}
	})
	assert.Equal(t, "Phiên bản mới về định danh.", text)
}

// A build stopped (Ctrl-C, SIGTERM) during its final merge says so at once: the merge gave no error
// when cancelled, and the build was reported complete.
func TestFinishStopsWhenCancelled(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Create(dir)
	require.NoError(t, err)
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	_, err = Add(context.Background(), idx, docs, nil)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = Finish(ctx, idx, dir)
	assert.ErrorIs(t, err, context.Canceled)
	require.NoError(t, idx.Close())
}
