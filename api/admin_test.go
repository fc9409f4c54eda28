package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/search"
	"github.com/tracuu/tracuu/seeds"
)

const testToken = "s3cret-token-for-tests-only-0123456789"

// writable is a handler over its own in-memory index of the seeds that accepts writes with token
// ("" for a server started without TRACUU_ADMIN_TOKEN).
func writable(t *testing.T, token string) http.Handler {
	t.Helper()
	return writeHandler(seedsIndex(t), token)
}

// seedsIndex is a new in-memory index of the seeds, closed at the end of the test.
func seedsIndex(t testing.TB) bleve.Index {
	t.Helper()
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	idx, err := indexer.NewMemory()
	require.NoError(t, err)
	t.Cleanup(func() { idx.Close() })
	_, err = indexer.Add(context.Background(), idx, docs, nil)
	require.NoError(t, err)
	return idx
}

func writeHandler(idx bleve.Index, token string) http.Handler {
	return New(search.New(idx), Options{Writer: indexer.NewWriter(idx), AdminToken: token})
}

// send makes a request with a body and, when token is not empty, a bearer token.
func send(h http.Handler, method, target, token, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func searchOn(t *testing.T, h http.Handler, q string) search.Response {
	t.Helper()
	rec := send(h, http.MethodGet, "/api/v1/search?limit=100&q="+url.QueryEscape(q), "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var resp search.Response
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
	return resp
}

// docIDs returns the documents of a search's results.
func docIDs(r search.Response) []string {
	var out []string
	for _, res := range r.Results {
		out = append(out, res.DocID)
	}
	return out
}

func jsonDoc(t *testing.T, fields map[string]any) string {
	t.Helper()
	b, err := json.Marshal(fields)
	require.NoError(t, err)
	return string(b)
}

const newsText = "Ngày 12/3/2024, Bộ Công an cho biết hệ thống cấp căn cước gắn chip đã phục vụ người dân tại " +
	"huyện Mường Tè. Người dân vùng cao không còn phải đi xa để làm thủ tục, cán bộ mang máy móc đến tận bản."

func TestWritesNeedTheToken(t *testing.T) {
	body := jsonDoc(t, map[string]any{"text": newsText})
	open := writable(t, "")
	guarded := writable(t, testToken)
	cases := []struct {
		name   string
		h      http.Handler
		header string
		want   int
	}{
		{"no token configured, none sent", open, "", http.StatusForbidden},
		{"no token configured, one sent", open, "Bearer " + testToken, http.StatusForbidden},
		{"no token configured, empty bearer", open, "Bearer ", http.StatusForbidden},
		{"no header", guarded, "", http.StatusUnauthorized},
		{"wrong scheme", guarded, "Basic " + testToken, http.StatusUnauthorized},
		{"empty bearer", guarded, "Bearer ", http.StatusUnauthorized},
		{"wrong token", guarded, "Bearer " + strings.ToUpper(testToken), http.StatusUnauthorized},
		{"prefix of the token", guarded, "Bearer " + testToken[:10], http.StatusUnauthorized},
		{"token and more", guarded, "Bearer " + testToken + "x", http.StatusUnauthorized},
	}
	for _, c := range cases {
		for _, method := range []string{http.MethodPut, http.MethodDelete} {
			t.Run(c.name+" "+method, func(t *testing.T) {
				req := httptest.NewRequest(method, "/api/v1/documents/tin-muong-te", strings.NewReader(body))
				if c.header != "" {
					req.Header.Set("Authorization", c.header)
				}
				rec := httptest.NewRecorder()
				c.h.ServeHTTP(rec, req)
				require.Equal(t, c.want, rec.Code, rec.Body.String())
				assertJSONError(t, rec, c.want)
				if c.want == http.StatusUnauthorized {
					assert.True(t, strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer"))
				}
			})
		}
	}
	// Nothing got in.
	assert.NotContains(t, docIDs(searchOn(t, guarded, "Mường Tè")), "tin-muong-te")
	assert.NotContains(t, docIDs(searchOn(t, open, "Mường Tè")), "tin-muong-te")
	// The right token, with the scheme in any case, is let in.
	req := httptest.NewRequest(http.MethodPut, "/api/v1/documents/tin-muong-te", strings.NewReader(body))
	req.Header.Set("Authorization", "bearer "+testToken)
	rec := httptest.NewRecorder()
	guarded.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
}

func assertJSONError(t *testing.T, rec *httptest.ResponseRecorder, status int) {
	t.Helper()
	assert.Equal(t, status, rec.Code)
	assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
	var e apiError
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), rec.Body.String())
	assert.NotEmpty(t, e.Error.Code)
	assert.NotEmpty(t, e.Error.Message)
}

func TestPutReplaceDelete(t *testing.T) {
	h := writable(t, testToken)
	const id = "tin-muong-te"
	before := searchOn(t, h, "căn cước gắn chip Mường Tè")
	assert.NotContains(t, docIDs(before), id)

	// Create: searchable as soon as the response is back.
	rec := send(h, http.MethodPut, "/api/v1/documents/"+id, testToken,
		jsonDoc(t, map[string]any{"title": "Cấp căn cước tại Mường Tè", "text": newsText}))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	assert.Equal(t, "/api/v1/documents/"+id, rec.Header().Get("Location"))
	var w writeResult
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &w))
	assert.Equal(t, id, w.ID)
	assert.Equal(t, 1, w.Passages)
	resp := searchOn(t, h, "can cuoc gan chip muong te")
	require.NotEmpty(t, resp.Results)
	assert.Equal(t, id, resp.Results[0].DocID)
	assert.Equal(t, "Cấp căn cước tại Mường Tè", resp.Results[0].Title)
	assert.Contains(t, resp.Results[0].Bodies, "Bộ Công an")

	// Replace: the old text is gone, the new one found; 200 this time.
	replaced := "Tỉnh Lai Châu hoàn thành thu nhận hồ sơ định danh điện tử mức độ 2 cho toàn bộ học sinh trung học phổ thông của huyện Sìn Hồ."
	rec = send(h, http.MethodPut, "/api/v1/documents/"+id, testToken, jsonDoc(t, map[string]any{"id": id, "text": replaced, "date": "2024-05"}))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.NotContains(t, docIDs(searchOn(t, h, "Mường Tè")), id)
	resp = searchOn(t, h, "Sìn Hồ")
	require.NotEmpty(t, resp.Results)
	assert.Equal(t, id, resp.Results[0].DocID)
	assert.Equal(t, "2024-05", resp.Results[0].Date)
	rec = send(h, http.MethodGet, "/api/v1/documents/"+id, "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var doc search.Document
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	assert.Equal(t, replaced, doc.Text)
	assert.Equal(t, []string{id + "#0"}, doc.Passages)

	// Delete: gone from searches and lookups; a second delete finds nothing.
	rec = send(h, http.MethodDelete, "/api/v1/documents/"+id, testToken, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &w))
	assert.Equal(t, writeResult{ID: id, Passages: 1}, w)
	assert.NotContains(t, docIDs(searchOn(t, h, "Sìn Hồ")), id)
	assertJSONError(t, send(h, http.MethodGet, "/api/v1/documents/"+id, "", ""), http.StatusNotFound)
	assertJSONError(t, send(h, http.MethodGet, "/api/v1/passages/"+id+"%230", "", ""), http.StatusNotFound)
	assertJSONError(t, send(h, http.MethodDelete, "/api/v1/documents/"+id, testToken, ""), http.StatusNotFound)

	// The seeds were not touched.
	after := searchOn(t, h, "căn cước gắn chip Mường Tè")
	assert.Equal(t, before.Total, after.Total)
}

