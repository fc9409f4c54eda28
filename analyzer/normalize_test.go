package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalizeTerm(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ĐỊNH", "định"},
		{"Đề", "đề"},
		{"\u00d0à", "đà"},                // Icelandic eth look-alike
		{"\u00f0ịnh", "định"},            // its lower case
		{"đi\u0323nh", "định"},           // NFD → NFC
		{"Đo\u0323\u0302", "độ"},         // stacked combining marks
		{"chuyển\u200bđổi", "chuyểnđổi"}, // zero-width removed
		{"số\u00ad", "số"},               // soft hyphen removed
		{"CSDL", "csdl"},
		{"danh", "danh"},
		{"ƯỚC", "ước"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var arena []byte
			assert.Equal(t, tt.want, string(normalizeTerm([]byte(tt.in), &arena)))
		})
	}
}

func TestNormalizeNeverWritesIntoTheInput(t *testing.T) {
	input := []byte("ĐỊNH DANH")
	New(Exact).Analyze(input)
	assert.Equal(t, "ĐỊNH DANH", string(input))
}
