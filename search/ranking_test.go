package search

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRankingGolden runs a fixed list of queries with known answers over the seeds, in the manner of
// zoekt's ranking test, and writes where each answer ranked, with recall@1, recall@3 and MRR, to a
// reviewable file: every ranking change shows as a diff. Rewrite it with:
//
//	go test ./search -run RankingGolden -update
func TestRankingGolden(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "ranking_queries.json"))
	require.NoError(t, err)
	var cases []struct{ Query, Want string }
	require.NoError(t, json.Unmarshal(raw, &cases))
	s := seedIndex(t)

	var b strings.Builder
	var at1, at3 int
	var rr float64
	for _, c := range cases {
		resp, err := s.Search(context.Background(), Request{Query: c.Query, Limit: 10})
		require.NoError(t, err)
		rank := 0
		for i, r := range resp.Results {
			if strings.Contains(r.Text, c.Want) {
				rank = i + 1
				break
			}
		}
		switch {
		case rank == 1:
			at1++
			at3++
		case rank > 0 && rank <= 3:
			at3++
		}
		if rank > 0 {
			rr += 1 / float64(rank)
		}
		got := "miss"
		if rank > 0 {
			got = fmt.Sprintf("%d", rank)
		}
		fmt.Fprintf(&b, "%-5s %s\n", got, c.Query)
	}
	n := float64(len(cases))
	summary := fmt.Sprintf("queries %d  recall@1 %.3f  recall@3 %.3f  MRR %.3f\n", len(cases), float64(at1)/n, float64(at3)/n, rr/n)
	got := summary + "\nrank  query\n" + b.String()

	path := filepath.Join("testdata", "ranking.golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./search -run RankingGolden -update to create it")
	assert.Equal(t, string(want), got, "ranking changed: review the diff, then rewrite with -update")
}
