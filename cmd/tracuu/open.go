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

// openIndex returns the index a command works on: the on-disk index at dir (built from paths when it
// does not exist yet), or, without dir, an in-memory index of paths or of the embedded seeds. An
// existing index is opened read-only when readOnly, so that searches and evals can run side by side.
func openIndex(ctx context.Context, dir string, paths []string, readOnly bool, stderr io.Writer) (bleve.Index, error) {
	if dir != "" {
		if _, err := os.Stat(dir); err == nil {
			warnInterrupted(stderr, dir)
			if readOnly {
				return indexer.OpenReadOnly(dir)
			}
			return indexer.Open(dir)
		}
		if len(paths) == 0 {
			return nil, fmt.Errorf("no index at %s: build one with 'tracuu index -index %s PATH...' or name the PATHs to build it from", dir, dir)
		}
		idx, _, err := indexer.Begin(dir, 0, paths)
		if err != nil {
			return nil, err
		}
		err = indexPaths(ctx, idx, paths, stderr)
		if err == nil {
			err = indexer.Optimize(ctx, idx)
		}
		if err == nil {
			err = indexer.End(dir)
		}
		if err != nil {
			idx.Close()
			return nil, err
		}
		return idx, nil
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
