package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDecodeTelex(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ddinhj", "định", true},
		{"ddieenj", "điện", true},
		{"tuwr", "tử", true},
		{"trieeuj", "triệu", true},
		{"nguwowif", "người", true},
		{"nguowif", "người", true},
		{"hoaf", "hoà", true},
		{"khoer", "khoẻ", true},
		{"Vieetj", "việt", true},
		// The tone key typed before the final consonant, as Telex allows.
		{"vieejt", "việt", true},
		{"tieesng", "tiếng", true},
		{"Phasp", "pháp", true},
		{"casc", "các", true},
		{"chieesn", "chiến", true},
		{"nuwowsc", "nước", true},
		{"coong", "công", true}, // oo is ô
		{"danh", "", false},     // already a plain syllable: nothing to decode
		{"payment", "", false},
		{"sn", "", false}, // no vowel before the key
		{"xyz", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := DecodeTelex(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecodeVNI(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"d9inh5", "định", true},
		{"d9ie65n", "điện", true},
		{"tu73", "tử", true},
		{"ngu7o72i", "người", true},
		{"hoa2", "hoà", true},
		{"danh", "", false},
		{"2022", "", false},
		{"covid19", "", false},
		{"1a", "", false}, // a code (quốc lộ 1A), not á: a VNI mark follows its letters
		{"6a", "", false},
		{"9d", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := DecodeVNI(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}
