package api

import (
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tracuu/tracuu/search"
)

//go:embed web
var webFS embed.FS

type page struct {
	tmpl *template.Template
	css  []byte
}

func mustLoadPage() *page {
	tmpl := template.Must(template.New("page.html").Funcs(template.FuncMap{
		// Snippets are built by package search from HTML-escaped text and <mark> tags only.
		"snippet": func(s string) template.HTML { return template.HTML(s) },
	}).ParseFS(webFS, "web/page.html"))
	css, err := webFS.ReadFile("web/style.css")
	if err != nil {
		panic(err)
	}
	return &page{tmpl: tmpl, css: css}
}

type pageData struct {
	Query    string
	Error    string
	Response *search.Response
	Prev     string
	Next     string
}

func (s *Server) htmlSearch(c *gin.Context) {
	data := pageData{Query: c.Query("q")}
	status := http.StatusOK
	if _, asked := c.GetQuery("q"); asked {
		r, err := searchRequest(c)
		if err == nil {
			data.Response, err = s.searcher.Search(c.Request.Context(), r)
		}
		if err != nil {
			status = http.StatusBadRequest
			data.Error = trimSentinel(err, search.ErrBadRequest)
			if !isBadRequest(err) {
				s.log.Error("page search failed", "err", err)
				status, data.Error = http.StatusInternalServerError, "Đã có lỗi xảy ra, vui lòng thử lại."
			}
		} else {
			data.Prev, data.Next = pageLinks(c.Request.URL.Query(), r, data.Response.Total)
		}
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := s.page.tmpl.Execute(c.Writer, data); err != nil {
		s.log.Error("render page", "err", err)
	}
}

func pageLinks(q url.Values, r search.Request, total uint64) (prev, next string) {
	link := func(offset int) string {
		q.Set("offset", strconv.Itoa(offset))
		return "/search?" + q.Encode()
	}
	if r.Offset > 0 {
		prev = link(max(0, r.Offset-r.Limit))
	}
	if uint64(r.Offset+r.Limit) < total && r.Offset+r.Limit <= search.MaxOffset {
		next = link(r.Offset + r.Limit)
	}
	return prev, next
}

func (s *Server) stylesheet(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "text/css; charset=utf-8", s.page.css)
}
