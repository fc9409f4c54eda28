package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/search"
)

// openapiCase is one real request to the real handler; its response must be what api/openapi.json
// says for that operation and status.
type openapiCase struct {
	name, method, target string
	body                 string
	header               http.Header
	status               int
}

// openapiCases exercise every operation of the document, with its errors. Adding an endpoint is one
// line here (and its description in api/openapi.json).
var openapiCases = []openapiCase{
	{"search", "GET", "/api/v1/search?q=dinh+danh+dien+tu+40+trieu", "", nil, 200},
	{"search with every filter", "GET", "/api/v1/search?q=chuyen+doi+so&limit=3&offset=1&body=BCA&body=" + url.QueryEscape("Văn phòng Chính phủ") + "&from=2022&to=2024-12-31", "", nil, 200},
	{"search typed with tones", "GET", "/api/v1/search?q=" + url.QueryEscape("định danh điện tử"), "", nil, 200},
	{"search with a typo (fuzzy)", "GET", "/api/v1/search?q=nguoii", "", nil, 200},
	{"search matching nothing", "GET", "/api/v1/search?q=xyzzyq", "", nil, 200},
	{"search punctuation only", "GET", "/api/v1/search?q=%21%21", "", nil, 200},
	{"search without q", "GET", "/api/v1/search", "", nil, 400},
	{"search limit too big", "GET", "/api/v1/search?q=x&limit=101", "", nil, 400},
	{"search from after to", "GET", "/api/v1/search?q=x&from=2024&to=2023", "", nil, 400},
	{"search unknown parameter", "GET", "/api/v1/search?q=x&sort=date", "", nil, 400},
	{"search wrong method", "POST", "/api/v1/search?q=x", "", nil, 405},
	{"suggest", "GET", "/api/v1/suggest?q=dinh+danh+dien+t", "", nil, 200},
	{"suggest nothing", "GET", "/api/v1/suggest?q=xyzzy+q&limit=3", "", nil, 200},
	{"suggest without q", "GET", "/api/v1/suggest", "", nil, 400},
	{"suggest limit too big", "GET", "/api/v1/suggest?q=d&limit=50", "", nil, 400},
	{"analyze", "GET", "/api/v1/analyze?text=" + url.QueryEscape("Định danh hoà khỏe 99,73%"), "", nil, 200},
	{"analyze one syllable (no bigram)", "GET", "/api/v1/analyze?text=a", "", nil, 200},
	{"analyze without text", "GET", "/api/v1/analyze", "", nil, 400},
	{"passage", "GET", "/api/v1/passages/004_8ad28276ef6928e8%231", "", nil, 200},
	{"passage unknown", "GET", "/api/v1/passages/nope%231", "", nil, 404},
	{"passage id not UTF-8", "GET", "/api/v1/passages/%ff", "", nil, 400},
	{"document", "GET", "/api/v1/documents/004_8ad28276ef6928e8", "", nil, 200},
	{"document unknown", "GET", "/api/v1/documents/nope", "", nil, 404},
	{"document with a parameter", "GET", "/api/v1/documents/nope?x=1", "", nil, 400},
	{"bodies", "GET", "/api/v1/bodies", "", nil, 200},
	{"bodies with a parameter", "GET", "/api/v1/bodies?x", "", nil, 400},
	{"openapi", "GET", "/api/v1/openapi.json", "", nil, 200},
	{"healthz", "GET", "/healthz", "", nil, 200},
	{"healthz wrong method", "DELETE", "/healthz", "", nil, 405},
	{"page", "GET", "/", "", nil, 200},
	{"page search", "GET", "/search?q=dinh+danh", "", nil, 200},
	{"page search bad limit", "GET", "/search?q=x&limit=0", "", nil, 400},
	{"stylesheet", "GET", "/static/style.css", "", nil, 200},
	{"script", "GET", "/static/app.js?v=1", "", nil, 200},
	{"static unknown", "GET", "/static/nope.js", "", nil, 404},
	{"static unknown, from a browser", "GET", "/static/nope.css", "", http.Header{"Accept": {"text/html"}}, 404},
	{"page with an empty q", "GET", "/?q=", "", nil, 400},
	{"page with a malformed query string", "GET", "/?q=a;b", "", nil, 400},
	{"page search with a malformed query string", "GET", "/search?q=%zz", "", nil, 400},
	{"document page", "GET", "/documents/004_8ad28276ef6928e8?p=1&q=dinh+danh", "", nil, 200},
	{"document page unknown", "GET", "/documents/nope", "", nil, 404},
	{"document page unknown passage", "GET", "/documents/004_8ad28276ef6928e8?p=999", "", nil, 404},
	{"unknown path", "GET", "/api/v2/search", "", nil, 404},
	{"unknown path under v1", "GET", "/api/v1/nothing", "", nil, 404},
}

