package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tracuu/tracuu/search"
)

// FuzzSearchParams sends arbitrary raw query strings to the search API, the page and the analyzer:
// the answer is 200 or a 4xx, JSON for the API, and never a 500.
func FuzzSearchParams(f *testing.F) {
	for _, raw := range []string{
		"q=dinh+danh+dien+tu+40+trieu", "q=%C4%91%E1%BB%8Bnh+danh&limit=3&offset=2", "q=a&from=2023&to=2024-05",
		"q=a&body=B%E1%BB%99+C%C3%B4ng+an&body=Ch%C3%ADnh+ph%E1%BB%A7", "q=%FF%FE", "q=%00", "q=a&limit=99999999999999999999",
		"q=a&offset=-1", "q=a&limit=1e3", "q=a&from=2024-02-30", "q=a&from=2024&to=2023", "q=%22a", "q=title%3Ax+%2By+-z+%22a",
		"q=a&q=b", "q=", "limit=5", "q=%", "q=a%zz", ";q=a", "q=a&&&&", "q=" + strings.Repeat("a+", 600),
		"q=a&body=" + strings.Repeat("x", 3000), "text=%C4%91%E1%BB%8Bnh", "q=%E2%80%9Cchuy%E1%BB%83n+%C4%91%E1%BB%95i%E2%80%9D",
	} {
		f.Add(raw)
	}
	h := New(search.New(seedsIndex(f)), Options{})
	f.Fuzz(func(t *testing.T, raw string) {
		for _, path := range []string{"/api/v1/search", "/api/v1/analyze", "/search"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = raw
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code > 499) {
				t.Fatalf("GET %s?%s: status %d: %s", path, raw, rec.Code, rec.Body.String())
			}
			if path != "/search" && !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("GET %s?%s: body is not JSON: %q", path, raw, rec.Body.String())
			}
		}
	})
}

// FuzzPutBody sends arbitrary ids and bodies to PUT /api/v1/documents/{id}: the answer is 200 or 201
// with the document then readable under its id, or a 4xx, always JSON, never a 500.
func FuzzPutBody(f *testing.F) {
	for _, c := range [][2]string{
		{"tin-1", `{"title": "Thông báo", "text": "Bộ Công an cấp 40 triệu tài khoản định danh điện tử.", "date": "2023-06"}`},
		{"tin-2", `{"id": "tin-2", "text": "<script>alert(1)</script> Cơ sở dữ liệu (CSDL) quốc gia về dân cư", "bodies": ["BCA", ""]}`},
		{"a%2Fb", `{"text": "x"}`}, {"x", `{"text": "\u0000\ud800"}`}, {"x", "{\"text\": \"\xff\"}"}, {"x", `{"text": 1e999}`},
		{"x", `{"text": "a", "date": "2023-02-30"}`}, {"x", `{"text": "a"`}, {"x", `[]`}, {"x", ``}, {"%00", `{"text": "a"}`},
		{"x", `{"text": "` + strings.Repeat("Chuyển đổi số. ", 2000) + `"}`},
	} {
		f.Add(c[0], c[1])
	}
	h := writeHandler(seedsIndex(f), testToken)
	f.Fuzz(func(t *testing.T, id, body string) {
		req := httptest.NewRequest(http.MethodPut, "/api/v1/documents/x", strings.NewReader(body))
		req.URL.RawPath, req.URL.Path = "/api/v1/documents/"+id, "/api/v1/documents/"+id
		if u, err := url.PathUnescape(id); err == nil {
			req.URL.Path = "/api/v1/documents/" + u
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch {
		case rec.Code == http.StatusOK || rec.Code == http.StatusCreated:
			var w writeResult
			if err := json.Unmarshal(rec.Body.Bytes(), &w); err != nil {
				t.Fatalf("PUT %q: %d with body %q", id, rec.Code, rec.Body.String())
			}
			get := httptest.NewRequest(http.MethodGet, "/api/v1/documents/x", nil)
			get.URL.RawPath, get.URL.Path = "/api/v1/documents/"+url.PathEscape(w.ID), "/api/v1/documents/"+w.ID
			got := httptest.NewRecorder()
			h.ServeHTTP(got, get)
			if got.Code != http.StatusOK {
				t.Fatalf("PUT %q answered %d, then GET %q answered %d: %s", id, rec.Code, w.ID, got.Code, got.Body.String())
			}
		case rec.Code >= 400 && rec.Code <= 499:
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("PUT %q: %d with a body that is not JSON: %q", id, rec.Code, rec.Body.String())
			}
		default:
			t.Fatalf("PUT %q %q: status %d: %s", id, body, rec.Code, rec.Body.String())
		}
	})
}
