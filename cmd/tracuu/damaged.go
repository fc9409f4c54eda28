package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/tracuu/tracuu/indexer"
)

// recoverDamage turns a panic of a command that reads an index (search, eval) into a one-line error.
// Opening checks each segment's CRC, but bytes damaged after the index was opened, or in a way the
// checks do not see, still reach bleve's decoders, which index out of range: the user gets what to
// do instead of a Go stack and exit 2.
func recoverDamage(cmd command) command {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = damagedIndex(indexArg(args), r)
			}
		}()
		return cmd(ctx, args, stdout, stderr)
	}
}

// damagedIndex explains a panic while reading the index at dir ("" for the embedded seeds).
func damagedIndex(dir string, cause any) error {
	if dir == "" {
		return fmt.Errorf("internal error: %v", cause)
	}
	dir = filepath.Clean(dir)
	return fmt.Errorf("the index at %s is damaged (%w: %v); move it away and build it again with 'tracuu index -index %s PATH...'",
		dir, indexer.ErrDamaged, cause, dir)
}

// indexArg returns the value of the -index flag of args, or "".
func indexArg(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "index" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}
