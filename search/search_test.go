package search

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/tracuu/tracuu/analyzer"
	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/seeds"
)

var (
	seedOnce     sync.Once
	seedSearcher *Searcher
	seedDocs     []corpus.Document
)

// seedIndex returns a searcher over an in-memory index of the embedded seeds, built once per run.
func seedIndex(t testing.TB) *Searcher {
	t.Helper()
	seedOnce.Do(func() {
		docs, err := corpus.LoadFS(seeds.FS)
		require.NoError(t, err)
		seedSearcher = New(buildIndex(t, docs))
		seedDocs = docs
	})
	require.NotNil(t, seedSearcher)
	return seedSearcher
}

func buildIndex(t testing.TB, docs []corpus.Document) bleve.Index {
	idx, err := indexer.NewMemory()
	require.NoError(t, err)
	_, err = indexer.Add(context.Background(), idx, docs, nil)
	require.NoError(t, err)
	return idx
}

// marked returns the highlighted substrings of a result.
func marked(r Result) []string {
	runes := []rune(r.Text)
	var out []string
	for _, h := range r.Highlights {
		out = append(out, string(runes[h.Start:h.End]))
	}
	return out
}

const fortyMillion = "40 triệu tài khoản định danh điện tử"

func TestFortyMillionIdentitiesWithOrWithoutDiacritics(t *testing.T) {
	s := seedIndex(t)
	queries := map[string]string{
		"unaccented":  "dinh danh dien tu 40 trieu",
		"accented":    "định danh điện tử 40 triệu",
		"capitals":    "ĐỊNH DANH ĐIỆN TỬ 40 TRIỆU",
		"decomposed":  norm.NFD.String("định danh điện tử 40 triệu"),
		"toneless":    "đinh danh điên tư 40 triêu",
		"mixed":       "định danh dien tu 40 trieu",
		"with spaces": "  dinh   danh\u00a0dien tu 40 trieu  ",
	}
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: q, Limit: DefaultLimit})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			top := resp.Results[0]
			assert.Contains(t, top.Text, fortyMillion)
			got := marked(top)
			for _, w := range []string{"định", "danh", "điện", "tử", "40", "triệu"} {
				assert.Contains(t, got, w, "the snippet marks %q", w)
			}
			assert.Contains(t, top.Snippet, "<mark>40</mark> <mark>triệu</mark> tài khoản <mark>định</mark> <mark>danh</mark> <mark>điện</mark> <mark>tử</mark>")
		})
	}
}

// assertRankAlike checks that two spellings of a query return the same passages in the same order.
func assertRankAlike(t *testing.T, s *Searcher, want, other string, limit int) {
	t.Helper()
	a, err := s.Search(context.Background(), Request{Query: want, Limit: limit})
	require.NoError(t, err)
	b, err := s.Search(context.Background(), Request{Query: other, Limit: limit})
	require.NoError(t, err)
	require.NotEmpty(t, a.Results)
	assert.Equal(t, ids(a.Results), ids(b.Results), "%q ranks as %q", other, want)
}

func TestOldAndNewToneStylesRankAlike(t *testing.T) {
	s := seedIndex(t)
	assertRankAlike(t, s, "sổ sức khỏe điện tử", "sổ sức khoẻ điện tử", 5)
	assertRankAlike(t, s, "số hóa hồ sơ", "số hoá hồ sơ", 5)
}

func TestAccentsPreferTheirOwnWords(t *testing.T) {
	s := seedIndex(t)
	// "Đình" (a name) and "định" fold alike; the accented query must prefer its own word.
	resp, err := s.Search(context.Background(), Request{Query: "định", Limit: 3})
	require.NoError(t, err)
	require.NotEmpty(t, resp.Results)
	for _, r := range resp.Results {
		assert.Contains(t, marked(r), "định")
		assert.NotContains(t, marked(r), "Đình")
	}
}

