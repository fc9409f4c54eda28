package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTonelessView(t *testing.T) {
	tests := []struct{ in, want string }{
		{"định", "đinh"},
		{"người", "ngươi"},
		{"Ủy ban", "uy ban"},
		{"căn cước", "căn cươc"},
		{"dân", "dân"}, // level tone: unchanged
		{"tỷ lệ 99,73%", "ty lê 99.73"},
		{"covid", "covid"},
		{"Nẵng", "năng"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, join(viewTerms(Toneless, tt.in)))
		})
	}
}
