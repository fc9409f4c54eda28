package indexer

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
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
	doc, err := corpus.FromJSON("big", "", threeParagraphs, "", "", nil)
	require.NoError(t, err)
	n := len(corpus.Split(doc))
	require.Greater(t, n, 1)
	w := NewWriter(idx)
	w.maxPassages = n - 1 // MaxPassages itself takes 10 MB of text to reach
	_, _, err = w.Put(context.Background(), doc)
	assert.True(t, errors.Is(err, ErrTooManyPassages), "%v", err)
	count, _ := idx.DocCount()
	assert.EqualValues(t, 0, count, "nothing was written")
	w.maxPassages = n
	_, _, err = w.Put(context.Background(), doc)
	assert.NoError(t, err)
}

// A document longer than a batch is written in several, and replaced and deleted whole.
func TestWriterPutsLongDocumentsInBatches(t *testing.T) {
	ctx := context.Background()
	idx, err := NewMemory()
	require.NoError(t, err)
	defer idx.Close()
	w := NewWriter(idx)
	long, err := corpus.FromJSON("dai", "", strings.Repeat(threeParagraphs+"\n\n", BatchSize/2+10), "", "", nil)
	require.NoError(t, err)
	n, created, err := w.Put(ctx, long)
	require.NoError(t, err)
	assert.True(t, created)
	require.Greater(t, n, BatchSize)
	count, _ := idx.DocCount()
	assert.EqualValues(t, n+1, count)
	stored, _, err := passageCount(idx, "dai")
	require.NoError(t, err)
	assert.Equal(t, n, stored)

	short, err := corpus.FromJSON("dai", "", threeParagraphs, "", "", nil)
	require.NoError(t, err)
	m, created, err := w.Put(ctx, short)
	require.NoError(t, err)
	assert.False(t, created)
	count, _ = idx.DocCount()
	assert.EqualValues(t, m+1, count, "the passages of the long version are gone")

	_, _, err = w.Put(ctx, long)
	require.NoError(t, err)
	deleted, err := w.Delete(ctx, "dai")
	require.NoError(t, err)
	assert.Equal(t, n, deleted)
	count, _ = idx.DocCount()
	assert.EqualValues(t, 0, count)
}

// TestPutAfterACutShortWriteLeavesNoStalePassage: a long write that died after its passages and
// before its record leaves passages past the record's count; the next Put of the id removes them.
func TestPutAfterACutShortWriteLeavesNoStalePassage(t *testing.T) {
	ctx := context.Background()
	idx, err := NewMemory()
	require.NoError(t, err)
	defer idx.Close()
	short, err := corpus.FromJSON("a", "", "Bộ Công an triển khai cấp căn cước gắn chip cho người dân.", "", "", nil)
	require.NoError(t, err)
	long, err := corpus.FromJSON("a", "", threeParagraphs, "", "", nil)
	require.NoError(t, err)
	w := NewWriter(idx)
	_, _, err = w.Put(ctx, short)
	require.NoError(t, err)
	// The cut-short write: the long version's passages, without its record.
	longPassages := corpus.Split(long)
	require.Greater(t, len(longPassages), 1)
	b := idx.NewBatch()
	for _, p := range longPassages {
		require.NoError(t, b.Index(p.ID, passageRecord(p, false)))
	}
	require.NoError(t, idx.Batch(b))

	n, _, err := w.Put(ctx, short)
	require.NoError(t, err)
	left, err := passagesOf(ctx, idx, "a")
	require.NoError(t, err)
	assert.Len(t, left, n, "only the passages of the version written last")
}

// heldIndex is an index whose next Batch waits until release is closed, so a test can hold a write
// in progress (and the Writer's lock with it) for as long as it needs.
type heldIndex struct {
	liveIndex               // not bleve.Index, whose field name would hide its method Index
	entered   chan struct{} // closed when the held Batch begins
	release   chan struct{}
	once      sync.Once
}

func (h *heldIndex) Batch(b *bleve.Batch) error {
	held := false
	h.once.Do(func() { held = true; close(h.entered) })
	if held {
		<-h.release
	}
	return h.liveIndex.Batch(b)
}

type liveIndex = bleve.Index

// heldReadIndex holds its first search instead of its first batch.
type heldReadIndex struct{ heldIndex }

func (h *heldReadIndex) Batch(b *bleve.Batch) error { return h.liveIndex.Batch(b) }

func (h *heldReadIndex) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	held := false
	h.once.Do(func() { held = true; close(h.entered) })
	if held {
		<-h.release
	}
	return h.liveIndex.SearchInContext(ctx, req)
}

