package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/tracuu/tracuu/search"
)

// documentPage is the data of document.html.
type documentPage struct {
	Doc        *search.Document
	Query      string // the search that led here, for the way back
	Back       string
	Passage    string // the marked passage's number, or ""
	Paragraphs [][]part
	SourceURL  string // Source when it is a web address
}

// part is a run of a paragraph's text, inside the marked passage or not. First and Last mark where the
// passage begins and ends, for the anchor and for screen readers (which do not announce <mark>).
type part struct {
	Text        string
	Mark        bool
	First, Last bool
}

// htmlDocument serves GET /documents/{id}: the whole document, with passage p (its number in the id
// "{id}#{p}") marked and anchored at #passage.
func (s *Server) htmlDocument(c *gin.Context) {
	if s.malformedQuery(c) {
		return
	}
	q := c.Query("q")
	if !utf8.ValidString(q) {
		q = "" // q only adds a link back to the results; bytes that are not text would show as garbage
	}
	bad := pathID(c)
	id := c.Param("id")
	if bad != "" {
		// As in the API: an id no document can have (not UTF-8, control characters, over 512 bytes)
		// is a bad request, answered before it reaches the index.
		s.htmlError(c, badRequest("Địa chỉ này không chứa một mã văn bản hợp lệ."), q)
		return
	}
	doc, err := s.searcher.Document(c.Request.Context(), id)
	if err != nil {
		s.htmlError(c, missing("document", id, err), q)
		return
	}
	data := documentPage{Doc: doc, Query: q}
	if q != "" {
		data.Back = searchURL(backParams(c.Request.URL.Query()))
	}
	if strings.HasPrefix(doc.Source, "https://") || strings.HasPrefix(doc.Source, "http://") {
		data.SourceURL = doc.Source
	}
	start, end := 0, 0
	if p := c.Query("p"); p != "" {
		pid := id + "#" + p
		if !slices.Contains(doc.Passages, pid) {
			s.htmlError(c, &missingError{kind: "passage", id: pid}, q)
			return
		}
		passage, err := s.searcher.Passage(c.Request.Context(), pid)
		if err != nil {
			s.htmlError(c, missing("passage", pid, err), q)
			return
		}
		// The document's text is its passages and what lies between them, so the passage is found in
		// it; a passage repeated word for word in one document marks its first copy, the same text.
		if i := strings.Index(doc.Text, passage.Text); i >= 0 && passage.Text != "" {
			start, end = i, i+len(passage.Text)
			data.Passage = p
		}
	}
	data.Paragraphs = paragraphs(doc.Text, start, end)
	s.render(c, http.StatusOK, "document.html", data)
}

// backParams keeps the parameters of the search a result link came from (its filters and page
// included), so the way back leads to the same results page. Values that are not text are dropped, as
// they would show as garbage.
func backParams(q url.Values) url.Values {
	v := url.Values{}
	for k, vals := range with(pageParams(q), "offset", q["offset"]...) {
		for _, val := range vals {
			if utf8.ValidString(val) {
				v.Add(k, val)
			}
		}
	}
	return v
}

// paragraphs splits text at line breaks and cuts each paragraph where it meets the byte range
// [start, end), which is marked.
func paragraphs(text string, start, end int) [][]part {
	var out [][]part
	first := true
	at := 0
	for line := range strings.SplitSeq(text, "\n") {
		ls, le := at, at+len(line)
		at = le + 1
		if strings.TrimSpace(line) == "" {
			continue
		}
		var parts []part
		cut := func(from, to int, mark bool) {
			if from < to {
				parts = append(parts, part{Text: text[from:to], Mark: mark})
			}
		}
		ms, me := max(ls, start), min(le, end)
		if ms >= me {
			cut(ls, le, false)
		} else {
			cut(ls, ms, false)
			cut(ms, me, true)
			if first {
				parts[len(parts)-1].First, first = true, false
			}
			if me == end || strings.TrimSpace(text[me:end]) == "" {
				parts[len(parts)-1].Last = true
			}
			cut(me, le, false)
		}
		out = append(out, parts)
	}
	return out
}
