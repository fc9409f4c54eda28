package analyzer

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// TonelessFilterName is the name under which TonelessFilter is registered with bleve.
const TonelessFilterName = "vi_toneless"

// TonelessFilter removes the five tone marks and keeps the vowel-quality marks and đ: định → đinh,
// người → ngươi. It serves users who skip tones but type the letters with hats.
type TonelessFilter struct{}

// NewTonelessFilter returns the tone-removing filter.
func NewTonelessFilter() *TonelessFilter { return &TonelessFilter{} }

// Filter implements analysis.TokenFilter.
func (f *TonelessFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = mapLetters(tok.Term, func(li letterInfo) rune { return li.toneless })
	}
	return input
}

// mapLetters rewrites every precomposed Latin letter of term with pick, allocating only when a letter
// changes. ASCII terms come back as they are.
func mapLetters(term []byte, pick func(letterInfo) rune) []byte {
	firstNonASCII := -1
	for i, c := range term {
		if c >= utf8.RuneSelf {
			firstNonASCII = i
			break
		}
	}
	if firstNonASCII < 0 {
		return term
	}
	var out []byte
	for i, r := range string(term[firstNonASCII:]) {
		m := r
		if li, ok := info(r); ok {
			m = pick(li)
		}
		if out == nil {
			if m == r {
				continue
			}
			out = make([]byte, 0, len(term))
			out = append(out, term[:firstNonASCII+i]...)
		}
		out = utf8.AppendRune(out, m)
	}
	if out == nil {
		return term
	}
	return out
}

func init() {
	registry.RegisterTokenFilter(TonelessFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return NewTonelessFilter(), nil
	})
}
