// Package api serves tracuu over HTTP with gin: the JSON API of docs/API.md and the HTML search page.
// Handlers do the work through package search and write JSON; every error is JSON with a status code.
package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/tracuu/tracuu/analyzer"
	"github.com/tracuu/tracuu/search"
)

// Options configures the handler. The zero value is usable.
type Options struct {
	Logger         *slog.Logger
	RequestTimeout time.Duration // per request; 0 means 10 s

	// Writes (PUT and DELETE of documents) need both: without AdminToken every write gets 403.
	Writer     DocumentWriter
	AdminToken string
	RateLimit  RateLimit // per client; off when zero
}

// Server holds the dependencies of the handlers.
type Server struct {
	searcher *search.Searcher
	log      *slog.Logger
	timeout  time.Duration
	page     *page

	writer    DocumentWriter
	tokenHash []byte // SHA-256 of the admin token; nil: writes disabled
	limiter   *limiter
}

// New returns the HTTP handler serving the API and the page.
func New(s *search.Searcher, opts Options) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	srv := &Server{searcher: s, log: opts.Logger, timeout: opts.RequestTimeout, page: mustLoadPage()}
	if srv.log == nil {
		srv.log = slog.New(slog.DiscardHandler)
	}
	if srv.timeout == 0 {
		srv.timeout = 10 * time.Second
	}
	srv.writer, srv.limiter = opts.Writer, newLimiter(opts.RateLimit)
	if opts.AdminToken != "" {
		sum := sha256.Sum256([]byte(opts.AdminToken))
		srv.tokenHash = sum[:]
	}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Ids are matched on the escaped path, so an id holding "/" (%2F) is one id, not two segments.
	r.UseRawPath = true
	r.Use(srv.recover, srv.securityHeaders, srv.logRequest, srv.rateLimit, srv.deadline)
	r.NoRoute(srv.notFound)
	r.NoMethod(func(c *gin.Context) {
		writeError(c, http.StatusMethodNotAllowed, "method_not_allowed", c.Request.Method+" is not allowed on "+c.Request.URL.Path)
	})

	getAndHead(r, "/healthz", srv.healthz)
	v1 := r.Group("/api/v1")
	getAndHead(v1, "/search", srv.params([]string{"q", "limit", "offset", "from", "to"}, "body"), srv.search)
	getAndHead(v1, "/analyze", srv.params([]string{"text"}), srv.analyze)
	getAndHead(v1, "/passages/:id", srv.params(nil), srv.checkID, srv.passage)
	getAndHead(v1, "/documents/:id", srv.params(nil), srv.checkID, srv.document)
	v1.PUT("/documents/:id", srv.params(nil), srv.admin, srv.checkID, srv.putDocument)
	v1.DELETE("/documents/:id", srv.params(nil), srv.admin, srv.checkID, srv.deleteDocument)
	getAndHead(v1, "/bodies", srv.params(nil), srv.bodies)
	getAndHead(v1, "/suggest", srv.params([]string{"q", "limit"}), srv.suggest)
	getAndHead(v1, "/openapi.json", srv.params(nil), srv.openapi)
	getAndHead(r, "/", srv.htmlSearch)
	getAndHead(r, "/search", srv.htmlSearch)
	getAndHead(r, "/documents/:id", srv.htmlDocument)
	getAndHead(r, "/static/:name", srv.static)
	return r
}

// getAndHead serves a read for GET and for HEAD, as HTTP asks (RFC 9110 §9.3.2): monitors and link checkers
// probe with HEAD (curl -I), and a 405 would tell them the page is broken. net/http sends no body for
// HEAD.
func getAndHead(r gin.IRoutes, path string, handlers ...gin.HandlerFunc) {
	r.GET(path, handlers...)
	r.HEAD(path, handlers...)
}

// ErrUnavailable marks an error of a DocumentWriter that cannot take writes for now (the server is
// stopping): 503 with Retry-After, not a fault.
var ErrUnavailable = errors.New("unavailable")

// apiError is the body of every error response.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeError(c *gin.Context, status int, code, message string) {
	var e apiError
	e.Error.Code, e.Error.Message = code, message
	c.AbortWithStatusJSON(status, e)
}

// statusClientClosedRequest is the status of a request whose client hung up before the answer
// (nginx's 499): no one reads it, but the request log tells it from a fault.
const statusClientClosedRequest = 499

// clientGone tells a request given up by its client (the connection closed, the context cancelled)
// from a fault: a search or a write stopped for that reason is not the server's failure. The error
// alone is not enough: a cancellation inside the server would be a fault.
func clientGone(c *gin.Context, err error) bool {
	return errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil
}

// fail answers an error from package search with the status it deserves. A real fault is logged here,
// once, and its internals never reach the client.
func (s *Server) fail(c *gin.Context, err error) {
	switch {
	case clientGone(c, err):
		// Written if the connection still takes it; the request line logs the status at info level.
		s.log.Debug("client closed the request", "path", c.Request.URL.Path, "err", err)
		writeError(c, statusClientClosedRequest, "client_closed_request", "the client closed the request before its answer")
	case errors.Is(err, search.ErrBadRequest):
		writeError(c, http.StatusBadRequest, "bad_request", trimSentinel(err, search.ErrBadRequest))
	case errors.Is(err, search.ErrNotFound):
		writeError(c, http.StatusNotFound, "not_found", trimSentinel(err, search.ErrNotFound))
	case errors.Is(err, ErrUnavailable):
		c.Header("Retry-After", "10")
		writeError(c, http.StatusServiceUnavailable, "unavailable", trimSentinel(err, ErrUnavailable))
	case errors.Is(err, context.DeadlineExceeded):
		msg := "the request took too long; try a shorter query"
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
			msg = "the request took too long (other writes were in progress); try again"
		}
		writeError(c, http.StatusServiceUnavailable, "timeout", msg)
	default:
		s.log.Error("request failed", "path", c.Request.URL.Path, "err", err)
		writeError(c, http.StatusInternalServerError, "internal", "internal error")
	}
}

