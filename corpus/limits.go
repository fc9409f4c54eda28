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

// Bounds on what every passage copies of its document: its title, its source and the bodies it is
// given are stored again with each passage, so a 1 MB title in a document of 240 passages took 3.4 GB
// to index. Counted in characters (code points).
const (
	// MaxTitleChars bounds a title, given or read from the text: a longer one is cut at a word and
	// ends in " …", as a title taken from a first sentence is.
	MaxTitleChars = 300
	// MaxSourceChars bounds a source (a URL or a publication's name); a longer one is refused, since
	// a cut URL leads nowhere.
	MaxSourceChars = 2000
	// MaxBodies bounds the bodies given to one document, and MaxBodyChars the name of each: they are
	// names of the gazetteer (the longest has 91 characters), refused beyond, since a cut name is no
	// body. Each passage indexes them again: `tracuu index` of a 1 MB text (2,624 passages, 180 MB
	// peak RSS) took 440 MB more with 50 bodies of 200 characters, 92 MB more with 20 of 100.
	MaxBodies    = 20
	MaxBodyChars = 100
)

// shortTitle returns a title of at most MaxTitleChars characters: a longer one is cut after its last
// whole word that fits and ends in " …" (in "…" when its first word alone is too long).
func shortTitle(t string) string {
	if len(t) <= MaxTitleChars || utf8.RuneCountInString(t) <= MaxTitleChars {
		return t
	}
	cut := 0 // the byte offset after the first MaxTitleChars-2 characters, room left for " …"
	for range MaxTitleChars - 2 {
		_, size := utf8.DecodeRuneInString(t[cut:])
		cut += size
	}
	head := t[:cut]
	if next, _ := utf8.DecodeRuneInString(t[cut:]); !unicode.IsSpace(next) {
		// Cut inside a word: keep the words before it.
		head = head[:max(strings.LastIndexFunc(head, unicode.IsSpace), 0)]
	}
	head = strings.TrimRightFunc(strings.TrimRight(strings.TrimRightFunc(head, unicode.IsSpace), ",;:"), unicode.IsSpace)
	if head == "" {
		return t[:cut] + "…"
	}
	return head + " …"
}
