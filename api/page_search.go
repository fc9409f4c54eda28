package api

import (
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/search"
)

// searchPage is the data of search.html.
type searchPage struct {
	Query string // as typed
	Error string
	// ErrorInEnglish marks an error left in the API's words, so that a screen reader reads it with an
	// English voice rather than a Vietnamese one.
	ErrorInEnglish bool
	Empty          bool // the box was submitted empty
	Resp           *search.Response
	Results        []resultView
	Suggestion     *link  // the query as the engine understood it, linked to a search for exactly that
	Active         []link // active filters, each linked to the page without it
	ClearAll       string // the page without any filter
	Bodies         []facetLink
	MoreBodies     []facetLink // past the first few, folded away unless one of them is active
	MoreOpen       bool
	Years          []facetLink
	Pages          []pageLink
	Prev, Next     string
	PastEnd        string // the last page, when this one is past it: its number is then no page of PageCount
	PageNo         int
	PageCount      int
	Start          int // the number of the first result shown
	Examples       []link
}

type link struct {
	Text, Href string
}

// facetLink is one value of a facet: following it adds the filter, or removes it when it is active.
type facetLink struct {
	Value  string
	Count  int
	Href   string
	Active bool
	Bar    int // bar length in twentieths of the largest count (the chart of years)
}

type pageLink struct {
	N       int
	Href    string
	Current bool
}

type resultView struct {
	search.Result
	Href      string // the whole document, the passage marked
	Passage   string // the passage's number in its document
	Snippet   template.HTML
	TitleHTML template.HTML // the title, HTML-escaped, its matches marked
}

// shownBodies is how many bodies the filter lists before "more".
const shownBodies = 8

// examples are queries that find something in the seeds and show what the engine understands.
var examples = []string{
	"định danh điện tử",
	"dinh danh dien tu 40 trieu",
	"CSDL quốc gia về dân cư",
	`"dịch vụ công trực tuyến"`,
	"ddinhj danh ddieenj tuwr", // Telex: dd → đ, ee → ê, j → nặng, w → ư, r → hỏi
}

// htmlSearch serves GET / and GET /search: the search box, and with q the results, filters and pages.
func (s *Server) htmlSearch(c *gin.Context) {
	if s.malformedQuery(c) {
		return
	}
	data := searchPage{Query: c.Query("q")}
	for _, e := range examples {
		data.Examples = append(data.Examples, link{e, searchURL(url.Values{"q": {e}})})
	}
	if q, asked := c.GetQuery("q"); !asked || strings.TrimSpace(q) == "" {
		// An empty box submitted gets the start page asking for words, with the API's status for an
		// empty q.
		status := http.StatusOK
		if data.Empty = asked; asked {
			status = http.StatusBadRequest
		}
		s.render(c, status, "search.html", data)
		return
	}
	r, err := searchRequest(c)
	if err == nil {
		data.Resp, err = s.searcher.Search(c.Request.Context(), r)
	}
	if err == nil {
		err = s.facets(c, r, data.Resp)
	}
	if err != nil {
		if !isBadRequest(err) {
			s.htmlError(c, err, data.Query)
			return
		}
		data.Error, data.ErrorInEnglish = inVietnamese(trimSentinel(err, search.ErrBadRequest))
		s.render(c, http.StatusBadRequest, "search.html", data)
		return
	}
	params := pageParams(c.Request.URL.Query())
	data.fill(r, params)
	s.render(c, http.StatusOK, "search.html", data)
}

// facets makes the facet counts disjunctive, as in Elasticsearch and Meilisearch: the bodies are
// counted without the body filter and the years without the date filter, so each count is how many
// passages that body (or year) has among those the query and the other filter find, whatever is chosen
// already, and the chart keeps every year when one is chosen.
func (s *Server) facets(c *gin.Context, r search.Request, resp *search.Response) error {
	count := func(r search.Request) (*search.Response, error) {
		r.Offset, r.Limit, r.SkipHighlights = 0, 1, true
		return s.searcher.Search(c.Request.Context(), r)
	}
	if len(r.Bodies) > 0 {
		wide := r
		wide.Bodies = nil
		other, err := count(wide)
		if err != nil {
			return err
		}
		resp.Facets.Bodies = other.Facets.Bodies
	}
	if r.From != "" || r.To != "" {
		wide := r
		wide.From, wide.To = "", ""
		other, err := count(wide)
		if err != nil {
			return err
		}
		resp.Facets.Years = other.Facets.Years
	}
	return nil
}

