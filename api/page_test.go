package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/search"
	"github.com/tracuu/tracuu/seeds"
)

// hostile is a document whose title, text and source try to inject markup into the page.
var hostile = corpus.Document{
	ID:     "vb-2024-<b>",
	Title:  `<script>alert("title")</script> Định danh & "xác thực"`,
	Date:   "2024-05-06",
	Source: "javascript:alert(1)",
	Text: "<script>alert(\"title\")</script> Định danh & \"xác thực\"\n\n" +
		`Hệ thống định danh <img src=x onerror=alert(1)> điện tử cấp tài khoản cho công dân & doanh nghiệp.` + "\n\n" +
		`Đoạn thứ hai nói về căn cước </mark><script>alert(2)</script> gắn chíp.`,
}

var (
	hostileOnce     sync.Once
	hostileSearcher *search.Searcher
	hostileHandler  http.Handler
)

// pageHandler is the real handler over the seeds plus the hostile document.
func pageHandler(t *testing.T) http.Handler {
	t.Helper()
	hostileOnce.Do(func() {
		docs, err := corpus.LoadFS(seeds.FS)
		require.NoError(t, err)
		idx, err := indexer.NewMemory()
		require.NoError(t, err)
		_, err = indexer.Add(context.Background(), idx, append(docs, hostile), nil)
		require.NoError(t, err)
		hostileSearcher = search.New(idx)
		hostileHandler = New(hostileSearcher, Options{})
	})
	return hostileHandler
}

// browse requests target as a browser would and parses the answer.
func browse(t *testing.T, h http.Handler, target string) (*httptest.ResponseRecorder, *html.Node) {
	t.Helper()
	target, _, _ = strings.Cut(target, "#") // a browser keeps the fragment to itself
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	doc, err := html.Parse(strings.NewReader(rec.Body.String()))
	require.NoError(t, err)
	return rec, doc
}

// find returns the elements under n that match.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			out = append(out, d)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return slices.Contains(strings.Fields(attr(n, "class")), class) }
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

// in finds the elements matching inner under the elements matching outer.
func in(n *html.Node, outer, inner func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for _, o := range find(n, outer) {
		out = append(out, find(o, inner)...)
	}
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// shownText is the text of n as shown on screen, without what is there for screen readers only.
func shownText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case !hasClass("sr-only")(c):
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// apiSearch runs the same search through the JSON API.
func apiSearch(t *testing.T, h http.Handler, params url.Values) search.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/search?"+params.Encode(), nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var resp search.Response
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
	return resp
}

func TestPageEscapesQueriesAndDocuments(t *testing.T) {
	h := pageHandler(t)
	for _, tc := range []struct {
		name, target string
		raw          []string // must not appear as markup
	}{
		{"script in the query", "/search?q=" + url.QueryEscape(`<script>alert(1)</script> định danh`),
			[]string{"<script>alert(1)"}},
		{"attribute break-out in the query", "/search?q=" + url.QueryEscape(`"><img src=x onerror=alert(1)> định danh`),
			[]string{"<img src=x", `"><img`}},
		{"markup in a found document", "/search?q=" + url.QueryEscape("định danh điện tử công dân doanh nghiệp"),
			[]string{"<img src=x", `<script>alert("title")`}},
		{"markup in a body filter", "/search?q=dinh+danh&body=" + url.QueryEscape(`<b>x</b>`),
			[]string{"<b>x</b>"}},
		{"the hostile document, whole", "/documents/" + url.PathEscape(hostile.ID),
			[]string{"<img src=x", `<script>alert(`, "</mark><script>", `href="javascript:`}},
		{"the hostile document", "/documents/" + url.PathEscape(hostile.ID) + "?p=0&q=" + url.QueryEscape("<i>q</i>"),
			[]string{"<img src=x", `<script>alert(`, "</mark><script>", "<i>q</i>", `href="javascript:`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, doc := browse(t, h, tc.target)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			body := rec.Body.String()
			for _, raw := range tc.raw {
				assert.NotContains(t, body, raw)
			}
			// The only scripts are the page's own.
			for _, s := range find(doc, tag("script")) {
				assert.True(t, strings.HasPrefix(attr(s, "src"), "/static/app.js?v="), "script %q", attr(s, "src"))
				assert.Empty(t, text(s), "no inline script")
			}
			assert.Empty(t, find(doc, tag("img")))
			assert.Empty(t, find(doc, func(n *html.Node) bool { return attr(n, "style") != "" }), "no inline style")
		})
	}

	// What was escaped is still shown as text.
	_, doc := browse(t, h, "/search?q="+url.QueryEscape("định danh điện tử công dân doanh nghiệp"))
	var titles []string
	for _, a := range in(doc, hasClass("results"), tag("h2")) {
		titles = append(titles, shownText(a))
	}
	assert.Contains(t, titles, hostile.Title)
}

