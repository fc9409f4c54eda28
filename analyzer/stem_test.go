package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsSyllable(t *testing.T) {
	vietnamese := []string{"dinh", "danh", "dien", "tu", "nguoi", "khuyen", "quyet", "nghieng", "truong", "giup",
		"gioi", "thuong", "chuyen", "khoe", "thuy", "uy", "oai", "xoay", "khuyu", "huong", "ruou", "the", "can", "cuoc",
		"cong", "chip", "an", "o", "yeu", "giai", "doan", "quoc", "nhieu", "nghia", "khach", "tranh"}
	loanwords := []string{"payment", "payments", "online", "internet", "data", "smartphone", "startup", "covid",
		"vneid", "blockchain", "website", "server", "cloud", "email"}
	for _, w := range vietnamese {
		assert.True(t, IsSyllable(w), "%q is a Vietnamese syllable", w)
	}
	for _, w := range loanwords {
		assert.False(t, IsSyllable(w), "%q is not a Vietnamese syllable", w)
	}
}

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