func TestDeleteSeedDocument(t *testing.T) {
	h := writable(t, testToken)
	const id = "000_ccc4d5c2107aed12"
	rec := send(h, http.MethodGet, "/api/v1/documents/"+id, "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var doc search.Document
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	require.Greater(t, len(doc.Passages), 1)
	require.Contains(t, docIDs(searchOn(t, h, "định danh điện tử 40 triệu")), id)

	rec = send(h, http.MethodDelete, "/api/v1/documents/"+id, testToken, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var w writeResult
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &w))
	assert.Equal(t, len(doc.Passages), w.Passages)
	assert.NotContains(t, docIDs(searchOn(t, h, "định danh điện tử 40 triệu")), id)
	for _, p := range doc.Passages {
		assertJSONError(t, send(h, http.MethodGet, "/api/v1/passages/"+url.PathEscape(p), "", ""), http.StatusNotFound)
	}
}

// A document sent through PUT is cleaned, dated, tagged and split as the same JSONL line would be by
// tracuu index.
func TestPutIsIndexedLikeAJSONLLine(t *testing.T) {
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	seed := docs[1]
	line := jsonDoc(t, map[string]any{"id": "copy", "title": seed.Title, "text": seed.Text})
	want, err := corpus.ParseJSON([]byte(line))
	require.NoError(t, err)
	wantPassages := corpus.Split(want)
	require.Greater(t, len(wantPassages), 2)

	h := writable(t, testToken)
	rec := send(h, http.MethodPut, "/api/v1/documents/copy", testToken, line)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var w writeResult
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &w))
	assert.Equal(t, len(wantPassages), w.Passages)

	rec = send(h, http.MethodGet, "/api/v1/documents/copy", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var doc search.Document
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	assert.Equal(t, want.Text, doc.Text)
	assert.Equal(t, want.Date, doc.Date)
	assert.NotEmpty(t, doc.Date, "the date is read from the text")
	assert.Equal(t, corpus.BodiesOf(want, wantPassages), doc.Bodies)
	for i, p := range wantPassages {
		rec = send(h, http.MethodGet, "/api/v1/passages/"+url.PathEscape(fmt.Sprintf("copy#%d", i)), "", "")
		require.Equal(t, http.StatusOK, rec.Code)
		var got search.Result
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
		assert.Equal(t, p.Text, got.Text)
		assert.Equal(t, p.Bodies, got.Bodies)
	}
}

