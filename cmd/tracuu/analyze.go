package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tracuu/tracuu/analyzer"
)

func runAnalyze(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("analyze", "[-json] TEXT...",
		"Shows what the analyzer makes of TEXT: every token of every indexed view (exact, toneless, folded,\n"+
			"bigram) with its position and its offsets in code points. Several arguments are joined by spaces.",
		[]string{"tracuu analyze 'Thông báo 276/TB-VPCP: 99,73% hồ sơ'", "tracuu analyze -json hoà khỏe"}, stdout)
	asJSON := fs.Bool("json", false, "print the tokens as JSON, exactly as GET /api/v1/analyze answers")
	if err := fs.parse(args); err != nil {
		return err
	}
	text := strings.Join(fs.Args(), " ")
	if !utf8.ValidString(text) {
		// As search and GET /api/v1/analyze: Sanitize would analyze U+FFFD, which is not what was typed.
		return fmt.Errorf("%w: the TEXT is not valid UTF-8; set the terminal to UTF-8 (a legacy Vietnamese code page such as Windows-1258 sends other bytes)", errUsage)
	}
	text = analyzer.Sanitize(text)
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("%w: give a TEXT to analyze, for example: tracuu analyze 'Định danh điện tử'", errUsage)
	}
	views := analyzer.Analyze(text)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(map[string]any{"text": text, "views": views})
	}
	for _, v := range analyzer.Views {
		fmt.Fprintf(stdout, "%s:\n", v.Label())
		for _, t := range views[v.Label()] {
			fmt.Fprintf(stdout, "  %3d  %-24s [%d,%d)\n", t.Position, t.Term, t.Start, t.End)
		}
	}
	return nil
}
