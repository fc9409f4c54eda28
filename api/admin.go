package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
)

// DocumentWriter adds, replaces and deletes documents in the served index (indexer.Writer). Its
// errors are indexer.ErrNoDocument for an unknown id and indexer.ErrTooManyPassages for a document
// too large to keep.
type DocumentWriter interface {
	Put(ctx context.Context, doc corpus.Document) (passages int, created bool, err error)
	Delete(ctx context.Context, id string) (passages int, err error)
}

// MaxBodyBytes caps the body of a write: the cap of a document, which a line of a JSONL file has too,
// so a PUT and the same line are refused alike.
const MaxBodyBytes = corpus.MaxDocumentBytes

// writeTimeout is how long a PUT may take to send its body and to be answered: 10 MB of text is
// about 18,000 passages.
const writeTimeout = 5 * time.Minute

// writeResult is the answer to a successful write.
type writeResult struct {
	ID       string `json:"id"`
	Passages int    `json:"passages"`
}

// admin checks that writes are enabled and that the request carries the admin token. The token is
// compared through its SHA-256, so the comparison takes the same time whatever the length and the
// content of what was sent.
func (s *Server) admin(c *gin.Context) {
	if s.writer == nil || s.tokenHash == nil {
		writeError(c, http.StatusForbidden, "forbidden", "writes are disabled on this server (it was started without TRACUU_ADMIN_TOKEN)")
		return
	}
	auth := c.GetHeader("Authorization")
	scheme, token, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		c.Header("WWW-Authenticate", `Bearer realm="tracuu"`)
		writeError(c, http.StatusUnauthorized, "unauthorized", "this write needs the header Authorization: Bearer TOKEN (the admin token)")
		return
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if subtle.ConstantTimeCompare(sum[:], s.tokenHash) != 1 {
		c.Header("WWW-Authenticate", `Bearer realm="tracuu", error="invalid_token"`)
		writeError(c, http.StatusUnauthorized, "unauthorized", "the admin token is wrong")
		return
	}
	c.Next()
}

// writeContext is the time limit of a write's wait for the writes before it, counted from now (the
// body has been read); once its turn has come, the write runs to its end (indexer.Writer).
func (s *Server) writeContext(c *gin.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request.Context(), s.timeout)
}

func (s *Server) putDocument(c *gin.Context) {
	id := c.Param("id")
	if msg := writableID(id); msg != "" {
		writeError(c, http.StatusBadRequest, "bad_request", msg)
		return
	}
	if c.Request.ContentLength > MaxBodyBytes {
		writeError(c, http.StatusRequestEntityTooLarge, "payload_too_large", "the body must be at most 10 MB")
		return
	}
	// The server's read timeout suits requests without a body; 10 MB over a slow office line takes
	// longer. Only an authenticated writer gets here, so no stranger can hold a connection this long.
	_ = http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(writeTimeout))
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(c, http.StatusRequestEntityTooLarge, "payload_too_large", "the body must be at most 10 MB")
			return
		}
		writeError(c, http.StatusBadRequest, "bad_request", "could not read the body")
		return
	}
	doc, err := corpus.ParseJSONAs(id, body)
	if err != nil {
		writeError(c, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	// A long document takes longer to index than the server's write timeout leaves for an answer.
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(writeTimeout))
	ctx, cancel := s.writeContext(c)
	defer cancel()
	n, created, err := s.writer.Put(ctx, doc)
	switch {
	case errors.Is(err, indexer.ErrTooManyPassages):
		writeError(c, http.StatusRequestEntityTooLarge, "payload_too_large", err.Error())
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.searcher.ReloadAcronyms() // an acronym the document defines is expanded from now on
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		c.Header("Location", "/api/v1/documents/"+url.PathEscape(id))
	}
	c.JSON(status, writeResult{ID: id, Passages: n})
}

func (s *Server) deleteDocument(c *gin.Context) {
	id := c.Param("id")
	ctx, cancel := s.writeContext(c)
	defer cancel()
	n, err := s.writer.Delete(ctx, id)
	switch {
	case errors.Is(err, indexer.ErrNoDocument):
		s.fail(c, &missingError{kind: "document", id: id})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.searcher.ReloadAcronyms() // an acronym only this document defined is no longer expanded
	c.JSON(http.StatusOK, writeResult{ID: id, Passages: n})
}