func TestPutRejectsBadBodies(t *testing.T) {
	h := writable(t, testToken)
	big := `{"text": "` + strings.Repeat("dữ liệu dân cư ", MaxBodyBytes/len("dữ liệu dân cư ")+1) + `"}`
	cases := []struct {
		name, id, body string
		want           int
	}{
		{"empty body", "a", "", http.StatusBadRequest},
		{"not JSON", "a", "định danh điện tử", http.StatusBadRequest},
		{"two documents", "a", `{"text":"một"} {"text":"hai"}`, http.StatusBadRequest},
		{"a list", "a", `[{"text":"một"}]`, http.StatusBadRequest},
		{"null", "a", `null`, http.StatusBadRequest},
		{"no text", "a", `{"title":"Thông báo"}`, http.StatusBadRequest},
		{"blank text", "a", `{"text":"  \n "}`, http.StatusBadRequest},
		{"text not a string", "a", `{"text": 5}`, http.StatusBadRequest},
		{"invalid UTF-8", "a", "{\"text\":\"\xff\xfe đ\"}", http.StatusBadRequest},
		{"bad date", "a", `{"text":"Chuyển đổi số","date":"25/02/2023"}`, http.StatusBadRequest},
		{"30 February", "a", `{"text":"Chuyển đổi số","date":"2023-02-30"}`, http.StatusBadRequest},
		{"31 April", "a", `{"text":"Chuyển đổi số","date":"2023-04-31"}`, http.StatusBadRequest},
		{"29 February of a common year", "a", `{"text":"Chuyển đổi số","date":"2023-02-29"}`, http.StatusBadRequest},
		{"month 13", "a", `{"text":"Chuyển đổi số","date":"2023-13"}`, http.StatusBadRequest},
		{"another id", "a", `{"id":"b","text":"Chuyển đổi số"}`, http.StatusBadRequest},
		{"id with #", "a%23b", `{"text":"Chuyển đổi số"}`, http.StatusBadRequest},
		{"id with a space at the end", "a%20", `{"text":"Chuyển đổi số"}`, http.StatusBadRequest},
		{"id a dot-dot segment", "%2E%2E", `{"text":"Chuyển đổi số"}`, http.StatusBadRequest},
		{"id a dot segment", ".", `{"text":"Chuyển đổi số"}`, http.StatusBadRequest},
		{"id too long", strings.Repeat("x", 300), `{"text":"Chuyển đổi số"}`, http.StatusBadRequest},
		{"over 10 MB", "a", big, http.StatusRequestEntityTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := send(h, http.MethodPut, "/api/v1/documents/"+c.id, testToken, c.body)
			assertJSONError(t, rec, c.want)
		})
	}
	// The limit holds without a Content-Length too (a chunked body).
	req := httptest.NewRequest(http.MethodPut, "/api/v1/documents/a", chunked(big))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assertJSONError(t, rec, http.StatusRequestEntityTooLarge)
	assertJSONError(t, send(h, http.MethodGet, "/api/v1/documents/a", "", ""), http.StatusNotFound)
}