func TestPageFilterLinks(t *testing.T) {
	h := pageHandler(t)
	const q = "dinh danh dien tu"
	_, doc := browse(t, h, "/search?q="+url.QueryEscape(q))
	all := apiSearch(t, h, url.Values{"q": {q}})
	require.NotEmpty(t, all.Facets.Bodies)
	require.Greater(t, len(all.Facets.Years), 1)

	// Every body of the facet has a link with its count, and following it filters by that body.
	bodyLinks := in(doc, hasClass("facet"), tag("a"))
	require.Len(t, bodyLinks, len(all.Facets.Bodies))
	for i, f := range all.Facets.Bodies[:3] {
		t.Run("body "+f.Value, func(t *testing.T) {
			a := bodyLinks[i]
			assert.Contains(t, text(a), f.Value)
			assert.Contains(t, text(a), "("+strconv.Itoa(f.Count)+")")
			href := attr(a, "href")
			u, err := url.Parse(href)
			require.NoError(t, err)
			assert.Equal(t, []string{f.Value}, u.Query()["body"])
			assert.Equal(t, q, u.Query().Get("q"))

			rec, filtered := browse(t, h, href)
			require.Equal(t, http.StatusOK, rec.Code)
			res := apiSearch(t, h, u.Query())
			assert.Equal(t, uint64(f.Count), res.Total, "the facet count is what the filter finds")
			for _, r := range res.Results {
				assert.Contains(t, r.Bodies, f.Value)
			}
			chips := find(filtered, hasClass("chip"))
			require.Len(t, chips, 1, "the active filter is shown")
			assert.Contains(t, text(chips[0]), f.Value)
			back, err := url.Parse(attr(chips[0], "href"))
			require.NoError(t, err)
			assert.Equal(t, url.Values{"q": {q}}, back.Query(), "the chip removes the filter")
			on := find(filtered, func(n *html.Node) bool { return n.Data == "a" && attr(n, "aria-current") == "true" })
			require.Len(t, on, 1)
			assert.Contains(t, text(on[0]), f.Value)
		})
	}

	// Past the first bodies the list is folded away, and unfolded when one of those is the filter.
	more := find(doc, hasClass("more"))
	require.Len(t, more, 1, "%d bodies", len(all.Facets.Bodies))
	assert.Empty(t, attr(more[0], "open"))
	_, filtered := browse(t, h, attr(bodyLinks[len(bodyLinks)-1], "href"))
	more = find(filtered, hasClass("more"))
	require.Len(t, more, 1)
	assert.True(t, slices.ContainsFunc(more[0].Attr, func(a html.Attribute) bool { return a.Key == "open" }))

	// The chart lists the years in order, with their counts, each a link to a year filter.
	rows := in(doc, hasClass("chart"), func(n *html.Node) bool { return n.Data == "tr" && n.Parent.Data == "tbody" })
	require.Len(t, rows, len(all.Facets.Years))
	var years []string
	for _, row := range rows {
		years = append(years, strings.TrimSpace(text(find(row, tag("th"))[0])))
	}
	assert.True(t, slices.IsSorted(years), "years in order: %v", years)
	for _, row := range rows {
		year := strings.TrimSpace(text(find(row, tag("th"))[0]))
		t.Run("year "+year, func(t *testing.T) {
			i := slices.IndexFunc(all.Facets.Years, func(f search.FacetValue) bool { return f.Value == year })
			require.GreaterOrEqual(t, i, 0)
			assert.Equal(t, strconv.Itoa(all.Facets.Years[i].Count), strings.TrimSpace(text(find(row, tag("td"))[0])))
			assert.NotEmpty(t, find(row, hasClass("bar")))
			u, err := url.Parse(attr(find(row, tag("a"))[0], "href"))
			require.NoError(t, err)
			assert.Equal(t, year, u.Query().Get("from"))
			assert.Equal(t, year, u.Query().Get("to"))
			res := apiSearch(t, h, u.Query())
			assert.Equal(t, uint64(all.Facets.Years[i].Count), res.Total)
			for _, r := range res.Results {
				assert.True(t, strings.HasPrefix(r.Date, year), r.Date)
			}
			// With the year chosen, the chart still shows every year and marks the chosen one.
			_, filtered := browse(t, h, u.String())
			on := in(filtered, hasClass("chart"), hasClass("on"))
			require.Len(t, on, 1)
			assert.Contains(t, text(on[0]), year)
			assert.Len(t, in(filtered, hasClass("chart"), tag("tr")), len(rows)+1)
		})
	}
}

