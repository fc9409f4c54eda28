package analyzer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/unicode/norm"
)

// sanitized is what Sanitize promises: valid UTF-8 (bad bytes as U+FFFD) in NFC.
func sanitized(text string) string {
	return norm.NFC.String(strings.ToValidUTF8(text, "\uFFFD"))
}

// Sanitize skips the norm package for text it knows is NFC already: the result must be the same on
// every character it knows, alone and beside combining marks and each other, and on real text.
func TestSanitizeEqualsNFC(t *testing.T) {
	texts := []string{
		"Hoà Bình", "hoa\u0300 bi\u0300nh", "Ðiện Biên", "Thuỷ điện, quý vị", "e\u0302\u0301 ế", "Å \u212b K \u212a",
		"định\xffdanh", "\u1100\u1161 가", "ấ\u0323", "a\u0323\u0302", "ơ\u031b", "ư\u0303", "văn\u200bbản\u00ad",
	}
	texts = append(texts, seedTexts(t)...)
	var marks []string
	for _, m := range []rune{0x300, 0x301, 0x302, 0x303, 0x306, 0x309, 0x31B, 0x323, 0x34F} {
		marks = append(marks, string(m))
	}
	for r := rune(0); int(r) < len(nfcStable)+16; r++ {
		c := string(r)
		texts = append(texts, c, "a"+c, c+"a", c+c)
		for _, m := range marks {
			texts = append(texts, c+m, m+c)
		}
	}
	for _, text := range texts {
		if got, want := Sanitize(text), sanitized(text); got != want {
			assert.Equal(t, want, got, "Sanitize(%+q)", text)
		}
	}
	assert.True(t, isNFC("Bộ Công an cấp thẻ “căn cước” gắn chíp – 2.398 hồ sơ…"), "Vietnamese text takes the quick way")
	assert.False(t, isNFC("ho\u0300a"), "a combining mark does not")
	assert.True(t, utf8.ValidString(Sanitize("a\xffb")))
}
