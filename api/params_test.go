package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/search"
)

// TestParameterValidation sends every kind of bad parameter to every JSON endpoint: each gets a 4xx
// with a JSON error naming what to fix, never a 500 or a silently ignored mistake.
func TestParameterValidation(t *testing.T) {
	const doc = "/api/v1/documents/000_ccc4d5c2107aed12"
	tests := []struct {
		name, method, target string
		status               int
		message              string
	}{
		// search: limits and offsets
		{"search limit 100 is the most", "GET", "/api/v1/search?q=x&limit=100", 200, ""},
		{"search limit negative", "GET", "/api/v1/search?q=x&limit=-5", 400, "limit must be between 1 and 100"},
		{"search limit empty", "GET", "/api/v1/search?q=x&limit=", 400, "limit must be a whole number"},
		{"search limit decimal", "GET", "/api/v1/search?q=x&limit=2.5", 400, "limit must be a whole number"},
		{"search limit with leading zeros", "GET", "/api/v1/search?q=x&limit=0000010", 200, ""},
		{"search offset 10000 is the most", "GET", "/api/v1/search?q=x&offset=10000", 200, ""},
		{"search offset too big", "GET", "/api/v1/search?q=x&offset=10001", 400, "offset must be between 0 and 10000"},
		{"search offset huge", "GET", "/api/v1/search?q=x&offset=1e99", 400, "offset must be a whole number"},
		// search: dates
		{"search dates of three precisions", "GET", "/api/v1/search?q=x&from=2022&to=2023-06-30", 200, ""},
		{"search from and to the same month", "GET", "/api/v1/search?q=x&from=2023-02&to=2023-02", 200, ""},
		{"search from a day inside to's year", "GET", "/api/v1/search?q=x&from=2023-05-01&to=2023", 200, ""},
		{"search from after to", "GET", "/api/v1/search?q=x&from=2023-12-31&to=2023-01", 400, "from (2023-12-31) is after to (2023-01)"},
		{"search from after to by a day", "GET", "/api/v1/search?q=x&from=2023-02-02&to=2023-02-01", 400, "after"},
		{"search month 13", "GET", "/api/v1/search?q=x&to=2023-13", 400, "dates must be YYYY, YYYY-MM or YYYY-MM-DD"},
		{"search a date with time", "GET", "/api/v1/search?q=x&from=2023-02-01T00:00:00Z", 400, "dates must be"},
		{"search a date in words", "GET", "/api/v1/search?q=x&from=yesterday", 400, "dates must be"},
		// search: invalid UTF-8 in every parameter
		{"search q not UTF-8", "GET", "/api/v1/search?q=%C3%28", 400, "q is not valid UTF-8"},
		{"search body not UTF-8", "GET", "/api/v1/search?q=x&body=%ff", 400, "body is not valid UTF-8"},
		{"search from not UTF-8", "GET", "/api/v1/search?q=x&from=%ff", 400, "from is not valid UTF-8"},
		{"search to not UTF-8", "GET", "/api/v1/search?q=x&to=%e1%bb", 400, "to is not valid UTF-8"},
		{"search limit not UTF-8", "GET", "/api/v1/search?q=x&limit=%ff", 400, "limit is not valid UTF-8"},
		// search: repeated and unknown parameters, malformed query strings
		{"search body may repeat", "GET", "/api/v1/search?q=x&body=BCA&body=" + url.QueryEscape("bộ công an"), 200, ""},
		{"search an empty body filters nothing", "GET", "/api/v1/search?q=x&body=", 200, ""},
		{"search 21 bodies", "GET", "/api/v1/search?q=x" + strings.Repeat("&body=BCA", 21), 400, "at most 20 body filters"},
		{"search a body too long", "GET", "/api/v1/search?q=x&body=" + strings.Repeat("a", 201), 400, "body must be at most 200 characters"},
		{"search q twice", "GET", "/api/v1/search?q=a&q=b", 400, "q must be given once"},
		{"search limit twice", "GET", "/api/v1/search?q=a&limit=1&limit=2", 400, "limit must be given once"},
		{"search a misspelt parameter", "GET", "/api/v1/search?q=a&limt=5", 400, `unknown parameter "limt": /api/v1/search takes q, limit, offset, from, to, body`},
		{"search a parameter name not UTF-8", "GET", "/api/v1/search?q=a&%ff=1", 400, "unknown parameter"},
		{"search a bad escape", "GET", "/api/v1/search?q=%zz", 400, "the query string is malformed"},
		{"search a semicolon", "GET", "/api/v1/search?q=a;limit=5", 400, "the query string is malformed"},
		// suggest
		{"suggest q twice", "GET", "/api/v1/suggest?q=a&q=b", 400, "q must be given once"},
		{"suggest unknown parameter", "GET", "/api/v1/suggest?q=a&offset=1", 400, `unknown parameter "offset"`},
		{"suggest limit not UTF-8", "GET", "/api/v1/suggest?q=a&limit=%ff", 400, "limit is not valid UTF-8"},
		// analyze
		{"analyze text not UTF-8", "GET", "/api/v1/analyze?text=%ff", 400, "text is not valid UTF-8"},
		{"analyze text empty", "GET", "/api/v1/analyze?text=", 400, "text is required"},
		{"analyze text too long", "GET", "/api/v1/analyze?text=" + strings.Repeat("a", 10001), 400, "at most 10000 characters"},
		{"analyze text twice", "GET", "/api/v1/analyze?text=a&text=b", 400, "text must be given once"},
		{"analyze unknown parameter", "GET", "/api/v1/analyze?q=a", 400, `unknown parameter "q"`},
		// passages and documents: ids
		{"document", "GET", doc, 200, ""},
		{"document with a parameter", "GET", doc + "?full=1", 400, `unknown parameter "full": /api/v1/documents/:id takes no parameters`},
		{"document id not UTF-8", "GET", "/api/v1/documents/%ff%fe", 400, "id is not valid UTF-8"},
		{"document id huge", "GET", "/api/v1/documents/" + strings.Repeat("a", 513), 400, "id must be at most 512 bytes"},
		{"document id long but allowed", "GET", "/api/v1/documents/" + strings.Repeat("a", 512), 404, `document "aaa`},
		{"document unknown id says no internals", "GET", "/api/v1/documents/nope", 404, `document "nope"`},
		{"document empty id", "GET", "/api/v1/documents/", 404, "no such path"},
		{"passage id not UTF-8", "GET", "/api/v1/passages/%c4%23", 400, "id is not valid UTF-8"},
		{"passage id huge", "GET", "/api/v1/passages/" + strings.Repeat("%23", 600), 400, "id must be at most 512 bytes"},
		{"passage of a document id", "GET", "/api/v1/passages/000_ccc4d5c2107aed12", 404, `passage "000_ccc4d5c2107aed12"`},
		{"passage with a parameter", "GET", "/api/v1/passages/000_ccc4d5c2107aed12%230?x", 400, `unknown parameter "x"`},
		// bodies
		{"bodies with a parameter", "GET", "/api/v1/bodies?limit=5", 400, `unknown parameter "limit"`},
		// methods
		{"DELETE on search", "DELETE", "/api/v1/search?q=x", 405, "DELETE is not allowed on /api/v1/search"},
		{"PUT on healthz", "PUT", "/healthz", 405, "PUT is not allowed"},
		{"POST on suggest", "POST", "/api/v1/suggest?q=x", 405, "POST is not allowed"},
		{"POST on a passage", "POST", "/api/v1/passages/x", 405, "POST is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, tt.method, tt.target)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
			if tt.status == http.StatusOK {
				return
			}
			var e apiError
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), rec.Body.String())
			assert.Contains(t, e.Error.Message, tt.message)
			assert.NotEmpty(t, e.Error.Code)
			if tt.status == http.StatusMethodNotAllowed {
				assert.NotEmpty(t, rec.Header().Get("Allow"), "a 405 says which methods are allowed")
			}
		})
	}
}