// pageParams keeps the parameters the page links carry.
func pageParams(q url.Values) url.Values {
	v := url.Values{}
	for _, k := range []string{"q", "body", "from", "to", "limit"} {
		if vals := q[k]; len(vals) > 0 {
			v[k] = slices.Clone(vals)
		}
	}
	return v
}

// with returns a copy of v with key set to vals (removed when vals is empty).
func with(v url.Values, key string, vals ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	if len(vals) == 0 {
		delete(out, key)
	} else {
		out[key] = vals
	}
	return out
}

// fill derives everything the template shows from the request and its response. The links that change
// the search (filters, suggestion) start again at the first page; the page links and the results'
// links keep it.
func (d *searchPage) fill(r search.Request, params url.Values) {
	resp := d.Resp
	d.Start = r.Offset + 1
	// A result's link carries the whole search, this page included, for the document's way back.
	this := params
	if r.Offset > 0 {
		this = with(params, "offset", strconv.Itoa(r.Offset))
	}
	for _, res := range resp.Results {
		doc, passage, _ := strings.Cut(res.ID, "#")
		v := this
		if passage != "" {
			v = with(this, "p", passage)
		}
		d.Results = append(d.Results, resultView{
			Result:  res,
			Href:    "/documents/" + url.PathEscape(doc) + "?" + v.Encode() + "#passage",
			Passage: passage,
			Snippet: template.HTML(res.Snippet),
			// Escaped by Excerpt, as the snippet.
			TitleHTML: template.HTML(search.Excerpt(res.Title, res.TitleHighlights, search.HTMLMarker)),
		})
	}
	if sug := resp.Suggestion; sug != nil && *sug != resp.Query {
		d.Suggestion = &link{*sug, searchURL(with(params, "q", *sug))}
	}

	// Active filters: each body, and the dates as one year or as bounds.
	bodies := params["body"]
	canonical := func(b string) string {
		if c, ok := corpus.CanonicalBody(b); ok {
			return c
		}
		return b
	}
	for i, b := range bodies {
		rest := slices.Delete(slices.Clone(bodies), i, i+1)
		d.Active = append(d.Active, link{"Cơ quan: " + canonical(b), searchURL(with(params, "body", rest...))})
	}
	from, to := params.Get("from"), params.Get("to")
	year := ""
	if len(from) == 4 && from == to {
		year = from
		d.Active = append(d.Active, link{"Năm: " + year, searchURL(with(with(params, "from"), "to"))})
	} else {
		if from != "" {
			d.Active = append(d.Active, link{"Từ: " + viDate(from), searchURL(with(params, "from"))})
		}
		if to != "" {
			d.Active = append(d.Active, link{"Đến: " + viDate(to), searchURL(with(params, "to"))})
		}
	}
	if len(d.Active) > 1 {
		d.ClearAll = searchURL(with(with(with(params, "body"), "from"), "to"))
	}

	for _, f := range resp.Facets.Bodies {
		fl := facetLink{Value: f.Value, Count: f.Count}
		i := slices.IndexFunc(bodies, func(b string) bool { return canonical(b) == f.Value })
		if fl.Active = i >= 0; fl.Active {
			fl.Href = searchURL(with(params, "body", slices.Delete(slices.Clone(bodies), i, i+1)...))
		} else {
			fl.Href = searchURL(with(params, "body", append(slices.Clone(bodies), f.Value)...))
		}
		d.Bodies = append(d.Bodies, fl)
	}
	if len(d.Bodies) > shownBodies+2 {
		d.Bodies, d.MoreBodies = d.Bodies[:shownBodies], d.Bodies[shownBodies:]
		d.MoreOpen = slices.ContainsFunc(d.MoreBodies, func(f facetLink) bool { return f.Active })
	}
	most := 0
	for _, f := range resp.Facets.Years {
		most = max(most, f.Count)
	}
	for _, f := range resp.Facets.Years {
		fl := facetLink{Value: f.Value, Count: f.Count, Active: f.Value == year}
		if fl.Active {
			fl.Href = searchURL(with(with(params, "from"), "to"))
		} else {
			fl.Href = searchURL(with(with(params, "from", f.Value), "to", f.Value))
		}
		fl.Bar = max(1, (f.Count*20+most/2)/most)
		d.Years = append(d.Years, fl)
	}
	slices.SortFunc(d.Years, func(a, b facetLink) int { return strings.Compare(a.Value, b.Value) })

	d.pages(r, params)
}

