package api

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/tracuu/tracuu/corpus"
)

// contentSecurityPolicy allows the page only its own stylesheet, scripts and images (no inline script
// or style, no plug-ins), lets no other site frame it, and keeps forms and <base> from pointing away.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// securityHeaders sets the usual protective headers on every response, errors included. Responses are
// not cached by default (queries and documents may hold personal data); a handler serving a static
// file sets its own Cache-Control.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	c.Next()
}

// Limits of ids in paths.
const (
	maxIDBytes = 512 // any id looked up: ids are short, and a longer one is a mistake or an attack
)

// checkID answers an id that no document can have with 400 before it reaches the index: invalid
// UTF-8, control characters (NUL included), or too long. The handlers after it read the id in NFC.
func (s *Server) checkID(c *gin.Context) {
	if msg := pathID(c); msg != "" {
		writeError(c, http.StatusBadRequest, "bad_request", msg)
		return
	}
	c.Next()
}

// pathID normalizes the id of the request's path to NFC, the form ids are stored in (corpus.NormalizeID),
// so an id sent decomposed (as macOS writes file names) names the same document; it returns what is
// wrong with the id, or "". Every route taking an id goes through it, once, before reading the id.
func pathID(c *gin.Context) string {
	for i := range c.Params {
		if c.Params[i].Key == "id" {
			c.Params[i].Value = corpus.NormalizeID(c.Params[i].Value)
			return badID(c.Params[i].Value)
		}
	}
	return badID("")
}

func badID(id string) string {
	switch {
	case id == "":
		return "id must not be empty"
	case len(id) > maxIDBytes:
		return fmt.Sprintf("id must be at most %d bytes", maxIDBytes)
	case !utf8.ValidString(id):
		return "id is not valid UTF-8"
	case strings.ContainsFunc(id, unicode.IsControl):
		return "id must not contain control characters"
	}
	return ""
}

// writableID says what is wrong with the id of a document to write, or "" when it is fine: the rules
// of corpus.IDProblem, which the loader applies to the ids of files and JSONL lines too, so that every
// document, however it came in, can be read, linked to and deleted.
func writableID(id string) string {
	if msg := corpus.IDProblem(id); msg != "" {
		return "id " + msg
	}
	return ""
}