func TestHighlightsAreSortedDisjointAndInside(t *testing.T) {
	s := seedIndex(t)
	for _, q := range []string{"chuyển đổi số", "CSDL quốc gia về dân cư", "276/TB-VPCP", "thu tuong pham minh chinh", "99,73%", "cccd gắn chíp"} {
		resp, err := s.Search(context.Background(), Request{Query: q, Limit: 20})
		require.NoError(t, err)
		require.NotEmpty(t, resp.Results, q)
		for _, r := range resp.Results {
			n := utf8.RuneCountInString(r.Text)
			for i, h := range r.Highlights {
				assert.True(t, 0 <= h.Start && h.Start < h.End && h.End <= n, "%q: span %v inside %d runes", q, h, n)
				if i > 0 {
					assert.Less(t, r.Highlights[i-1].End, h.Start, "%q: spans sorted and apart", q)
				}
			}
		}
		// Lower results may match by their document's title alone; the best one matches its text.
		assert.NotEmpty(t, resp.Results[0].Highlights, "%q: %s has a highlight", q, resp.Results[0].ID)
	}
}

func TestSnippetEscapesHTML(t *testing.T) {
	docs := []corpus.Document{corpus.Parse("html", "Cảnh báo <script>alert('định danh')</script> & giả mạo định danh điện tử.")}
	s := New(buildIndex(t, docs))
	resp, err := s.Search(context.Background(), Request{Query: "dinh danh", Limit: DefaultLimit})
	require.NoError(t, err)
	require.Len(t, resp.Results, 1)
	snip := resp.Results[0].Snippet
	assert.NotContains(t, snip, "<script>")
	assert.Contains(t, snip, "&lt;script&gt;")
	assert.Contains(t, snip, "&amp; giả mạo <mark>định</mark> <mark>danh</mark>")
}

func TestLongPassageSnippetIsAWindowAroundMatches(t *testing.T) {
	s := seedIndex(t)
	resp, err := s.Search(context.Background(), Request{Query: "mã số thuế", Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, resp.Results)
	snip := resp.Results[0].Snippet
	assert.Contains(t, snip, "<mark>mã</mark> <mark>số</mark> <mark>thuế</mark>")
	assert.LessOrEqual(t, utf8.RuneCountInString(snip), snippetRunes+40*len("<mark></mark>")+60)
}

func TestFilters(t *testing.T) {
	s := seedIndex(t)
	tests := []struct {
		name     string
		req      Request
		wantYear func(date string) bool
	}{
		{"from a year", Request{Query: "chuyển đổi số", From: "2024", Limit: DefaultLimit}, func(d string) bool { return d >= "2024" }},
		{"to a year", Request{Query: "chuyển đổi số", To: "2022", Limit: DefaultLimit}, func(d string) bool { return d < "2023" }},
		{"a month", Request{Query: "chuyển đổi số", From: "2023-02", To: "2023-02", Limit: DefaultLimit}, func(d string) bool { return strings.HasPrefix(d, "2023-02") }},
		// A document dated by its month is in every span of days that meets that month.
		{"days of a month-dated document", Request{Query: "chuyển đổi số", From: "2023-02-01", To: "2023-02-28", Limit: DefaultLimit}, func(d string) bool { return strings.HasPrefix(d, "2023-02") }},
		{"from a day inside the month", Request{Query: "chuyển đổi số", From: "2024-05-31", To: "2024", Limit: DefaultLimit}, func(d string) bool { return d == "2024-05" || d >= "2024-05-31" && d < "2025" }},
		{"not after it", Request{Query: "chuyển đổi số", From: "2023-03-01", Limit: DefaultLimit}, func(d string) bool { return d >= "2023-03" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := s.Search(context.Background(), tt.req)
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			for _, r := range resp.Results {
				assert.True(t, tt.wantYear(r.Date), "%s has date %s", r.ID, r.Date)
			}
		})
	}
}

func TestFacetsCountEveryMatch(t *testing.T) {
	s := seedIndex(t)
	resp, err := s.Search(context.Background(), Request{Query: "Đề án 06", Limit: DefaultLimit})
	require.NoError(t, err)
	sum := 0
	for _, y := range resp.Facets.Years {
		sum += y.Count
	}
	assert.Equal(t, int(resp.Total), sum)
	assert.NotEmpty(t, resp.Facets.Years)
}

// TestTotalAndFacetsDescribeTheResults: a query understood otherwise than typed (diacritics restored,
// Telex decoded, a typo) is counted and faceted as the query its results answer, so that the pages end
// where the total says.
func TestTotalAndFacetsDescribeTheResults(t *testing.T) {
	s := seedIndex(t)
	for _, q := range []string{"thuy loi", "Booj Coong an", "dinh danh dien tu", "chuyenn doi so", "Đề án 06"} {
		t.Run(q, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: q, Limit: MaxLimit})
			require.NoError(t, err)
			require.NotZero(t, resp.Total)
			require.Less(t, int(resp.Total), MaxLimit, "the test reads every result in one page")
			assert.Len(t, resp.Results, int(resp.Total))
			past, err := s.Search(context.Background(), Request{Query: q, Limit: 10, Offset: int(resp.Total)})
			require.NoError(t, err)
			assert.Empty(t, past.Results, "nothing past the total")
			sum := 0
			for _, y := range resp.Facets.Years {
				sum += y.Count
			}
			assert.Equal(t, int(resp.Total), sum, "every seed passage is dated: the years count every result")
		})
	}
}

