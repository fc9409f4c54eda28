package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tracuu/tracuu/search"
)

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("search", "[-index DIR] [-limit N] [-json] QUERY...",
		"Prints the passages that best answer QUERY, typed with or without diacritics, with the matching\n"+
			"words highlighted (in colour on a terminal, between ** otherwise). The words of QUERY may be\n"+
			"separate arguments; quote a \"phrase\" that must match in order.",
		[]string{"tracuu search dinh danh dien tu 40 trieu",
			"tracuu search -json -limit 3 'định danh điện tử'",
			"tracuu search -index /tmp/viquad.idx 'chuyển đổi số là gì'"}, stdout)
	dir := fs.String("index", "", "search the on-disk index in the folder `DIR` (default: the seed documents embedded in tracuu)")
	limit := fs.Int("limit", search.DefaultLimit, fmt.Sprintf("print `N` passages, 1-%d", search.MaxLimit))
	asJSON := fs.Bool("json", false, "print exactly the JSON that GET /api/v1/search answers")
	if err := fs.parse(args); err != nil {
		return err
	}
	q := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(q) == "" {
		return fmt.Errorf("%w: give a QUERY, for example: tracuu search định danh điện tử", errUsage)
	}
	if !utf8.ValidString(q) {
		// As the API answers 400: repaired, the query would search for U+FFFD and find nothing, unexplained.
		return fmt.Errorf("%w: the QUERY is not valid UTF-8; set the terminal to UTF-8 (a legacy Vietnamese code page such as Windows-1258 sends other bytes)", errUsage)
	}
	req := search.Request{Query: q, Limit: *limit}
	if err := req.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, strings.TrimPrefix(err.Error(), search.ErrBadRequest.Error()+": "))
	}
	idx, err := openIndex(ctx, *dir, nil, true, stderr)
	if err != nil {
		return err
	}
	defer idx.Close()
	resp, err := search.New(idx).Search(ctx, req)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(resp)
	}
	mk := search.Marker{Open: "**", Close: "**"}
	bold, reset := "", ""
	if isTerminal(stdout) {
		mk = search.Marker{Open: "\x1b[1;33m", Close: "\x1b[0m"}
		bold, reset = "\x1b[1m", "\x1b[0m"
	}
	fmt.Fprintf(stdout, "%d passages match %q", resp.Total, resp.Query)
	if resp.Suggestion != nil {
		fmt.Fprintf(stdout, " (understood as %q)", *resp.Suggestion)
	}
	fmt.Fprintf(stdout, "\n\n")
	titleMk := mk
	titleMk.Close += bold // a mark ends by resetting the terminal's attributes: the title stays bold
	for i, r := range resp.Results {
		fmt.Fprintf(stdout, "%d. %s%s%s\n   %s  %s  score %.3f\n   %s\n\n", i+1, bold, search.Excerpt(printable(r.Title), r.TitleHighlights, titleMk), reset,
			printable(r.ID), r.Date, r.Score, search.Excerpt(printable(r.Text), r.Highlights, mk))
	}
	return nil
}

// printable replaces the control characters of a document's text (ESC, BEL, the C1 controls) with
// U+FFFD: documents come from anywhere, and printed as they are, an escape sequence in one would drive
// the terminal (clear it, retitle it, hide what follows). One rune for one keeps highlight offsets
// true.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}