func TestPagePaging(t *testing.T) {
	h := pageHandler(t)
	const q = "chuyển đổi số"
	total := apiSearch(t, h, url.Values{"q": {q}, "limit": {"5"}}).Total
	require.Greater(t, total, uint64(15), "enough results for several pages")
	pages := int((total + 4) / 5)

	for _, tc := range []struct {
		offset    int
		page      int
		prev      bool
		next      bool
		prevValue string // offset of the previous page, "" for none in the link
	}{
		{0, 1, false, true, ""},
		{5, 2, true, true, ""},
		{10, 3, true, true, "5"},
		{(pages - 1) * 5, pages, true, false, strconv.Itoa((pages - 2) * 5)},
	} {
		t.Run("page "+strconv.Itoa(tc.page), func(t *testing.T) {
			rec, doc := browse(t, h, "/search?"+url.Values{"q": {q}, "limit": {"5"}, "offset": {strconv.Itoa(tc.offset)}}.Encode())
			require.Equal(t, http.StatusOK, rec.Code)
			cur := find(doc, func(n *html.Node) bool { return attr(n, "aria-current") == "page" })
			require.Len(t, cur, 1)
			assert.Equal(t, "Trang "+strconv.Itoa(tc.page), text(cur[0]))
			// Every page link says what it is, the current one too: a screen reader's list of links
			// shows them out of the navigation, where a bare "3" means nothing.
			for _, a := range in(doc, hasClass("pages"), tag("a")) {
				assert.Regexp(t, `^(Trang \d+|← Trang trước|Trang sau →)$`, text(a))
			}
			ol := in(doc, hasClass("results"), tag("ol"))
			require.Len(t, ol, 1)
			assert.Equal(t, strconv.Itoa(tc.offset+1), attr(ol[0], "start"), "results are numbered across pages")
			status := find(doc, func(n *html.Node) bool { return attr(n, "role") == "status" })
			require.Len(t, status, 1)
			assert.Contains(t, text(status[0]), "trang "+strconv.Itoa(tc.page)+"/"+strconv.Itoa(pages))
			// The title, which a screen reader reads first on a new page, says it too.
			assert.Equal(t, fmt.Sprintf("%s: %d kết quả, trang %d/%d – tracuu", q, total, tc.page, pages), text(find(doc, tag("title"))[0]))

			link := func(rel string) *url.URL {
				as := find(doc, func(n *html.Node) bool { return attr(n, "rel") == rel })
				if len(as) == 0 {
					return nil
				}
				u, err := url.Parse(attr(as[0], "href"))
				require.NoError(t, err)
				return u
			}
			if next := link("next"); assert.Equal(t, tc.next, next != nil) && next != nil {
				assert.Equal(t, strconv.Itoa(tc.offset+5), next.Query().Get("offset"))
				assert.Equal(t, q, next.Query().Get("q"))
				assert.Equal(t, "5", next.Query().Get("limit"))
			}
			if prev := link("prev"); assert.Equal(t, tc.prev, prev != nil) && prev != nil {
				assert.Equal(t, tc.prevValue, prev.Query().Get("offset"))
			}
		})
	}
}

func TestPageDocumentMarksThePassage(t *testing.T) {
	h := pageHandler(t)
	for _, q := range []string{"dinh danh dien tu 40 trieu", "căn cước gắn chíp"} {
		t.Run(q, func(t *testing.T) {
			_, doc := browse(t, h, "/search?q="+url.QueryEscape(q))
			links := in(doc, hasClass("results"), func(n *html.Node) bool { return n.Data == "a" && n.Parent.Data == "h2" })
			require.NotEmpty(t, links)
			top := apiSearch(t, h, url.Values{"q": {q}}).Results[0]
			href := attr(links[0], "href")
			assert.True(t, strings.HasSuffix(href, "#passage"), href)

			rec, page := browse(t, h, href)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			marks := find(page, hasClass("passage"))
			require.NotEmpty(t, marks)
			assert.Equal(t, "passage", attr(marks[0], "id"), "the link's fragment lands on the passage")
			var marked []string
			for _, m := range marks {
				marked = append(marked, text(m))
			}
			assert.Equal(t, strings.Join(strings.Fields(top.Text), " "), strings.Join(strings.Fields(strings.Join(marked, " ")), " "),
				"exactly the passage is marked")
			assert.Contains(t, text(page), "Bắt đầu đoạn được tìm thấy", "screen readers hear where it starts")
			assert.Contains(t, text(page), "Kết thúc đoạn được tìm thấy", "and where it ends")
			assert.Equal(t, top.Title, text(find(page, tag("h1"))[0]))
			back := find(page, func(n *html.Node) bool { return n.Parent != nil && hasClass("crumbs")(n.Parent) })
			require.NotEmpty(t, back)
			assert.Equal(t, "/search?q="+url.QueryEscape(q), attr(back[0], "href"))
		})
	}

	// Without p the document is shown whole, nothing marked.
	rec, page := browse(t, h, "/documents/000_ccc4d5c2107aed12")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Empty(t, find(page, tag("mark")))
	assert.Contains(t, text(page), "40 triệu tài khoản định danh điện tử")
}

