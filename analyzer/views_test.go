package analyzer

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A sentence of seed 000, as published.
const seedSentence = "phấn đấu đến tháng 6 năm 2023 cấp được 40 triệu tài khoản định danh điện tử cho người dân."

func TestViewsOfASeedSentence(t *testing.T) {
	tests := []struct {
		view View
		want string
	}{
		{Exact, "phấn đấu đến tháng 6 năm 2023 cấp được 40 triệu tài khoản định danh điện tử cho người dân"},
		{Toneless, "phân đâu đên thang 6 năm 2023 câp đươc 40 triêu tai khoan đinh danh điên tư cho ngươi dân"},
		{Folded, "phan dau den thang 6 nam 2023 cap duoc 40 trieu tai khoan dinh danh dien tu cho nguoi dan"},
	}
	for _, tt := range tests {
		t.Run(tt.view.Label(), func(t *testing.T) {
			assert.Equal(t, strings.Fields(tt.want), viewTerms(tt.view, seedSentence))
		})
	}
}

func TestViewsAgreeOnOffsetsAndPositions(t *testing.T) {
	text := "Ủy ban Quốc gia về chuyển đổi số: 99,73% hồ sơ, Thông báo 276/TB-VPCP"
	exact := New(Exact).Analyze([]byte(text))
	for _, v := range []View{Toneless, Folded} {
		other := New(v).Analyze([]byte(text))
		require.Len(t, other, len(exact), v.Label())
		for i := range exact {
			assert.Equal(t, exact[i].Start, other[i].Start)
			assert.Equal(t, exact[i].End, other[i].End)
			assert.Equal(t, exact[i].Position, other[i].Position)
		}
	}
}

func TestAnalyzeReportsCodePointOffsets(t *testing.T) {
	views := Analyze("Định danh 40")
	require.Contains(t, views, "exact")
	assert.Equal(t, []Token{
		{Term: "định", Start: 0, End: 4, Position: 1},
		{Term: "danh", Start: 5, End: 9, Position: 2},
		{Term: "40", Start: 10, End: 12, Position: 3},
	}, views["exact"])
	assert.Equal(t, "dinh", views["folded"][0].Term)
	assert.Equal(t, "đinh", views["toneless"][0].Term)
	assert.Equal(t, []Token{{Term: "dinh danh", Start: 0, End: 9, Position: 1}, {Term: "danh 40", Start: 5, End: 12, Position: 2}}, views["bigram"])
}

func TestSanitizeKeepsTextAfterInvalidBytes(t *testing.T) {
	s := Sanitize("định\xff danh \xc3 điện tử")
	assert.Equal(t, "định\uFFFD danh \uFFFD điện tử", s)
	assert.Equal(t, []string{"dinh", "danh", "dien", "tu"}, viewTerms(Folded, s))
	assert.Equal(t, "định", Sanitize("đi\u0323nh"), "NFC")
}

func TestUnaccentedQueryMeetsAccentedText(t *testing.T) {
	assert.Equal(t, viewTerms(Folded, "DINH DANH DIEN TU 40 TRIEU"), viewTerms(Folded, "định danh điện tử 40 triệu"))
	assert.Equal(t, viewTerms(Toneless, "đinh danh điên tư"), viewTerms(Toneless, "định danh điện tử"))
	assert.Equal(t, viewTerms(Exact, "đi\u0323nh danh"), viewTerms(Exact, "định danh"), "decomposed input")
}