// openapiCaseBodies: what the response of a case must hold for the case to exercise what it is named
// for (optional fields, above all).
var openapiCaseBodies = map[string]string{
	"search":                           `"suggestion":"định danh điện tử 40 triệu"`,
	"search with a typo (fuzzy)":       `"fuzzy":true`,
	"search matching nothing":          `"results":[]`,
	"suggest":                          `{"suggestions":["định danh điện tử"]}`,
	"suggest nothing":                  `{"suggestions":[]}`,
	"analyze one syllable (no bigram)": `"bigram":[]`,
}

// openapiWriteCases run in order against a server with an admin token and its own index of the seeds,
// so a document is added, replaced and removed; the plain server above answers writes with 403.
var openapiWriteCases = []openapiCase{
	{"put without a token configured", "PUT", "/api/v1/documents/tb-1", `{"text": "Thông báo."}`, nil, 403},
	{"put new", "PUT", "/api/v1/documents/tb-1", `{"title": "Thông báo", "date": "2024-05-10", "text": "Kiện toàn Ban Chỉ đạo chuyển đổi số."}`, bearer(testToken), 201},
	{"put replacing", "PUT", "/api/v1/documents/tb-1", `{"id": "tb-1", "text": "Kiện toàn Ban Chỉ đạo chuyển đổi số quốc gia."}`, bearer(testToken), 200},
	{"put without a token", "PUT", "/api/v1/documents/tb-1", `{"text": "x"}`, nil, 401},
	{"put with a wrong token", "PUT", "/api/v1/documents/tb-1", `{"text": "x"}`, bearer("wrong"), 401},
	{"put bad JSON", "PUT", "/api/v1/documents/tb-1", `{"text": `, bearer(testToken), 400},
	{"put another id in the body", "PUT", "/api/v1/documents/tb-1", `{"id": "tb-2", "text": "x"}`, bearer(testToken), 400},
	{"put over 10 MB", "PUT", "/api/v1/documents/tb-1", `{"text": "` + strings.Repeat("a ", 6<<20) + `"}`, bearer(testToken), 413},
	{"delete", "DELETE", "/api/v1/documents/tb-1", "", bearer(testToken), 200},
	{"delete unknown", "DELETE", "/api/v1/documents/tb-1", "", bearer(testToken), 404},
	{"delete without a token", "DELETE", "/api/v1/documents/tb-1", "", nil, 401},
}

// bearer is the header of a write: the token and, for its body, the JSON content type.
func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}, "Content-Type": {"application/json"}}
}

func init() {
	// The pages, the stylesheet and the script are text: their bodies are checked as strings.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/css", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/javascript", openapi3filter.PlainBodyDecoder)
}

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapiJSON)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(loader.Context), "api/openapi.json is a valid OpenAPI 3 document")
	return doc
}

