package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/search"
)

type benchQuery struct {
	ID       string   `json:"id"`
	Query    string   `json:"query"`
	Relevant []string `json:"relevant"`
}

// evalResult is the output of eval -json, as in API.md.
type evalResult struct {
	Queries   int                `json:"queries"`
	MRR10     float64            `json:"mrr@10"`
	Recall10  float64            `json:"recall@10"`
	Recall100 float64            `json:"recall@100"`
	NDCG10    float64            `json:"ndcg@10"`
	LatencyMS map[string]float64 `json:"latency_ms"`
}

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", "-index DIR -queries FILE [-json] [-run FILE] [-limit N] [-highlights] [-cpuprofile FILE]",
		"Runs a relevance benchmark against an on-disk index and prints MRR@10, Recall@10, Recall@100,\n"+
			"nDCG@10 and latency p50/p95/p99 in ms, measured per query in this process after one warm-up query.\n"+
			"A query's hits count per document, at the document's best rank.",
		[]string{"tracuu eval -index /tmp/viquad.idx -queries ../shared/bench/viquad2-dev/queries.jsonl.gz",
			"tracuu eval -json -index /tmp/viquad.idx -queries queries.jsonl -run /tmp/run.jsonl"}, stdout)
	dir := fs.String("index", "", "the on-disk index to evaluate, in the folder `DIR` (required; build it with tracuu index)")
	queriesPath := fs.String("queries", "", "the benchmark queries, a JSON Lines `FILE` (.jsonl or .jsonl.gz) of {\"id\", \"query\", \"relevant\": [doc ids]} (required)")
	asJSON := fs.Bool("json", false, "print the metrics as one JSON object: {\"queries\", \"mrr@10\", ..., \"latency_ms\": {\"p50\", \"p95\", \"p99\"}}")
	runPath := fs.String("run", "", "also write the ranked document ids and latency of each query to `FILE`, in the format of ../shared/peers")
	limit := fs.Int("limit", search.MaxLimit, fmt.Sprintf("retrieve `N` passages per query, 1-%d; recall@100 needs 100", search.MaxLimit))
	highlights := fs.Bool("highlights", false, "also build highlights and snippets, as the API does, so latency is the API's")
	cpuprofile := profileFlag(fs.FlagSet)
	if err := fs.parse(args); err != nil {
		return err
	}
	if *dir == "" || *queriesPath == "" {
		return fmt.Errorf("%w: -index DIR and -queries FILE are required, for example: tracuu eval -index /tmp/viquad.idx -queries queries.jsonl.gz", errUsage)
	}
	if *limit < 1 || *limit > search.MaxLimit {
		return fmt.Errorf("%w: -limit must be between 1 and %d", errUsage, search.MaxLimit)
	}
	if *runPath != "" && sameFile(*runPath, *queriesPath) {
		return fmt.Errorf("%w: -run %s would overwrite the queries: give it another file", errUsage, *runPath)
	}
	queries, err := readQueries(*queriesPath)
	if err != nil {
		return err
	}
	if len(queries) == 0 {
		// Metrics of no queries are not numbers (and -json cannot print them).
		return fmt.Errorf("%s holds no queries", *queriesPath)
	}
	if *runPath == "" && !slices.ContainsFunc(queries, func(q benchQuery) bool { return len(q.Relevant) > 0 }) {
		return fmt.Errorf("%s: no query has \"relevant\" document ids, so there is nothing to score (-run FILE writes the rankings alone)", *queriesPath)
	}
	idx, err := openIndex(ctx, *dir, nil, true, stderr)
	if err != nil {
		return err
	}
	defer idx.Close()
	s := search.New(idx)

	var run *json.Encoder
	if *runPath != "" {
		f, err := os.Create(*runPath)
		if err != nil {
			return err
		}
		defer f.Close()
		run = json.NewEncoder(f)
	}
	// One untimed query warms caches, as the peers' harness does.
	if len(queries) > 0 {
		if _, err := s.Search(ctx, search.Request{Query: queries[0].Query, Limit: *limit, SkipHighlights: !*highlights}); err != nil {
			return fmt.Errorf("query %s: %w", queries[0].ID, err)
		}
	}
	stopProfile, err := startProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	var res evalResult
	var latencies []float64
	for _, q := range queries {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := time.Now()
		resp, err := s.Search(ctx, search.Request{Query: q.Query, Limit: *limit, SkipHighlights: !*highlights})
		took := time.Since(start)
		if err != nil {
			return fmt.Errorf("query %s: %w", q.ID, err)
		}
		latencies = append(latencies, float64(took.Microseconds())/1000)
		docs := rankedDocs(resp.Results)
		if run != nil {
			if err := run.Encode(map[string]any{"qid": q.ID, "results": docs, "latency_us": took.Microseconds()}); err != nil {
				return err
			}
		}
		if len(q.Relevant) == 0 {
			continue
		}
		res.Queries++
		m := scoreRanking(docs, q.Relevant)
		res.MRR10 += m.mrr10
		res.Recall10 += m.recall10
		res.Recall100 += m.recall100
		res.NDCG10 += m.ndcg10
	}
	if res.Queries > 0 {
		n := float64(res.Queries)
		res.MRR10, res.Recall10, res.Recall100, res.NDCG10 = res.MRR10/n, res.Recall10/n, res.Recall100/n, res.NDCG10/n
	}
	res.LatencyMS = map[string]float64{"p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99)}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "queries     %d\nmrr@10      %.4f\nrecall@10   %.4f\nrecall@100  %.4f\nndcg@10     %.4f\nlatency ms  p50 %.2f  p95 %.2f  p99 %.2f\n",
		res.Queries, res.MRR10, res.Recall10, res.Recall100, res.NDCG10, res.LatencyMS["p50"], res.LatencyMS["p95"], res.LatencyMS["p99"])
	return nil
}

