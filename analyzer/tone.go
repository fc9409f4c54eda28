package analyzer

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// TonePlacementFilterName is the name under which TonePlacementFilter is registered with bleve.
const TonePlacementFilterName = "vi_tone_placement"

// TonePlacementFilter moves the tone mark of a syllable to one canonical vowel, so that the two spelling
// traditions meet: hòa/hoà, khỏe/khoẻ, thúy/thuý and ủy/uỷ all become the modern placement (hoà, khoẻ,
// thuý, uỷ). Terms must already be lower case and NFC. Anything that is not a plain Vietnamese syllable
// (digits, foreign letters, two tone marks) is left as it is.
type TonePlacementFilter struct{}

// NewTonePlacementFilter returns the tone placement filter.
func NewTonePlacementFilter() *TonePlacementFilter { return &TonePlacementFilter{} }

// Filter implements analysis.TokenFilter.
func (f *TonePlacementFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.Type == analysis.AlphaNumeric {
			tok.Term = placeTone(tok.Term)
		}
	}
	return input
}

// maxSyllableRunes bounds the work on one term: no Vietnamese syllable is longer (nghiêng has 7).
const maxSyllableRunes = 8

func placeTone(term []byte) []byte {
	var runes [maxSyllableRunes]rune
	var folded [maxSyllableRunes]byte
	n := 0
	t := toneNone
	toneAt := -1
	for _, r := range string(term) {
		if n == maxSyllableRunes {
			return term
		}
		li, ok := info(r)
		if !ok || li.folded < 'a' || li.folded > 'z' {
			return term // not a lower-case Latin letter
		}
		if li.tone != toneNone {
			if t != toneNone {
				return term // two tones: not one syllable
			}
			t, toneAt = li.tone, n
		}
		runes[n], folded[n] = li.toneless, byte(li.folded)
		n++
	}
	if t == toneNone || !IsSyllable(string(folded[:n])) {
		return term
	}
	at := tonePosition(runes[:n])
	if at < 0 || at == toneAt {
		return term
	}
	runes[at] = withTone(runes[at], t)
	out := make([]byte, 0, len(term))
	for _, r := range runes[:n] {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// tonePosition returns the index of the vowel that carries the tone in a toneless syllable, following
// the modern rule: a vowel with a quality mark wins (the last one: ươ → ơ); else, with a final
// consonant, the last vowel; else in oa, oe, uy the second; else the middle of three, the first of two.
func tonePosition(s []rune) int {
	i := 0
	for i < len(s) && !letters[s[i]].vowel {
		i++
	}
	// qu- and gi-: the u and the i belong to the onset when another vowel follows.
	if i+1 < len(s) && letters[s[i+1]].vowel &&
		(i == 1 && s[0] == 'q' && s[1] == 'u' || i == 1 && s[0] == 'g' && s[1] == 'i') {
		i++
	}
	j := i
	for j < len(s) && letters[s[j]].vowel {
		j++
	}
	nucleus := s[i:j]
	switch {
	case len(nucleus) == 0:
		return -1
	case len(nucleus) == 1:
		return i
	}
	for k := len(nucleus) - 1; k >= 0; k-- {
		if letters[nucleus[k]].hat {
			return i + k
		}
	}
	if j < len(s) { // closed syllable
		return j - 1
	}
	if len(nucleus) == 2 {
		switch string(nucleus) {
		case "oa", "oe", "uy":
			return i + 1
		}
		return i
	}
	return i + 1
}

func init() {
	registry.RegisterTokenFilter(TonePlacementFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return NewTonePlacementFilter(), nil
	})
}

// ToneForms returns the exact-view forms a toneless syllable stands for: itself and the same syllable
// with each of the five tones on the vowel the modern rule puts it on (đinh → đinh, đình, đính, đĩnh,
// đỉnh, định). The query builder matches a syllable typed with hats but no tone through them, so no
// toneless view needs to be indexed. Anything that is not a toneless syllable comes back alone.
func ToneForms(toneless string) []string {
	var runes [maxSyllableRunes]rune
	var folded [maxSyllableRunes]byte
	n := 0
	for _, r := range toneless {
		li, ok := info(r)
		if n == maxSyllableRunes || !ok || li.tone != toneNone || li.folded < 'a' || li.folded > 'z' {
			return []string{toneless}
		}
		runes[n], folded[n] = r, byte(li.folded)
		n++
	}
	if !IsSyllable(string(folded[:n])) {
		return []string{toneless}
	}
	at := tonePosition(runes[:n])
	if at < 0 {
		return []string{toneless}
	}
	forms := []string{toneless}
	for t := toneGrave; t <= toneDot; t++ {
		form := runes
		form[at] = withTone(runes[at], t)
		forms = append(forms, string(form[:n]))
	}
	return forms
}
