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
