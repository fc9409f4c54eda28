package api

import (
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/tracuu/tracuu/search"
)

// suggest answers GET /api/v1/suggest?q=...&limit=N: completions of a partly typed query.
func (s *Server) suggest(c *gin.Context) {
	q, ok := c.GetQuery("q")
	if !ok {
		s.fail(c, badRequest("q is required"))
		return
	}
	if !utf8.ValidString(q) {
		s.fail(c, badRequest("q is not valid UTF-8"))
		return
	}
	n, err := intParam(c, "limit", search.DefaultSuggestions)
	if err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.searcher.Complete(c.Request.Context(), q, n)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.PureJSON(http.StatusOK, gin.H{"suggestions": out}) // TT&TT stays readable
}
