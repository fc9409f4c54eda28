package corpus

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/tracuu/tracuu/analyzer"
)

//go:embed bodies.txt
var bodiesData string

//go:embed places.txt
var placesData string

// Body is a government body of the gazetteer.
type Body struct {
	Name    string   `json:"name"` // canonical name
	Kind    string   `json:"kind"`
	Aliases []string `json:"aliases"`
}

// Place is a province or centrally run city: one of the 63 before the merger of 1 July 2025, or one of
// the 34 after it.
type Place struct {
	Name    string   `json:"name"`
	Merged  string   `json:"merged"` // the province it belongs to since the 2025 merger
	Aliases []string `json:"aliases"`
}

var (
	bodies    = mustParseBodies(bodiesData)
	places    = mustParsePlaces(placesData)
	bodyNames = newNameMatcher()
	placeName = newNameMatcher()
	aliasOf   = map[string]string{} // folded alias or name → canonical body name
)

func init() {
	for i, b := range bodies {
		for _, n := range append([]string{b.Name}, b.Aliases...) {
			bodyNames.add(n, i)
			aliasOf[foldKey(n)] = b.Name
		}
	}
	for i, p := range places {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			placeName.add(n, i)
		}
	}
}

// Bodies returns the gazetteer of government bodies.
func Bodies() []Body { return slices.Clone(bodies) }

// Places returns the provinces and cities, before and after the 2025 merger.
func Places() []Place { return slices.Clone(places) }

// CanonicalBody returns the canonical name of a body given by its name or any alias, in any case or
// spelling of diacritics the analyzer reconciles ("bộ công an", "BCA", "Bo Cong an").
func CanonicalBody(name string) (string, bool) {
	c, ok := aliasOf[foldKey(name)]
	return c, ok
}

// foldKey is the folded, lower-case, space-joined form of a name.
func foldKey(name string) string {
	var terms []string
	for _, t := range analyzer.New(analyzer.Folded).Analyze([]byte(analyzer.Sanitize(name))) {
		terms = append(terms, string(t.Term))
	}
	return strings.Join(terms, " ")
}

// TagBodies returns the canonical names of the bodies text mentions, in order of first mention.
func TagBodies(text string) []string { return tagBodies(text, nameTokens(text)) }

// TagPlaces returns the provinces and cities text mentions, each followed by the province it belongs
// to after the 2025 merger when that differs, in order of first mention.
func TagPlaces(text string) []string { return tagPlaces(text, nameTokens(text)) }

// nameTokens analyzes text for the name matchers, once for both.
func nameTokens(text string) analysis.TokenStream {
	return analyzer.New(analyzer.Exact).Analyze([]byte(text))
}

func tagBodies(text string, toks analysis.TokenStream) []string {
	return names(bodyNames.find(text, toks), func(i int) []string { return []string{bodies[i].Name} })
}

func tagPlaces(text string, toks analysis.TokenStream) []string {
	return names(placeName.find(text, toks), func(i int) []string {
		if places[i].Merged != places[i].Name {
			return []string{places[i].Name, places[i].Merged}
		}
		return []string{places[i].Name}
	})
}