// TestDateFilterBounds checks that an accepted date range filters as documented: inclusive, each bound
// at its own precision.
func TestDateFilterBounds(t *testing.T) {
	tests := []struct {
		from, to string
	}{
		{"2023", "2023"},
		{"2023-02", "2023-12"},
		{"2022-01-01", "2023-02-28"},
	}
	for _, tt := range tests {
		t.Run(tt.from+".."+tt.to, func(t *testing.T) {
			rec := get(t, "/api/v1/search?q=chuyen+doi+so&limit=100&from="+tt.from+"&to="+tt.to)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			var resp search.Response
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
			require.NotEmpty(t, resp.Results)
			for _, r := range resp.Results {
				assert.GreaterOrEqual(t, r.Date, tt.from[:min(len(tt.from), len(r.Date))], r.ID)
				assert.LessOrEqual(t, r.Date[:min(len(tt.to), len(r.Date))], tt.to, r.ID)
			}
		})
	}
}

// TestHeadAnswersLikeGet checks that every read answers HEAD as HTTP requires (monitors and link
// checkers probe with curl -I): the status and headers of the GET, and no body on a real server.
func TestHeadAnswersLikeGet(t *testing.T) {
	srv := httptest.NewServer(seedHandler(t))
	defer srv.Close()
	for _, tt := range []struct {
		target, contentType string
		status              int
	}{
		{"/healthz", "application/json; charset=utf-8", 200},
		{"/api/v1/search?q=dinh+danh", "application/json; charset=utf-8", 200},
		{"/api/v1/search?q=", "application/json; charset=utf-8", 400},
		{"/api/v1/documents/000_ccc4d5c2107aed12", "application/json; charset=utf-8", 200},
		{"/api/v1/documents/nope", "application/json; charset=utf-8", 404},
		{"/api/v1/suggest?q=dinh+d", "application/json; charset=utf-8", 200},
		{"/api/v1/openapi.json", "application/json; charset=utf-8", 200},
		{"/", "text/html; charset=utf-8", 200},
		{"/search?q=" + url.QueryEscape("định danh"), "text/html; charset=utf-8", 200},
		{"/documents/000_ccc4d5c2107aed12", "text/html; charset=utf-8", 200},
		{"/static/style.css", "text/css; charset=utf-8", 200},
	} {
		t.Run(tt.target, func(t *testing.T) {
			resp, err := http.Head(srv.URL + tt.target)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.contentType, resp.Header.Get("Content-Type"))
			assert.NotEmpty(t, resp.Header.Get("Content-Security-Policy"))
			assert.Empty(t, body)
		})
	}
	// A 405 lists HEAD beside GET.
	rec := do(t, http.MethodPost, "/api/v1/search?q=a")
	require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Contains(t, rec.Header().Get("Allow"), "HEAD")
}
