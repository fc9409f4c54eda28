// Package corpus turns raw documents into clean, dated passages: loading (embedded seeds, folders of
// text files, JSON Lines), cleaning site boilerplate, reading dates and titles, and splitting text into
// sentence-aligned passages of a size that ranks well.
package corpus

import (
	"slices"
	"strconv"
)

// Document is one source document after cleaning. Text is NFC; passages point into it.
type Document struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Date   string   `json:"date,omitempty"` // YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source says
	Source string   `json:"source,omitempty"`
	Bodies []string `json:"bodies"` // the bodies it was given and, once split, those its passages mention (BodiesOf)
	Given  []string `json:"-"`      // bodies named by the source (JSONL "bodies"), tagged on every passage
	Text   string   `json:"text"`
}

// Passage is a sentence-aligned piece of a document, the unit that is indexed and returned.
// Start and End are code-point offsets of Text in the document's text.
type Passage struct {
	ID      string   `json:"id"` // doc id + "#" + ordinal
	DocID   string   `json:"doc_id"`
	Ordinal int      `json:"ordinal"`
	Title   string   `json:"title"`
	Date    string   `json:"date,omitempty"`
	Source  string   `json:"source,omitempty"`
	Bodies  []string `json:"bodies"` // canonical names of the bodies it mentions, and those its document was given
	Places  []string `json:"places"` // provinces and cities it mentions (see TagPlaces)
	Dates   []string `json:"dates"`  // dates it mentions (see Dates)
	Text    string   `json:"text"`
	Start   int      `json:"start"`
	End     int      `json:"end"`
}

// Year returns the year of a date in any of the accepted precisions, or "" when there is none.
func Year(date string) string {
	if len(date) >= 4 {
		return date[:4]
	}
	return ""
}

// BodiesOf returns the bodies of a document: those it was given, then those its passages mention.
func BodiesOf(doc Document, passages []Passage) []string {
	out := slices.Clone(doc.Given)
	seen := make(map[string]bool, len(out))
	for _, b := range out {
		seen[b] = true
	}
	for _, p := range passages {
		for _, b := range p.Bodies {
			if !seen[b] {
				seen[b] = true
				out = append(out, b)
			}
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// PassageID names the n-th passage of a document (doc id + "#" + ordinal), as Split does; document
// ids may not contain '#', so a passage id belongs to one document only.
func PassageID(docID string, n int) string { return docID + "#" + strconv.Itoa(n) }