// chunked hides the length of a body, as a chunked request does.
func chunked(s string) *struct{ *bytes.Reader } {
	return &struct{ *bytes.Reader }{bytes.NewReader([]byte(s))}
}

// Two writers of the same id never leave a mix of their versions.
func TestConcurrentPutsOfOneID(t *testing.T) {
	h := writable(t, testToken)
	versions := []string{
		"Hà Giang triển khai chữ ký số cho cán bộ xã. " + newsText,
		"Cao Bằng số hóa hồ sơ hộ tịch từ năm 1945 đến nay, phục vụ tra cứu trực tuyến cho người dân toàn tỉnh.",
		"Điện Biên đưa dịch vụ công trực tuyến toàn trình về tận thôn bản, hướng dẫn người dân nộp hồ sơ bằng điện thoại. " + newsText + " " + newsText,
	}
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := send(h, http.MethodPut, "/api/v1/documents/tranh-chap", testToken, jsonDoc(t, map[string]any{"text": versions[i%len(versions)]}))
			assert.Contains(t, []int{http.StatusOK, http.StatusCreated}, rec.Code, rec.Body.String())
		}()
	}
	wg.Wait()
	rec := send(h, http.MethodGet, "/api/v1/documents/tranh-chap", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var doc search.Document
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	assert.Contains(t, versions, doc.Text, "the stored document is one whole version")
	want, err := corpus.FromJSON("tranh-chap", "", doc.Text, "", "", nil)
	require.NoError(t, err)
	assert.Len(t, doc.Passages, len(corpus.Split(want)))
}

// A write to an on-disk index is still there after the server closes the index and opens it again.
func TestWritesSurviveARestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := indexer.Create(dir)
	require.NoError(t, err)
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	_, err = indexer.Add(context.Background(), idx, docs[:2], nil)
	require.NoError(t, err)

	h := writeHandler(idx, testToken)
	rec := send(h, http.MethodPut, "/api/v1/documents/tin-muong-te", testToken, jsonDoc(t, map[string]any{"text": newsText}))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	rec = send(h, http.MethodDelete, "/api/v1/documents/"+docs[0].ID, testToken, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, idx.Close())

	idx, err = indexer.Open(dir)
	require.NoError(t, err)
	defer idx.Close()
	h = writeHandler(idx, testToken)
	assert.Contains(t, docIDs(searchOn(t, h, "căn cước gắn chip Mường Tè")), "tin-muong-te")
	assertJSONError(t, send(h, http.MethodGet, "/api/v1/documents/"+docs[0].ID, "", ""), http.StatusNotFound)
	assert.Equal(t, http.StatusOK, send(h, http.MethodGet, "/api/v1/documents/"+docs[1].ID, "", "").Code)
	var health struct{ Documents, Passages int }
	require.NoError(t, json.Unmarshal(send(h, http.MethodGet, "/healthz", "", "").Body.Bytes(), &health))
	assert.Equal(t, 2, health.Documents)
}