// TestYearsFacetCountsTwentyYears: passages without a date take no place among the years shown.
func TestYearsFacetCountsTwentyYears(t *testing.T) {
	var docs []corpus.Document
	for year := 2000; year < 2000+facetSize+2; year++ {
		d, err := corpus.FromJSON(fmt.Sprintf("tb-%d", year), "", "Thông báo về chuyển đổi số của tỉnh.", fmt.Sprint(year), "", nil)
		require.NoError(t, err)
		docs = append(docs, d)
	}
	for i := range 5 { // more undated passages than any year has
		d, err := corpus.FromJSON(fmt.Sprintf("khong-ngay-%d", i), "", "Tin về chuyển đổi số, không ghi ngày.", "", "", nil)
		require.NoError(t, err)
		docs = append(docs, d)
	}
	s := New(buildIndex(t, docs))
	resp, err := s.Search(context.Background(), Request{Query: "chuyển đổi số", Limit: DefaultLimit})
	require.NoError(t, err)
	require.Len(t, resp.Facets.Years, facetSize)
	for _, y := range resp.Facets.Years {
		assert.NotEmpty(t, y.Value)
	}
}

func TestPagingIsConsistent(t *testing.T) {
	s := seedIndex(t)
	all, err := s.Search(context.Background(), Request{Query: "dữ liệu dân cư", Limit: 20})
	require.NoError(t, err)
	page2, err := s.Search(context.Background(), Request{Query: "dữ liệu dân cư", Limit: 10, Offset: 10})
	require.NoError(t, err)
	require.Len(t, all.Results, 20)
	assert.Equal(t, ids(all.Results[10:]), ids(page2.Results))
}

// TestPagesPastTheFirstCandidatesFollowEachOther: a long question's candidates are ranked in windows;
// pages walked one after the other give the same passages as one long page, none twice, none skipped,
// across window boundaries too.
func TestPagesPastTheFirstCandidatesFollowEachOther(t *testing.T) {
	s := seedIndex(t)
	small := &Searcher{idx: s.idx, minCommon: 20, window: 7} // two phases, windows of 7 candidates
	small.acronyms.Store(s.acronyms.Load())
	for _, q := range []string{"dịch vụ công trực tuyến của các bộ ngành địa phương", "cac bo nganh dia phuong ket noi du lieu dan cu voi can cuoc cong dan"} {
		t.Run(q, func(t *testing.T) {
			whole, err := small.Search(context.Background(), Request{Query: q, Limit: 40})
			require.NoError(t, err)
			n := len(whole.Results)
			require.Greater(t, n, 3*7, "enough for several windows")
			for _, limit := range []int{3, 5, 10} {
				var walked []string
				for offset := 0; offset < n; offset += limit {
					page, err := small.Search(context.Background(), Request{Query: q, Limit: limit, Offset: offset})
					require.NoError(t, err)
					walked = append(walked, ids(page.Results)...)
				}
				assert.Equal(t, ids(whole.Results), walked[:n], "pages of %d", limit)
			}
		})
	}
}

