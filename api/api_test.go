package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/search"
	"github.com/tracuu/tracuu/seeds"
)

var (
	handlerOnce sync.Once
	handler     http.Handler
)

// seedHandler is the real handler over an in-memory index of the seeds.
func seedHandler(t *testing.T) http.Handler {
	t.Helper()
	handlerOnce.Do(func() {
		docs, err := corpus.LoadFS(seeds.FS)
		require.NoError(t, err)
		idx, err := indexer.NewMemory()
		require.NoError(t, err)
		_, err = indexer.Add(context.Background(), idx, docs, nil)
		require.NoError(t, err)
		handler = New(search.New(idx), Options{})
	})
	return handler
}

func get(t *testing.T, target string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, http.MethodGet, target)
}

func do(t *testing.T, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	seedHandler(t).ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestSearchFindsTheFortyMillionPassage(t *testing.T) {
	for _, q := range []string{"dinh danh dien tu 40 trieu", "định danh điện tử 40 triệu"} {
		t.Run(q, func(t *testing.T) {
			rec := get(t, "/api/v1/search?q="+url.QueryEscape(q))
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
			var resp search.Response
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
			assert.Equal(t, q, resp.Query)
			require.NotEmpty(t, resp.Results)
			top := resp.Results[0]
			assert.Contains(t, top.Text, "40 triệu tài khoản định danh điện tử")
			assert.Contains(t, top.Snippet, "<mark>40</mark> <mark>triệu</mark> tài khoản <mark>định</mark> <mark>danh</mark> <mark>điện</mark> <mark>tử</mark>")
			runes := []rune(top.Text)
			var marked []string
			for _, h := range top.Highlights {
				marked = append(marked, string(runes[h.Start:h.End]))
			}
			for _, w := range []string{"định", "danh", "điện", "tử", "40", "triệu"} {
				assert.Contains(t, marked, w)
			}
			assert.NotEmpty(t, resp.Facets.Years)
			assert.Greater(t, top.Score, 0.0)
		})
	}
}

func TestSearchResponseShape(t *testing.T) {
	rec := get(t, "/api/v1/search?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91&limit=2&offset=1")
	require.Equal(t, http.StatusOK, rec.Code)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &raw))
	for _, k := range []string{"query", "total", "took_ms", "results", "facets", "suggestion"} {
		assert.Contains(t, raw, k)
	}
	results := raw["results"].([]any)
	assert.Len(t, results, 2)
	for _, k := range []string{"id", "doc_id", "title", "date", "bodies", "text", "score", "snippet", "highlights"} {
		assert.Contains(t, results[0], k)
	}
}

