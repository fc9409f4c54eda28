package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBigramView(t *testing.T) {
	got := New(Bigram).Analyze([]byte("Định danh điện tử"))
	require.Len(t, got, 3)
	assert.Equal(t, []string{"dinh danh", "danh dien", "dien tu"}, terms(got))
	// A bigram spans both syllables, so it highlights as one piece.
	assert.Equal(t, 0, got[0].Start)
	assert.Equal(t, len("Định danh"), got[0].End)
	assert.Equal(t, 1, got[0].Position)
	assert.Empty(t, New(Bigram).Analyze([]byte("số")))
}

func TestBigramsSkipPositionGaps(t *testing.T) {
	stream := NewTokenizer().Tokenize([]byte("khai sinh thường trú"))
	stream[2].Position, stream[3].Position = 5, 6 // as if words had been removed between sinh and thường
	assert.Equal(t, []string{"khai sinh", "thường trú"}, terms(NewBigramFilter().Filter(stream)))
}

func TestPairWalkerYieldsTheBigramView(t *testing.T) {
	w := NewPairWalker()
	texts := []string{
		"Đến nay đã cấp 40 triệu tài khoản định danh điện tử; Bộ Công an (BCA) triển khai Đề án 06.",
		"Khách sạn Vendôme ở Paris, café và phở: HOÀ BÌNH, hoà bình, hòa bình — COVID-19, 276/TB-VPCP.",
		"Một… hai; ba! Bốn (năm) \"sáu\" x86_64 e-mail www.vneid.gov.vn 1.000.000 đồng",
	}
	texts = append(texts, seedTexts(t)...)
	for _, text := range texts {
		var want []string
		for _, tok := range New(Bigram).Analyze([]byte(text)) {
			want = append(want, string(tok.Term))
		}
		for range 2 { // the second time from the walker's memory
			var got []string
			w.Walk([]byte(text), func(a, b []byte) { got = append(got, string(a)+" "+string(b)) })
			require.Equal(t, want, got, text[:min(len(text), 60)])
		}
	}
}