func TestValidation(t *testing.T) {
	s := seedIndex(t)
	tests := []struct {
		name string
		req  Request
		msg  string
	}{
		{"empty", Request{Query: "  ", Limit: DefaultLimit}, "q must not be empty"},
		{"too long", Request{Query: strings.Repeat("số ", 600), Limit: DefaultLimit}, "at most 1000"},
		{"limit", Request{Query: "số", Limit: 101}, "limit"},
		{"negative limit", Request{Query: "số", Limit: -1}, "limit"},
		{"no limit", Request{Query: "số"}, "limit"},
		{"offset", Request{Query: "số", Offset: 10001, Limit: DefaultLimit}, "offset"},
		{"bad date", Request{Query: "số", From: "2023-13", Limit: DefaultLimit}, "dates"},
		{"not a date", Request{Query: "số", To: "hôm qua", Limit: DefaultLimit}, "dates"},
		{"from after to", Request{Query: "số", From: "2024", To: "2023-12-31", Limit: DefaultLimit}, "after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Search(context.Background(), tt.req)
			require.ErrorIs(t, err, ErrBadRequest)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
	resp, err := s.Search(context.Background(), Request{Query: "…?!", Limit: DefaultLimit})
	require.NoError(t, err, "a query of punctuation only is valid and matches nothing")
	assert.Zero(t, resp.Total)
}

func TestStatsAndFetch(t *testing.T) {
	s := seedIndex(t)
	st, err := s.Stats(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 5, st.Documents)
	want := 0
	for _, d := range seedDocs {
		want += len(corpus.Split(d))
	}
	assert.EqualValues(t, want, st.Passages)

	d, err := s.Document(context.Background(), "004_8ad28276ef6928e8")
	require.NoError(t, err)
	assert.Equal(t, "2024-05", d.Date)
	require.NotEmpty(t, d.Passages)
	assert.Equal(t, "004_8ad28276ef6928e8#0", d.Passages[0])

	p, err := s.Passage(context.Background(), d.Passages[len(d.Passages)-1])
	require.NoError(t, err)
	assert.Contains(t, d.Text, p.Text)

	_, err = s.Passage(context.Background(), "nope#1")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.Document(context.Background(), "004_8ad28276ef6928e8#0")
	assert.ErrorIs(t, err, ErrNotFound, "a passage id is not a document id")
}

func ids(rs []Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestBodyFilterTakesAnyAlias(t *testing.T) {
	s := seedIndex(t)
	var totals []uint64
	for _, body := range []string{"Bộ Công an", "BCA", "bộ công an", "bo cong an"} {
		resp, err := s.Search(context.Background(), Request{Query: "chuyển đổi số", Bodies: []string{body}, Limit: DefaultLimit})
		require.NoError(t, err)
		require.NotEmpty(t, resp.Results, body)
		for _, r := range resp.Results {
			assert.Contains(t, r.Bodies, "Bộ Công an")
		}
		totals = append(totals, resp.Total)
	}
	for _, total := range totals[1:] {
		assert.Equal(t, totals[0], total)
	}
	// An acronym holding Đ, typed with D: folded alike though an ASCII word is stemmed.
	var withBar, withoutBar uint64
	for _, body := range []string{"UBQGCĐS", "UBQGCDS", "ubqgcds"} {
		resp, err := s.Search(context.Background(), Request{Query: "chuyển đổi số", Bodies: []string{body}, Limit: DefaultLimit})
		require.NoError(t, err)
		if body == "UBQGCĐS" {
			withBar = resp.Total
			require.NotZero(t, withBar)
		} else {
			withoutBar = resp.Total
			assert.Equal(t, withBar, withoutBar, body)
		}
	}

	both, err := s.Search(context.Background(), Request{Query: "chuyển đổi số", Bodies: []string{"BCA", "VPCP"}, Limit: DefaultLimit})
	require.NoError(t, err)
	assert.Greater(t, both.Total, totals[0], "repeated bodies: passages tagged with any of them")
	for _, r := range both.Results {
		assert.True(t, slices.Contains(r.Bodies, "Bộ Công an") || slices.Contains(r.Bodies, "Văn phòng Chính phủ"))
	}
	none, err := s.Search(context.Background(), Request{Query: "chuyển đổi số", Bodies: []string{"Bộ Phép thuật"}, Limit: DefaultLimit})
	require.NoError(t, err)
	assert.Zero(t, none.Total)
}

func TestBodiesListsTaggedBodies(t *testing.T) {
	s := seedIndex(t)
	bodies, err := s.Bodies(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, bodies)
	byName := map[string]BodyCount{}
	for i, b := range bodies {
		byName[b.Name] = b
		if i > 0 {
			assert.GreaterOrEqual(t, bodies[i-1].Passages, b.Passages, "most passages first")
		}
	}
	bca := byName["Bộ Công an"]
	assert.Contains(t, bca.Aliases, "BCA")
	assert.Equal(t, "ministry", bca.Kind)
	resp, err := s.Search(context.Background(), Request{Query: "Bộ Công an", Bodies: []string{"Bộ Công an"}, Limit: 1})
	require.NoError(t, err)
	assert.LessOrEqual(t, int(resp.Total), bca.Passages)
}

func TestCodesAndChainsAreFoundAsPhrases(t *testing.T) {
	s := seedIndex(t)
	tests := []struct{ query, want string }{
		{"276/TB-VPCP", "276/TB-VPCP"},
		{"tb vpcp 276", "276/TB-VPCP"},
		{"khai sinh-thường trú", "khai sinh-thường trú"},
		{"2022-2025", "2022 - 2025"}, // the same phrase, however the dash is spaced
		{"99,73%", "99,73%"},
		{"4.250 dịch vụ công", "4.250 dịch vụ công"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 1})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			assert.Contains(t, resp.Results[0].Text, tt.want)
		})
	}
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// The two-phase search (selective words find candidates, the whole query ranks them) must rank like
// the whole query does. On the seeds no word is common, so lower the bar to make some.
func TestTwoPhaseRanksLikeTheWholeQuery(t *testing.T) {
	s := seedIndex(t)
	twoPhase := &Searcher{idx: s.idx, minCommon: 20, window: candidateCount}
	twoPhase.acronyms.Store(s.acronyms.Load())
	for _, q := range []string{"Thủ tướng yêu cầu cấp bao nhiêu tài khoản định danh điện tử?", "dịch vụ công trực tuyến của các bộ ngành địa phương",
		"cac bo nganh dia phuong ket noi du lieu dan cu voi can cuoc cong dan"} {
		whole, err := s.Search(context.Background(), Request{Query: q, Limit: 5})
		require.NoError(t, err)
		phased, err := twoPhase.Search(context.Background(), Request{Query: q, Limit: 5})
		require.NoError(t, err)
		require.NotEmpty(t, whole.Results)
		assert.Equal(t, ids(whole.Results), ids(phased.Results), q)
		assert.Less(t, phased.Total, whole.Total, "candidates come from the selective words only")
	}
}

// TestCommonWordsInAnyOrder: a query whose words are all common and whose only rare clause is a pair
// of them side by side is searched in one phase: the pair alone would make the few passages holding
// it the only candidates, and the same words in another order would find far more.
func TestCommonWordsInAnyOrder(t *testing.T) {
	s := seedIndex(t)
	twoPhase := &Searcher{idx: s.idx, minCommon: 20, window: candidateCount}
	twoPhase.acronyms.Store(s.acronyms.Load())
	for _, pair := range [][2]string{{"dân cư dữ liệu", "dữ liệu dân cư"}, {"cư dân liệu dữ", "dữ liệu dân cư"}} {
		a, err := twoPhase.Search(context.Background(), Request{Query: pair[0], Limit: 5})
		require.NoError(t, err)
		b, err := twoPhase.Search(context.Background(), Request{Query: pair[1], Limit: 5})
		require.NoError(t, err)
		whole, err := s.Search(context.Background(), Request{Query: pair[1], Limit: 5})
		require.NoError(t, err)
		assert.Equal(t, a.Total, b.Total, "%q and %q hold the same words", pair[0], pair[1])
		assert.Equal(t, whole.Total, b.Total, pair[1])
	}
}

func TestSuggestionRestoresDiacritics(t *testing.T) {
	checkSuggestions(t, seedIndex(t), []suggestionCase{
		{"dinh danh dien tu 40 trieu", "định danh điện tử 40 triệu"},
		{"BO SO HO KHAU GIAY", "BỎ SỔ HỘ KHẨU GIẤY"},
		{"Can cuoc cong dan gan chip", "Căn cước công dân gắn chíp"},
		{"định danh dien tu", "định danh điện tử"},
		{"đinh danh", "định danh"},
		{"định danh điện tử", ""}, // already right
		{"40", ""},
		// Typed with tones somewhere, a plain syllable is a level-tone word when the corpus says so.
		{"tra cứu thông tin", ""},
		{"bao nhiêu tài khoản định danh điện tử", ""},
		// Question phrases are restored from their own list, not from passages about other things.
		{"bao nhieu ho so nop tren cong dich vu cong", "bao nhiêu hồ sơ nộp trên cổng dịch vụ công"},
		{"dinh danh dien tu la gi", "định danh điện tử là gì"},
		{"dân số là bao nhieu", "dân số là bao nhiêu"},
	})
}

// suggestionCase is a query and the suggestion a search must answer it with, "" for none.
type suggestionCase struct{ query, want string }

func checkSuggestions(t *testing.T, s *Searcher, tests []suggestionCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 3})
			require.NoError(t, err)
			if tt.want == "" {
				assert.Nil(t, resp.Suggestion)
				return
			}
			require.NotNil(t, resp.Suggestion)
			assert.Equal(t, tt.want, *resp.Suggestion)
		})
	}
}

