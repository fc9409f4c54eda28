package analyzer

import "strings"

// Vietnamese syllable structure, over folded (ASCII) spelling: onset, nucleus (with its glides) and
// final consonant. The sets are a superset of real spellings: a Vietnamese word must never be mistaken
// for a loanword, while a loanword of four letters or more almost never fits.
var (
	onsets = []string{"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
		"b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""}
	nuclei = map[string]bool{}
	finals = []string{"ch", "ng", "nh", "c", "m", "n", "p", "t", ""}
)

func init() {
	for _, n := range strings.Fields(`a e i o u y ai ao au ay eo eu ia ie iu oa oe oi oo ua ue ui uo uu uy ya ye
		ieu yeu oai oay oao oeo uai uay uao uoi uou uya uye uyu ueu`) {
		nuclei[n] = true
	}
}

// IsSyllable reports whether a lower-case ASCII word can be spelled as one Vietnamese syllable once its
// diacritics are removed (dinh, nguoi, khuyen, quyet), as opposed to a loanword (payment, online).
func IsSyllable(folded string) bool {
	for _, on := range onsets {
		if !strings.HasPrefix(folded, on) {
			continue
		}
		rest := folded[len(on):]
		for _, fin := range finals {
			if strings.HasSuffix(rest, fin) && len(rest) > len(fin) && nuclei[rest[:len(rest)-len(fin)]] {
				return true
			}
		}
	}
	return false
}