func TestOpenAPIDescribesEveryResponse(t *testing.T) {
	doc := loadOpenAPI(t)
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	errorSchema := doc.Components.Schemas["Error"].Value
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	ctx := context.Background()

	covered := map[string]bool{}
	check := func(t *testing.T, h http.Handler, tc openapiCase) {
		req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		for k, v := range tc.header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, tc.status, rec.Code, rec.Body.String())

		route, pathParams, err := router.FindRoute(req)
		if err != nil {
			// No operation for this method and path: the answer is the JSON error of the contract.
			require.Contains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, rec.Code, "no operation for %s %s: %v", tc.method, tc.target, err)
			assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
			var body any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.NoError(t, errorSchema.VisitJSON(body))
			return
		}
		covered[tc.method+" "+route.Path] = true
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: opts}
		if rec.Code < 300 {
			// The document accepts the requests the server serves.
			req.Body = io.NopCloser(strings.NewReader(tc.body))
			assert.NoError(t, openapi3filter.ValidateRequest(ctx, in))
		}
		if want, ok := openapiCaseBodies[tc.name]; ok {
			assert.Contains(t, rec.Body.String(), want, "the case exercises what it is named for")
		}
		err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in,
			Status:                 rec.Code,
			Header:                 rec.Header(),
			Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
			Options:                opts,
		})
		assert.NoError(t, err, "%s %s → %d %.300s", tc.method, tc.target, rec.Code, rec.Body.String())
	}
	for _, tc := range openapiCases {
		t.Run(tc.name, func(t *testing.T) { check(t, seedHandler(t), tc) })
	}

	for _, tc := range openapiWriteCases[:1] {
		t.Run(tc.name, func(t *testing.T) { check(t, seedHandler(t), tc) })
	}
	writes := writable(t, testToken)
	for _, tc := range openapiWriteCases[1:] {
		t.Run(tc.name, func(t *testing.T) { check(t, writes, tc) })
	}
	limited := New(search.New(seedsIndex(t)), Options{RateLimit: RateLimit{PerSecond: 0.001, Burst: 1}})
	for _, tc := range []openapiCase{
		{"search within the rate limit", "GET", "/api/v1/search?q=so", "", nil, 200},
		{"search over the rate limit", "GET", "/api/v1/search?q=so", "", nil, 429},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, limited, tc) })
	}

	// A write refused for lack of disk space gets the JSON 507 the document describes.
	full := New(search.New(seedsIndex(t)), Options{Writer: fullDiskWriter{}, AdminToken: testToken})
	auth := http.Header{"Authorization": {"Bearer " + testToken}}
	for _, tc := range []openapiCase{
		{"put on a full disk", "PUT", "/api/v1/documents/x", `{"text": "Thông báo."}`, auth, 507},
		{"delete on a full disk", "DELETE", "/api/v1/documents/x", "", auth, 507},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, full, tc) })
	}

	// A request that runs out of time gets the JSON 503 the document describes.
	expired := New(search.New(seedsIndex(t)), Options{RequestTimeout: time.Nanosecond})
	for _, tc := range []openapiCase{
		{"search out of time", "GET", "/api/v1/search?q=dinh+danh", "", nil, 503},
		{"suggest out of time", "GET", "/api/v1/suggest?q=dinh+danh+d", "", nil, 503},
		{"bodies out of time", "GET", "/api/v1/bodies", "", nil, 503},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, expired, tc) })
	}

	t.Run("every operation has a case", func(t *testing.T) {
		for path, item := range doc.Paths.Map() {
			for method := range item.Operations() {
				op := method + " " + path
				assert.True(t, covered[op], "no case exercises %s", op)
			}
		}
	})

	t.Run("every route is described", func(t *testing.T) {
		engine, ok := seedHandler(t).(*gin.Engine)
		require.True(t, ok, "the handler is gin's engine")
		param := regexp.MustCompile(`:([^/]+)`)
		for _, r := range engine.Routes() {
			path := param.ReplaceAllString(r.Path, "{$1}")
			item := doc.Paths.Find(path)
			require.NotNil(t, item, "%s %s is served but not in api/openapi.json", r.Method, r.Path)
			method := r.Method
			if method == http.MethodHead { // HEAD is GET without the body (RFC 9110), described by its GET
				method = http.MethodGet
			}
			assert.NotNil(t, item.GetOperation(method), "%s %s is served but not in api/openapi.json", r.Method, r.Path)
		}
	})
}

// TestOpenAPIServed checks that the served document is the embedded one.
func TestOpenAPIServed(t *testing.T) {
	rec := get(t, "/api/v1/openapi.json")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, openapiJSON, rec.Body.Bytes())
}
