package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrIDMismatch is returned by ParseJSONAs for a document whose "id" names another document.
var ErrIDMismatch = errors.New(`"id" in the body differs from the id in the path`)

// ParseJSONAs reads one document in the JSONL format whose id is given from outside (the path of a
// PUT): the body may omit "id" but must not name another. The document is cleaned, dated and tagged
// exactly as a line of a JSONL file is.
func ParseJSONAs(id string, body []byte) (Document, error) {
	if !utf8.Valid(body) {
		// encoding/json would quietly turn the bad bytes into U+FFFD.
		return Document{}, errors.New("the body is not valid UTF-8")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return Document{}, errors.New(`the body is empty: send one document as JSON, at least {"text": "..."}`)
	}
	var j jsonDoc
	if err := json.Unmarshal(body, &j); err != nil {
		return Document{}, jsonProblem(err)
	}
	if j.ID != "" && NormalizeID(strings.TrimSpace(j.ID)) != NormalizeID(strings.TrimSpace(id)) {
		return Document{}, fmt.Errorf("%w (%q, %q)", ErrIDMismatch, j.ID, id)
	}
	return FromJSON(id, j.Title, j.Text, j.Date, j.Source, j.Bodies)
}