func TestUnaccentedQueryRanksLikeTheAccentedOne(t *testing.T) {
	s := seedIndex(t)
	assertRankAlike(t, s, "định danh điện tử 40 triệu", "dinh danh dien tu 40 trieu", 3)
	assertRankAlike(t, s, "bỏ sổ hộ khẩu giấy", "bo so ho khau giay", 3)
	assertRankAlike(t, s, "làm sạch thông tin thuê bao di động", "lam sach thong tin thue bao di dong", 3)
}

func TestTelexAndVNITypedWithTheInputMethodOff(t *testing.T) {
	s := seedIndex(t)
	accented, err := s.Search(context.Background(), Request{Query: "định danh điện tử 40 triệu", Limit: 3})
	require.NoError(t, err)
	for _, q := range []string{"ddinhj danh ddieenj tuwr 40 trieeuj", "d9inh5 danh d9ie65n tu73 40 trie65u"} {
		resp, err := s.Search(context.Background(), Request{Query: q, Limit: 3})
		require.NoError(t, err)
		require.NotNil(t, resp.Suggestion, q)
		assert.Equal(t, "định danh điện tử 40 triệu", *resp.Suggestion)
		assert.Equal(t, ids(accented.Results), ids(resp.Results), q)
	}
	// A quoted phrase typed so is decoded too, and filters as decoded.
	for _, q := range []string{`"ddinhj danh ddieenj tuwr"`, `"d9inh5 danh d9ie65n tu73"`} {
		resp, err := s.Search(context.Background(), Request{Query: q, Limit: 3})
		require.NoError(t, err)
		require.NotNil(t, resp.Suggestion, q)
		assert.Equal(t, `"định danh điện tử"`, *resp.Suggestion)
		assert.NotEmpty(t, resp.Results, q)
	}
	// Words that are in the corpus as typed are never decoded.
	resp, err := s.Search(context.Background(), Request{Query: "CSDL quốc gia", Limit: 1})
	require.NoError(t, err)
	assert.Nil(t, resp.Suggestion)
}