// trimSentinel drops the sentinel's own words ("bad request: ") from a wrapped message.
func trimSentinel(err, sentinel error) string {
	msg := err.Error()
	if p := sentinel.Error() + ": "; len(msg) > len(p) && msg[:len(p)] == p {
		return msg[len(p):]
	}
	return msg
}

func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic", "path", c.Request.URL.Path, "panic", v)
			writeError(c, http.StatusInternalServerError, "internal", "internal error")
		}
	}()
	c.Next()
}

// logRequest logs one line per request. The query string is not logged at info level: queries may hold
// personal data (names, ID numbers); it is logged at debug level only.
func (s *Server) logRequest(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.Info("request", "method", c.Request.Method, "path", c.Request.URL.Path,
		"status", c.Writer.Status(), "took", time.Since(start))
	s.log.Debug("request query", "path", c.Request.URL.Path, "q", c.Request.URL.RawQuery)
}

func (s *Server) deadline(c *gin.Context) {
	if c.Request.Method == http.MethodPut || c.Request.Method == http.MethodDelete {
		// A write's time limit starts once its body is read (writeContext): an upload over a slow line
		// must not spend it.
		c.Next()
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.timeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

func (s *Server) healthz(c *gin.Context) {
	st, err := s.searcher.Stats(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "documents": st.Documents, "passages": st.Passages})
}

// searchRequest reads and checks the parameters of a search.
func searchRequest(c *gin.Context) (search.Request, error) {
	var r search.Request
	q, ok := c.GetQuery("q")
	if !ok {
		return r, badRequest("q is required")
	}
	if !utf8.ValidString(q) {
		return r, badRequest("q is not valid UTF-8")
	}
	r.Query = q
	var err error
	if r.Limit, err = intParam(c, "limit", search.DefaultLimit); err != nil {
		return r, err
	}
	if r.Offset, err = intParam(c, "offset", 0); err != nil {
		return r, err
	}
	if r.Bodies, err = searchBodies(c); err != nil {
		return r, err
	}
	r.From, r.To = c.Query("from"), c.Query("to")
	for _, v := range append([]string{r.From, r.To}, r.Bodies...) {
		if !utf8.ValidString(v) {
			return r, badRequest("parameters must be valid UTF-8")
		}
	}
	return r, r.Validate()
}

func intParam(c *gin.Context, name string, def int) (int, error) {
	v, ok := c.GetQuery(name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	switch {
	case err == nil && n >= math.MinInt32 && n <= math.MaxInt32: // 0000010 is 10; the caller checks the range
		return n, nil
	case strings.Trim(strings.TrimPrefix(v, "-"), "0123456789") == "" && strings.TrimPrefix(v, "-") != "":
		// A whole number, only too large: out of range, as the range check of the caller says. The
		// sign is kept so that -99999999 reads as too small.
		if v[0] == '-' {
			return math.MinInt32, nil
		}
		return math.MaxInt32, nil
	}
	return 0, badRequest(name + " must be a whole number")
}

func badRequest(msg string) error { return fmt.Errorf("%w: %s", search.ErrBadRequest, msg) }

func (s *Server) search(c *gin.Context) {
	r, err := searchRequest(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	resp, err := s.searcher.Search(c.Request.Context(), r)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.PureJSON(http.StatusOK, resp) // snippets keep their <mark> tags readable
}

func (s *Server) analyze(c *gin.Context) {
	text, ok := c.GetQuery("text")
	switch {
	case !ok || text == "":
		writeError(c, http.StatusBadRequest, "bad_request", "text is required")
		return
	case !utf8.ValidString(text):
		writeError(c, http.StatusBadRequest, "bad_request", "text is not valid UTF-8")
		return
	case utf8.RuneCountInString(text) > search.MaxQueryRunes*10:
		writeError(c, http.StatusBadRequest, "bad_request", "text must be at most 10000 characters")
		return
	}
	text = analyzer.Sanitize(text)
	c.JSON(http.StatusOK, gin.H{"text": text, "views": analyzer.Analyze(text)})
}

func (s *Server) passage(c *gin.Context) {
	p, err := s.searcher.Passage(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, missing("passage", c.Param("id"), err))
		return
	}
	c.PureJSON(http.StatusOK, p)
}

func (s *Server) document(c *gin.Context) {
	d, err := s.searcher.Document(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, missing("document", c.Param("id"), err))
		return
	}
	c.JSON(http.StatusOK, d)
}

// missingError is an unknown document or passage, worded here the same way for both, in the JSON API
// and on the page (package search words them each its own way).
type missingError struct {
	kind string // "document" or "passage"
	id   string
}

func (e *missingError) Error() string { return fmt.Sprintf("no %s %q", e.kind, e.id) }
func (e *missingError) Unwrap() error { return search.ErrNotFound }

// missing turns a not-found error of the kind of thing looked up as id into a missingError; any other
// error is returned as it is.
func missing(kind, id string, err error) error {
	if errors.Is(err, search.ErrNotFound) {
		return &missingError{kind: kind, id: id}
	}
	return err
}

func isBadRequest(err error) bool { return errors.Is(err, search.ErrBadRequest) }

func (s *Server) bodies(c *gin.Context) {
	b, err := s.searcher.Bodies(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"bodies": b})
}
