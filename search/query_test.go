package search

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
)

// commonWordsDocs is a small corpus where vo (vô, võ, vở, vỡ) and năm, có are in most passages, and vợ
// in two: with minCommon lowered, the ubiquitous rule of textQuery triggers on it as on a large index.
// One title holds Võ, which says nothing of vợ.
var commonWordsDocs = []corpus.Document{
	news("cuoi", "Anh ấy cưới vợ vào năm 2019 tại Hà Nội, có nhiều người đến dự."),
	news("vochong", "Vợ chồng ông bà có ba người con, năm nào cũng về quê ăn Tết."),
	news("vothuat", "Giải võ thuật năm nay có nhiều võ sĩ đến từ các tỉnh phía Bắc."),
	news("vohoc", "Học sinh có vở viết mới cho năm học, Bộ Giáo dục đã hướng dẫn các trường."),
	news("vode", "Đê bị vỡ sau cơn bão năm ngoái, có nước tràn vào các làng ven sông."),
	news("voso", "Vô số người dân có mặt tại quảng trường trong đêm giao thừa năm mới."),
	news("vacxin", "Bộ Y tế khuyến cáo người dân có thể tiêm vắc xin bất hoạt, vô trùng, năm liều."),
	news("baitap", "Cô giáo kiểm tra vở bài tập của học sinh mỗi tuần, có nhận xét cho từng em."),
	news("daiden", "Ông ấy tập võ từ nhỏ và có đai đen năm mười tám tuổi."),
	news("thue", "Bộ Tài chính có văn bản hướng dẫn về thuế thu nhập cá nhân năm nay."),
	news("giaothong", "Tai nạn giao thông giảm mạnh trong quý ba nhờ kiểm soát nồng độ cồn."),
	news("lua", "Giá lúa gạo tại đồng bằng sông Cửu Long tăng nhẹ trong tuần qua."),
	news("mua", "Mưa lớn kéo dài gây ngập úng nhiều tuyến phố ở trung tâm thành phố."),
	news("dien", "Tập đoàn Điện lực khuyến cáo tiết kiệm điện vào giờ cao điểm mùa hè."),
	news("cang", "Cảng biển Hải Phòng đón tàu container trọng tải lớn nhất từ trước tới nay."),
	news("rung", "Diện tích rừng trồng mới được giao cho các hộ gia đình chăm sóc và bảo vệ."),
	{ID: "giap", Title: "Võ Nguyên Giáp", Text: "Đại tướng sinh năm 1911 tại làng An Xá, tỉnh Quảng Bình."},
}

// news is a passage under a title that matches none of the queries, as most passages' titles.
func news(id, text string) corpus.Document {
	d := corpus.Parse(id, text)
	d.Title = "Tin trong nước"
	return d
}

// TestCommonnessIsJudgedInTheTypedView: a word typed with its tone is judged by how common that form
// is, not its folded form (vợ is rare though vô, võ, vở, vỡ are everywhere), and a query of words that
// are all everywhere still finds the passages holding them.
func TestCommonnessIsJudgedInTheTypedView(t *testing.T) {
	s := New(buildIndex(t, commonWordsDocs))
	s.minCommon = 1 // ubiquitous: in more than 5 of these 16 passages
	tests := []struct {
		query string
		first string   // the passage ranked first
		want  []string // among the results
		word  string   // every result holds it (lower case), when set
	}{
		{"vợ", "", []string{"cuoi", "vochong"}, "vợ"},
		{"vỡ đê", "vode", []string{"vode"}, ""},
		{"năm", "", []string{"cuoi", "vochong", "vothuat", "daiden", "thue"}, "năm"},
		{"có", "", []string{"cuoi", "vohoc", "baitap"}, "có"},
		{"Bộ", "", []string{"vohoc", "vacxin", "thue"}, "bộ"},
		{"có năm", "", []string{"cuoi", "daiden"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 20})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			var got []string
			for _, r := range resp.Results {
				got = append(got, r.DocID)
			}
			for _, w := range tt.want {
				assert.Contains(t, got, w)
			}
			if tt.first != "" {
				assert.Equal(t, tt.first, resp.Results[0].DocID)
			}
			if tt.word != "" {
				for _, r := range resp.Results {
					assert.Contains(t, strings.ToLower(r.Text), tt.word, r.DocID)
				}
			}
		})
	}
}