func TestPageNotFoundIsHTML(t *testing.T) {
	h := pageHandler(t)
	for _, tc := range []struct {
		target string
		accept string
		html   bool
	}{
		{"/documents/khong_co", "text/html", true},
		{"/documents/000_ccc4d5c2107aed12?p=9999", "text/html", true},
		{"/documents/000_ccc4d5c2107aed12?p=abc", "", true},
		{"/trang-khong-co", "text/html,*/*", true},
		{"/trang-khong-co", "application/json", false},
		{"/api/v1/khong-co", "text/html", false},
		{"/static/khong-co.js", "", false},
		{"/static/nope.css", "text/html", true}, // a browser opening a stale link, as any other path
		{"/static/nope.css", "text/css,*/*;q=0.1", false},
		{"/static/style.css/x", "text/html", true},
	} {
		t.Run(tc.target+" "+tc.accept, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tc.target, nil)
			req.Header.Set("Accept", tc.accept)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, http.StatusNotFound, rec.Code)
			if tc.html {
				assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
				assert.Contains(t, rec.Body.String(), `<html lang="vi">`)
				assert.Contains(t, rec.Body.String(), "<h1>Không tìm thấy ") // trang, văn bản or đoạn văn
				assert.Contains(t, rec.Body.String(), `<input id="q"`, "the page offers a search")
			} else {
				assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
				assert.Contains(t, rec.Body.String(), `"not_found"`)
			}
		})
	}
}

func TestPageHelpsWhenNothingIsFound(t *testing.T) {
	h := pageHandler(t)
	for _, tc := range []struct {
		name, target string
		status       int
		says         string // besides the tips and examples
	}{
		{"home", "/", http.StatusOK, "Tra cứu văn bản về chuyển đổi số"},
		{"no match", "/search?q=" + url.QueryEscape("xyzzyqw plughvb"), http.StatusOK, "Không tìm thấy đoạn văn nào"},
		{"nothing in the year", "/search?q=" + url.QueryEscape("định danh điện tử") + "&from=1999&to=1999", http.StatusOK, "bỏ bộ lọc"},
		{"empty query", "/search?q=+", http.StatusBadRequest, "Hãy gõ từ cần tìm"},
		{"bad date", "/search?q=a&from=2023-13", http.StatusBadRequest, "dates must be YYYY, YYYY-MM or YYYY-MM-DD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, doc := browse(t, h, tc.target)
			assert.Equal(t, tc.status, rec.Code)
			assert.Contains(t, text(doc), tc.says)
			examples := in(doc, hasClass("examples"), tag("a"))
			require.NotEmpty(t, examples, "example queries are offered")
			for _, a := range examples {
				u, err := url.Parse(attr(a, "href"))
				require.NoError(t, err)
				assert.NotZero(t, apiSearch(t, h, u.Query()).Total, "example %q finds something", text(a))
			}
			assert.NotEmpty(t, find(doc, hasClass("tips")))
			if tc.status == http.StatusBadRequest {
				assert.NotEmpty(t, find(doc, func(n *html.Node) bool { return attr(n, "role") == "alert" }))
			}
		})
	}
}

func TestPageSuggestion(t *testing.T) {
	h := pageHandler(t)
	for _, tc := range []struct{ q, want string }{
		{"dinh danh dien tu", "định danh điện tử"},
		{"ddinhj danh", "định danh"},
		{"định danh điện tử", ""}, // typed as the engine understands it: nothing to suggest
	} {
		t.Run(tc.q, func(t *testing.T) {
			_, doc := browse(t, h, "/search?q="+url.QueryEscape(tc.q))
			lines := find(doc, hasClass("suggestion"))
			if tc.want == "" {
				assert.Empty(t, lines)
				return
			}
			require.Len(t, lines, 1)
			assert.Equal(t, "Kết quả cho: "+tc.want, strings.TrimSpace(text(lines[0])))
			u, err := url.Parse(attr(find(lines[0], tag("a"))[0], "href"))
			require.NoError(t, err)
			assert.Equal(t, tc.want, u.Query().Get("q"))
		})
	}
}

func TestPageStaticFiles(t *testing.T) {
	h := pageHandler(t)
	_, doc := browse(t, h, "/")
	css := find(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "stylesheet" })
	js := find(doc, tag("script"))
	require.Len(t, css, 1)
	require.Len(t, js, 1)
	for _, tc := range []struct{ href, ctype string }{
		{attr(css[0], "href"), "text/css; charset=utf-8"},
		{attr(js[0], "src"), "text/javascript; charset=utf-8"},
	} {
		rec, _ := browse(t, h, tc.href)
		assert.Equal(t, http.StatusOK, rec.Code, tc.href)
		assert.Equal(t, tc.ctype, rec.Header().Get("Content-Type"))
		assert.NotEmpty(t, rec.Body.String())
	}
}

func TestPageTimeoutIsHTML(t *testing.T) {
	pageHandler(t)
	h := New(hostileSearcher, Options{RequestTimeout: time.Nanosecond})
	rec, doc := browse(t, h, "/search?q="+url.QueryEscape("định danh điện tử"))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "Tìm kiếm quá lâu", text(find(doc, tag("h1"))[0]))
}

