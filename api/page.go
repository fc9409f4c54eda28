package api

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/tracuu/tracuu/search"
)

//go:embed web
var webFS embed.FS

// page holds the parsed templates, one set per page (each defines "content" for the shared layout), and
// the static files with a short hash of their content, which versions their URLs.
type page struct {
	tmpl   map[string]*template.Template
	static map[string][]byte
	ver    map[string]string
}

func mustLoadPage() *page {
	p := &page{tmpl: map[string]*template.Template{}, static: map[string][]byte{}, ver: map[string]string{}}
	files, err := fs.Glob(webFS, "web/static/*")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		b, err := webFS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		p.static[path.Base(f)], p.ver[path.Base(f)] = b, hex.EncodeToString(sum[:4])
	}
	funcs := template.FuncMap{
		"static": func(name string) string { return "/static/" + name + "?v=" + p.ver[name] },
		"vidate": viDate,
		// Passage ids count from 0; readers count from 1.
		"ordinal": func(p string) string {
			if n, err := strconv.Atoi(p); err == nil {
				return strconv.Itoa(n + 1)
			}
			return p
		},
	}
	for _, name := range []string{"search.html", "document.html", "error.html"} {
		p.tmpl[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(webFS, "web/layout.html", "web/"+name))
	}
	return p
}

// render writes one page with its status; a template error can only be a programming error, logged.
// A write that fails is a client that hung up while the page was sent: not a fault.
func (s *Server) render(c *gin.Context, status int, name string, data any) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	w := &watchedWriter{w: c.Writer}
	err := s.page.tmpl[name].ExecuteTemplate(w, "layout", data)
	switch {
	case w.err != nil:
		s.log.Debug("client closed the request", "path", c.Request.URL.Path, "err", w.err)
	case err != nil:
		s.log.Error("render page", "page", name, "err", err)
	}
}

// watchedWriter keeps the first error of the writer it wraps.
type watchedWriter struct {
	w   io.Writer
	err error
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if err != nil && w.err == nil {
		w.err = err
	}
	return n, err
}

// static serves the embedded CSS and JavaScript. Their links carry a hash of the content, so they can be
// cached for long.
func (s *Server) static(c *gin.Context) {
	name := c.Param("name")
	b, ok := s.page.static[name]
	if !ok {
		s.notFound(c)
		return
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, mime.TypeByExtension(path.Ext(name)), b)
}

// errorPage is the data of error.html.
type errorPage struct {
	Title   string
	Message string
	Query   string
}

// htmlError answers a page request that failed: bad parameters, unknown document, or a real fault,
// which is logged here and never shown.
func (s *Server) htmlError(c *gin.Context, err error, query string) {
	data := errorPage{Query: query}
	status := http.StatusBadRequest
	var gone *missingError
	switch {
	case clientGone(c, err):
		// No one is there to read a page.
		s.log.Debug("client closed the request", "path", c.Request.URL.Path, "err", err)
		c.AbortWithStatus(statusClientClosedRequest)
		return
	case errors.Is(err, search.ErrBadRequest):
		data.Title, data.Message = "Yêu cầu không hợp lệ", trimSentinel(err, search.ErrBadRequest)
	case errors.As(err, &gone):
		// Worded alike for both, as in the JSON API's "no document %q" and "no passage %q".
		status = http.StatusNotFound
		what := "văn bản"
		if gone.kind == "passage" {
			what = "đoạn văn"
		}
		data.Title, data.Message = "Không tìm thấy "+what, "Không có "+what+" mã «"+gone.id+"»."
	case errors.Is(err, search.ErrNotFound):
		status = http.StatusNotFound
		data.Title, data.Message = "Không tìm thấy trang", "Không có văn bản hay trang nào ở địa chỉ này."
	case errors.Is(err, context.DeadlineExceeded):
		status = http.StatusServiceUnavailable
		data.Title, data.Message = "Tìm kiếm quá lâu", "Tìm kiếm này mất quá nhiều thời gian. Hãy thử lại với ít từ hơn."
	default:
		s.log.Error("page failed", "path", c.Request.URL.Path, "err", err)
		status = http.StatusInternalServerError
		data.Title, data.Message = "Đã có lỗi xảy ra", "Máy chủ gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại sau ít phút."
	}
	s.render(c, status, "error.html", data)
}

// malformedQuery answers a page request whose query string cannot be read (a ";", a "%" not followed
// by two hex digits) with 400, as the JSON API does, rather than serve the page with its parameters
// silently dropped; a q that could be read stays in the search box. It reports whether it answered.
func (s *Server) malformedQuery(c *gin.Context) bool {
	if _, err := url.ParseQuery(c.Request.URL.RawQuery); err == nil {
		return false
	}
	q := c.Query("q")
	if !utf8.ValidString(q) {
		q = ""
	}
	s.htmlError(c, badRequest("Địa chỉ trang có tham số hỏng (dấu ; hoặc % không đúng cách), có lẽ do bị cắt hay sửa tay."), q)
	return true
}

// notFound answers a path that names nothing, a missing static file included: the 404 page for a
// browser, the JSON error for anything else and always under /api/.
func (s *Server) notFound(c *gin.Context) {
	if wantsHTML(c) {
		s.htmlError(c, search.ErrNotFound, "")
		return
	}
	writeError(c, http.StatusNotFound, "not_found", "no such path: "+c.Request.URL.Path)
}

// wantsHTML tells a browser asking for a page from a script or API client: unknown paths outside /api/
// get an HTML 404 when HTML is acceptable, JSON otherwise.
func wantsHTML(c *gin.Context) bool {
	return !strings.HasPrefix(c.Request.URL.Path, "/api/") && strings.Contains(c.GetHeader("Accept"), "text/html")
}

// viDate shows a YYYY, YYYY-MM or YYYY-MM-DD date the Vietnamese way: 2023, tháng 2/2023, 25/2/2023.
func viDate(d string) string {
	parts := strings.Split(d, "-")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.TrimLeft(parts[i], "0")
	}
	switch len(parts) {
	case 2:
		return "tháng " + parts[1] + "/" + parts[0]
	case 3:
		return parts[2] + "/" + parts[1] + "/" + parts[0]
	}
	return d
}

// searchURL is the page's own link for a set of parameters.
func searchURL(v url.Values) string { return "/search?" + v.Encode() }
