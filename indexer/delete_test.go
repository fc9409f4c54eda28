package indexer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
)

const threeParagraphs = "Bộ Công an chủ trì triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022 đến 2025, tầm nhìn đến năm 2030, với sự phối hợp của các bộ, ngành và địa phương trên cả nước.\n\n" +
	"Ngân hàng Nhà nước phối hợp triển khai xác thực sinh trắc học khi giao dịch chuyển tiền trực tuyến, bảo đảm an toàn cho tài khoản của người dân, hạn chế lừa đảo qua mạng và các hành vi giả mạo danh tính trên môi trường điện tử hiện nay.\n\n" +
	"Bộ Y tế tích hợp sổ sức khỏe điện tử vào ứng dụng VNeID, để người dân khám chữa bệnh bằng căn cước công dân gắn chip thay cho thẻ bảo hiểm y tế giấy, giảm thời gian chờ đợi tại bệnh viện các tuyến từ trung ương đến cơ sở."

func TestWriterPutAndDelete(t *testing.T) {
	ctx := context.Background()
	idx, err := NewMemory()
	require.NoError(t, err)
	defer idx.Close()
	w := NewWriter(idx)

	doc, err := corpus.FromJSON("a", "", threeParagraphs, "", "", nil)
	require.NoError(t, err)
	n, created, err := w.Put(ctx, doc)
	require.NoError(t, err)
	assert.True(t, created)
	require.Greater(t, n, 1)
	count, _ := idx.DocCount()
	assert.EqualValues(t, n+1, count)

	other, err := corpus.FromJSON("b", "", "Văn bản khác về chuyển đổi số.", "", "", nil)
	require.NoError(t, err)
	_, _, err = w.Put(ctx, other)
	require.NoError(t, err)

	again, created, err := w.Put(ctx, doc)
	require.NoError(t, err)
	assert.False(t, created, "the second put of an id replaces it")
	assert.Equal(t, n, again)

	deleted, err := w.Delete(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, n, deleted)
	count, _ = idx.DocCount()
	assert.EqualValues(t, 2, count, "only b and its passage are left")

	_, err = w.Delete(ctx, "a")
	assert.True(t, errors.Is(err, ErrNoDocument))
	_, err = w.Delete(ctx, "")
	assert.True(t, errors.Is(err, ErrNoDocument))
}

// A document whose record was lost (a write cut short) still has its passages deleted, by doc_id.
func TestDeleteFindsPassagesWithoutTheirRecord(t *testing.T) {
	ctx := context.Background()
	idx, err := NewMemory()
	require.NoError(t, err)
	defer idx.Close()
	doc, err := corpus.FromJSON("a", "", threeParagraphs, "", "", nil)
	require.NoError(t, err)
	n, err := Add(ctx, idx, []corpus.Document{doc}, nil)
	require.NoError(t, err)
	require.NoError(t, idx.Delete(DocumentKeyPrefix+"a"))

	deleted, err := Delete(ctx, idx, "a")
	require.NoError(t, err)
	assert.Equal(t, n, deleted)
	count, _ := idx.DocCount()
	assert.EqualValues(t, 0, count)
}

func TestWriterRefusesTooManyPassages(t *testing.T) {
	idx, err := NewMemory()
	require.NoError(t, err)
	defer idx.Close()
	// A passage holds at most 150 syllables: eight sentences of 21 syllables each cannot share one.
	sentence := "Người dân được cấp tài khoản định danh điện tử mức độ hai tại công an xã trong ngày làm việc. "
	text := strings.Repeat(sentence, MaxPassages*8)
	doc, err := corpus.FromJSON("big", "", text, "", "", nil)
	require.NoError(t, err)
	require.Greater(t, len(corpus.Split(doc)), MaxPassages)
	_, _, err = NewWriter(idx).Put(context.Background(), doc)
	assert.True(t, errors.Is(err, ErrTooManyPassages), "%v", err)
	count, _ := idx.DocCount()
	assert.EqualValues(t, 0, count, "nothing was written")
}