// pages builds the page links: the first, the last, and two on each side of the current one.
func (d *searchPage) pages(r search.Request, params url.Values) {
	// Past MaxOffset no page can be asked for.
	d.PageCount = min(int((d.Resp.Total+uint64(r.Limit)-1)/uint64(r.Limit)), search.MaxOffset/r.Limit+1)
	d.PageCount = max(1, d.PageCount)
	d.PageNo = r.Offset/r.Limit + 1
	href := func(n int) string {
		v := params
		if n > 1 {
			v = with(params, "offset", strconv.Itoa((n-1)*r.Limit))
		}
		return searchURL(v)
	}
	if r.Offset > 0 {
		d.Prev = href(max(1, d.PageNo-1))
	}
	// Past the end: an old link after the corpus shrank, an offset typed by hand, or one not on a page
	// boundary (offset=33 of 33 is "page 4" of 4 and shows nothing). Told by the results, not by
	// offset >= total, so that a total that undercounts never hides results that are shown.
	if len(d.Resp.Results) == 0 && d.Resp.Total > 0 && r.Offset > 0 {
		d.PastEnd = href(d.PageCount)
		d.Prev = d.PastEnd
	}
	if d.PageNo < d.PageCount {
		d.Next = href(d.PageNo + 1)
	}
	if d.PageCount < 2 {
		return
	}
	for n := 1; n <= d.PageCount; n++ {
		if n == 1 || n == d.PageCount || (n >= d.PageNo-2 && n <= d.PageNo+2) {
			d.Pages = append(d.Pages, pageLink{N: n, Href: href(n), Current: n == d.PageNo && d.PastEnd == ""})
		} else if len(d.Pages) > 0 && d.Pages[len(d.Pages)-1].N != 0 {
			d.Pages = append(d.Pages, pageLink{}) // a gap, shown as …
		}
	}
}

// pageErrors says in Vietnamese what a reader of the page can cause by typing or pasting in the box;
// other errors come from a link edited by hand and are shown as the API words them.
var pageErrors = []struct {
	re *regexp.Regexp
	vi string
}{
	{regexp.MustCompile(`^q has (\d+) words; at most (\d+) are allowed$`),
		"câu tìm có $1 từ, nhiều nhất được $2 từ. Hãy chỉ giữ những từ quan trọng."},
	{regexp.MustCompile(`^q must be at most (\d+) characters$`),
		"câu tìm dài quá, nhiều nhất được $1 ký tự. Hãy chỉ giữ những từ quan trọng."},
	{regexp.MustCompile(`^q is not valid UTF-8$`),
		"câu tìm có ký tự không đọc được. Hãy gõ lại."},
}

// inVietnamese returns msg in Vietnamese when it is one of pageErrors, and otherwise msg as it is and
// true.
func inVietnamese(msg string) (string, bool) {
	for _, e := range pageErrors {
		if e.re.MatchString(msg) {
			return e.re.ReplaceAllString(msg, e.vi), false
		}
	}
	return msg, true
}
