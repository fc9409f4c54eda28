package analyzer

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// DecodeTelex reads a word typed in Telex with the input method off (ddinhj → định, nguwowif →
// người, tuwr → tử). It returns false when the word is not Telex for a Vietnamese syllable.
func DecodeTelex(word string) (string, bool) {
	w := strings.ToLower(word)
	if w == "" || !isASCIIWord(w) {
		return "", false
	}
	// The tone key is typed last, or right after the vowels, before the final consonant (vieejt,
	// casc, tieesng): a final is never one of the keys.
	t := toneNone
	for _, final := range telexFinals {
		n := len(w) - len(final)
		if n < 2 || !strings.HasSuffix(w, final) || !strings.ContainsRune("aeiouyw", rune(w[n-2])) && final != "" {
			continue
		}
		if t = telexTones[w[n-1]]; t != toneNone {
			w = w[:n-1] + final
			break
		}
	}
	r := strings.NewReplacer("dd", "đ", "aa", "â", "ee", "ê", "oo", "ô", "aw", "ă", "uow", "ươ", "uwow", "ươ",
		"ow", "ơ", "uw", "ư", "w", "ư")
	return compose(r.Replace(w), t, word)
}

// telexTones are the Telex tone keys.
var telexTones = map[byte]tone{'s': toneAcute, 'f': toneGrave, 'r': toneHook, 'x': toneTilde, 'j': toneDot}

// telexFinals are the final consonants a tone key may be typed before, and none (the key last).
var telexFinals = []string{"", "ch", "ng", "nh", "c", "m", "n", "p", "t"}

// DecodeVNI reads a word typed in VNI with the input method off (d9inh5 → định, tu73 → tử): digits
// 1–5 are the tones, 6 a circumflex, 7 a horn, 8 a breve, 9 the bar of đ.
func DecodeVNI(word string) (string, bool) {
	w := strings.ToLower(word)
	// A mark is typed after the letters it goes on: a word opening with a digit is a code (1A).
	if w == "" || w[0] < 'a' || w[0] > 'z' || !strings.ContainsAny(w, "123456789") {
		return "", false
	}
	t := toneNone
	var out []rune
	for _, c := range w {
		switch {
		case c >= '1' && c <= '5':
			if t != toneNone {
				return "", false
			}
			t = [...]tone{toneAcute, toneGrave, toneHook, toneTilde, toneDot}[c-'1']
		case c == '9':
			i := slices.Index(out, 'd')
			if i < 0 {
				return "", false
			}
			out[i] = 'đ'
		case c == '6' || c == '7' || c == '8':
			if !applyHat(out, c) {
				return "", false
			}
		case c >= 'a' && c <= 'z':
			out = append(out, c)
		default:
			return "", false
		}
	}
	return compose(string(out), t, word)
}

// applyHat puts a VNI mark on the vowels before it: 6 â ê ô, 7 ơ ư (both of uo), 8 ă.
func applyHat(out []rune, mark rune) bool {
	for i := len(out) - 1; i >= 0; i-- {
		switch {
		case mark == '6' && strings.ContainsRune("aeo", out[i]):
			out[i] = map[rune]rune{'a': 'â', 'e': 'ê', 'o': 'ô'}[out[i]]
			return true
		case mark == '7' && (out[i] == 'o' || out[i] == 'u'):
			if out[i] == 'o' && i > 0 && out[i-1] == 'u' {
				out[i-1] = 'ư'
			}
			out[i] = map[rune]rune{'o': 'ơ', 'u': 'ư'}[out[i]]
			return true
		case mark == '8' && out[i] == 'a':
			out[i] = 'ă'
			return true
		}
	}
	return false
}

// compose checks that base (a syllable without its tone) is Vietnamese, puts tone on it and returns
// it, with false when nothing was decoded (the word already was plain text).
func compose(base string, t tone, typed string) (string, bool) {
	folded := string(mapLetters([]byte(base), new([]byte), func(li letterInfo) rune { return li.folded }))
	if !IsSyllable(folded) || base == strings.ToLower(typed) {
		return "", false
	}
	runes := []rune(base)
	if t != toneNone {
		at := tonePosition(runes)
		if at < 0 {
			return "", false
		}
		runes[at] = withTone(runes[at], t)
	}
	return string(runes), true
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return utf8.ValidString(s)
}
