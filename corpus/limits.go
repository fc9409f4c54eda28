package corpus

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxDocumentBytes caps one document, wherever it comes from: the body of a PUT, a line of a JSONL
// file, the text of a file. One larger document is indexed in one piece, and 50 MB of text (83,000
// passages) takes 5.5 GB to index.
const MaxDocumentBytes = 10 << 20

// maxDocument is MaxDocumentBytes; tests lower it rather than write files of 10 MB.
var maxDocument = MaxDocumentBytes

// MaxIDBytes caps a document id.
const MaxIDBytes = 256

// IDProblem says what is wrong with a document id, in the form it is stored (NormalizeID), or
// returns "": every document follows these rules, from a file, a JSONL line or a PUT, so that the API
// can read, link to and delete each one. The answer follows "id" ("id must not be empty").
func IDProblem(id string) string {
	switch {
	case id == "":
		return "must not be empty"
	case !utf8.ValidString(id):
		return "is not valid UTF-8"
	case strings.ContainsFunc(id, unicode.IsControl):
		// A path holding one (%01) is refused by every route of the API, reads included.
		return "must not contain control characters"
	case len(id) > MaxIDBytes:
		return fmt.Sprintf("must be at most %d bytes", MaxIDBytes)
	case strings.Contains(id, "#"):
		return "must not contain '#' (it separates a document id from a passage number)"
	case strings.TrimSpace(id) != id:
		// The loader trims a JSONL id: a path with the spaces would not find its own document.
		return "must not begin or end with a space"
	case id == "." || id == "..":
		// A browser removes such a path segment (escaped or not), so /documents/.. would be the start page.
		return `must not be "." or ".."`
	}
	return ""
}

// sizeName writes a limit in bytes the way people say it: "10 MB", "64 KB".
func sizeName(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
