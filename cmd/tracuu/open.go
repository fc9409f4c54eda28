package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/blevesearch/bleve/v2"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/seeds"
)

// openIndex returns the index a command works on: the on-disk index at dir, or, without dir, an
// in-memory index of paths or of the embedded seeds. A search or eval (readOnly) opens an existing
// index read-only, so that several can run side by side; serve builds the index from paths when it is
// missing or was built by another version of tracuu (see openOrBuild).
func openIndex(ctx context.Context, dir string, paths []string, readOnly bool, stderr io.Writer) (bleve.Index, error) {
	if dir != "" {
		if !readOnly {
			return openOrBuild(ctx, dir, paths, stderr)
		}
		if _, err := os.Stat(dir); err != nil {
			if _, err := os.Stat(dir + replacedSuffix); err == nil {
				// A rebuild stopped between setting the old index aside and moving the new one in.
				return nil, fmt.Errorf("no index at %s: an interrupted rebuild left it at %s; move it back (mv %s %s), or run 'tracuu serve -index %s', which does",
					dir, dir+replacedSuffix, dir+replacedSuffix, dir, dir)
			}
			return nil, fmt.Errorf("no index at %s: build one first (tracuu index -index %s PATH...)", dir, dir)
		}
		if err := notAFile(dir); err != nil {
			return nil, err
		}
		warnInterrupted(stderr, dir)
		return indexer.OpenReadOnly(dir)
	}
	idx, err := indexer.NewMemory()
	if err != nil {
		return nil, err
	}
	if len(paths) > 0 {
		err = indexPaths(ctx, idx, paths, stderr)
	} else {
		var docs []corpus.Document
		if docs, err = corpus.LoadFS(seeds.FS); err == nil {
			_, err = indexer.Add(ctx, idx, docs, nil)
		}
	}
	if err != nil {
		idx.Close()
		return nil, err
	}
	return idx, nil
}
