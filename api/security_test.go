package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/search"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	h := writable(t, testToken)
	cases := []struct {
		method, target string
		status         int
		noStore        bool
	}{
		{http.MethodGet, "/", http.StatusOK, true},
		{http.MethodGet, "/search?q=" + url.QueryEscape("định danh"), http.StatusOK, true},
		{http.MethodGet, "/search?q=", http.StatusBadRequest, true},
		{http.MethodGet, "/api/v1/search?q=" + url.QueryEscape("định danh"), http.StatusOK, true},
		{http.MethodGet, "/api/v1/search?limit=0&q=a", http.StatusBadRequest, true},
		{http.MethodGet, "/api/v1/documents/000_ccc4d5c2107aed12", http.StatusOK, true},
		{http.MethodGet, "/healthz", http.StatusOK, true},
		{http.MethodGet, "/no/such/page", http.StatusNotFound, true},
		{http.MethodPost, "/api/v1/search?q=a", http.StatusMethodNotAllowed, true},
		{http.MethodPut, "/api/v1/documents/x", http.StatusUnauthorized, true},
		{http.MethodGet, "/static/style.css", http.StatusOK, false},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.target, func(t *testing.T) {
			rec := send(h, c.method, c.target, "", "")
			require.Equal(t, c.status, rec.Code, rec.Body.String())
			csp := rec.Header().Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
				"frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
				assert.Contains(t, csp, d)
			}
			assert.NotContains(t, csp, "unsafe-inline")
			assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
			assert.Equal(t, "DENY", rec.Header().Get("X-Frame-Options"))
			assert.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
			if c.noStore {
				assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			} else {
				assert.Contains(t, rec.Header().Get("Cache-Control"), "max-age")
			}
		})
	}
}

// The page must hold nothing the policy would block: no inline script, style or event handler.
func TestPageNeedsNoInlineCode(t *testing.T) {
	rec := get(t, "/search?q="+url.QueryEscape("định danh điện tử"))
	require.Equal(t, http.StatusOK, rec.Code)
	body := strings.ToLower(rec.Body.String())
	assert.NotContains(t, body, "<script>")
	assert.NotContains(t, body, "<style")
	assert.NotContains(t, body, " style=")
	assert.NotContains(t, body, " onclick=")
	assert.NotContains(t, body, "javascript:")
}