// TestSlowUploadOutlastsTheReadTimeout checks that a write whose body arrives slowly (10 MB over a slow
// office line) is not cut off by the server's read timeout, which suits requests without a body, nor
// by the request time limit, which counts for a write from the end of its body.
func TestSlowUploadOutlastsTheReadTimeout(t *testing.T) {
	idx := seedsIndex(t)
	h := New(search.New(idx), Options{Writer: indexer.NewWriter(idx), AdminToken: testToken, RequestTimeout: 200 * time.Millisecond})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadTimeout = 200 * time.Millisecond
	srv.Start()
	defer srv.Close()

	body, w := io.Pipe()
	go func() {
		doc := `{"title": "Tải lên chậm", "text": "Cao Bằng số hóa hồ sơ hộ tịch, phục vụ tra cứu trực tuyến cho người dân toàn tỉnh."}`
		for i := 0; i < len(doc); i += len(doc) / 4 {
			time.Sleep(120 * time.Millisecond) // the whole body takes about 0.5 s, over the timeout
			if _, err := io.WriteString(w, doc[i:min(len(doc), i+len(doc)/4)]); err != nil {
				return
			}
		}
		w.Close()
	}()
	req, err := http.NewRequest(http.MethodPut, srv.URL+"/api/v1/documents/tai-len-cham", body)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusCreated, resp.StatusCode, string(got))
}

