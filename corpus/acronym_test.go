package corpus

import (
	"strings"
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

// TestMineAcronymsSeeds keeps what the seeds define: the bounded search must find the same.
func TestMineAcronymsSeeds(t *testing.T) {
	want := map[string]map[string]string{
		"000_ccc4d5c2107aed12": {},
		"001_3a163f2fcbfe83ea": {},
		"002_35322f4ddee5b3b5": {},
		"003_7e979c1d3aa40762": {"CSDL": "Cơ sở dữ liệu"},
		"004_8ad28276ef6928e8": {"CSDL": "cơ sở dữ liệu"},
	}
	for _, d := range loadSeeds(t) {
		t.Run(d.ID, func(t *testing.T) {
			w, ok := want[d.ID]
			if !ok {
				t.Fatalf("no expectation for seed %s", d.ID)
			}
			assert.Equal(t, w, MineAcronyms(d.Text))
		})
	}
}

// bigAcronymTexts are the inputs that took minutes when every candidate rescanned the text before it
// or after it: a 1 MB text defining the same acronym 50,000 times, and 3 MB of "(" closed once.
func bigAcronymTexts() []struct {
	name, text string
	want       map[string]string
} {
	return []struct {
		name, text string
		want       map[string]string
	}{
		{"1MB of definitions", strings.Repeat("An Bình (AB) là tốt. ", (1<<20)/len("An Bình (AB) là tốt. ")), map[string]string{"AB": "An Bình"}},
		{"3MB of open brackets", strings.Repeat("(", 3<<20) + ")", map[string]string{}},
		{"1MB word before acronyms", "Cơ sở dữ liệu (CSDL) " + strings.Repeat("x", 1<<20) + strings.Repeat("(AB)", 10000), map[string]string{"CSDL": "Cơ sở dữ liệu"}},
		{"1MB of và", "Bộ Thông tin " + strings.Repeat("và ", 1<<18) + "Truyền thông (TT&TT)" + strings.Repeat(" (TT&TT)", 1000), map[string]string{}},
	}
}

// TestMineAcronymsBigInput checks what is mined from texts a quadratic search could not finish (the
// time is BenchmarkMineAcronyms's to measure).
func TestMineAcronymsBigInput(t *testing.T) {
	for _, tt := range bigAcronymTexts() {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, MineAcronyms(tt.text))
		})
	}
}

// BenchmarkMineAcronyms: go test ./corpus -run '^$' -bench MineAcronyms -benchtime 1x
func BenchmarkMineAcronyms(b *testing.B) {
	for _, tt := range bigAcronymTexts() {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.text)))
			for b.Loop() {
				MineAcronyms(tt.text)
			}
		})
	}
}