func TestQuotedPhrasesMustMatchInOrder(t *testing.T) {
	s := seedIndex(t)
	tests := []struct {
		query, phrase string
	}{
		{`"sổ sức khoẻ điện tử"`, "Sổ sức khoẻ điện tử"},
		{`“dich vu cong truc tuyen” toan trinh`, "dịch vụ công trực tuyến"},
		{`bảo hiểm "xã hội Việt Nam"`, "xã hội Việt Nam"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 100})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			for _, r := range resp.Results {
				assert.Contains(t, strings.ToLower(r.Text), strings.ToLower(tt.phrase), r.ID)
			}
		})
	}
	// The same words, unquoted, find more.
	quoted, err := s.Search(context.Background(), Request{Query: `"thuê bao di động"`, Limit: 10})
	require.NoError(t, err)
	plain, err := s.Search(context.Background(), Request{Query: `thuê bao di động`, Limit: 10})
	require.NoError(t, err)
	assert.Less(t, quoted.Total, plain.Total)
	// An unclosed quote is plain text.
	open, err := s.Search(context.Background(), Request{Query: `"thuê bao di động`, Limit: 10})
	require.NoError(t, err)
	assert.Equal(t, plain.Total, open.Total)
}

// A quoted sentence longer than the phrase bound is read as plain words, not refused: pasted questions
// quote whole sentences. Phrases within the bound still filter.
func TestQuotedPhrasesPastTheBoundAreWords(t *testing.T) {
	s := seedIndex(t)
	var sentence string
	for _, d := range seedDocs {
		for _, sent := range strings.Split(d.Text, ". ") {
			if n := len(analyzer.New(analyzer.Exact).Analyze([]byte(sent))); n > MaxPhraseTerms+5 && n < 60 && !strings.ContainsAny(sent, "\"“”\n") {
				sentence = sent
				break
			}
		}
	}
	require.NotEmpty(t, sentence, "a seed sentence longer than the phrase bound")

	resp, err := s.Search(context.Background(), Request{Query: `"` + sentence + `"`, Limit: 3})
	require.NoError(t, err)
	require.NotEmpty(t, resp.Results)
	assert.Contains(t, resp.Results[0].Text, sentence, "the passage quoted comes first")

	resp, err = s.Search(context.Background(), Request{Query: `"` + sentence + `" "thuê bao di động"`, Limit: 100})
	require.NoError(t, err)
	require.NotEmpty(t, resp.Results)
	for _, r := range resp.Results {
		assert.Contains(t, strings.ToLower(r.Text), "thuê bao di động", "the phrase within the bound still filters: %s", r.ID)
	}
}

