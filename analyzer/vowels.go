package analyzer

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tone identifies one of the five Vietnamese tone marks; toneNone is the level tone.
type tone uint8

const (
	toneNone  tone = iota
	toneGrave      // huyền, U+0300
	toneAcute      // sắc, U+0301
	toneTilde      // ngã, U+0303
	toneHook       // hỏi, U+0309
	toneDot        // nặng, U+0323
)

var toneMarks = [...]rune{toneGrave: 0x300, toneAcute: 0x301, toneTilde: 0x303, toneHook: 0x309, toneDot: 0x323}

var toneByMark = map[rune]tone{0x300: toneGrave, 0x301: toneAcute, 0x303: toneTilde, 0x309: toneHook, 0x323: toneDot}

// letterInfo describes a precomposed Latin letter: the same letter without its tone mark (vowel-quality
// marks â ă ê ô ơ ư kept), its plain ASCII base, and the tone it carries.
type letterInfo struct {
	toneless rune
	folded   rune
	tone     tone
	vowel    bool
	hat      bool // carries â ă ê ô ơ ư marks: decides where the tone sits
}

// letterTableSize covers Latin-1, Latin Extended-A/B and Latin Extended Additional (U+1EA0–U+1EF9),
// which hold every precomposed Vietnamese letter.
const letterTableSize = 0x1F00

var letters [letterTableSize]letterInfo

// composed maps a toneless vowel and a tone to the precomposed letter.
var composed = map[[2]rune]rune{}

func init() {
	for r := rune(0); r < letterTableSize; r++ {
		if r < 0x80 {
			letters[r] = letterInfo{toneless: r, folded: r, vowel: isASCIIVowel(r)}
			continue
		}
		d := norm.NFD.String(string(r))
		base, size := utf8.DecodeRuneInString(d)
		if base >= 0x80 { // no Latin base letter: not ours to fold
			continue
		}
		info := letterInfo{folded: base, vowel: isASCIIVowel(base)}
		keep := []rune{base}
		ok := true
		for _, m := range d[size:] {
			switch m {
			case 0x302, 0x306, 0x31B:
				keep = append(keep, m)
				info.hat = true
			case 0x300, 0x301, 0x303, 0x309, 0x323:
				if info.tone != toneNone {
					ok = false // two tones (ṍ): not Vietnamese
				}
				info.tone = toneByMark[m]
			default:
				ok = false
			}
		}
		if !ok {
			// Not a Vietnamese letter (ç, ñ, ø …): fold it to its base only.
			letters[r] = letterInfo{toneless: r, folded: base}
			continue
		}
		info.toneless = []rune(norm.NFC.String(string(keep)))[0]
		letters[r] = info
		if info.vowel && info.tone != toneNone {
			composed[[2]rune{info.toneless, info.tone.mark()}] = r
		}
	}
	letters['đ'] = letterInfo{toneless: 'đ', folded: 'd'}
	letters['Đ'] = letterInfo{toneless: 'Đ', folded: 'D'}
	// Hatted vowels themselves (â, ê, ô, ơ, ư, ă) have no tone but are hats.
	for _, r := range "âăêôơưÂĂÊÔƠƯ" {
		letters[r].hat = true
	}
}

func (t tone) mark() rune { return toneMarks[t] }

func isASCIIVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'A', 'E', 'I', 'O', 'U', 'Y':
		return true
	}
	return false
}

func info(r rune) (letterInfo, bool) {
	if r < 0 || r >= letterTableSize {
		return letterInfo{}, false
	}
	li := letters[r]
	return li, li.folded != 0
}

// withTone returns the precomposed letter for a toneless vowel carrying tone t.
func withTone(v rune, t tone) rune {
	if t == toneNone {
		return v
	}
	if c, ok := composed[[2]rune{v, t.mark()}]; ok {
		return c
	}
	return v
}

// HasTone reports whether text carries any tone mark, precomposed or combining.
func HasTone(text string) bool {
	for _, r := range text {
		if li, ok := info(r); ok && li.tone != toneNone {
			return true
		}
		if _, ok := toneByMark[r]; ok {
			return true
		}
	}
	return false
}
