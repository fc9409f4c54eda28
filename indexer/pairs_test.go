package indexer_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/search"
	"github.com/tracuu/tracuu/seeds"
)

// createIndex makes an empty on-disk index at dir, sharded when shards > 1.
func createIndex(t *testing.T, dir string, shards int) bleve.Index {
	t.Helper()
	if shards > 1 {
		idx, err := indexer.CreateSharded(dir, shards)
		require.NoError(t, err)
		return idx
	}
	idx, err := indexer.Create(dir)
	require.NoError(t, err)
	return idx
}

// bulkIndex builds docs at dir as tracuu index does (bulk build, final merge, pair postings files),
// and opens it again.
func bulkIndex(t *testing.T, dir string, shards int, docs []corpus.Document) bleve.Index {
	t.Helper()
	ctx := context.Background()
	idx := createIndex(t, dir, shards)
	b, err := indexer.NewBulkBuilder(ctx, idx, nil)
	require.NoError(t, err)
	for _, d := range docs {
		require.NoError(t, b.Add(d))
	}
	_, _, err = b.Close()
	require.NoError(t, err)
	require.NoError(t, indexer.Finish(ctx, idx, dir))
	idx, err = indexer.Open(dir)
	require.NoError(t, err)
	return idx
}

// pairFiles returns the pair postings files of the index at dir (of every shard).
func pairFiles(t *testing.T, dir string) []string {
	files, err := filepath.Glob(filepath.Join(dir, "pairs", "*.bin"))
	require.NoError(t, err)
	shards, err := filepath.Glob(filepath.Join(dir, "shard-*", "pairs", "*.bin"))
	require.NoError(t, err)
	return append(files, shards...)
}

// bigramTerms counts the terms of the bigram view bleve indexes.
func bigramTerms(t *testing.T, idx bleve.Index) int {
	shards := []bleve.Index{idx}
	if sh, ok := idx.(*indexer.Sharded); ok {
		shards = sh.Shards()
	}
	n := 0
	for _, s := range shards {
		dict, err := s.FieldDict(indexer.FieldBigram)
		require.NoError(t, err)
		for {
			e, err := dict.Next()
			require.NoError(t, err)
			if e == nil {
				break
			}
			n++
		}
		require.NoError(t, dict.Close())
	}
	return n
}

// pairQueries exercise the bigrams: pairs that settle a folded syllable, long questions whose words
// are common and whose pairs select, a quoted phrase, completions and restored diacritics.
var pairQueries = []string{
	"định danh điện tử 40 triệu",
	"dinh danh dien tu",
	"căn cước gắn chip",
	"can cuoc gan chip",
	"Bộ Công an triển khai Đề án 06 như thế nào",
	"dữ liệu dân cư được kết nối với bao nhiêu bộ ngành",
	`"cơ sở dữ liệu quốc gia về dân cư"`,
	"chuyển đổi số quốc gia",
	"ddinhj danh ddieenj tuwr",
	"tài khoản định danh mức độ 2",
}

// updated is a seed document rewritten, and a document added, after the index was built.
func updates(docs []corpus.Document) (put []corpus.Document, deleted string) {
	changed := docs[0]
	changed.Text = "Tài khoản định danh điện tử mức độ 2 được cấp cho công dân qua ứng dụng VNeID.\n\n" + changed.Text
	added := corpus.Parse("moi", "Căn cước gắn chip và định danh điện tử giúp người dân làm thủ tục hành chính trực tuyến.")
	return []corpus.Document{changed, added}, docs[1].ID
}

func applyUpdates(t *testing.T, idx bleve.Index, docs []corpus.Document) {
	ctx := context.Background()
	put, deleted := updates(docs)
	_, err := indexer.Add(ctx, idx, put, nil)
	require.NoError(t, err)
	_, err = indexer.Delete(ctx, idx, deleted)
	require.NoError(t, err)
}

// assertSameRanking checks that got answers every query with the passages, scores, totals and
// suggestions of want (passages of equal score may come in another order: ties follow doc numbers).
func assertSameRanking(t *testing.T, want, got *search.Searcher) {
	t.Helper()
	ctx := context.Background()
	for _, q := range pairQueries {
		w, err := want.Search(ctx, search.Request{Query: q, Limit: search.MaxLimit})
		require.NoError(t, err, q)
		g, err := got.Search(ctx, search.Request{Query: q, Limit: search.MaxLimit})
		require.NoError(t, err, q)
		require.NotEmpty(t, w.Results, q)
		assert.Equal(t, w.Total, g.Total, q)
		assert.Equal(t, w.Suggestion, g.Suggestion, q)
		scores := func(rs []search.Result) map[string]float64 {
			m := map[string]float64{}
			for _, r := range rs {
				m[r.ID] = r.Score
			}
			return m
		}
		ws, gs := scores(w.Results), scores(g.Results)
		require.Equal(t, len(ws), len(gs), q)
		for id, s := range ws {
			assert.InDelta(t, s, gs[id], 1e-9, "%s: %s", q, id)
		}
		wc, err := want.Complete(ctx, q+" d", 5)
		require.NoError(t, err, q)
		gc, err := got.Complete(ctx, q+" d", 5)
		require.NoError(t, err, q)
		assert.Equal(t, wc, gc, q)
	}
}

