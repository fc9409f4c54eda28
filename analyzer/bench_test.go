package analyzer

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/tracuu/tracuu/seeds"
)

// viwikiSample is where the benchmark reads real Wikipedia text; the data lives beside the project,
// never inside it.
const viwikiSample = "../../shared/bench/viwiki/passages.jsonl.gz"

func seedTexts(b testing.TB) []string {
	var texts []string
	err := fs.WalkDir(seeds.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		raw, err := fs.ReadFile(seeds.FS, p)
		texts = append(texts, string(raw))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return texts
}

// viwikiTexts reads the first n passages of the viwiki benchmark corpus.
func viwikiTexts(b *testing.B, n int) []string {
	f, err := os.Open(viwikiSample)
	if err != nil {
		b.Skipf("benchmark data not found (%v): run from a checkout with ../shared beside it", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var texts []string
	for len(texts) < n && sc.Scan() {
		var p struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			b.Fatal(err)
		}
		texts = append(texts, p.Text)
	}
	return texts
}

func benchmarkAnalyzers(b *testing.B, texts []string) {
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	std, err := registry.NewCache().AnalyzerNamed(standard.Name)
	if err != nil {
		b.Fatal(err)
	}
	all := make([]analysis.Analyzer, 0, len(Views))
	for _, v := range Views {
		all = append(all, New(v))
	}
	run := func(name string, analyzers ...analysis.Analyzer) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, t := range texts {
					// Each text is new to the analyzers, as in indexing: the cache only serves the
					// views of the text being analyzed.
					shared.reset()
					sharedFolded.reset()
					for _, a := range analyzers {
						a.Analyze([]byte(t))
					}
				}
			}
		})
	}
	run("standard", std)
	for i, v := range Views {
		run(v.Label(), all[i])
	}
	run("all-views", all...)
}

// BenchmarkAnalyzeSeeds measures every view, and all of them together as indexing runs them, against
// bleve's standard analyzer on the same text.
func BenchmarkAnalyzeSeeds(b *testing.B) { benchmarkAnalyzers(b, seedTexts(b)) }

// BenchmarkAnalyzeViwiki does the same on 2,000 Wikipedia paragraphs.
func BenchmarkAnalyzeViwiki(b *testing.B) { benchmarkAnalyzers(b, viwikiTexts(b, 2000)) }

// BenchmarkSanitize measures making the seeds safe to analyze (valid UTF-8, NFC), as loading does for
// every document.
func BenchmarkSanitize(b *testing.B) {
	texts := seedTexts(b)
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			Sanitize(t)
		}
	}
}