func names(ids []int, expand func(int) []string) []string {
	out := []string{}
	for _, id := range ids {
		for _, n := range expand(id) {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// nameMatcher finds names in text as whole analyzed words. A name that starts with a capital must start
// with one in the text too, so proper names are told from common words (Hòa Bình, the province, from
// hòa bình, peace), while the rest of the name may be written in any case ("Ủy ban quốc gia về …").
type nameMatcher struct {
	byFirst map[string][]namePattern
}

type namePattern struct {
	terms   []string
	capital bool // the name starts with a capital letter
	id      int
}

func newNameMatcher() *nameMatcher { return &nameMatcher{byFirst: map[string][]namePattern{}} }

func (m *nameMatcher) add(name string, id int) {
	name = analyzer.Sanitize(name)
	p := namePattern{id: id}
	for _, t := range analyzer.New(analyzer.Exact).Analyze([]byte(name)) {
		p.terms = append(p.terms, string(t.Term))
	}
	first, _ := utf8.DecodeRuneInString(name)
	p.capital = unicode.IsUpper(first)
	if len(p.terms) == 0 {
		return
	}
	list := append(m.byFirst[p.terms[0]], p)
	// Longest names first, so "Ngân hàng Nhà nước Việt Nam" wins over "Ngân hàng Nhà nước".
	slices.SortStableFunc(list, func(a, b namePattern) int { return len(b.terms) - len(a.terms) })
	m.byFirst[p.terms[0]] = list
}

// find returns the ids of the names in text, whose tokens are toks (nameTokens), in order of
// appearance, one per mention.
func (m *nameMatcher) find(text string, toks analysis.TokenStream) []int {
	var ids []int
	for i := 0; i < len(toks); i++ {
	patterns:
		for _, p := range m.byFirst[string(toks[i].Term)] {
			if i+len(p.terms) > len(toks) {
				continue
			}
			for k, term := range p.terms {
				tok := toks[i+k]
				if string(tok.Term) != term || tok.Position != toks[i].Position+k {
					continue patterns
				}
				if r, _ := utf8.DecodeRuneInString(text[tok.Start:]); k == 0 && p.capital && !unicode.IsUpper(r) {
					continue patterns
				}
			}
			ids = append(ids, p.id)
			i += len(p.terms) - 1
			break
		}
	}
	return ids
}

func mustParseBodies(data string) []Body {
	var out []Body
	for _, f := range dataLines(data, 3) {
		out = append(out, Body{Kind: f[0], Name: f[1], Aliases: splitAliases(f[2])})
	}
	return out
}

func mustParsePlaces(data string) []Place {
	var out []Place
	for _, f := range dataLines(data, 3) {
		out = append(out, Place{Name: f[0], Merged: f[1], Aliases: splitAliases(f[2])})
	}
	return out
}

// dataLines reads the "a | b | c" lines of an embedded data file, skipping comments and blank lines.
func dataLines(data string, fields int) [][]string {
	var out [][]string
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != fields {
			panic(fmt.Sprintf("data line %d: want %d fields separated by |, got %q", n+1, fields, line))
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		out = append(out, f)
	}
	return out
}

func splitAliases(s string) []string {
	out := []string{}
	for _, a := range strings.Split(s, ";") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// Dates returns the dates text mentions, as YYYY, YYYY-MM or YYYY-MM-DD in order of appearance:
// "ngày 18 tháng 7 năm 2022", "22-12-2022", "25/12/2022", "tháng 6 năm 2023", "tháng 5/2024",
// "năm 2030", and a day without a year after ngày, sáng, chiều, tối, trưa or đêm ("ngày 25-12", "trước
// ngày 10/5"), which takes the year given, or is left out when year is "". It scans the text once
// instead of running regular expressions, which cost more than all the rest of loading.
func Dates(text, year string) []string {
	out := []string{}
	add := func(d string, ok bool) bool {
		if ok && !slices.Contains(out, d) {
			out = append(out, d)
		}
		return ok
	}
	for i := 0; i < len(text); i++ {
		if !isASCIIDigit(text[i]) || i > 0 && (isASCIIDigit(text[i-1]) || isWordByte(text[i-1])) {
			continue
		}
		word := wordBefore(text, i)
		n1, e1 := digitsAt(text, i)
		// D/M/YYYY, D-M-YYYY, D.M.YYYY
		if len(n1) <= 2 && e1 < len(text) && isDateSep(text[e1]) {
			n2, e2 := digitsAt(text, e1+1)
			if len(n2) >= 1 && len(n2) <= 2 {
				if e2 < len(text) && text[e2] == text[e1] {
					if n3, e3 := digitsAt(text, e2+1); isYear(n3) && !followedByDigit(text, e3) && add(formatDate(n3, n2, n1)) {
						i = e3
						continue
					}
				}
				if isDayWord(word) && !(e2 < len(text) && isDateSep(text[e2]) && followedByDigit(text, e2+1)) {
					if text[e1] != '.' && year != "" {
						add(formatDate(year, n2, n1))
					}
					i = e2
					continue
				}
			}
		}
		switch word {
		case "ngày":
			// ngày D tháng M năm YYYY
			if rest, ok := strings.CutPrefix(text[e1:], " tháng "); ok && len(n1) <= 2 {
				at := len(text) - len(rest)
				if n2, e2 := digitsAt(text, at); len(n2) >= 1 && len(n2) <= 2 {
					if rest, ok := strings.CutPrefix(text[e2:], " năm "); ok {
						at := len(text) - len(rest)
						// An impossible day (31 tháng 2) still gives the month.
						if n3, e3 := digitsAt(text, at); isYear(n3) && (add(formatDate(n3, n2, n1)) || add(formatDate(n3, n2, ""))) {
							i = e3
							continue
						}
					}
				}
			}
		case "tháng":
			if len(n1) <= 2 {
				if rest, ok := strings.CutPrefix(text[e1:], " năm "); ok {
					if n2, e2 := digitsAt(text, len(text)-len(rest)); isYear(n2) && add(formatDate(n2, n1, "")) {
						i = e2
						continue
					}
				}
				if e1 < len(text) && text[e1] == '/' {
					if n2, e2 := digitsAt(text, e1+1); isYear(n2) && !followedByDigit(text, e2) && add(formatDate(n2, n1, "")) {
						i = e2
						continue
					}
				}
			}
		case "năm":
			if isYear(n1) {
				add(formatDate(n1, "", ""))
			}
		}
		i = e1
	}
	return out
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

// isWordByte reports an ASCII letter or a byte of a multi-byte character (Vietnamese letters).
func isWordByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80 }

func isDateSep(c byte) bool { return c == '/' || c == '-' || c == '.' }

func isYear(s string) bool { return len(s) == 4 && (s[:2] == "19" || s[:2] == "20") }

func followedByDigit(text string, at int) bool { return at < len(text) && isASCIIDigit(text[at]) }

// digitsAt returns the ASCII digits starting at i and the offset after them.
func digitsAt(text string, i int) (string, int) {
	j := i
	for j < len(text) && isASCIIDigit(text[j]) {
		j++
	}
	return text[i:j], j
}

// wordBefore returns, lower-cased, the word that ends one space before offset i ("" if none).
func wordBefore(text string, i int) string {
	if i < 2 || text[i-1] != ' ' {
		return ""
	}
	end := i - 1
	start := strings.LastIndexFunc(text[:end], func(r rune) bool { return !unicode.IsLetter(r) }) + 1
	if start < 0 || end-start > len("chiều")+2 {
		return ""
	}
	w := text[start:end]
	r, size := utf8.DecodeRuneInString(w)
	return string(unicode.ToLower(r)) + w[size:]
}

func isDayWord(w string) bool {
	switch w {
	case "ngày", "sáng", "chiều", "tối", "trưa", "đêm":
		return true
	}
	return false
}

func formatDate(y, mo, d string) (string, bool) {
	if len(y) != 4 {
		return "", false
	}
	if mo == "" {
		return y, true
	}
	m, err := strconv.Atoi(mo)
	if err != nil || m < 1 || m > 12 {
		return "", false
	}
	out := fmt.Sprintf("%s-%02d", y, m)
	if d == "" {
		return out, true
	}
	day, err := strconv.Atoi(d)
	if err != nil || day < 1 || day > daysIn(m, y) {
		return "", false
	}
	return fmt.Sprintf("%s-%02d", out, day), true
}

func daysIn(month int, year string) int {
	switch month {
	case 2:
		y, _ := strconv.Atoi(year)
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