// TestOnlyWordsTypedAsAcronymsExpand: a word typed with a tone mark, or in lower case and a Vietnamese
// syllable, is a word (bà nội is not British Airways); one in capitals or no syllable expands.
func TestOnlyWordsTypedAsAcronymsExpand(t *testing.T) {
	acr := loadAcronyms(map[string]string{"BA": "British Airways", "VO": "vanadi oxit"})
	tests := []struct {
		query string
		want  []string // expansions, folded
	}{
		{"bà nội", nil},
		{"ba nội", nil},
		{"Ba người con", nil},
		{"vỡ đê", nil},
		{"vo de", nil},
		{"BA", []string{"british airway"}},
		{"vé máy bay BA", []string{"british airway"}},
		{"VO", []string{"vanadi oxit"}},
		{"CCCD", []string{"can cuoc cong dan"}},
		{"cccd", []string{"can cuoc cong dan"}},
		{"csdl", []string{"co so du lieu"}},
		{"NHNN", []string{"ngan hang nha nuoc"}},
		{"KT-XH", []string{"kinh te xa hoi"}}, // an acronym of two terms
		{"BCA", []string{"bo cong an"}},       // a body's abbreviation
		{"Bộ TT&TT", []string{"bo thong tin va truyen thong"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got []string
			acr.each(parse(tt.query), func(exp []string, _ float64) { got = append(got, strings.Join(exp, " ")) },
				func([]string) {})
			assert.Equal(t, tt.want, got)
		})
	}

	s := New(buildIndex(t, []corpus.Document{
		news("ba", "Hãng hàng không British Airways (BA) mở đường bay thẳng từ London đến Thành phố Hồ Chí Minh."),
		news("noi", "Bà nội tôi năm nay đã tám mươi tuổi nhưng vẫn khỏe mạnh."),
		news("de", "Đê sông Hồng bị vỡ một đoạn dài sau trận lũ lịch sử."),
		news("vo", "Vanadi oxit (VO) là một hợp chất vô cơ của vanadi và oxy."),
	}))
	for _, tt := range []struct{ query, first string }{
		{"bà nội", "noi"},
		{"vỡ đê", "de"},
		{"BA", "ba"},
		{"VO", "vo"},
	} {
		t.Run("search "+tt.query, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 10})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			assert.Equal(t, tt.first, resp.Results[0].DocID)
		})
	}
}

// TestKnownAcronymsAreNoTypos: an acronym no passage spells is found by its expansion, not taken for a
// typo of a word one edit away (NHNN is not nhận); so are one of two terms (KT-XH: kinh tế - xã hội)
// and a body's abbreviation (BCA: Bộ Công an).
func TestKnownAcronymsAreNoTypos(t *testing.T) {
	s := seedIndex(t)
	tests := []struct{ query, marked string }{
		{"NHNN", "Ngân hàng Nhà nước"},
		{"nhnn", "Ngân hàng Nhà nước"},
		{"NHNN tài khoản an sinh", "Ngân hàng Nhà nước"},
		{"KT-XH", "xã hội"},
		{"BCA", "Bộ Công an"},
		{"TT&TT", "Thông tin và Truyền thông"},
		{"Bộ TT&TT", "Thông tin và Truyền thông"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 10})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			assert.False(t, resp.Fuzzy)
			if resp.Suggestion != nil {
				assert.NotContains(t, strings.ToLower(*resp.Suggestion), "nhận")
			}
			first := resp.Results[0]
			assert.Contains(t, first.Text, tt.marked)
			assert.Contains(t, strings.Join(marked(first), " "), strings.Fields(tt.marked)[0])
			assert.NotContains(t, strings.ToLower(strings.Join(marked(first), " ")), "nhận")
		})
	}
}

// TestRareTypedWordsFindCandidatesAsTyped: in a query of two phases, a word rare as typed but common
// folded (vợ; vo is vô, võ, vở, vỡ too) finds candidates in the form typed; the folded view only ranks.
func TestRareTypedWordsFindCandidatesAsTyped(t *testing.T) {
	s := New(buildIndex(t, commonWordsDocs))
	s.minCommon = 2 // vợ selective, vo and năm common: two phases
	tests := []struct{ query, word string }{
		{"vợ năm", "vợ"},
		{"năm vợ", "vợ"},
		{"vỡ năm", "vỡ"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 20})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			for _, r := range resp.Results {
				assert.Contains(t, strings.ToLower(r.Text), tt.word, r.DocID)
			}
		})
	}
}