func TestParagraphsCutAtThePassage(t *testing.T) {
	const text = "Đề án 06.\n\nCấp 40 triệu tài khoản. Định danh điện tử.\nHết."
	at := func(s string) int { return strings.Index(text, s) }
	for _, tc := range []struct {
		name       string
		start, end int
		want       [][]part
	}{
		{"nothing marked", 0, 0, [][]part{
			{{Text: "Đề án 06."}}, {{Text: "Cấp 40 triệu tài khoản. Định danh điện tử."}}, {{Text: "Hết."}}}},
		{"inside a paragraph", at("Định"), at("\nHết"), [][]part{
			{{Text: "Đề án 06."}},
			{{Text: "Cấp 40 triệu tài khoản. "}, {Text: "Định danh điện tử.", Mark: true, First: true, Last: true}},
			{{Text: "Hết."}}}},
		{"across paragraphs", at("tài khoản"), len(text), [][]part{
			{{Text: "Đề án 06."}},
			{{Text: "Cấp 40 triệu "}, {Text: "tài khoản. Định danh điện tử.", Mark: true, First: true}},
			{{Text: "Hết.", Mark: true, Last: true}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, paragraphs(text, tc.start, tc.end))
		})
	}
}

// TestUndatedPassagesHaveNoYear checks that passages without a date add no year to the facets (they
// were counted under the year "") and no empty row to the chart, which showed it as the active filter.
func TestUndatedPassagesHaveNoYear(t *testing.T) {
	h := writable(t, testToken)
	rec := send(h, http.MethodPut, "/api/v1/documents/khong-ngay", testToken,
		`{"title": "Hướng dẫn không ghi ngày", "text": "Người dân tra cứu thủ tục hành chính trên Cổng dịch vụ công quốc gia bằng tài khoản định danh điện tử mức hai."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	params := url.Values{"q": {"tra cứu thủ tục hành chính cổng dịch vụ công"}, "limit": {"100"}}
	resp := apiSearch(t, h, params)
	require.Contains(t, docIDs(resp), "khong-ngay")
	require.NotEmpty(t, resp.Facets.Years, "the dated seeds still give years")
	for _, y := range resp.Facets.Years {
		assert.Regexp(t, `^\d{4}$`, y.Value)
	}

	rec, doc := browse(t, h, "/search?"+params.Encode())
	require.Equal(t, http.StatusOK, rec.Code)
	rows := in(doc, hasClass("chart"), tag("th"))
	require.NotEmpty(t, rows)
	for _, th := range rows {
		if attr(th, "scope") == "row" {
			assert.Regexp(t, `^\d{4}`, strings.TrimSpace(text(th)), "a row of the chart is a year")
		}
	}
	for _, a := range in(doc, hasClass("chart"), tag("a")) {
		assert.Empty(t, attr(a, "aria-current"), "no year is active without a date filter")
	}
}

// TestPageDocumentBadID checks that the document page answers an id no document can have as the API
// does, with 400 (as HTML), and ignores a q that is not text instead of echoing its bytes.
func TestPageDocumentBadID(t *testing.T) {
	h := pageHandler(t)
	for _, target := range []string{
		"/documents/%ff%fe",
		"/documents/%00",
		"/documents/" + strings.Repeat("a", 513),
	} {
		t.Run(target[:min(len(target), 30)], func(t *testing.T) {
			rec, doc := browse(t, h, target)
			assert.Equal(t, http.StatusBadRequest, rec.Code)
			assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
			assert.Contains(t, text(doc), "Địa chỉ này không chứa một mã văn bản hợp lệ.")
			assert.True(t, utf8.Valid(rec.Body.Bytes()))
		})
	}
	rec, doc := browse(t, h, "/documents/000_ccc4d5c2107aed12?p=0&q=%ff%fe")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.True(t, utf8.Valid(rec.Body.Bytes()), "the page is valid UTF-8")
	assert.NotContains(t, text(doc), "Quay lại kết quả")
}

// TestPagePastTheLastPage checks that a page past the last one (an old link after the corpus shrank,
// an offset typed by hand) says there are no more results and leads to the last page, rather than
// showing the search tips of a search that found nothing, or "trang 2000/14" in its title and status,
// which a screen reader reads first. The JSON API answers the same offset with 200, the total and no
// results, as docs/API.md says.
func TestPagePastTheLastPage(t *testing.T) {
	h := pageHandler(t)
	const q = "chuyển đổi số"
	total := apiSearch(t, h, url.Values{"q": {q}, "limit": {"5"}}).Total
	require.NotZero(t, total%5, "a last page not full, so an offset equal to the total is not on a page boundary")
	pages := int((total + 4) / 5)
	last := strconv.Itoa((pages - 1) * 5)
	for _, offset := range []string{"9995", strconv.FormatUint(total, 10)} {
		t.Run("offset "+offset, func(t *testing.T) {
			params := url.Values{"q": {q}, "limit": {"5"}, "offset": {offset}}
			resp := apiSearch(t, h, params)
			assert.Equal(t, total, resp.Total)
			assert.Empty(t, resp.Results)

			rec, doc := browse(t, h, "/search?"+params.Encode())
			require.Equal(t, http.StatusOK, rec.Code)
			assert.Equal(t, fmt.Sprintf("%s: %d kết quả, quá trang cuối – tracuu", q, total), text(find(doc, tag("title"))[0]))
			status := find(doc, func(n *html.Node) bool { return attr(n, "role") == "status" })
			require.Len(t, status, 1)
			assert.Equal(t, fmt.Sprintf("Tìm thấy %d đoạn văn cho «%s». Không còn kết quả nào sau trang cuối (trang %d).", total, q, pages),
				strings.TrimSpace(text(status[0])))
			empty := find(doc, hasClass("empty"))
			require.Len(t, empty, 1)
			assert.Equal(t, fmt.Sprintf("Không còn kết quả nào sau trang cuối. Về trang cuối (trang %d).", pages), strings.TrimSpace(text(empty[0])))
			assert.NotContains(t, text(empty[0]), "Gợi ý tìm kiếm", "the search found something: no tips")
			as := in(doc, hasClass("empty"), tag("a"))
			require.Len(t, as, 1)
			u, err := url.Parse(attr(as[0], "href"))
			require.NoError(t, err)
			assert.Equal(t, last, u.Query().Get("offset"), "the link goes to the last page")
			prev := find(doc, func(n *html.Node) bool { return attr(n, "rel") == "prev" })
			require.Len(t, prev, 1)
			u, err = url.Parse(attr(prev[0], "href"))
			require.NoError(t, err)
			assert.Equal(t, last, u.Query().Get("offset"), "the previous page is the last one")
			assert.Empty(t, find(doc, func(n *html.Node) bool { return attr(n, "aria-current") == "page" }), "no page link is this page")
			assert.Empty(t, find(doc, func(n *html.Node) bool { return attr(n, "rel") == "next" }))
		})
	}
}

// TestPageErrorsInVietnamese checks that what a reader can cause from the search box (a pasted
// passage too long) is explained in Vietnamese, with what to do.
func TestPageErrorsInVietnamese(t *testing.T) {
	h := pageHandler(t)
	for _, tc := range []struct {
		name, q, want string
	}{
		{"too many words", strings.Repeat("a ", 301), "câu tìm có 301 từ, nhiều nhất được 300 từ. Hãy chỉ giữ những từ quan trọng."},
		{"too long", strings.Repeat("định ", 201), "câu tìm dài quá, nhiều nhất được 1000 ký tự. Hãy chỉ giữ những từ quan trọng."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, doc := browse(t, h, "/search?q="+url.QueryEscape(tc.q))
			require.Equal(t, http.StatusBadRequest, rec.Code)
			alert := errorAlert(t, doc)
			assert.Equal(t, "Yêu cầu chưa đúng: "+tc.want, text(alert))
			assert.Empty(t, find(alert, func(n *html.Node) bool { return attr(n, "lang") != "" }), "all in the page's language")
		})
	}
	// A parameter edited by hand keeps the API's words, marked as English so that a screen reader
	// does not read them with the page's Vietnamese voice.
	for _, tc := range []struct{ target, want string }{
		{"/search?q=a&limit=0", "limit must be between 1 and 100"},
		{"/search?q=a&offset=20000", "offset must be between 0 and 10000"},
		{"/search?q=a&from=2024&to=2023", "from (2024) is after to (2023)"},
	} {
		t.Run(tc.target, func(t *testing.T) {
			rec, doc := browse(t, h, tc.target)
			require.Equal(t, http.StatusBadRequest, rec.Code)
			alert := errorAlert(t, doc)
			assert.Equal(t, "Yêu cầu chưa đúng: "+tc.want, text(alert))
			english := find(alert, func(n *html.Node) bool { return attr(n, "lang") == "en" })
			require.Len(t, english, 1)
			assert.Equal(t, tc.want, text(english[0]))
		})
	}
}

// TestPageMalformedQueryString: a page address whose query string cannot be read (a ";", a "%" not
// followed by two hex digits) is a bad request, as in the JSON API: 400 with the error page in
// Vietnamese, not the start page or a document with the parameters silently dropped. The words of a
// q that could be read stay in the box.
func TestPageMalformedQueryString(t *testing.T) {
	h := pageHandler(t)
	for _, tc := range []struct {
		target, box string
	}{
		{"/search?q=a;b", ""},
		{"/search?q=%zz", ""},
		{"/search?q=%C4%91%E1%BB%8Bnh+danh&limit=%zz", "định danh"},
		{"/search?q=%ff&x=%zz", ""}, // a q that is not text is not echoed
		{"/?q=a;b", ""},
		{"/documents/000_ccc4d5c2107aed12?p=1;2", ""},
		{"/documents/000_ccc4d5c2107aed12?p=%zz&q=danh", "danh"},
	} {
		t.Run(tc.target, func(t *testing.T) {
			rec, doc := browse(t, h, tc.target)
			assert.Equal(t, http.StatusBadRequest, rec.Code)
			assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
			assert.Equal(t, "Yêu cầu không hợp lệ", text(find(doc, tag("h1"))[0]))
			alert := errorAlert(t, doc)
			assert.Contains(t, text(alert), "Địa chỉ trang có tham số hỏng")
			box := find(doc, func(n *html.Node) bool { return attr(n, "id") == "q" })
			require.Len(t, box, 1)
			assert.Equal(t, tc.box, attr(box[0], "value"))
		})
	}
}

// TestPageBackToResultsKeepsTheSearch checks that a result's document page leads back to the same
// results page: the query, the body and date filters, the page size and the page itself (the link kept
// only q, so a reader coming back from page 2 of a filtered search landed on page 1 of all results).
func TestPageBackToResultsKeepsTheSearch(t *testing.T) {
	h := pageHandler(t)
	const q = "định danh điện tử"
	all := apiSearch(t, h, url.Values{"q": {q}})
	require.NotEmpty(t, all.Facets.Bodies)
	body := all.Facets.Bodies[0].Value
	byBody := apiSearch(t, h, url.Values{"q": {q}, "body": {body}})
	require.NotEmpty(t, byBody.Facets.Years)
	year := slices.MaxFunc(byBody.Facets.Years, func(a, b search.FacetValue) int { return a.Count - b.Count }).Value
	search := url.Values{"q": {q}, "body": {body}, "from": {year}, "to": {year}, "limit": {"2"}, "offset": {"2"}}
	want := apiSearch(t, h, search)
	require.Greater(t, want.Total, uint64(2), "the filtered search has a second page")
	require.Less(t, want.Total, all.Total, "the filters narrow the search")

	_, doc := browse(t, h, "/search?"+search.Encode())
	links := in(doc, hasClass("results"), func(n *html.Node) bool { return n.Data == "a" && n.Parent.Data == "h2" })
	require.Len(t, links, len(want.Results))
	for i, a := range links {
		t.Run(want.Results[i].ID, func(t *testing.T) {
			rec, page := browse(t, h, attr(a, "href"))
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.NotEmpty(t, find(page, hasClass("passage")), "the passage is marked")
			back := in(page, hasClass("crumbs"), tag("a"))
			require.Len(t, back, 1)
			assert.Contains(t, text(back[0]), "Quay lại kết quả")
			u, err := url.Parse(attr(back[0], "href"))
			require.NoError(t, err)
			assert.Equal(t, "/search", u.Path)
			assert.Equal(t, search, u.Query(), "the way back keeps the whole search")

			// And it leads to the same results.
			_, again := browse(t, h, attr(back[0], "href"))
			var hrefs []string
			for _, a := range in(again, hasClass("results"), func(n *html.Node) bool { return n.Data == "a" && n.Parent.Data == "h2" }) {
				hrefs = append(hrefs, attr(a, "href"))
			}
			assert.Contains(t, hrefs, attr(a, "href"))
		})
	}

	// A q that is not text gives no way back; a filter that is not text is left out of it.
	_, page := browse(t, h, "/documents/000_ccc4d5c2107aed12?p=0&q=danh&body=%ff&from=2023")
	back := in(page, hasClass("crumbs"), tag("a"))
	require.Len(t, back, 1)
	u, err := url.Parse(attr(back[0], "href"))
	require.NoError(t, err)
	assert.Equal(t, url.Values{"q": {"danh"}, "from": {"2023"}}, u.Query())
}

// TestPageBodiesAreLabelled checks that the bodies of a document are introduced as such ("Cơ quan:")
// on its page as on the results page: a bare list of names after the date told a screen reader's user
// nothing of what they were.
func TestPageBodiesAreLabelled(t *testing.T) {
	h := pageHandler(t)
	const q = "định danh điện tử 40 triệu"
	top := apiSearch(t, h, url.Values{"q": {q}}).Results[0]
	require.NotEmpty(t, top.Bodies)
	want := "Cơ quan: " + strings.Join(top.Bodies, ", ")

	_, results := browse(t, h, "/search?q="+url.QueryEscape(q))
	listed := in(results, hasClass("results"), hasClass("bodies"))
	require.NotEmpty(t, listed)
	assert.Equal(t, want, text(listed[0]), "results page")

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/documents/"+url.PathEscape(top.DocID), nil))
	require.Equal(t, http.StatusOK, rec.Code)
	var d search.Document
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
	require.NotEmpty(t, d.Bodies)
	_, page := browse(t, h, "/documents/"+url.PathEscape(top.DocID))
	listed = in(page, hasClass("document"), hasClass("bodies"))
	require.Len(t, listed, 1)
	assert.Equal(t, "Cơ quan: "+strings.Join(d.Bodies, ", "), text(listed[0]), "document page")
}

// TestPageExamplesShowWhatTheyTeach follows each example query the page offers and checks it is
// understood as meant: the Telex example was mistyped (ddienj for ddieenj) and showed "Kết quả cho:
// định danh ddienj tử" with the typo fallback's results.
func TestPageExamplesShowWhatTheyTeach(t *testing.T) {
	h := pageHandler(t)
	understood := []struct{ example, suggestion string }{
		{"định danh điện tử", ""}, // typed as the engine understands it: nothing to suggest
		{"dinh danh dien tu 40 trieu", "định danh điện tử 40 triệu"},
		{"CSDL quốc gia về dân cư", ""},
		{`"dịch vụ công trực tuyến"`, ""},
		{"ddinhj danh ddieenj tuwr", "định danh điện tử"}, // Telex
	}
	_, start := browse(t, h, "/")
	links := in(start, hasClass("examples"), tag("a"))
	require.Len(t, links, len(understood))
	for i, a := range links {
		want := understood[i]
		t.Run(want.example, func(t *testing.T) {
			assert.Equal(t, want.example, text(a))
			rec, doc := browse(t, h, attr(a, "href"))
			require.Equal(t, http.StatusOK, rec.Code)
			assert.NotEmpty(t, in(doc, hasClass("results"), tag("li")), "the example finds something")
			assert.Empty(t, find(doc, hasClass("note")), "found as typed, not by the typo fallback")
			lines := find(doc, hasClass("suggestion"))
			if want.suggestion == "" {
				assert.Empty(t, lines)
				return
			}
			require.Len(t, lines, 1)
			assert.Equal(t, "Kết quả cho: "+want.suggestion, strings.TrimSpace(text(lines[0])))
		})
	}
}

// TestPageResultHeadingsAreDistinct checks that the results' headings, which are their links, tell
// passages of one document apart: a screen reader's list of headings or links showed the same title
// over and over (CCCD finds many passages of one document).
func TestPageResultHeadingsAreDistinct(t *testing.T) {
	h := pageHandler(t)
	const q = "CCCD"
	resp := apiSearch(t, h, url.Values{"q": {q}})
	docs := map[string]bool{}
	for _, r := range resp.Results {
		docs[r.DocID] = true
	}
	require.Less(t, len(docs), len(resp.Results), "some results are passages of one document")

	_, doc := browse(t, h, "/search?q="+q)
	headings := in(doc, hasClass("results"), tag("h2"))
	require.Len(t, headings, len(resp.Results))
	seen := map[string]bool{}
	for i, h2 := range headings {
		r := resp.Results[i]
		_, passage, _ := strings.Cut(r.ID, "#")
		n, err := strconv.Atoi(passage)
		require.NoError(t, err)
		heard := text(h2)
		assert.Equal(t, fmt.Sprintf("%s, đoạn %d", r.Title, n+1), heard)
		assert.False(t, seen[heard], "heading %q twice", heard)
		seen[heard] = true
		assert.Equal(t, r.Title, shownText(h2), "the screen shows the title alone")
	}
}

// TestPagesPastTheEnd checks when a page is told past the last one: when it shows no results though
// the search found some, whatever its offset, and never while it shows results (a total that
// undercounts them must not make the page say there are none).
func TestPagesPastTheEnd(t *testing.T) {
	one := []search.Result{{ID: "000_ccc4d5c2107aed12#7", Title: "Đề án 06"}}
	for _, tc := range []struct {
		name    string
		offset  int
		total   uint64
		results []search.Result
		pastEnd string
	}{
		{"far past", 9990, 33, nil, "/search?offset=30&q=cccd"},
		{"at the total, off a page boundary", 33, 33, nil, "/search?offset=30&q=cccd"},
		{"the last page", 30, 33, one, ""},
		{"results past a total that undercounts them", 10, 6, one, ""},
		{"nothing found", 10, 0, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := searchPage{Resp: &search.Response{Total: tc.total, Results: tc.results}}
			d.pages(search.Request{Query: "cccd", Limit: 10, Offset: tc.offset}, url.Values{"q": {"cccd"}})
			assert.Equal(t, tc.pastEnd, d.PastEnd)
			if tc.pastEnd != "" {
				assert.Equal(t, tc.pastEnd, d.Prev, "the previous page is the last one")
				assert.Empty(t, d.Next)
				for _, p := range d.Pages {
					assert.False(t, p.Current, "page %d is not this one", p.N)
				}
			}
		})
	}
}

// errorAlert returns the one error message of a page.
func errorAlert(t *testing.T, doc *html.Node) *html.Node {
	t.Helper()
	alert := find(doc, hasClass("error"))
	require.Len(t, alert, 1)
	return alert[0]
}