// TestPutAcronymIsExpandedAtOnce: an acronym a written document defines links the acronym and its
// expansion in the searches that follow, without a restart, until the document is deleted.
func TestPutAcronymIsExpandedAtOnce(t *testing.T) {
	h := writable(t, testToken)
	defines := "Hệ thống giám sát dịch vụ công (HTGSDVC) được đưa vào vận hành từ tháng 3 năm 2024 để theo dõi thời gian giải quyết hồ sơ."
	spellsOut := "Theo báo cáo tháng 5, hệ thống giám sát dịch vụ công ghi nhận thời gian xử lý trung bình giảm còn hai ngày."
	for id, text := range map[string]string{"htgsdvc-1": defines, "htgsdvc-2": spellsOut} {
		rec := send(h, http.MethodPut, "/api/v1/documents/"+id, testToken, jsonDoc(t, map[string]any{"text": text}))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	}
	// The acronym finds the text that only spells it out.
	for _, query := range []string{"HTGSDVC", "htgsdvc"} {
		t.Run(query, func(t *testing.T) {
			assert.Contains(t, docIDs(searchOn(t, h, query)), "htgsdvc-2")
		})
	}
	// Once the only document defining it is gone, the acronym is a plain word again.
	rec := send(h, http.MethodDelete, "/api/v1/documents/htgsdvc-1", testToken, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	for _, query := range []string{"HTGSDVC", "htgsdvc"} {
		t.Run(query+" after the delete", func(t *testing.T) {
			assert.NotContains(t, docIDs(searchOn(t, h, query)), "htgsdvc-2")
		})
	}
}

// stoppingWriter is the writer of a server that is stopping.
type stoppingWriter struct{}

func (stoppingWriter) Put(context.Context, corpus.Document) (int, bool, error) {
	return 0, false, fmt.Errorf("%w: the server is stopping", ErrUnavailable)
}

func (stoppingWriter) Delete(context.Context, string) (int, error) {
	return 0, fmt.Errorf("%w: the server is stopping", ErrUnavailable)
}

// TestWriteWhileStopping: a write the writer cannot take now is a 503 to retry, not a fault.
func TestWriteWhileStopping(t *testing.T) {
	h := New(search.New(seedsIndex(t)), Options{Writer: stoppingWriter{}, AdminToken: testToken})
	for _, method := range []string{http.MethodPut, http.MethodDelete} {
		t.Run(method, func(t *testing.T) {
			rec := send(h, method, "/api/v1/documents/x", testToken, `{"text": "Thông báo."}`)
			assertJSONError(t, rec, http.StatusServiceUnavailable)
			assert.Contains(t, rec.Body.String(), `"code":"unavailable"`)
			assert.Contains(t, rec.Body.String(), "the server is stopping")
			assert.NotEmpty(t, rec.Header().Get("Retry-After"))
		})
	}
}

// heldIndex is an index whose first Batch waits until release is closed: a write in progress for
// as long as a test needs.
type heldIndex struct {
	liveIndex // not bleve.Index, whose field name would hide its method Index
	entered   chan struct{}
	release   chan struct{}
	once      sync.Once
}

type liveIndex = bleve.Index

func (h *heldIndex) Batch(b *bleve.Batch) error {
	held := false
	h.once.Do(func() { held = true; close(h.entered) })
	if held {
		<-h.release
	}
	return h.liveIndex.Batch(b)
}

// TestWriteWaitingTooLongGets503: a write queued behind a long one gets 503 (timeout) at the
// request time limit, not when the long write ends, and changes nothing; the long one still
// succeeds.
func TestWriteWaitingTooLongGets503(t *testing.T) {
	tests := []struct {
		name, method, id, body string
	}{
		{"put of a new id", http.MethodPut, "tin-muong-te", jsonDoc(t, map[string]any{"text": newsText})},
		{"put replacing a seed", http.MethodPut, "004_8ad28276ef6928e8", jsonDoc(t, map[string]any{"text": newsText})},
		{"delete of a seed", http.MethodDelete, "004_8ad28276ef6928e8", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			idx := &heldIndex{liveIndex: seedsIndex(t), entered: make(chan struct{}), release: make(chan struct{})}
			h := New(search.New(idx), Options{Writer: indexer.NewWriter(idx), AdminToken: testToken, RequestTimeout: 100 * time.Millisecond})
			seed := send(h, http.MethodGet, "/api/v1/documents/004_8ad28276ef6928e8", "", "").Body.String()
			require.Contains(t, seed, `"id":"004_8ad28276ef6928e8"`)
			// The long write: a delete held inside its batch.
			first := make(chan *httptest.ResponseRecorder, 1)
			go func() { first <- send(h, http.MethodDelete, "/api/v1/documents/000_ccc4d5c2107aed12", testToken, "") }()
			<-idx.entered

			waiting := make(chan *httptest.ResponseRecorder, 1)
			go func() { waiting <- send(h, tc.method, "/api/v1/documents/"+tc.id, testToken, tc.body) }()
			select {
			case rec := <-waiting:
				assertJSONError(t, rec, http.StatusServiceUnavailable)
				assert.Contains(t, rec.Body.String(), `"code":"timeout"`)
				assert.Contains(t, rec.Body.String(), "other writes were in progress")
			case <-time.After(2 * time.Second):
				t.Error("the waiting write was not answered at its time limit")
			}
			close(idx.release)
			rec := <-first
			assert.Equal(t, http.StatusOK, rec.Code, "the long write: %s", rec.Body.String())
			if t.Failed() {
				<-waiting
			}
			// The waiting write changed nothing.
			assert.Equal(t, seed, send(h, http.MethodGet, "/api/v1/documents/004_8ad28276ef6928e8", "", "").Body.String())
			assert.NotContains(t, docIDs(searchOn(t, h, "căn cước gắn chip Mường Tè")), "tin-muong-te")
		})
	}
}

