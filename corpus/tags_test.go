package corpus

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTagBodies(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"full name", "Thủ tướng giao Bộ Công an chủ trì nghiên cứu.", []string{"Bộ Công an"}},
		{"abbreviations", "BCA phối hợp với NHNN, BHXH và Bộ TT&TT.", []string{"Bộ Công an", "Ngân hàng Nhà nước Việt Nam", "Bảo hiểm xã hội Việt Nam", "Bộ Thông tin và Truyền thông"}},
		{"longest name wins", "Ngân hàng Nhà nước Việt Nam và Văn phòng Chính phủ", []string{"Ngân hàng Nhà nước Việt Nam", "Văn phòng Chính phủ"}},
		{"old tone style and capitals", "UỶ BAN NHÂN DÂN tỉnh và Uỷ ban Quốc gia về chuyển đổi số", []string{"Ủy ban nhân dân", "Ủy ban Quốc gia về chuyển đổi số"}},
		{"hyphenated ministry", "Bộ Lao động - Thương binh và Xã hội; Bộ LĐ-TB&XH", []string{"Bộ Lao động - Thương binh và Xã hội"}},
		{"lower case is not a name", "các bộ công an và tài chính", []string{}},
		{"telecoms", "3 nhà mạng là Viettel, Mobifone, Vinaphone", []string{"Tập đoàn Công nghiệp - Viễn thông Quân đội", "Tổng công ty Viễn thông MobiFone", "Tập đoàn Bưu chính Viễn thông Việt Nam"}},
		{"international", "theo đánh giá của Liên hợp quốc", []string{"Liên Hợp Quốc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, TagBodies(tt.text))
		})
	}
}

func TestCanonicalBody(t *testing.T) {
	for _, alias := range []string{"Bộ Công an", "BCA", "bộ công an", "Bo Cong an", "BỘ CÔNG AN"} {
		got, ok := CanonicalBody(alias)
		assert.True(t, ok, alias)
		assert.Equal(t, "Bộ Công an", got, alias)
	}
	got, ok := CanonicalBody("uỷ ban nhân dân")
	assert.True(t, ok)
	assert.Equal(t, "Ủy ban nhân dân", got)
	_, ok = CanonicalBody("Bộ Phép thuật")
	assert.False(t, ok)
}

func TestTagPlaces(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"merged province follows", "UBND tỉnh Kiên Giang và Sóc Trăng", []string{"Kiên Giang", "An Giang", "Sóc Trăng", "Cần Thơ"}},
		{"unchanged province", "tại Hà Nội", []string{"Hà Nội"}},
		{"city abbreviation", "Tây Ninh và TPHCM", []string{"Tây Ninh", "Thành phố Hồ Chí Minh"}},
		{"capitals tell a name from a word", "vì hòa bình; tỉnh Hòa Bình", []string{"Hòa Bình", "Phú Thọ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, TagPlaces(tt.text))
		})
	}
}

func TestGazetteerCoversBeforeAndAfterTheMerger(t *testing.T) {
	before, after := 0, map[string]bool{}
	for _, p := range Places() {
		if p.Name != "Huế" { // Huế is the name created in 2025 for Thừa Thiên Huế
			before++
		}
		after[p.Merged] = true
	}
	assert.Equal(t, 63, before, "the 63 provinces and cities before 1 July 2025")
	assert.Len(t, after, 34, "the 34 after")
	assert.NotEmpty(t, Bodies())
	for _, b := range Bodies() {
		assert.NotEmpty(t, b.Kind, b.Name)
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		name, text, year string
		want             []string
	}{
		{"written out", "Thông báo ngày 18 tháng 7 năm 2022 của Văn phòng", "", []string{"2022-07-18"}},
		{"numeric", "Đến ngày 22-12-2022, hệ thống đã thu nhận; hạn 25/12/2022 13:07", "", []string{"2022-12-22", "2022-12-25"}},
		{"day without year takes the context's", "Sáng 25-12, tại Hội nghị; trước ngày 10/5", "2024", []string{"2024-12-25", "2024-05-10"}},
		{"day without year or context is left out", "trước ngày 10/5", "", []string{}},
		{"month", "đến tháng 6 năm 2023 và tháng 5/2024", "", []string{"2023-06", "2024-05"}},
		{"year", "tầm nhìn đến năm 2030", "", []string{"2030"}},
		{"invalid day keeps its month", "ngày 31 tháng 2 năm 2023, tháng 13 năm 2022", "", []string{"2023-02", "2022"}},
		{"ratios are not dates", "13/30 bộ và 37/63 tỉnh", "2022", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Dates(tt.text, tt.year))
		})
	}
}
