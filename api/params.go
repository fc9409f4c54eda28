package api

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// maxBodyRunes bounds one body filter; the longest canonical body names are under 100 characters.
const maxBodyRunes = 200

// params checks the query string of a JSON endpoint before its handler runs, as Elasticsearch does:
// a malformed query string, a parameter the endpoint does not take (a typo such as limt=5 would
// otherwise be ignored silently), a parameter other than those in repeatable given twice, or a value
// that is not UTF-8 gets 400 with a message naming it.
func (s *Server) params(known []string, repeatable ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		values, err := url.ParseQuery(c.Request.URL.RawQuery)
		if err != nil {
			s.fail(c, badRequest("the query string is malformed: "+err.Error()))
			return
		}
		names := make([]string, 0, len(values))
		for name := range values {
			names = append(names, name)
		}
		slices.Sort(names) // the same message for the same request
		for _, name := range names {
			switch {
			case !slices.Contains(known, name) && !slices.Contains(repeatable, name):
				if len(known)+len(repeatable) == 0 {
					s.fail(c, badRequest(fmt.Sprintf("unknown parameter %q: %s takes no parameters", name, c.FullPath())))
				} else {
					s.fail(c, badRequest(fmt.Sprintf("unknown parameter %q: %s takes %s", name, c.FullPath(), strings.Join(slices.Concat(known, repeatable), ", "))))
				}
				return
			case len(values[name]) > 1 && !slices.Contains(repeatable, name):
				s.fail(c, badRequest(name+" must be given once"))
				return
			}
			for _, v := range values[name] {
				if !utf8.ValidString(v) {
					s.fail(c, badRequest(name+" is not valid UTF-8"))
					return
				}
			}
		}
		c.Next()
	}
}

// searchBodies returns the body filters of a search, each of a reasonable length. An empty one
// (body= from a form's "every body" choice) filters nothing, as an empty from or to does.
func searchBodies(c *gin.Context) ([]string, error) {
	var out []string
	for _, b := range c.QueryArray("body") {
		switch {
		case strings.TrimSpace(b) == "":
			continue
		case utf8.RuneCountInString(b) > maxBodyRunes:
			return nil, badRequest(fmt.Sprintf("body must be at most %d characters", maxBodyRunes))
		}
		out = append(out, b)
	}
	return out, nil
}