func TestHealthz(t *testing.T) {
	rec := get(t, "/healthz")
	require.Equal(t, http.StatusOK, rec.Code)
	var h struct {
		Status    string `json:"status"`
		Documents int    `json:"documents"`
		Passages  int    `json:"passages"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &h))
	assert.Equal(t, "ok", h.Status)
	assert.Equal(t, 5, h.Documents)
	assert.Greater(t, h.Passages, 5)
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, method, target string
		status               int
		code, message        string
	}{
		{"missing q", "GET", "/api/v1/search", 400, "bad_request", "q is required"},
		{"empty q", "GET", "/api/v1/search?q=", 400, "bad_request", "q must not be empty"},
		{"blank q", "GET", "/api/v1/search?q=%20%20", 400, "bad_request", "q must not be empty"},
		{"long q", "GET", "/api/v1/search?q=" + strings.Repeat("a", 1001), 400, "bad_request", "at most 1000"},
		{"invalid UTF-8", "GET", "/api/v1/search?q=%ff%fe", 400, "bad_request", "UTF-8"},
		{"limit not a number", "GET", "/api/v1/search?q=x&limit=ten", 400, "bad_request", "limit must be a whole number"},
		{"limit too big", "GET", "/api/v1/search?q=x&limit=101", 400, "bad_request", "limit must be between 1 and 100"},
		{"limit zero", "GET", "/api/v1/search?q=x&limit=0", 400, "bad_request", "limit must be between 1 and 100"},
		{"huge limit", "GET", "/api/v1/search?q=x&limit=99999999999999999999", 400, "bad_request", "limit must be between 1 and 100"},
		{"huge negative offset", "GET", "/api/v1/search?q=x&offset=-99999999999999999999", 400, "bad_request", "offset must be between 0 and 10000"},
		{"huge suggest limit", "GET", "/api/v1/suggest?q=x&limit=1000000000", 400, "bad_request", "limit must be between 1 and 20"},
		{"a lone minus", "GET", "/api/v1/search?q=x&limit=-", 400, "bad_request", "limit must be a whole number"},
		{"negative offset", "GET", "/api/v1/search?q=x&offset=-1", 400, "bad_request", "offset"},
		{"bad date", "GET", "/api/v1/search?q=x&from=2023-02-30", 400, "bad_request", "dates"},
		{"from after to", "GET", "/api/v1/search?q=x&from=2024&to=2023", 400, "bad_request", "after"},
		{"unknown path", "GET", "/api/v1/nothing", 404, "not_found", "no such path"},
		{"unknown passage", "GET", "/api/v1/passages/nope%231", 404, "not_found", "nope#1"},
		{"unknown document", "GET", "/api/v1/documents/..%2F..%2Fetc%2Fpasswd", 404, "not_found", "etc/passwd"},
		{"wrong method", "POST", "/api/v1/search?q=x", 405, "method_not_allowed", "POST"},
		{"analyze without text", "GET", "/api/v1/analyze", 400, "bad_request", "text is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, tt.method, tt.target)
			assert.Equal(t, tt.status, rec.Code, rec.Body.String())
			var e apiError
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), rec.Body.String())
			assert.Equal(t, tt.code, e.Error.Code)
			assert.Contains(t, e.Error.Message, tt.message)
		})
	}
}

func TestAnalyzeEndpoint(t *testing.T) {
	rec := get(t, "/api/v1/analyze?text="+url.QueryEscape("Định danh hoà"))
	require.Equal(t, http.StatusOK, rec.Code)
	var out struct {
		Text  string `json:"text"`
		Views map[string][]struct {
			Term       string `json:"term"`
			Start, End int
			Position   int `json:"position"`
		} `json:"views"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	assert.Equal(t, "Định danh hoà", out.Text)
	require.Len(t, out.Views["exact"], 3)
	assert.Equal(t, "định", out.Views["exact"][0].Term)
	assert.Equal(t, "dinh", out.Views["folded"][0].Term)
	assert.Equal(t, "đinh", out.Views["toneless"][0].Term)
	assert.Equal(t, 10, out.Views["exact"][2].Start)
	assert.Equal(t, 13, out.Views["exact"][2].End)
	assert.Len(t, out.Views["bigram"], 2)
}

func TestPassageAndDocument(t *testing.T) {
	rec := get(t, "/api/v1/documents/000_ccc4d5c2107aed12")
	require.Equal(t, http.StatusOK, rec.Code)
	var d search.Document
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
	require.NotEmpty(t, d.Passages)
	rec = get(t, "/api/v1/passages/"+url.PathEscape(d.Passages[0]))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var p map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	assert.Equal(t, d.Passages[0], p["id"])
	assert.NotContains(t, p, "score")
}

func TestPage(t *testing.T) {
	rec := get(t, "/")
	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	assert.Contains(t, body, `<html lang="vi">`)
	assert.Contains(t, body, `<label for="q">`)

	rec = get(t, "/search?q="+url.QueryEscape("dinh danh dien tu 40 trieu"))
	require.Equal(t, http.StatusOK, rec.Code)
	body = rec.Body.String()
	assert.Contains(t, body, `aria-live="polite"`)
	assert.Contains(t, body, "<mark>40</mark> <mark>triệu</mark>")

	rec = get(t, "/search?q="+url.QueryEscape("<script>alert(1)</script>"))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.NotContains(t, rec.Body.String(), "<script>alert(1)</script>")

	rec = get(t, "/search?q=x&limit=1000")
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Contains(t, rec.Body.String(), "limit must be between 1 and 100")
}

func TestBodiesEndpointAndBodyFilter(t *testing.T) {
	rec := get(t, "/api/v1/bodies")
	require.Equal(t, http.StatusOK, rec.Code)
	var out struct {
		Bodies []search.BodyCount `json:"bodies"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	require.NotEmpty(t, out.Bodies)
	assert.Equal(t, "Bộ Công an", out.Bodies[0].Name, "the body most passages name")

	rec = get(t, "/api/v1/search?q=chuyen+doi+so&body=BCA&body="+url.QueryEscape("Văn phòng Chính phủ")+"&from=2022&to=2023-12")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var resp search.Response
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
	require.NotEmpty(t, resp.Results)
	for _, r := range resp.Results {
		assert.True(t, r.Date >= "2022" && r.Date < "2024", r.Date)
	}
	assert.NotEmpty(t, resp.Facets.Bodies)

	rec = get(t, "/api/v1/search?q=x"+strings.Repeat("&body=BCA", 21))
	assert.Equal(t, http.StatusBadRequest, rec.Code)
}

// TestClientGoneIsNotAFault: a request whose client hung up (its context cancelled) is not a server
// fault: no 500 and no ERROR log line, on every path that reads the index or writes to it, pages
// included. Its status is nginx's 499, logged with the request line at info level.
func TestClientGoneIsNotAFault(t *testing.T) {
	idx := seedsIndex(t)
	var logs strings.Builder
	h := New(search.New(idx), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Writer: indexer.NewWriter(idx), AdminToken: testToken})
	const (
		before = "before" // the client hung up before the index was read: its context is cancelled
		during = "during" // the client hung up while the answer was sent: writes fail
	)
	tests := []struct {
		name, method, target, body string
		gone                       string
	}{
		{"search", http.MethodGet, "/api/v1/search?q=" + url.QueryEscape("định danh điện tử"), "", before},
		{"suggest", http.MethodGet, "/api/v1/suggest?q=" + url.QueryEscape("dinh danh dien t"), "", before},
		{"document", http.MethodGet, "/api/v1/documents/004_8ad28276ef6928e8", "", before},
		{"passage", http.MethodGet, "/api/v1/passages/004_8ad28276ef6928e8%231", "", before},
		{"bodies", http.MethodGet, "/api/v1/bodies", "", before},
		{"healthz", http.MethodGet, "/healthz", "", before},
		{"put", http.MethodPut, "/api/v1/documents/tin-muong-te", `{"text": "` + newsText + `"}`, before},
		{"delete", http.MethodDelete, "/api/v1/documents/004_8ad28276ef6928e8", "", before},
		{"page search", http.MethodGet, "/search?q=" + url.QueryEscape("căn cước gắn chip"), "", before},
		{"page document", http.MethodGet, "/documents/004_8ad28276ef6928e8?p=1", "", before},
		{"search answer", http.MethodGet, "/api/v1/search?q=" + url.QueryEscape("định danh điện tử"), "", during},
		{"page search answer", http.MethodGet, "/search?q=" + url.QueryEscape("căn cước gắn chip"), "", during},
		{"page document answer", http.MethodGet, "/documents/004_8ad28276ef6928e8?p=1", "", during},
	}
	for _, tc := range tests {
		t.Run(tc.name+" "+tc.gone, func(t *testing.T) {
			logs.Reset()
			req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			req.Header.Set("Accept", "text/html,application/json")
			rec := httptest.NewRecorder()
			if tc.gone == before {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				h.ServeHTTP(rec, req.WithContext(ctx))
				assert.Equal(t, 499, rec.Code, rec.Body.String())
				assert.Contains(t, logs.String(), "status=499")
			} else {
				h.ServeHTTP(hungUp{rec}, req)
			}
			assert.NotContains(t, logs.String(), "level=ERROR")
			assert.Contains(t, logs.String(), "level=INFO msg=request method="+tc.method)
		})
	}
	// Nothing was written by the writes whose client had gone.
	assert.Equal(t, http.StatusOK, send(h, http.MethodGet, "/api/v1/documents/004_8ad28276ef6928e8", "", "").Code)
	assert.Equal(t, http.StatusNotFound, send(h, http.MethodGet, "/api/v1/documents/tin-muong-te", "", "").Code)
}

// hungUp is the connection of a client that has gone: every write fails.
type hungUp struct{ *httptest.ResponseRecorder }

func (hungUp) Write([]byte) (int, error)       { return 0, syscall.EPIPE }
func (hungUp) WriteString(string) (int, error) { return 0, syscall.EPIPE }

// TestFaultLogsNoQueryText: a search that fails on the server's side is a 500 logged at ERROR, and
// the log line does not hold the query, which may be personal data (it is logged only with -v).
func TestFaultLogsNoQueryText(t *testing.T) {
	idx, err := indexer.NewMemory()
	require.NoError(t, err)
	var logs strings.Builder
	h := New(search.New(idx), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, idx.Close()) // every read now fails
	const private = "Nguyễn Văn An số căn cước 001203004567"
	for _, target := range []string{"/api/v1/search?q=" + url.QueryEscape(private), "/search?q=" + url.QueryEscape(private)} {
		t.Run(target, func(t *testing.T) {
			logs.Reset()
			req := httptest.NewRequest(http.MethodGet, target, nil)
			if strings.HasPrefix(target, "/search") {
				req.Header.Set("Accept", "text/html")
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, http.StatusInternalServerError, rec.Code)
			assert.Contains(t, logs.String(), "level=ERROR")
			for _, word := range []string{"Nguy", "001203004567", url.QueryEscape("Nguyễn")} {
				assert.NotContains(t, logs.String(), word)
			}
		})
	}
}

// TestNotFoundIsWordedAlike checks that an unknown document and an unknown passage are told the same
// way, in the JSON API (GET and DELETE) and on the page: they were `document "nope"` and `no passage
// "nope"`, and DELETE said "no document with this id".
func TestNotFoundIsWordedAlike(t *testing.T) {
	h := writable(t, testToken)
	for _, tc := range []struct {
		name, method, target, want string
	}{
		{"GET document", http.MethodGet, "/api/v1/documents/nope", `no document "nope"`},
		{"GET passage", http.MethodGet, "/api/v1/passages/nope", `no passage "nope"`},
		{"GET passage of an unknown document", http.MethodGet, "/api/v1/passages/nope%231", `no passage "nope#1"`},
		{"GET passage of a known document", http.MethodGet, "/api/v1/passages/000_ccc4d5c2107aed12%239999", `no passage "000_ccc4d5c2107aed12#9999"`},
		{"GET document, Vietnamese id", http.MethodGet, "/api/v1/documents/" + url.PathEscape("văn bản/1"), `no document "văn bản/1"`},
		{"DELETE document", http.MethodDelete, "/api/v1/documents/nope", `no document "nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := send(h, tc.method, tc.target, testToken, "")
			require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
			var e apiError
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), rec.Body.String())
			assert.Equal(t, "not_found", e.Error.Code)
			assert.Equal(t, tc.want, e.Error.Message)
		})
	}
	for _, tc := range []struct {
		name, target, title, message string
	}{
		{"document", "/documents/nope", "Không tìm thấy văn bản", "Không có văn bản mã «nope»."},
		{"passage", "/documents/000_ccc4d5c2107aed12?p=9999", "Không tìm thấy đoạn văn", "Không có đoạn văn mã «000_ccc4d5c2107aed12#9999»."},
		{"passage, not a number", "/documents/000_ccc4d5c2107aed12?p=abc", "Không tìm thấy đoạn văn", "Không có đoạn văn mã «000_ccc4d5c2107aed12#abc»."},
		{"document of the passage", "/documents/nope?p=1", "Không tìm thấy văn bản", "Không có văn bản mã «nope»."},
	} {
		t.Run("page "+tc.name, func(t *testing.T) {
			rec, doc := browse(t, h, tc.target)
			require.Equal(t, http.StatusNotFound, rec.Code)
			assert.Equal(t, tc.title, text(find(doc, tag("h1"))[0]))
			assert.Equal(t, tc.message, text(errorAlert(t, doc)))
		})
	}
}