// TestIDsInPathsAreNFC checks that an id sent in decomposed Unicode (NFD, as macOS names files) names
// the same document as the precomposed (NFC) one on every route that takes an id.
func TestIDsInPathsAreNFC(t *testing.T) {
	const nfc, nfd = "tin-điện-tử", "tin-đie\u0323\u0302n-tu\u031b\u0309"
	require.NotEqual(t, nfc, nfd)
	h := writable(t, testToken)
	rec := send(h, http.MethodPut, "/api/v1/documents/"+url.PathEscape(nfd), testToken,
		jsonDoc(t, map[string]any{"id": nfc, "title": "Cấp căn cước tại Mường Tè", "text": newsText}))
	require.Equal(t, http.StatusCreated, rec.Code, "path NFD, body NFC: one id; %s", rec.Body.String())
	assert.Equal(t, "/api/v1/documents/"+url.PathEscape(nfc), rec.Header().Get("Location"))
	assert.JSONEq(t, `{"id": "`+nfc+`", "passages": 1}`, rec.Body.String())
	rec = send(h, http.MethodPut, "/api/v1/documents/"+url.PathEscape(nfc), testToken,
		jsonDoc(t, map[string]any{"id": nfd, "title": "Cấp căn cước tại Mường Tè", "text": newsText}))
	require.Equal(t, http.StatusOK, rec.Code, "path NFC, body NFD: the same document, replaced; %s", rec.Body.String())
	assert.Equal(t, []string{nfc}, docIDs(searchOn(t, h, "căn cước gắn chip Mường Tè"))[:1])

	for _, tc := range []struct {
		name, target, want string
	}{
		{"the document, NFC", "/api/v1/documents/" + url.PathEscape(nfc), `"id":"` + nfc + `"`},
		{"the document, NFD", "/api/v1/documents/" + url.PathEscape(nfd), `"id":"` + nfc + `"`},
		{"the passage, NFD", "/api/v1/passages/" + url.PathEscape(nfd+"#0"), `"id":"` + nfc + `#0"`},
		{"the page, NFD", "/documents/" + url.PathEscape(nfd) + "?p=0", "Cấp căn cước tại Mường Tè"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := send(h, http.MethodGet, tc.target, "", "")
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			assert.Contains(t, rec.Body.String(), tc.want)
		})
	}

	rec = send(h, http.MethodDelete, "/api/v1/documents/"+url.PathEscape(nfd), testToken, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"id": "`+nfc+`", "passages": 1}`, rec.Body.String())
	assertJSONError(t, send(h, http.MethodGet, "/api/v1/documents/"+url.PathEscape(nfc), "", ""), http.StatusNotFound)
}

// TestDocumentStoredUnderAnNFDID checks an index written before ids were normalized: a document
// stored under an NFD id can no longer be named, but nothing fails on it.
func TestDocumentStoredUnderAnNFDID(t *testing.T) {
	const nfd = "tin-đie\u0323\u0302n-tu\u031b\u0309"
	idx := seedsIndex(t)
	_, err := indexer.Add(context.Background(), idx, []corpus.Document{{ID: nfd, Title: "Tin cũ", Text: newsText}}, nil)
	require.NoError(t, err)
	h := writeHandler(idx, testToken)
	for _, target := range []string{
		"/api/v1/documents/" + url.PathEscape(nfd),
		"/api/v1/passages/" + url.PathEscape(nfd+"#0"),
		"/documents/" + url.PathEscape(nfd),
	} {
		rec := send(h, http.MethodGet, target, "", "")
		assert.Equal(t, http.StatusNotFound, rec.Code, target)
	}
	resp := searchOn(t, h, "căn cước gắn chip Mường Tè")
	assert.Contains(t, docIDs(resp), nfd, "still found by a search")
	assert.Equal(t, http.StatusNotFound, send(h, http.MethodDelete, "/api/v1/documents/"+url.PathEscape(nfd), testToken, "").Code)
}
