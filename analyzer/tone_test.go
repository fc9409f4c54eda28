package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTonePlacement(t *testing.T) {
	tests := []struct{ old, modern string }{
		{"hòa", "hoà"},
		{"hóa", "hoá"},
		{"khỏe", "khoẻ"},
		{"thúy", "thuý"},
		{"ủy", "uỷ"},
		{"tùy", "tuỳ"},
		{"hoà", "hoà"}, // already modern
		{"quý", "quý"}, // qu-: u is the onset
		{"quả", "quả"},
		{"giữ", "giữ"}, // gi-: i is the onset
		{"gì", "gì"},
		{"của", "của"}, // ua: first vowel
		{"mùa", "mùa"},
		{"hoàn", "hoàn"}, // closed syllable: last vowel
		{"toán", "toán"},
		{"người", "người"}, // ươ: the horned o
		{"được", "được"},
		{"chuyển", "chuyển"},
		{"khuỷu", "khuỷu"},
		{"ngoại", "ngoại"},
		{"ngòai", "ngoài"}, // misplaced in the source: still one term
		{"định", "định"},
		{"covid", "covid"},
	}
	for _, tt := range tests {
		t.Run(tt.old, func(t *testing.T) {
			assert.Equal(t, tt.modern, string(placeTone([]byte(tt.old))))
		})
	}
}

func TestBothToneStylesGiveOneTerm(t *testing.T) {
	// Both spellings occur in the seeds: "số hóa" and "hoá đơn", "sức khỏe" and "Sổ sức khoẻ".
	pairs := [][2]string{{"số hóa", "số hoá"}, {"sức khỏe", "sức khoẻ"}, {"Thúy", "thuý"}, {"Ủy ban", "Uỷ ban"}, {"hòa bình", "hoà bình"}}
	for _, p := range pairs {
		for _, v := range []View{Exact, Toneless, Folded} {
			assert.Equal(t, viewTerms(v, p[0]), viewTerms(v, p[1]), "%s: %q and %q", v.Label(), p[0], p[1])
		}
	}
}

func TestToneForms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"đinh", []string{"đinh", "đình", "đính", "đĩnh", "đỉnh", "định"}},
		{"ngươi", []string{"ngươi", "người", "ngưới", "ngưỡi", "ngưởi", "ngượi"}},
		{"hoa", []string{"hoa", "hoà", "hoá", "hoã", "hoả", "hoạ"}},
		{"quyên", []string{"quyên", "quyền", "quyến", "quyễn", "quyển", "quyện"}},
		{"40", []string{"40"}},
		{"định", []string{"định"}}, // already toned: not a toneless syllable
		{"payment", []string{"payment"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, ToneForms(tt.in))
		})
	}
}
