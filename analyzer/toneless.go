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
	arena := make([]byte, 0, termBytes(input))
	for _, tok := range input {
		tok.Term = mapLetters(tok.Term, &arena, func(li letterInfo) rune { return li.toneless })
	}
	return input
}

// mapLetters rewrites every precomposed Latin letter of term with pick. A changed term is written into
// *arena, shared by the terms of one stream to save allocations; others come back as they are.
func mapLetters(term []byte, arena *[]byte, pick func(letterInfo) rune) []byte {
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
	start := -1
	for i, r := range string(term[firstNonASCII:]) {
		m := r
		if li, ok := info(r); ok {
			m = pick(li)
		}
		if start < 0 {
			if m == r {
				continue
			}
			if cap(*arena)-len(*arena) < len(term) {
				*arena = make([]byte, 0, 2*len(term)) // not reached when sized by termBytes
			}
			start = len(*arena)
			*arena = append(*arena, term[:firstNonASCII+i]...)
		}
		*arena = utf8.AppendRune(*arena, m)
	}
	if start < 0 {
		return term
	}
	return (*arena)[start:len(*arena):len(*arena)]
}

func init() {
	registry.RegisterTokenFilter(TonelessFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return NewTonelessFilter(), nil
	})
}

// termBytes is the room the rewritten terms of a stream need at most: toneless and folded letters are
// never longer than the originals.
func termBytes(ts analysis.TokenStream) int {
	n := 0
	for _, t := range ts {
		n += len(t.Term)
	}
	return n
}