// rankedDocs turns ranked passages into ranked document ids, each at its best rank.
func rankedDocs(results []search.Result) []string {
	seen := map[string]bool{}
	var docs []string
	for _, r := range results {
		if !seen[r.DocID] {
			seen[r.DocID] = true
			docs = append(docs, r.DocID)
		}
	}
	return docs
}

type queryMetrics struct{ mrr10, recall10, recall100, ndcg10 float64 }

// scoreRanking computes the metrics of one ranking with binary relevance, as ../shared/peers/eval.py.
func scoreRanking(docs, relevant []string) queryMetrics {
	rel := map[string]bool{}
	for _, r := range relevant {
		rel[r] = true
	}
	var m queryMetrics
	found10, found100 := 0, 0
	for i, d := range docs {
		if !rel[d] || i >= 100 {
			continue
		}
		found100++
		if i < 10 {
			found10++
			if m.mrr10 == 0 {
				m.mrr10 = 1 / float64(i+1)
			}
			m.ndcg10 += 1 / math.Log2(float64(i+2))
		}
	}
	idcg := 0.0
	for i := range min(len(rel), 10) {
		idcg += 1 / math.Log2(float64(i+2))
	}
	m.ndcg10 /= idcg
	m.recall10 = float64(found10) / float64(len(rel))
	m.recall100 = float64(found100) / float64(len(rel))
	return m
}

// percentile interpolates linearly between the closest ranks, as the peers' harness does.
func percentile(values []float64, p float64) float64 {
	if len(values) == 0 {
		return math.NaN()
	}
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	k := float64(len(v)-1) * p / 100
	lo, hi := math.Floor(k), math.Ceil(k)
	return v[int(lo)] + (v[int(hi)]-v[int(lo)])*(k-lo)
}

func readQueries(path string) ([]benchQuery, error) {
	var qs []benchQuery
	err := corpus.ScanJSONL(path, 1<<24, func(n int, line []byte) error {
		var q benchQuery
		if !utf8.Valid(line) {
			// json.Unmarshal would turn the bad bytes into U+FFFD: another query than the file's.
			return fmt.Errorf("%s:%d: not valid UTF-8", path, n)
		}
		if err := json.Unmarshal(line, &q); err != nil || q.ID == "" || strings.TrimSpace(q.Query) == "" {
			return fmt.Errorf("%s:%d: want {\"id\", \"query\", \"relevant\"}", path, n)
		}
		qs = append(qs, q)
		return nil
	})
	return qs, err
}

// sameFile reports whether two paths name one file (an existing one: a new -run file is another).
func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
