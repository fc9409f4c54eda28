package indexer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/tracuu/tracuu/corpus"
)

// begun starts a build of sources at dir, adds one document and leaves it unfinished (no End), as a
// killed 'tracuu index' does.
func begun(t *testing.T, dir string, shards int, sources []string) {
	t.Helper()
	idx, how, err := Begin(dir, shards, sources)
	require.NoError(t, err)
	require.Equal(t, Created, how)
	_, err = Add(context.Background(), idx, []corpus.Document{corpus.Parse("a", "Bộ Công an cấp thẻ căn cước gắn chíp cho công dân.")}, nil)
	require.NoError(t, err)
	require.NoError(t, idx.Close())
}

func TestBeginAfterAnInterruptedBuild(t *testing.T) {
	sources := []string{"vanban.jsonl"}
	damage := func(t *testing.T, dir string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "store", "root.bolt"), []byte("hỏng"), 0o600))
	}
	tests := []struct {
		name    string
		shards  int
		damage  func(t *testing.T, dir string)
		sources []string
		want    BuildStart
		err     string
	}{
		{"opens: continued", 0, nil, sources, Resuming, ""},
		{"sharded, opens: continued", 3, nil, sources, Resuming, ""},
		{"unreadable first build, same sources: built again", 0, damage, sources, Rebuilt, ""},
		{"never got its index_meta.json: built again", 0, func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "index_meta.json")))
		}, sources, Rebuilt, ""},
		{"sharded, a shard unreadable: built again", 3, func(t *testing.T, dir string) {
			damage(t, shardDir(dir, 1))
		}, sources, Rebuilt, ""},
		{"unreadable, other sources: refused", 0, damage, []string{"other.jsonl"}, 0, "index is damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			begun(t, dir, tt.shards, sources)
			_, unfinished := Interrupted(dir)
			require.True(t, unfinished)
			if tt.damage != nil {
				tt.damage(t, dir)
			}
			idx, how, err := Begin(dir, 0, tt.sources)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, how)
			_, sharded := idx.(*Sharded)
			assert.Equal(t, tt.shards > 1, sharded, "keeps its layout")
			n, err := idx.DocCount()
			require.NoError(t, err)
			if how == Rebuilt {
				assert.Zero(t, n, "started over")
			} else {
				assert.EqualValues(t, 2, n, "kept what was indexed")
			}
			require.NoError(t, idx.Close())
			require.NoError(t, End(dir))
			_, unfinished = Interrupted(dir)
			assert.False(t, unfinished)
		})
	}
}

func TestBeginRefuses(t *testing.T) {
	t.Run("a finished index that is damaged", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "idx")
		begun(t, dir, 0, []string{"a.jsonl"})
		require.NoError(t, End(dir))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "store", "root.bolt"), []byte("hỏng"), 0o600))
		_, _, err := Begin(dir, 0, []string{"a.jsonl"})
		require.ErrorIs(t, err, ErrDamaged, "never rebuilt from sources that may not be all it held")
	})
	t.Run("a folder of other files", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ghi chú"), 0o644))
		_, _, err := Begin(dir, 0, []string{"a.jsonl"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "not empty")
		_, err = os.Stat(filepath.Join(dir, "notes.txt"))
		assert.NoError(t, err, "left alone")
	})
	t.Run("another number of shards", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "idx")
		begun(t, dir, 2, []string{"a.jsonl"})
		_, _, err := Begin(dir, 4, []string{"a.jsonl"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "has 2 shard(s), not 4")
	})
	t.Run("an empty folder is fine", func(t *testing.T) {
		idx, how, err := Begin(t.TempDir(), 0, []string{"a.jsonl"})
		require.NoError(t, err)
		assert.Equal(t, Created, how)
		require.NoError(t, idx.Close())
	})
}

// TestBeginNextToABuildJustStarted: a second build of a new folder that another build has just created
// (its store open, no index written yet) is told that the other build has it, not that the folder holds
// something else.
func TestBeginNextToABuildJustStarted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "store"), 0o700))
	db, err := bolt.Open(filepath.Join(dir, "store", "root.bolt"), 0o600, nil) // the other build's lock
	require.NoError(t, err)
	defer db.Close()
	_, _, err = Begin(dir, 0, []string{"../seeds"})
	require.ErrorIs(t, err, ErrLocked)
	assert.Contains(t, err.Error(), "another tracuu process is building it")
}
