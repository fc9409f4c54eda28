package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLoanwordStemming(t *testing.T) {
	tests := []struct{ in, want string }{
		{"payments", "payment"},
		{"Payments online", "payment onlin"},
		{"services", "servic"},
		{"nguoi dan", "nguoi dan"}, // unaccented Vietnamese: never stemmed
		{"thuong mai", "thuong mai"},
		{"chuyen doi so", "chuyen doi so"},
		{"apps", "app"},
		{"sms", "sms"},             // under four letters: left as typed
		{"covid19", "covid19"},     // digits inside: a code, not a word
		{"định danh", "định danh"}, // accented: Vietnamese
		{"ứng dụng", "ứng dụng"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := viewTerms(Exact, tt.in)
			assert.Equal(t, tt.want, join(got))
		})
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
