package corpus

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
func TagBodies(text string) []string {
	return names(bodyNames.find(text), func(i int) []string { return []string{bodies[i].Name} })
}

// TagPlaces returns the provinces and cities text mentions, each followed by the province it belongs
// to after the 2025 merger when that differs, in order of first mention.
func TagPlaces(text string) []string {
	return names(placeName.find(text), func(i int) []string {
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

// find returns the ids of the names in text, in order of appearance, one per mention.
func (m *nameMatcher) find(text string) []int {
	toks := analyzer.New(analyzer.Exact).Analyze([]byte(text))
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

// Date patterns of Vietnamese text, most precise first.
var datePatterns = []struct {
	re    *regexp.Regexp
	parts func(m []string) (y, mo, d string)
}{
	{regexp.MustCompile(`(?i)ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})`), func(m []string) (string, string, string) { return m[3], m[2], m[1] }},
	{regexp.MustCompile(`\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)\b`), func(m []string) (string, string, string) { return m[3], m[2], m[1] }},
	{regexp.MustCompile(`(?i)tháng (\d{1,2}) năm (\d{4})`), func(m []string) (string, string, string) { return m[2], m[1], "" }},
	{regexp.MustCompile(`(?i)tháng (\d{1,2})/((?:19|20)\d\d)\b`), func(m []string) (string, string, string) { return m[2], m[1], "" }},
	{regexp.MustCompile(`(?i)\b(?:ngày|sáng|chiều|tối|trưa|đêm) (\d{1,2})[/-](\d{1,2})\b`), func(m []string) (string, string, string) { return "", m[2], m[1] }},
	{regexp.MustCompile(`(?i)năm ((?:19|20)\d\d)\b`), func(m []string) (string, string, string) { return m[1], "", "" }},
}

// Dates returns the dates text mentions, as YYYY, YYYY-MM or YYYY-MM-DD in order of appearance; a day
// without a year (ngày 25-12, trước ngày 10/5) takes the year given, or is left out when it is "".
func Dates(text, year string) []string {
	type found struct {
		at   int
		date string
	}
	var all []found
	taken := make([]bool, len(text)+1)
	for _, p := range datePatterns {
		for _, loc := range p.re.FindAllStringSubmatchIndex(text, -1) {
			if slices.Contains(taken[loc[0]:loc[1]], true) {
				continue // part of a more precise date already read
			}
			m := make([]string, len(loc)/2)
			for i := range m {
				if loc[2*i] >= 0 {
					m[i] = text[loc[2*i]:loc[2*i+1]]
				}
			}
			y, mo, d := p.parts(m)
			if y == "" {
				y = year
			}
			date, ok := formatDate(y, mo, d)
			if !ok {
				continue
			}
			for i := loc[0]; i < loc[1]; i++ {
				taken[i] = true
			}
			all = append(all, found{loc[0], date})
		}
	}
	slices.SortStableFunc(all, func(a, b found) int { return a.at - b.at })
	out := []string{}
	for _, f := range all {
		if !slices.Contains(out, f.date) {
			out = append(out, f.date)
		}
	}
	return out
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
