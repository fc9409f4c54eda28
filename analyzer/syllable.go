package analyzer

import "strings"

// Vietnamese syllable structure, over folded (ASCII) spelling: onset, nucleus (with its glides) and
// final consonant. The sets are a superset of real spellings: a Vietnamese word must never be mistaken
// for a loanword, while a loanword of four letters or more almost never fits.
var (
	nuclei = map[string]bool{}
	finals = []string{"ch", "ng", "nh", "c", "m", "n", "p", "t", ""}
)

func init() {
	for _, n := range strings.Fields(`a e i o u y ai ao au ay eo eu ia ie iu oa oe oi oo ua ue ui uo uu uy ya ye
		ieu yeu oai oay oao oeo uai uay uao uoi uou uya uye uyu ueu`) {
		nuclei[n] = true
	}
}

// onsetsOf returns the lengths of the onsets that can begin s, longest first: "nghieng" → 3, "gia" →
// 2 (gi-) or 1 (g- with the vowel i), "an" → 0.
func onsetsOf(s string) []int {
	if s == "" {
		return nil
	}
	switch s[0] {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return []int{0}
	case 'b', 'd', 'h', 'l', 'm', 'r', 's', 'v', 'x':
		return []int{1}
	case 'c':
		if strings.HasPrefix(s, "ch") {
			return []int{2}
		}
		return []int{1}
	case 'g':
		switch {
		case strings.HasPrefix(s, "gh"):
			return []int{2}
		case strings.HasPrefix(s, "gi"):
			return []int{2, 1}
		}
		return []int{1}
	case 'k':
		if strings.HasPrefix(s, "kh") {
			return []int{2}
		}
		return []int{1}
	case 'n':
		switch {
		case strings.HasPrefix(s, "ngh"):
			return []int{3}
		case strings.HasPrefix(s, "ng"), strings.HasPrefix(s, "nh"):
			return []int{2}
		}
		return []int{1}
	case 'p':
		if strings.HasPrefix(s, "ph") {
			return []int{2}
		}
		return []int{1}
	case 'q':
		if strings.HasPrefix(s, "qu") {
			return []int{2}
		}
		return nil
	case 't':
		if strings.HasPrefix(s, "th") || strings.HasPrefix(s, "tr") {
			return []int{2, 1}
		}
		return []int{1}
	}
	return nil
}

// IsSyllable reports whether a lower-case ASCII word can be spelled as one Vietnamese syllable once its
// diacritics are removed (dinh, nguoi, khuyen, quyet), as opposed to a loanword (payment, online).
func IsSyllable(folded string) bool {
	if len(folded) > 8 {
		return false // nghiêng, the longest syllable, has 7 letters
	}
	for _, n := range onsetsOf(folded) {
		rest := folded[n:]
		for _, fin := range finals {
			if len(rest) > len(fin) && strings.HasSuffix(rest, fin) && nuclei[rest[:len(rest)-len(fin)]] {
				return true
			}
		}
	}
	return false
}
