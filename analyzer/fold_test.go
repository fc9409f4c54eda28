package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFoldedView(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Định danh điện tử", "dinh danh dien tu"},
		{"ĐẮK NÔNG", "dak nong"},
		{"\u00d0à Nẵng", "da nang"}, // eth look-alike
		{"người dân", "nguoi dan"},
		{"Hànộimới", "hanoimoi"},
		{"Ủy ban nhân dân", "uy ban nhan dan"},
		{"café São Paulo", "cafe sao paulo"}, // other Latin letters fold too
		{"Москва", "москва"},                 // other scripts are left as they are
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, join(viewTerms(Folded, tt.in)))
		})
	}
}

// A word typed without its accents must fold to what the accented word folds to, also when plain ASCII
// makes it a loanword the shared filters stem.
func TestFoldedViewStemsAsTypedPlain(t *testing.T) {
	tests := []struct{ accented, plain string }{
		{"Vendôme", "vendome"},
		{"naïve", "naive"},
		{"UBQGCĐS", "UBQGCDS"},
		{"Pokémon", "pokemon"},
		{"Hôtels", "hotels"},
		{"Điện Biên", "dien bien"}, // syllables: never stemmed
	}
	for _, tt := range tests {
		t.Run(tt.accented, func(t *testing.T) {
			assert.Equal(t, join(viewTerms(Folded, tt.plain)), join(viewTerms(Folded, tt.accented)))
		})
	}
	// A plain ASCII word is stemmed once, by the shared filters, not again when folded.
	assert.Equal(t, join(viewTerms(Exact, "generalizations")), join(viewTerms(Folded, "generalizations")))
}

func TestFoldKeepsOffsetsOnTheOriginal(t *testing.T) {
	text := "Đề án 06 về định danh"
	for _, tok := range New(Folded).Analyze([]byte(text)) {
		folded := join(viewTerms(Folded, text[tok.Start:tok.End]))
		assert.Equal(t, string(tok.Term), folded, "the token's offsets cover the word it came from")
	}
}
