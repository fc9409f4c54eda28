package search

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzQuery sends arbitrary text, limits and offsets through Validate and Search on the seeds: no
// panic, no error but a bad request, and highlights that lie inside their passage, sorted and apart.
func FuzzQuery(f *testing.F) {
	for _, q := range []string{
		"định danh điện tử 40 triệu", "dinh danh dien tu 40 trieu", "DINH DANH", "ddinhj danh", "đi\u0323nh danh",
		`"chuyển đổi số" quốc gia`, `"chuyển đổi số`, "“cơ sở dữ liệu” CSDL", "CSDL CCCD UBND", "99,73% 2.398",
		"Thông báo 276/TB-VPCP", "bao nhiêu tài khoản được cấp", "chuyenr ddooir soos", "\xff\xfe định",
		"title:x +y -z \"a", "*", "~1 ^2 (a OR b)", "9999999999999999999999999", "1e308", "-0",
		strings.Repeat("a ", 400), strings.Repeat("\"của các\" ", 10), "\u200b\u00ad", "", "   ",
	} {
		f.Add(q, 10, 0)
	}
	f.Add("định danh", 100, 10000)
	f.Add("định danh", 0, -1)
	f.Add("định danh", 1<<31-1, 1<<31-1)
	s := seedIndex(f)
	f.Fuzz(func(t *testing.T, q string, limit, offset int) {
		r := Request{Query: q, Limit: limit, Offset: offset}
		if err := r.Validate(); err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("Validate(%q): %v is not a bad request", q, err)
			}
			return
		}
		resp, err := s.Search(context.Background(), r)
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("Search(%q): %v is not a bad request", q, err)
			}
			return
		}
		if !utf8.ValidString(resp.Query) || (resp.Suggestion != nil && !utf8.ValidString(*resp.Suggestion)) {
			t.Fatalf("Search(%q): invalid UTF-8 in the query or suggestion", q)
		}
		if len(resp.Results) > r.Limit {
			t.Fatalf("Search(%q): %d results for limit %d", q, len(resp.Results), r.Limit)
		}
		for _, res := range resp.Results {
			n := utf8.RuneCountInString(res.Text)
			end := 0
			for _, h := range res.Highlights {
				if h.Start < end || h.Start >= h.End || h.End > n {
					t.Fatalf("Search(%q): highlight %v of %s out of order or outside its %d characters", q, h, res.ID, n)
				}
				end = h.End
			}
			if strings.Count(res.Snippet, "<mark>") != strings.Count(res.Snippet, "</mark>") || !utf8.ValidString(res.Snippet) {
				t.Fatalf("Search(%q): snippet %q of %s is malformed", q, res.Snippet, res.ID)
			}
		}
	})
}
