package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/tracuu/tracuu/analyzer"
)

func runAnalyze(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("analyze", "[-json] TEXT", stderr)
	asJSON := fs.Bool("json", false, "print the tokens as JSON, as GET /api/v1/analyze")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	text := analyzer.Sanitize(strings.Join(fs.Args(), " "))
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("%w: give a TEXT to analyze", errUsage)
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
