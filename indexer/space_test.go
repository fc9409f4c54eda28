package indexer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/seeds"
)

// fakeFree makes FreeBytes report free bytes for the rest of the test.
func fakeFree(t *testing.T, free uint64) {
	t.Helper()
	real := FreeBytes
	FreeBytes = func(string) (uint64, error) { return free, nil }
	t.Cleanup(func() { FreeBytes = real })
}

func TestCheckSpace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	tests := []struct {
		name  string
		free  uint64
		input int64
		short bool
	}{
		{"a short document on a roomy disk", 1 << 30, 300, false},
		{"a short document needs the margin", MinFreeBytes - 1, 300, true},
		{"exactly the margin", MinFreeBytes, 300, false},
		{"a long document needs ten times its size", 90 << 20, 10 << 20, true},
		{"a long document with room", 100 << 20, 10 << 20, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fakeFree(t, tc.free)
			err := CheckSpace(dir, WriteNeeds(tc.input), "adding this document")
			if !tc.short {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrNoSpace)
			assert.Contains(t, err.Error(), dir, "names the index")
			assert.Contains(t, err.Error(), "adding this document needs about "+MB(WriteNeeds(tc.input)))
			assert.Contains(t, err.Error(), MB(tc.free)+" are")
		})
	}
}

func TestFreeBytesOfAFolderNotMadeYet(t *testing.T) {
	free, err := FreeBytes(filepath.Join(t.TempDir(), "not", "yet"))
	require.NoError(t, err)
	assert.Positive(t, free, "the free space of the nearest folder that exists")
}

// TestFinishSkipsAMergeTheDiskCannotHold: the final merge writes a segment as large as those it
// merges; without room for it the index is left complete in several segments, with a warning that
// says how much space the merge needs, instead of a merge that fills the disk (and, in scorch, spins).
func TestFinishSkipsAMergeTheDiskCannotHold(t *testing.T) {
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	tests := []struct {
		name   string
		free   func(segs uint64) uint64
		merged bool
	}{
		{"room for the merge", func(segs uint64) uint64 { return MergeNeeds(segs) }, true},
		{"no room for the merge", func(segs uint64) uint64 { return MergeNeeds(segs) - 1 }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			idx, err := Create(dir)
			require.NoError(t, err)
			// One document a batch: several segments to merge.
			for _, d := range docs {
				_, err := Add(context.Background(), idx, []corpus.Document{d}, nil)
				require.NoError(t, err)
			}
			segs := SegmentBytes(dir)
			require.Positive(t, segs)
			fakeFree(t, tc.free(segs))
			var warnings []string
			require.NoError(t, FinishWarn(context.Background(), idx, dir, func(s string) { warnings = append(warnings, s) }))

			if tc.merged {
				assert.Empty(t, warnings)
				assert.Len(t, segmentFiles(t, dir), 1, "merged into one segment")
			} else {
				require.Len(t, warnings, 1)
				assert.Contains(t, warnings[0], "skipped the final merge")
				assert.Contains(t, warnings[0], MB(MergeNeeds(segs)), "names the space needed")
				// How many segments are left is bleve's background merger's business (it merges
				// these few small ones by itself): only the final merge is skipped.
			}
			// Complete either way: every document is found.
			again, err := OpenReadOnly(dir)
			require.NoError(t, err)
			defer again.Close()
			n, _, err := passageCount(again, docs[len(docs)-1].ID)
			require.NoError(t, err)
			assert.Positive(t, n)
		})
	}
}

func TestMBReadsLikeDf(t *testing.T) {
	for _, tc := range []struct {
		n    uint64
		want string
	}{{3000, "3 KB"}, {2_700_000, "2.6 MB"}, {64 << 20, "64 MB"}} {
		assert.Equal(t, tc.want, MB(tc.n))
	}
	assert.False(t, errors.Is(CheckSpace(t.TempDir(), 0, "nothing"), ErrNoSpace))
}

// TestWatchProgress: the final merge is given up once the store stops changing for the stall time,
// and never while it changes.
func TestWatchProgress(t *testing.T) {
	tests := []struct {
		name    string
		changes bool
		stalled bool
	}{
		{"files keep growing", true, false},
		{"nothing written", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			var mu sync.Mutex
			state := func() string {
				mu.Lock()
				defer mu.Unlock()
				if tc.changes {
					n++
				}
				return fmt.Sprintf("000000000020.zap:%d", n)
			}
			ctx, stop := watchProgress(context.Background(), state, 60*time.Millisecond, 5*time.Millisecond)
			select {
			case <-ctx.Done():
			case <-time.After(300 * time.Millisecond):
			}
			stop()
			cause := context.Cause(ctx)
			if tc.stalled {
				require.ErrorIs(t, cause, errStalled)
				assert.Contains(t, cause.Error(), "no progress for 60ms")
			} else {
				assert.NotErrorIs(t, cause, errStalled)
			}
		})
	}
}
