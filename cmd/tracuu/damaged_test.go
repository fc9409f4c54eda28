package main

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/indexer"
)

// TestPanicReadingAnIndexIsOneLine: a panic in bleve while search or eval reads a damaged index
// (dmg-panic: "slice bounds out of range" in a segment's decoder) is a one-line error naming the index
// and how to rebuild it, exit 1, not a Go stack and exit 2.
func TestPanicReadingAnIndexIsOneLine(t *testing.T) {
	panicking := recoverDamage(func(context.Context, []string, io.Writer, io.Writer) error {
		b := make([]byte, 2)
		n := len(b) + 1
		_ = b[n:] // as zapx's decoder on overwritten bytes
		return nil
	})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"-index DIR", []string{"-index", "/srv/vq.idx", "hà", "nội"}, "the index at /srv/vq.idx is damaged"},
		{"--index=DIR/", []string{"hà nội", "--index=/srv/vq.idx/"}, "the index at /srv/vq.idx is damaged"},
		{"after the query", []string{"-limit", "3", "hà nội", "-index", "vq"}, "the index at vq is damaged"},
		{"the seeds", []string{"hà nội"}, "internal error"},
		{"-index after --, a query word", []string{"--", "-index", "x"}, "internal error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := panicking(context.Background(), tc.args, io.Discard, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "slice bounds out of range")
			assert.NotContains(t, err.Error(), "\n")
			if tc.want != "internal error" {
				assert.True(t, errors.Is(err, indexer.ErrDamaged))
				assert.Contains(t, err.Error(), "build it again with 'tracuu index -index")
			}
		})
	}
	// Through run: exit 1.
	commands["panicking"] = panicking
	defer delete(commands, "panicking")
	code, _, errOut := runCLI(t, "panicking", "-index", "vq", "hà nội")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "tracuu panicking: the index at vq is damaged")
}
