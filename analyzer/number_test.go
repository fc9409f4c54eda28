package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCanonicalNumber(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2.398", "2398", true},
		{"40.000.000", "40000000", true},
		{"1,5", "1.5", true},
		{"1.5", "1.5", true},
		{"99,73", "99.73", true},
		{"14,6", "14.6", true},
		{"1.234,5", "1234.5", true},
		{"1,234.5", "1234.5", true},
		{"1,234,567", "1234567", true},
		{"03", "3", true},
		{"06", "6", true},
		{"0", "0", true},
		{"0,50", "0.5", true},
		{"2022", "2022", true},
		{"25.12.2022", "", false},
		{"12,5.3", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := canonicalNumber(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNumbersInText(t *testing.T) {
	assert.Equal(t, []string{"99.73", "hồ", "sơ"}, viewTerms(Exact, "99,73% hồ sơ"))
	assert.Equal(t, viewTerms(Exact, "1,5 tỷ"), viewTerms(Exact, "1.5 tỷ"))
	assert.Equal(t, []string{"còn", "3", "văn", "bản"}, viewTerms(Exact, "còn 03 văn bản"))
	assert.Equal(t, []string{"25.12.2022"}, viewTerms(Exact, "25.12.2022"), "an unreadable number is left whole")
}
