package analyzer

import (
	"unicode"
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
	var arena []byte // rewritten terms of the stream share one allocation
	for _, tok := range input {
		tok.Term = normalizeTerm(tok.Term, &arena)
	}
	return input
}

func normalizeTerm(term []byte, arena *[]byte) []byte {
	ascii, upper := true, false
	for _, c := range term {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if ascii && !upper || !ascii && isCanonical(term) {
		return term
	}
	// Terms share memory with the input text: never rewrite them in place.
	if cap(*arena)-len(*arena) < 2*len(term)+8 {
		*arena = make([]byte, 0, max(1024, 2*len(term)+8))
	}
	start := len(*arena)
	out := *arena
	needNFC := false
	for _, r := range string(term) {
		switch {
		case isInvisible(r):
			continue
		case r == 0x00D0, r == 0x00F0:
			r = 'đ'
		case r >= 0x300 && r < 0x370 || r >= 0x1AB0 && r < 0x1B00 || r >= 0x1DC0 && r < 0x1E00:
			needNFC = true // a combining mark: the letters before it must be composed
		}
		out = utf8.AppendRune(out, unicode.ToLower(r))
	}
	*arena = out
	term = out[start:len(out):len(out)]
	if needNFC {
		return norm.NFC.Bytes(term)
	}
	return term
}

func init() {
	registry.RegisterTokenFilter(NormalizeFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return NewNormalizeFilter(), nil
	})
}

// isCanonical reports a term that normalization would leave as it is: lower-case precomposed letters
// and digits only, as nearly all of real Vietnamese text is. It spares the NFC pass and an allocation.
func isCanonical(term []byte) bool {
	for _, r := range string(term) {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				return false
			}
		case r >= letterTableSize || r == 0x00D0 || r == 0x00F0:
			return false
		default:
			li := letters[r]
			if li.folded == 0 || li.folded < 'a' || li.folded > 'z' {
				return false // not a lower-case Latin letter (combining marks, upper case, symbols)
			}
		}
	}
	return true
}
