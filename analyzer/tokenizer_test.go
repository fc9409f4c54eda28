package analyzer

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/stretchr/testify/assert"
)

func TestTokenizerTerms(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"syllables", "Định danh điện tử", []string{"Định", "danh", "điện", "tử"}},
		{"punctuation separates", "Cơ sở dữ liệu (CSDL) quốc gia; dân cư.", []string{"Cơ", "sở", "dữ", "liệu", "CSDL", "quốc", "gia", "dân", "cư"}},
		{"numbers keep their separators", "hơn 2.398 hồ sơ, đạt 99,73%", []string{"hơn", "2.398", "hồ", "sơ", "đạt", "99,73"}},
		{"comma after a number ends it", "13 bộ, 58 địa phương", []string{"13", "bộ", "58", "địa", "phương"}},
		{"codes split at / and -", "Thông báo 276/TB-VPCP", []string{"Thông", "báo", "276", "TB", "VPCP"}},
		{"range", "giai đoạn 2022-2025", []string{"giai", "đoạn", "2022", "2025"}},
		{"hyphen chain", "khai sinh-thường trú-cấp thẻ", []string{"khai", "sinh", "thường", "trú", "cấp", "thẻ"}},
		{"ampersand acronym", "Bộ TT&TT và R&D", []string{"Bộ", "TT&TT", "và", "R&D"}},
		{"no-break and other spaces", "Thực hiện\u00a0quyết\u2003liệt", []string{"Thực", "hiện", "quyết", "liệt"}},
		{"zero-width inside a word stays in the token", "chuyển\u200bđổi số", []string{"chuyển\u200bđổi", "số"}},
		{"zero-width at edges is dropped", "\u200bsố\u200b hoá", []string{"số", "hoá"}},
		{"decomposed marks belong to their letter", "đi\u0323nh danh", []string{"đi\u0323nh", "danh"}},
		{"invalid byte separates, text goes on", "định\xffdanh \xfe điện tử", []string{"định", "danh", "điện", "tử"}},
		{"garbled run is one token", "ểnđổisốgipgiảiquyết", []string{"ểnđổisốgipgiảiquyết"}},
		{"empty", "", []string{}},
		{"only punctuation", " - ; … ", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, terms(NewTokenizer().Tokenize([]byte(tt.text))))
		})
	}
}

func TestTokenizerOffsetsAndTypes(t *testing.T) {
	text := "cấp 40 triệu tài khoản"
	ts := NewTokenizer().Tokenize([]byte(text))
	want := []struct {
		start, end, pos int
		typ             analysis.TokenType
	}{
		{0, 5, 1, analysis.AlphaNumeric}, // "cấp": ấ is 3 bytes
		{6, 8, 2, analysis.Numeric},
		{9, 16, 3, analysis.AlphaNumeric},
		{17, 21, 4, analysis.AlphaNumeric},
		{22, 29, 5, analysis.AlphaNumeric},
	}
	if assert.Len(t, ts, len(want)) {
		for i, w := range want {
			assert.Equal(t, w.start, ts[i].Start, "start of %q", ts[i].Term)
			assert.Equal(t, w.end, ts[i].End, "end of %q", ts[i].Term)
			assert.Equal(t, w.pos, ts[i].Position, "position of %q", ts[i].Term)
			assert.Equal(t, w.typ, ts[i].Type, "type of %q", ts[i].Term)
			assert.Equal(t, text[ts[i].Start:ts[i].End], string(ts[i].Term))
		}
	}
}