// A document carrying markup is shown as text: escaped in JSON snippets and on the page.
func TestMarkupInDocumentsIsEscaped(t *testing.T) {
	h := writable(t, testToken)
	text := `Cảnh báo lừa đảo cài ứng dụng giả mạo VNeID: <script>alert(1)</script> kẻ gian gửi đường link ` +
		`<img src=x onerror="alert(2)"> rồi yêu cầu người dân nhập mật khẩu định danh điện tử. "Đừng bấm" & <b>cảnh giác</b>.`
	title := `<script>alert("tiêu đề")</script> Lừa đảo VNeID`
	rec := send(h, http.MethodPut, "/api/v1/documents/lua-dao", testToken, jsonDoc(t, map[string]any{"title": title, "text": text}))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())

	for _, q := range []string{"alert", "lừa đảo VNeID onerror", "script img"} {
		resp := searchOn(t, h, q)
		var hit *search.Result
		for i := range resp.Results {
			if resp.Results[i].DocID == "lua-dao" {
				hit = &resp.Results[i]
			}
		}
		require.NotNil(t, hit, q)
		assert.Equal(t, text, hit.Text, "the text is returned as stored")
		assert.NotContains(t, hit.Snippet, "<script")
		assert.NotContains(t, hit.Snippet, "<img")
		assert.NotContains(t, hit.Snippet, "<b>")
		assert.Contains(t, hit.Snippet, "&lt;")
		// Only <mark> tags remain once the escaped text is accounted for.
		stripped := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(hit.Snippet)
		assert.NotContains(t, stripped, "<")
		assert.NotContains(t, stripped, ">")
	}

	rec = send(h, http.MethodGet, "/search?q=alert", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	page := rec.Body.String()
	assert.Contains(t, page, "lua-dao")
	assert.NotContains(t, page, "<script>alert")
	assert.NotContains(t, page, "<img src=x")
	assert.NotContains(t, page, "<b>cảnh")
	assert.Contains(t, page, "&lt;script&gt;<mark>alert</mark>(", "escaped, the query's word marked, in the title and the snippet")
	assert.Contains(t, page, "&lt;img src=x onerror=")

	// A hostile query is escaped where the page repeats it.
	rec = send(h, http.MethodGet, "/search?q="+url.QueryEscape(`"><script>alert(3)</script>`), "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.NotContains(t, rec.Body.String(), "<script>alert(3)")
}

// Query syntax of other engines is read as words: no field, operator or unclosed quote changes what is
// searched or fails the request.
func TestQuerySyntaxIsText(t *testing.T) {
	plain := searchOn(t, seedHandler(t), "định danh điện tử")
	require.NotEmpty(t, plain.Results)
	for _, q := range []string{
		`+định -danh điện~ tử^5`,
		`định* AND danh OR điện NOT tử`,
		`(định danh) [điện TO tử]`,
		`title:định danh text:điện tử`,
		`/định danh/ điện tử\`,
	} {
		t.Run(q, func(t *testing.T) {
			resp := searchOn(t, seedHandler(t), q)
			require.NotEmpty(t, resp.Results)
			assert.Equal(t, plain.Results[0].ID, resp.Results[0].ID)
		})
	}
	for _, q := range []string{`title:x +y -z "a`, `"`, `*`, `\`, `a:`, `{!}`, `~~~`, `"" "" ""`} {
		t.Run(q, func(t *testing.T) {
			rec := get(t, "/api/v1/search?q="+url.QueryEscape(q))
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		})
	}
}

// Ids shaped like paths, encoded separators, control characters or megabytes of text get a clean JSON
// answer, for reads and for writes.
func TestHostileIDs(t *testing.T) {
	h := writable(t, testToken)
	long := strings.Repeat("a", 10<<10)
	cases := []struct {
		id         string
		read, put  int
		deleteWant int
	}{
		{"..%2F..%2Fetc%2Fpasswd", http.StatusNotFound, http.StatusOK, http.StatusNotFound},
		// Not writable: a browser drops a ".." segment, so the page could not link to it.
		{"%2E%2E", http.StatusNotFound, http.StatusBadRequest, http.StatusNotFound},
		{"a%00b", http.StatusBadRequest, http.StatusBadRequest, http.StatusBadRequest},
		{"a%0Ab", http.StatusBadRequest, http.StatusBadRequest, http.StatusBadRequest},
		{"%FF%FE", http.StatusBadRequest, http.StatusBadRequest, http.StatusBadRequest},
		{long, http.StatusBadRequest, http.StatusBadRequest, http.StatusBadRequest},
		{"doc:000_ccc4d5c2107aed12", http.StatusNotFound, http.StatusOK, http.StatusNotFound},
		{"%2A", http.StatusNotFound, http.StatusOK, http.StatusNotFound},
	}
	for _, c := range cases {
		t.Run(c.id[:min(len(c.id), 30)], func(t *testing.T) {
			for _, kind := range []string{"documents", "passages"} {
				rec := send(h, http.MethodGet, "/api/v1/"+kind+"/"+c.id, "", "")
				assertJSONError(t, rec, c.read)
				assert.LessOrEqual(t, rec.Body.Len(), 2048, "the answer does not echo a huge id")
			}
			rec := send(h, http.MethodDelete, "/api/v1/documents/"+c.id, testToken, "")
			assertJSONError(t, rec, c.deleteWant)
			rec = send(h, http.MethodPut, "/api/v1/documents/"+c.id, testToken, `{"text":"Chuyển đổi số ở xã vùng cao."}`)
			if c.put == http.StatusOK {
				// A strange but harmless id is just a key: stored, found under itself, deleted.
				require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
				var w writeResult
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &w))
				assert.Equal(t, http.StatusOK, send(h, http.MethodGet, "/api/v1/documents/"+c.id, "", "").Code)
				assert.Equal(t, http.StatusOK, send(h, http.MethodDelete, "/api/v1/documents/"+c.id, testToken, "").Code)
				return
			}
			assertJSONError(t, rec, c.put)
		})
	}
	// Unescaped dots and slashes never reach a handler: no route, 404 JSON.
	for _, target := range []string{"/api/v1/documents/../../etc/passwd", "/api/v1/documents/a/b", "/api/v1/passages/../x"} {
		assertJSONError(t, send(h, http.MethodGet, target, "", ""), http.StatusNotFound)
	}
}
