package indexer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChangedSegmentBytesFailAtOpen: a byte changed inside a segment left its footer readable, so the
// index opened and queries reaching the byte failed later (500s, or a panic in bleve's decoder). The
// CRC-32 of the footer catches it at open, wherever the byte is.
func TestChangedSegmentBytesFailAtOpen(t *testing.T) {
	built := filepath.Join(t.TempDir(), "built")
	seedIndex(t, built)
	tests := []struct {
		name string
		at   float64 // where in the file, as a fraction of its size
	}{
		{"near the start", 0.1},
		{"in the middle", 0.5},
		{"near the end", 0.9},
		{"in the footer's offsets", -20}, // bytes from the end
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			require.NoError(t, os.CopyFS(dir, os.DirFS(built)))
			zaps := segmentFiles(t, dir)
			require.Len(t, zaps, 1)
			b, err := os.ReadFile(zaps[0])
			require.NoError(t, err)
			at := int(tc.at * float64(len(b)))
			if tc.at < 0 {
				at = len(b) + int(tc.at)
			}
			b[at] ^= 0x5a
			require.NoError(t, os.WriteFile(zaps[0], b, 0o600))

			for _, readOnly := range []bool{false, true} {
				idx, err := open(dir, readOnly)
				if err == nil {
					idx.Close()
				}
				require.ErrorIs(t, err, ErrDamaged, "read-only %v", readOnly)
				assert.Contains(t, err.Error(), "build it again with 'tracuu index -index "+dir)
			}
		})
	}

	t.Run("intact", func(t *testing.T) {
		idx, err := OpenReadOnly(built)
		require.NoError(t, err)
		require.NoError(t, idx.Close())
	})
}
