package corpus

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMineAcronyms(t *testing.T) {
	tests := []struct {
		text string
		want map[string]string
	}{
		{"trên nền tảng Cơ sở dữ liệu (CSDL) quốc gia về dân cư", map[string]string{"CSDL": "Cơ sở dữ liệu"}},
		{"thẻ căn cước công dân (CCCD) gắn chíp", map[string]string{"CCCD": "căn cước công dân"}},
		{"Bộ Thông tin và Truyền thông (TT&TT) cho biết", map[string]string{"TT&TT": "Thông tin và Truyền thông"}},
		{"Ủy ban nhân dân (UBND) tỉnh", map[string]string{"UBND": "Ủy ban nhân dân"}},
		{"Bộ Tài chính (Tổng Cục thuế) và (HG) - Đây là", map[string]string{}},
		{"năm 2022 (HNMO)", map[string]string{}},
		{"unclosed (CSDL", map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.want, MineAcronyms(tt.text))
		})
	}
}

func TestCuratedAcronyms(t *testing.T) {
	a := Acronyms()
	assert.Equal(t, "căn cước công dân", a["CCCD"])
	assert.Equal(t, "ủy ban nhân dân", a["UBND"])
}