func TestAcronymsFindTheirExpansionsAndBack(t *testing.T) {
	docs := []corpus.Document{
		corpus.Parse("card", "Thẻ căn cước công dân đã được cấp cho người dân."),
		corpus.Parse("defines", "Kết nối Cơ sở dữ liệu (CSDL) quốc gia về dân cư với các bộ."),
		corpus.Parse("uses", "CSDL đã được làm sạch trong năm."),
		corpus.Parse("other", "Một văn bản khác về giao thông đô thị."),
	}
	s := New(buildIndex(t, docs))
	tests := []struct {
		query string
		want  []string
	}{
		{"CCCD", []string{"card"}},                     // a curated acronym finds its expansion
		{"cơ sở dữ liệu", []string{"defines", "uses"}}, // an acronym the corpus defines: expansion → acronym
		{"csdl", []string{"defines", "uses"}},          // and acronym → expansion
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 10})
			require.NoError(t, err)
			var got []string
			for _, r := range resp.Results {
				got = append(got, r.DocID)
			}
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

func TestTyposAreAFallbackOnly(t *testing.T) {
	s := seedIndex(t)
	resp, err := s.Search(context.Background(), Request{Query: "Vietteel", Limit: 3})
	require.NoError(t, err)
	require.NotEmpty(t, resp.Results, "nothing matches as typed, so one typo per long word is allowed")
	assert.True(t, resp.Fuzzy)
	assert.Contains(t, resp.Results[0].Text, "Viettel")

	exact, err := s.Search(context.Background(), Request{Query: "nhà mạng Viettel", Limit: 3})
	require.NoError(t, err)
	assert.False(t, exact.Fuzzy, "a query that matches is never widened")

	short, err := s.Search(context.Background(), Request{Query: "xqz", Limit: 3})
	require.NoError(t, err)
	assert.Zero(t, short.Total, "short syllables are never matched fuzzily")
}

// TestATypoInOneWordOfSeveral: a long syllable no passage holds is matched within one edit while the
// other words match as typed, and the suggestion gives the word it was taken for.
func TestATypoInOneWordOfSeveral(t *testing.T) {
	s := seedIndex(t)
	tests := []struct{ query, suggestion, marked string }{
		{"chuyenn doi so", "chuyển đổi số", "chuyển"},
		{"dinhh danhh dien tu", "định danh điện tử", "định"},
		{"định danhh điện tử", "định danh điện tử", "danh"},
		{"xac thucc sinhh trac", "xác thực sinh trắc", "thực"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 3})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			assert.True(t, resp.Fuzzy)
			require.NotNil(t, resp.Suggestion)
			assert.Equal(t, tt.suggestion, *resp.Suggestion)
			assert.Contains(t, marked(resp.Results[0]), tt.marked)
		})
	}
}

func TestDocumentTextIsRebuiltExactly(t *testing.T) {
	s := seedIndex(t)
	for _, want := range seedDocs {
		d, err := s.Document(context.Background(), want.ID)
		require.NoError(t, err)
		assert.Equal(t, want.Text, d.Text, want.ID)
	}
}