// TestWriterDeadlineBoundsOnlyTheWait: a write that got its turn runs to its end past its context's
// deadline (a long document takes longer to write than a caller waits for others), and is stored.
func TestWriterDeadlineBoundsOnlyTheWait(t *testing.T) {
	tests := []struct {
		name  string
		write func(ctx context.Context, w *Writer) error
		check func(t *testing.T, mem bleve.Index)
	}{
		{"put", func(ctx context.Context, w *Writer) error {
			doc, err := corpus.FromJSON("moi", "", "Tỉnh Lai Châu số hóa sổ hộ tịch của huyện Sìn Hồ.", "", "", nil)
			require.NoError(t, err)
			_, _, err = w.Put(ctx, doc)
			return err
		}, func(t *testing.T, mem bleve.Index) {
			_, found, err := passageCount(mem, "moi")
			require.NoError(t, err)
			assert.True(t, found)
		}},
		{"delete", func(ctx context.Context, w *Writer) error {
			_, err := w.Delete(ctx, "a")
			return err
		}, func(t *testing.T, mem bleve.Index) {
			_, found, err := passageCount(mem, "a")
			require.NoError(t, err)
			assert.False(t, found)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem, err := NewMemory()
			require.NoError(t, err)
			defer mem.Close()
			doc, err := corpus.FromJSON("a", "", threeParagraphs, "", "", nil)
			require.NoError(t, err)
			_, err = Add(context.Background(), mem, []corpus.Document{doc}, nil)
			require.NoError(t, err)
			idx := &heldReadIndex{heldIndex{liveIndex: mem, entered: make(chan struct{}), release: make(chan struct{})}}
			w := NewWriter(idx)

			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- tc.write(ctx, w) }()
			<-idx.entered // the write has its turn and is reading the index
			<-ctx.Done()  // its deadline passes while it writes
			close(idx.release)
			require.NoError(t, <-done)
			tc.check(t, mem)
		})
	}
}

// TestWriterWaitStopsAtTheDeadline: a write that waits for another in progress gives up when its
// context ends, and changes nothing, however long the write before it takes; the write in progress is
// not disturbed.
func TestWriterWaitStopsAtTheDeadline(t *testing.T) {
	tests := []struct {
		name  string
		write func(ctx context.Context, w *Writer) error
	}{
		{"put of a new id", func(ctx context.Context, w *Writer) error {
			doc, err := corpus.FromJSON("moi", "", "Tỉnh Lai Châu số hóa sổ hộ tịch của huyện Sìn Hồ.", "", "", nil)
			require.NoError(t, err)
			_, _, err = w.Put(ctx, doc)
			return err
		}},
		{"put replacing a document", func(ctx context.Context, w *Writer) error {
			doc, err := corpus.FromJSON("b", "", "Cao Bằng số hóa hồ sơ hộ tịch từ năm 1945 đến nay.", "", "", nil)
			require.NoError(t, err)
			_, _, err = w.Put(ctx, doc)
			return err
		}},
		{"delete", func(ctx context.Context, w *Writer) error {
			_, err := w.Delete(ctx, "b")
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem, err := NewMemory()
			require.NoError(t, err)
			defer mem.Close()
			for _, id := range []string{"a", "b"} {
				doc, err := corpus.FromJSON(id, "", threeParagraphs, "", "", nil)
				require.NoError(t, err)
				_, err = Add(context.Background(), mem, []corpus.Document{doc}, nil)
				require.NoError(t, err)
			}
			idx := &heldIndex{liveIndex: mem, entered: make(chan struct{}), release: make(chan struct{})}
			w := NewWriter(idx)
			// The write in progress: a delete of a, held inside its batch.
			first := make(chan error, 1)
			go func() { _, err := w.Delete(context.Background(), "a"); first <- err }()
			<-idx.entered

			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			waiting := make(chan error, 1)
			go func() { waiting <- tc.write(ctx, w) }()
			select {
			case err := <-waiting:
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			case <-time.After(2 * time.Second):
				t.Error("the waiting write did not give up at its deadline")
			}
			close(idx.release)
			require.NoError(t, <-first, "the write in progress finished")
			if t.Failed() {
				<-waiting
			}
			// Only b is left, as it was: the waiting write added, replaced and deleted nothing.
			n := len(corpus.Split(corpus.Document{ID: "b", Text: threeParagraphs}))
			stored, found, err := passageCount(mem, "b")
			require.NoError(t, err)
			assert.True(t, found)
			assert.Equal(t, n, stored)
			count, _ := mem.DocCount()
			assert.EqualValues(t, n+1, count)
		})
	}
}
