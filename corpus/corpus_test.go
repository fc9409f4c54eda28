package corpus

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/seeds"
)

func loadSeeds(t testing.TB) []Document {
	t.Helper()
	docs, err := LoadFS(seeds.FS)
	require.NoError(t, err)
	require.Len(t, docs, 5)
	return docs
}

func TestSeedMetadata(t *testing.T) {
	docs := loadSeeds(t)
	tests := []struct {
		id, date, source, titlePrefix string
	}{
		{"000_ccc4d5c2107aed12", "2023-02", "", "Ngày 25-2, Thủ tướng Phạm Minh Chính"},                       // header line
		{"001_3a163f2fcbfe83ea", "2022-12-25", "Báo Hànộimới", "Chuyển đổi số quốc gia cần mang lại giá trị"}, // byline
		{"002_35322f4ddee5b3b5", "2022-12-25", "HG", "Đây là nhấn mạnh của Thủ tướng"},                        // "ngày 25-12" in the lead, year from the text
		{"003_7e979c1d3aa40762", "2022", "", "Đề án phát triển ứng dụng dữ liệu về dân cư"},
		{"004_8ad28276ef6928e8", "2024-05", "", "Văn phòng Chính phủ vừa thông báo"},
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			d := docs[i]
			assert.Equal(t, tt.id, d.ID)
			assert.Equal(t, tt.date, d.Date)
			assert.Equal(t, tt.source, d.Source)
			assert.True(t, strings.HasPrefix(d.Title, tt.titlePrefix), "title %q starts with %q", d.Title, tt.titlePrefix)
			assert.False(t, strings.HasPrefix(d.Text, " date"), "the date header is not text")
		})
	}
}

func TestBoilerplateIsRemoved(t *testing.T) {
	docs := loadSeeds(t)
	all := ""
	for _, d := range docs {
		all += d.Text + "\n"
	}
	for _, junk := range []string{
		"Theo dõi Báo Hànộimới trên", "(0) Bình luận", "Đừng bỏ lỡ", "Không sao chép dưới mọi hình thức",
		"Đình Hiệp| 25/12/2022", "Quý khách cần hỏi thêm", "Xem chi tiết Thông báo", "Bậc thuế môn bài năm 2025",
		"dạy thêm ngoài nhà trường",
	} {
		assert.NotContains(t, all, junk)
	}
	// The real text around the noise stays.
	for _, kept := range []string{"Cung cấp 4.250 dịch vụ công trực tuyến", "Thực hiện quyết liệt hơn nữa",
		"Và còn nhiều những giải pháp khác được quy định cụ thể tại Thông báo 276/TB-VPCP năm 2022.",
		"40 triệu tài khoản định danh điện tử"} {
		assert.Contains(t, strings.ReplaceAll(all, "\u00a0", " "), kept)
	}
}

func TestSplitSeeds(t *testing.T) {
	for _, d := range loadSeeds(t) {
		ps := Split(d)
		require.NotEmpty(t, ps, d.ID)
		docRunes := []rune(d.Text)
		for i, p := range ps {
			assert.Equal(t, d.ID+"#"+strconv.Itoa(i), p.ID)
			assert.Equal(t, i, p.Ordinal)
			assert.Equal(t, d.ID, p.DocID)
			assert.Equal(t, d.Date, p.Date)
			assert.LessOrEqual(t, utf8.RuneCountInString(p.Text), MaxChars, p.ID)
			assert.LessOrEqual(t, syllables(p.Text), MaxSyllables, p.ID)
			assert.Equal(t, p.Text, string(docRunes[p.Start:p.End]), "%s: offsets point at its text", p.ID)
			if i > 0 {
				assert.LessOrEqual(t, ps[i-1].End, p.Start, "%s: passages do not overlap", p.ID)
			}
		}
		// Only the last passage of a document may be short: the others were grouped to MinSyllables.
		for _, p := range ps[:len(ps)-1] {
			assert.GreaterOrEqual(t, syllables(p.Text), MinSyllables/2, p.ID)
		}
	}
}

func TestSingleLineDocumentIsSplitBySentences(t *testing.T) {
	docs := loadSeeds(t)
	d := docs[2] // one 7,400-byte line
	require.NotContains(t, d.Text, "\n")
	ps := Split(d)
	assert.Greater(t, len(ps), 5)
	for _, p := range ps[:len(ps)-1] {
		last, _ := utf8.DecodeLastRuneInString(p.Text)
		assert.Contains(t, ".!?…\"”", string(last), "%s ends at a sentence end: %q", p.ID, p.Text[max(0, len(p.Text)-30):])
	}
}

