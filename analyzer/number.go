package analyzer

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// NumberFilterName is the name under which NumberFilter is registered with bleve.
const NumberFilterName = "vi_number"

// NumberFilter writes numbers in one canonical form, reading them the Vietnamese way: '.' groups
// thousands and ',' marks decimals (2.398 → 2398, 40.000.000 → 40000000, 99,73 → 99.73). A lone '.'
// that does not group thousands is a decimal point as typed by users (1.5 → 1.5, like 1,5). Leading zeros
// go (03 → 3, 06 → 6) and so do trailing zeros of a fraction. A number it cannot read is left as it is.
type NumberFilter struct{}

// NewNumberFilter returns the number filter.
func NewNumberFilter() *NumberFilter { return &NumberFilter{} }

// Filter implements analysis.TokenFilter.
func (f *NumberFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.Type == analysis.Numeric {
			if n, ok := canonicalNumber(string(tok.Term)); ok && n != string(tok.Term) {
				tok.Term = []byte(n)
			}
		}
	}
	return input
}

// canonicalNumber returns the canonical spelling of an ASCII number with '.' and ',' separators.
func canonicalNumber(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return "", false
		}
	}
	lastDot, lastComma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	var intPart, frac string
	switch {
	case lastDot < 0 && lastComma < 0:
		intPart = s
	case lastDot >= 0 && lastComma >= 0:
		// Both: the later one is the decimal mark (1.234,5 or 1,234.5).
		thousands, decimal := byte('.'), lastComma
		if lastDot > lastComma {
			thousands, decimal = ',', lastDot
		}
		if !groupsOfThree(s[:decimal], thousands) {
			return "", false
		}
		intPart, frac = strings.ReplaceAll(s[:decimal], string(thousands), ""), s[decimal+1:]
		if strings.ContainsAny(frac, ".,") {
			return "", false
		}
	default:
		sep := byte('.')
		if lastComma >= 0 {
			sep = ','
		}
		count := strings.Count(s, string(sep))
		switch {
		case sep == '.' && groupsOfThree(s, '.'):
			intPart = strings.ReplaceAll(s, ".", "")
		case count == 1:
			i := strings.IndexByte(s, sep)
			intPart, frac = s[:i], s[i+1:]
		case sep == ',' && groupsOfThree(s, ','):
			intPart = strings.ReplaceAll(s, ",", "")
		default:
			return "", false // 25.12.2022 and the like: not one number
		}
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return intPart, true
	}
	return intPart + "." + frac, true
}

// groupsOfThree reports whether s is 1–3 digits followed by groups of exactly three after each sep.
func groupsOfThree(s string, sep byte) bool {
	parts := strings.Split(s, string(sep))
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 {
		return len(parts) == 1 && len(parts[0]) > 0
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

func init() {
	registry.RegisterTokenFilter(NumberFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return NewNumberFilter(), nil
	})
}
