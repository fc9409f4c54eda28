package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/search"
)

func TestShardedIndexSearchesLikeOne(t *testing.T) {
	tmp := t.TempDir()
	one, sharded := filepath.Join(tmp, "one"), filepath.Join(tmp, "sharded")
	code, _, errOut := runCLI(t, "index", "-index", one, "../../seeds")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = runCLI(t, "index", "-shards", "3", "-index", sharded, "../../seeds")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = runCLI(t, "index", "-shards", "2", "-index", sharded, "../../seeds")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "has 3 shard(s), not 2")

	type response struct {
		Total   uint64 `json:"total"`
		Results []struct {
			ID string `json:"id"`
		} `json:"results"`
		Suggestion *string `json:"suggestion"`
	}
	for _, q := range []string{"định danh điện tử 40 triệu", "dinh danh dien tu", "CSDL quốc gia về dân cư", `"chuyển đổi số"`} {
		var got [2]response
		for i, dir := range []string{one, sharded} {
			code, out, errOut := runCLI(t, "search", "-index", dir, "-json", "-limit", "100", q)
			require.Equal(t, 0, code, errOut)
			require.NoError(t, json.Unmarshal([]byte(out), &got[i]))
		}
		assert.NotZero(t, got[0].Total, q)
		assert.Equal(t, got[0].Total, got[1].Total, "%s: same number of hits", q)
		assert.Equal(t, got[0].Suggestion, got[1].Suggestion, "%s: same suggestion", q)
		var ids [2][]string
		for i := range got {
			for _, r := range got[i].Results {
				ids[i] = append(ids[i], r.ID)
			}
		}
		assert.ElementsMatch(t, ids[0], ids[1], "%s: the same passages (scores are per shard, so the order may differ)", q)
	}

	// What the API serves besides search: counts, documents, completions.
	var searchers [2]*search.Searcher
	for i, dir := range []string{one, sharded} {
		idx, err := indexer.OpenReadOnly(dir)
		require.NoError(t, err)
		defer idx.Close()
		searchers[i] = search.New(idx)
	}
	ctx := context.Background()
	st0, err := searchers[0].Stats(ctx)
	require.NoError(t, err)
	st1, err := searchers[1].Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, st0, st1)
	d0, err := searchers[0].Document(ctx, "004_8ad28276ef6928e8")
	require.NoError(t, err)
	d1, err := searchers[1].Document(ctx, "004_8ad28276ef6928e8")
	require.NoError(t, err)
	assert.Equal(t, d0, d1)
	c0, err := searchers[0].Complete(ctx, "dinh danh dien t", 5)
	require.NoError(t, err)
	c1, err := searchers[1].Complete(ctx, "dinh danh dien t", 5)
	require.NoError(t, err)
	assert.NotEmpty(t, c0)
	assert.Equal(t, c0, c1)
}

// serve rebuilds a sharded index of another version with as many shards, from the documents it holds.
func TestServeRebuildKeepsShards(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sharded")
	code, _, errOut := runCLI(t, "index", "-shards", "3", "-index", dir, "../../seeds")
	require.Equal(t, 0, code, errOut)
	for i := range 3 {
		setVersion(t, filepath.Join(dir, fmt.Sprintf("shard-%02d", i)), "tracuu.mapping_version", "old")
	}
	stderr, code := serveOnce(t, "-index", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "rebuilding it from the documents it holds")
	n, err := indexer.ShardCount(dir)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	idx, err := indexer.OpenReadOnly(dir)
	require.NoError(t, err, "the rebuilt index opens with this build's versions")
	defer idx.Close()
	st, err := search.New(idx).Stats(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 5, st.Documents)
}
