package corpus

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tracuu/tracuu/analyzer"
)

// Passage size bounds, in syllables and characters. Bleve's BM25 penalizes long fields almost linearly,
// so passages of similar length rank fairly; 40–150 syllables holds one idea with its context.
const (
	MinSyllables = 40
	MaxSyllables = 150
	MaxChars     = 1500
)

// abbreviations end with a period without ending the sentence (TP. Hồ Chí Minh, PGS.TS. Nguyễn …).
var abbreviations = map[string]bool{
	"tp": true, "ts": true, "pgs": true, "gs": true, "ths": true, "bs": true, "ks": true, "ls": true,
	"th.s": true, "pgs.ts": true, "gs.ts": true, "tt": true, "q": true, "p": true, "mr": true, "mrs": true,
	"dr": true, "st": true, "no": true, "tr": true, "nxb": true,
}

// Sentences returns the byte spans of the sentences of a paragraph. A sentence ends at . ! ? or …
// (with any closing quotes or brackets) followed by a space and an upper-case letter, a digit, an
// opening quote or a dash; never inside a number (2.398), after an abbreviation (TP.) or an ellipsis
// that continues in lower case.
func Sentences(p string) [][2]int {
	var spans [][2]int
	start := 0
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		i += size
		if r != '.' && r != '!' && r != '?' && r != '…' {
			continue
		}
		end := i
		for end < len(p) {
			c, s := utf8.DecodeRuneInString(p[end:])
			if !strings.ContainsRune(".!?…\"”’)]»", c) {
				break
			}
			end += s
		}
		next := end
		for next < len(p) {
			c, s := utf8.DecodeRuneInString(p[next:])
			if !unicode.IsSpace(c) {
				break
			}
			next += s
		}
		if next == end || next >= len(p) {
			i = end
			continue
		}
		c, _ := utf8.DecodeRuneInString(p[next:])
		opens := unicode.IsUpper(c) || unicode.IsDigit(c) || strings.ContainsRune("\"“‘(«-–", c)
		if !opens || r == '.' && isAbbreviation(p[start:i-1]) {
			i = end
			continue
		}
		spans = append(spans, [2]int{start, end})
		start, i = next, next
	}
	if rest := strings.TrimSpace(p[start:]); rest != "" {
		spans = append(spans, [2]int{start, start + len(strings.TrimRightFunc(p[start:], unicode.IsSpace))})
	}
	return spans
}

func isAbbreviation(before string) bool {
	word := before[strings.LastIndexFunc(before, unicode.IsSpace)+1:]
	return abbreviations[strings.ToLower(word)]
}

// Split cuts a document into passages: paragraphs (its lines), headings joined to what follows, long
// paragraphs cut at sentence ends, short neighbours grouped, each within MaxSyllables and MaxChars.
func Split(doc Document) []Passage {
	type unit struct{ start, end, syl int }
	var units []unit // byte spans of sentences; a paragraph break is marked by para
	var para []bool  // units[i] starts a paragraph
	var heading []bool
	offset := 0
	for _, line := range strings.Split(doc.Text, "\n") {
		if strings.TrimSpace(line) == "" {
			offset += len(line) + 1
			continue
		}
		first := true
		for _, s := range Sentences(line) {
			pieces, n := cutLong(line[s[0]:s[1]])
			for _, piece := range pieces {
				u := unit{offset + s[0] + piece[0], offset + s[0] + piece[1], n}
				if len(pieces) > 1 {
					u.syl = syllables(doc.Text[u.start:u.end])
				}
				units = append(units, u)
				para = append(para, first)
				heading = append(heading, first && isHeading(line))
				first = false
			}
		}
		offset += len(line) + 1
	}
	var passages []Passage
	runes := analyzer.NewRuneOffsets(doc.Text)
	emit := func(start, end int) {
		n := len(passages)
		text := doc.Text[start:end]
		toks := nameTokens(text)
		passages = append(passages, Passage{
			ID:      PassageID(doc.ID, n),
			DocID:   doc.ID,
			Ordinal: n,
			Title:   doc.Title,
			Date:    doc.Date,
			Source:  doc.Source,
			Bodies:  union(tagBodies(text, toks), doc.Given),
			Places:  tagPlaces(text, toks),
			Dates:   Dates(text, Year(doc.Date)),
			Text:    text,
			Start:   runes.Rune(start),
			End:     runes.Rune(end),
		})
	}
	cur, syl := -1, 0
	for i, u := range units {
		if cur >= 0 {
			fits := syl+u.syl <= MaxSyllables && u.end-units[cur].start <= MaxChars
			// Keep adding while the passage is short, or within the paragraph it began in; a heading
			// always stays with what follows it.
			join := fits && (syl < MinSyllables || !para[i] || heading[i-1])
			if !join {
				emit(units[cur].start, units[i-1].end)
				cur, syl = -1, 0
			}
		}
		if cur < 0 {
			cur = i
		}
		syl += u.syl
	}
	if cur >= 0 {
		emit(units[cur].start, units[len(units)-1].end)
	}
	return passages
}

// cutLong splits a sentence that alone exceeds the passage bounds, returning byte spans, and the
// sentence's syllables. It cuts after the last clause mark (; : , or a dash between spaces) that leaves
// a piece of at least a third of the bound, so that a piece is a list item or a clause ("…khách hàng
// cá nhân; cho vay…" is not cut between cá and nhân), and at a space only when no clause mark is near.
func cutLong(s string) ([][2]int, int) {
	n := syllables(s)
	if n <= MaxSyllables && len(s) <= MaxChars {
		return [][2]int{{0, len(s)}}, n
	}
	const maxWords, maxBytes = MaxSyllables * 2 / 3, MaxChars * 2 / 3
	var spans [][2]int
	start, words := 0, 0
	clause, clauseWords := -1, 0 // the last space after a clause mark in the current piece
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			continue
		}
		words++
		if i > start && strings.ContainsRune(";:,", rune(s[i-1])) || dashBetweenSpaces(s, i) {
			clause, clauseWords = i, words
		}
		if words >= maxWords || i-start >= maxBytes {
			cut, cutWords := i, words
			if clause > start && (clauseWords >= maxWords/3 || clause-start >= maxBytes/3) {
				cut, cutWords = clause, clauseWords
			}
			spans = append(spans, [2]int{start, cut})
			start, words, clause = cut+1, words-cutWords, -1
		}
	}
	if start < len(s) {
		spans = append(spans, [2]int{start, len(s)})
	}
	return spans, n
}

// dashBetweenSpaces reports whether the space at i follows a dash standing alone (" - ", " – ").
func dashBetweenSpaces(s string, i int) bool {
	before := strings.TrimRight(s[:i], "-–—")
	return len(before) < i && strings.HasSuffix(before, " ")
}

// union appends to a the elements of b it lacks. Short lists (a passage's bodies) are compared
// directly; longer ones through a set, so that the cost stays linear.
func union(a, b []string) []string {
	if len(a)*len(b) <= 64 {
		for _, x := range b {
			if !slices.Contains(a, x) {
				a = append(a, x)
			}
		}
		return a
	}
	seen := make(map[string]bool, len(a)+len(b))
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			seen[x] = true
			a = append(a, x)
		}
	}
	return a
}
