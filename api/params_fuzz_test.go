package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
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
