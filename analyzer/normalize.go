package analyzer

import (
	"bytes"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// NormalizeFilterName is the name under which NormalizeFilter is registered with bleve.
const NormalizeFilterName = "vi_normalize"

// NormalizeFilter puts every term in one canonical spelling: NFC, Ð/ð (U+00D0/U+00F0, Icelandic eth,
// a common look-alike) read as Đ/đ, soft hyphens and zero-width characters removed, full Unicode lower
// case. It rewrites terms only; offsets keep pointing at the original text.
type NormalizeFilter struct{}

// NewNormalizeFilter returns the normalizing filter.
func NewNormalizeFilter() *NormalizeFilter { return &NormalizeFilter{} }

// Filter implements analysis.TokenFilter.
func (f *NormalizeFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = normalizeTerm(tok.Term)
	}
	return input
}

func normalizeTerm(term []byte) []byte {
	ascii, upper := true, false
	for _, c := range term {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if ascii {
		if !upper {
			return term
		}
		// Terms share memory with the input text: never lower-case in place.
		return bytes.ToLower(term)
	}
	out := make([]byte, 0, len(term))
	for _, r := range string(term) {
		switch {
		case isInvisible(r):
			continue
		case r == 0x00D0:
			r = 'Đ'
		case r == 0x00F0:
			r = 'đ'
		}
		out = utf8.AppendRune(out, r)
	}
	return bytes.ToLower(norm.NFC.Bytes(out))
}

func init() {
	registry.RegisterTokenFilter(NormalizeFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return NewNormalizeFilter(), nil
	})
}