func TestBulkBuildPairsRankAsTheBigramView(t *testing.T) {
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	other := []corpus.Document{corpus.Parse("khac", "Một văn bản khác hẳn, về nông nghiệp và thủy lợi ở đồng bằng sông Cửu Long.")}
	foreign := t.TempDir()
	fidx := bulkIndex(t, filepath.Join(foreign, "idx"), 1, other)
	require.NoError(t, fidx.Close())
	foreignFiles := pairFiles(t, filepath.Join(foreign, "idx"))
	require.Len(t, foreignFiles, 1)

	tests := []struct {
		name    string
		shards  int
		damage  func(t *testing.T, dir string) // to the closed index
		update  bool                           // documents written and deleted after the build
		merge   bool                           // then merged into one segment
		remakes bool                           // searches make the pair files again, as the build wrote them
	}{
		{name: "as built"},
		{name: "sharded", shards: 2},
		{name: "pair files removed", remakes: true, damage: func(t *testing.T, dir string) {
			require.NoError(t, os.RemoveAll(filepath.Join(dir, "pairs")))
		}},
		{name: "pair file with a byte changed", remakes: true, damage: func(t *testing.T, dir string) {
			for _, f := range pairFiles(t, dir) {
				b, err := os.ReadFile(f)
				require.NoError(t, err)
				b[len(b)/2] ^= 0xff
				require.NoError(t, os.WriteFile(f, b, 0o600))
			}
		}},
		{name: "pair file cut short", remakes: true, damage: func(t *testing.T, dir string) {
			for _, f := range pairFiles(t, dir) {
				require.NoError(t, os.Truncate(f, 100))
			}
		}},
		{name: "a pipe in place of the pair file", remakes: true, damage: func(t *testing.T, dir string) {
			for _, f := range pairFiles(t, dir) {
				require.NoError(t, os.Remove(f))
				require.NoError(t, syscall.Mkfifo(f, 0o600)) // reading it would block forever
			}
		}},
		{name: "a pair file larger than its segment", remakes: true, damage: func(t *testing.T, dir string) {
			for _, f := range pairFiles(t, dir) {
				require.NoError(t, os.Truncate(f, 1<<30)) // sparse: read whole it would take a GB
			}
		}},
		{name: "another index's pair file under the segment's name", remakes: true, damage: func(t *testing.T, dir string) {
			b, err := os.ReadFile(foreignFiles[0])
			require.NoError(t, err)
			for _, f := range pairFiles(t, dir) {
				require.NoError(t, os.WriteFile(f, b, 0o600))
			}
		}},
		{name: "updated", update: true},
		{name: "updated and merged", update: true, merge: true},
		{name: "sharded, updated and merged", shards: 2, update: true, merge: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			ref := createIndex(t, filepath.Join(t.TempDir(), "ref"), tt.shards)
			_, err := indexer.Add(ctx, ref, docs, nil)
			require.NoError(t, err)
			defer ref.Close()

			dir := filepath.Join(t.TempDir(), "idx")
			idx := bulkIndex(t, dir, tt.shards, docs)
			assert.Zero(t, bigramTerms(t, idx), "a bulk build keeps its bigrams out of bleve")
			built := map[string][]byte{}
			for _, f := range pairFiles(t, dir) {
				built[f], err = os.ReadFile(f)
				require.NoError(t, err)
			}
			require.Len(t, built, max(tt.shards, 1), "a pair file per shard's segment")
			if tt.damage != nil {
				require.NoError(t, idx.Close())
				tt.damage(t, dir)
				indexer.ForgetPairs() // as another process would
				idx, err = indexer.Open(dir)
				require.NoError(t, err)
			}
			defer func() { idx.Close() }()
			if tt.update {
				applyUpdates(t, ref, docs)
				applyUpdates(t, idx, docs)
				assert.NotZero(t, bigramTerms(t, idx), "documents written one by one index their bigrams")
			}
			if tt.merge {
				require.NoError(t, indexer.Optimize(ctx, ref))
				require.NoError(t, indexer.Optimize(ctx, idx))
			}
			assertSameRanking(t, search.New(ref), search.New(idx))
			if tt.remakes {
				for f, b := range built {
					again, err := os.ReadFile(f)
					require.NoError(t, err, "made again")
					assert.Equal(t, b, again, "made again as the build wrote it")
				}
			}
		})
	}
}

// TestBulkBuildCompletesAsOneByOneAfterAnUpdate completes every prefix of a document written after a
// bulk build (its pairs then in both places: files and bleve's view) as on the same documents all
// written one by one: pairs equally frequent must not be chosen by where they are kept.
func TestBulkBuildCompletesAsOneByOneAfterAnUpdate(t *testing.T) {
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	added := corpus.Parse("moi", string([]rune(docs[2].Text)[:1200])) // repeats a seed's pairs
	ctx := context.Background()
	ref := createIndex(t, filepath.Join(t.TempDir(), "ref"), 1)
	defer ref.Close()
	_, err = indexer.Add(ctx, ref, append(slices.Clone(docs), added), nil)
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "idx")
	idx := bulkIndex(t, dir, 1, docs)
	defer idx.Close()
	_, err = indexer.Add(ctx, idx, []corpus.Document{added}, nil)
	require.NoError(t, err)
	want, got := search.New(ref), search.New(idx)
	words := strings.Fields(added.Text)
	for i := 2; i < len(words); i++ {
		for _, n := range []int{1, 2} {
			r := []rune(words[i])
			prefix := strings.Join(words[i-2:i], " ") + " " + string(r[:min(n, len(r))])
			wc, err := want.Complete(ctx, prefix, 5)
			require.NoError(t, err, prefix)
			gc, err := got.Complete(ctx, prefix, 5)
			require.NoError(t, err, prefix)
			assert.Equal(t, wc, gc, "complete %q", prefix)
		}
	}
}
