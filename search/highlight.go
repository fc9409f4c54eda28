package search

import (
	"html"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/tracuu/tracuu/analyzer"
)

// Span is a highlighted range of a passage's text, in code points, end exclusive.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// spans returns the sorted, non-overlapping code-point ranges of text that the query matched. They are
// computed from the analyzed text itself, so they do not depend on bleve's term locations or on how its
// highlighter groups them.
func (m matcher) spans(text string) []Span {
	out := []Span{}
	if m.empty() {
		return out
	}
	input := []byte(text)
	exact := analyzer.New(analyzer.Exact).Analyze(input)
	// A view nothing asks for is not analyzed: a query typed with its tones rarely has a toneless
	// syllable, and one typed without has only folded ones.
	var toneless, folded analysis.TokenStream
	if len(m.toneless) > 0 {
		toneless = analyzer.New(analyzer.Toneless).Analyze(input)
	}
	foldedView := func() analysis.TokenStream {
		if folded == nil {
			folded = analyzer.New(analyzer.Folded).Analyze(input)
		}
		return folded
	}
	if len(m.folded) > 0 {
		foldedView()
	}
	marked := make([]bool, len(exact))
	found := map[viewTerm]bool{}
	for i, tok := range exact {
		switch {
		case m.exact[string(tok.Term)]:
			found[viewTerm{tierExact, string(tok.Term)}] = true
		case toneless != nil && m.toneless[string(toneless[i].Term)]:
			found[viewTerm{tierToneless, string(toneless[i].Term)}] = true
		case folded != nil && m.folded[string(folded[i].Term)]:
		default:
			continue
		}
		marked[i] = true
	}
	// A syllable typed with diacritics that the passage holds in no such form matched folded.
	loose := map[string]bool{}
	for _, t := range m.typed {
		if !found[t.viewTerm] {
			loose[t.folded] = true
		}
	}
	if len(loose) > 0 || len(m.phrases) > 0 || len(m.fuzzy) > 0 {
		folded := foldedView()
		for i, tok := range folded {
			if loose[string(tok.Term)] || m.withinOneEdit(string(tok.Term)) {
				marked[i] = true
			}
		}
		for _, phrase := range m.phrases {
			markPhrase(marked, folded, phrase)
		}
	}
	runes := analyzer.NewRuneOffsets(text)
	for i, tok := range exact {
		if !marked[i] {
			continue
		}
		s := Span{runes.Rune(tok.Start), runes.Rune(tok.End)}
		if n := len(out); n > 0 && out[n-1].End >= s.Start {
			out[n-1].End = max(out[n-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

// withinOneEdit reports whether a folded syllable of a passage is one of the fuzzy syllables, or one
// edit from one, with the same first letter (as fuzzyQuery's prefix of 1).
func (m matcher) withinOneEdit(syllable string) bool {
	for _, f := range m.fuzzy {
		if oneEditApart(f, syllable) {
			return true
		}
	}
	return false
}

// oneEditApart reports whether b is a, or a with one letter inserted, deleted or replaced, keeping
// the first letter.
func oneEditApart(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 || ra[0] != rb[0] {
		return false
	}
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) > 1 {
		return false
	}
	i := 0
	for i < len(rb) && ra[i] == rb[i] {
		i++
	}
	if len(ra) == len(rb) {
		return i == len(ra) || string(ra[i+1:]) == string(rb[i+1:])
	}
	return string(ra[i+1:]) == string(rb[i:])
}

// markPhrase marks every run of tokens whose folded terms are the phrase's, at consecutive positions.
func markPhrase(marked []bool, folded analysis.TokenStream, phrase []string) {
	for i := 0; i+len(phrase) <= len(folded); i++ {
		j := 0
		for j < len(phrase) && string(folded[i+j].Term) == phrase[j] && folded[i+j].Position == folded[i].Position+j {
			j++
		}
		if j == len(phrase) {
			for k := range phrase {
				marked[i+k] = true
			}
		}
	}
}

// Snippet window, in code points.
const (
	snippetRunes  = 280
	snippetBefore = 60
)

// Marker says how an excerpt shows matches: what opens and closes one, and how plain text is escaped.
type Marker struct {
	Open, Close string
	Escape      func(string) string
}

// HTMLMarker writes HTML-escaped text with <mark> around matches, as the API's snippet field.
var HTMLMarker = Marker{Open: "<mark>", Close: "</mark>", Escape: html.EscapeString}

func snippet(text string, spans []Span) string { return Excerpt(text, spans, HTMLMarker) }

// Excerpt returns text with the spans marked: the whole passage when it is short, else a window around
// the densest cluster of matches, cut at word boundaries.
func Excerpt(text string, spans []Span, mk Marker) string {
	esc := mk.Escape
	if esc == nil {
		esc = func(s string) string { return s }
	}
	runes := []rune(text)
	from, to := 0, len(runes)
	if len(runes) > snippetRunes {
		from = bestWindowStart(spans, len(runes))
		to = min(from+snippetRunes, len(runes))
		from, to = wordBoundary(runes, from, -1), wordBoundary(runes, to, +1)
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("… ")
	}
	at := from
	for _, s := range spans {
		if s.End <= from || s.Start >= to {
			continue
		}
		s.Start, s.End = max(s.Start, from), min(s.End, to)
		b.WriteString(esc(string(runes[at:s.Start])))
		b.WriteString(mk.Open)
		b.WriteString(esc(string(runes[s.Start:s.End])))
		b.WriteString(mk.Close)
		at = s.End
	}
	b.WriteString(esc(string(runes[at:to])))
	if to < len(runes) {
		b.WriteString(" …")
	}
	return b.String()
}

// bestWindowStart picks where a snippet window starts: a little before the match that begins the window
// holding the most matches.
func bestWindowStart(spans []Span, n int) int {
	best, bestCount := 0, 0
	for i, s := range spans {
		count := 0
		for _, t := range spans[i:] {
			if t.End > s.Start+snippetRunes-snippetBefore {
				break
			}
			count++
		}
		if count > bestCount {
			best, bestCount = s.Start, count
		}
	}
	start := max(0, best-snippetBefore)
	return min(start, max(0, n-snippetRunes))
}

// wordBoundary moves i to the nearest space in direction dir (at most 20 code points), so a snippet
// never starts or ends inside a word.
func wordBoundary(r []rune, i, dir int) int {
	for k := 0; k < 20; k++ {
		j := i + dir*k
		if j <= 0 || j >= len(r) {
			return max(0, min(j, len(r)))
		}
		if unicode.IsSpace(r[j]) {
			if dir < 0 {
				return j + 1
			}
			return j
		}
	}
	return i
}