// A sentence over the passage bounds is cut after a clause mark when one is near the bound, so no
// passage ends inside a word group ("khách hàng cá" | "nhân").
func TestCutLongPrefersClauseMarks(t *testing.T) {
	item := "cấp tín dụng đối với khách hàng cá nhân, cho vay tín chấp và tích hợp thông tin trên thẻ căn cước công dân"
	plain := strings.Repeat("người dân được hướng dẫn làm thủ tục trực tuyến tại nhà ", 30)
	tests := []struct {
		name, sentence string
		endsWith       string // every piece but the last ends so
	}{
		{"list items separated by semicolons", strings.Repeat(item+"; ", 12) + item + ".", ";"},
		{"items separated by dashes", strings.Repeat(item+" - ", 12) + item + ".", "-"},
		{"no clause mark: cut at a space", plain, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pieces, _ := cutLong(tt.sentence)
			require.Greater(t, len(pieces), 1)
			for i, p := range pieces {
				piece := tt.sentence[p[0]:p[1]]
				assert.LessOrEqual(t, syllables(piece), MaxSyllables, piece)
				assert.LessOrEqual(t, len(piece), MaxChars, piece)
				assert.Greater(t, syllables(piece), 0)
				if i < len(pieces)-1 {
					assert.True(t, strings.HasSuffix(piece, tt.endsWith), "piece %d ends %q", i, piece[max(0, len(piece)-20):])
					assert.Equal(t, pieces[i+1][0], p[1]+1, "pieces follow each other over one space")
				}
			}
		})
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"two sentences", "Đã có 2.398 hồ sơ. Tỷ lệ đạt 99,73%.", []string{"Đã có 2.398 hồ sơ.", "Tỷ lệ đạt 99,73%."}},
		{"decimal and thousands stay", "Đạt 1,5 tỷ đồng và 2.398 hồ sơ.", []string{"Đạt 1,5 tỷ đồng và 2.398 hồ sơ."}},
		{"abbreviation", "Tại TP. Hồ Chí Minh có PGS.TS. Nguyễn Văn A phát biểu.", []string{"Tại TP. Hồ Chí Minh có PGS.TS. Nguyễn Văn A phát biểu."}},
		{"ellipsis going on in lower case", "các giấy tờ khác... giải quyết dứt điểm.", []string{"các giấy tờ khác... giải quyết dứt điểm."}},
		{"question and quote", "Ai làm? “Bộ Công an chủ trì.” Xong.", []string{"Ai làm?", "“Bộ Công an chủ trì.”", "Xong."}},
		{"sentence starting with a number", "Cấp 76,5 triệu thẻ. 94% cơ sở y tế đã ứng dụng.", []string{"Cấp 76,5 triệu thẻ.", "94% cơ sở y tế đã ứng dụng."}},
		{"no final stop", "Thực hiện quyết liệt hơn nữa", []string{"Thực hiện quyết liệt hơn nữa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range Sentences(tt.text) {
				got = append(got, tt.text[s[0]:s[1]])
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseBrokenText(t *testing.T) {
	d := Parse("x", "Đề án 06\xff về dân cư.\r\n\r\nđi\u0323nh danh điện tử.")
	assert.True(t, utf8.ValidString(d.Text))
	assert.Contains(t, d.Text, "về dân cư", "text after an invalid byte is kept")
	assert.Contains(t, d.Text, "định danh", "NFC")
	assert.NotContains(t, d.Text, "\r")
	assert.Empty(t, Split(Parse("empty", "")))
	assert.Empty(t, Split(Parse("blank", " \n\n \t")))
}

func TestSyllables(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"Bộ Công an cấp thẻ căn cước", 7},
		{"  Sáng 25-12,\tông\u00a0Nguyễn  ", 4}, // a no-break space separates words too
		{"- … – 2.398 (CSDL)", 2},               // dashes and ellipses are not syllables
		{"TP.HCM\u2003đường\u0085số 1", 4},
		{"", 0},
		{"xin chào\xffbạn", 2}, // an invalid byte joins what it touches, as strings.Fields does
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, syllables(tt.text), "syllables(%q)", tt.text)
	}
	// The count is the words of strings.Fields with a letter or digit, on every line of the seeds.
	byFields := func(s string) int {
		n := 0
		for _, w := range strings.Fields(s) {
			if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				n++
			}
		}
		return n
	}
	for _, d := range loadSeeds(t) {
		for _, line := range strings.Split(d.Text, "\n") {
			assert.Equal(t, byFields(line), syllables(line), "%s: %q", d.ID, line)
		}
	}
}
