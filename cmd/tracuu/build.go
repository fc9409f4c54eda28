package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/tracuu/tracuu/indexer"
)

// Siblings of an index folder used while it is rebuilt: the new index is built in DIR.new and swapped
// in when complete; the old one waits in DIR.old during the swap.
const (
	buildingSuffix = ".new"
	replacedSuffix = ".old"
)

// openOrBuild opens the on-disk index at dir for serving. It builds it from paths when it does not
// exist, and rebuilds it when it was built by another version of tracuu (another mapping or analyzer):
// from the documents it holds, written through the API included, or from paths when those are
// damaged. A build goes to a sibling folder that replaces dir only when complete, so a crash or a Ctrl-C
// during a build leaves the previous index (or none, the first time) and never half of one.
func openOrBuild(ctx context.Context, dir string, paths []string, stderr io.Writer) (bleve.Index, error) {
	// DIR/ (as shell completion types it) would put DIR.new inside DIR and break the swap.
	dir = filepath.Clean(dir)
	if err := recoverSwap(dir); err != nil {
		return nil, err
	}
	if err := notAFile(dir); err != nil {
		return nil, err
	}
	// Early, rather than at the swap after the whole build.
	if err := claimEmptyFolder(dir); err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		// Anything but an index there is an error, never replaced: it may be the user's.
		if !isIndex(dir) {
			return nil, errNotIndex(dir)
		}
		warnInterrupted(stderr, dir)
		idx, err := indexer.Open(dir)
		switch {
		case err == nil && len(paths) > 0:
			// Said, because a reader who added files to a PATH and restarted expects them served.
			fmt.Fprintf(stderr, "reusing the index at %s; the PATHs are read only to build it (to add new documents: tracuu index -index %s PATH...)\n", dir, dir)
			return idx, nil
		case err == nil:
			return idx, nil
		case !errors.Is(err, indexer.ErrVersion):
			return nil, err
		}
		// The index, not the PATHs, holds the documents as they are now (as when it is reused): it
		// is rebuilt from its own stored documents.
		if _, err := rebuildOtherVersion(ctx, dir, 0, paths, false, stderr); err != nil {
			return nil, err
		}
		return indexer.Open(dir)
	} else if len(paths) == 0 {
		return nil, fmt.Errorf("no index at %s: name the documents to build it from (tracuu serve -index %s PATH...), or build it first (tracuu index -index %s PATH...)", dir, dir, dir)
	}
	_, err := build(ctx, dir, 0, stderr, inputBytes(paths), func(ctx context.Context, idx bleve.Index) (indexSummary, error) {
		return addPaths(ctx, idx, paths, stderr)
	})
	if err != nil {
		return nil, err
	}
	return indexer.Open(dir)
}

// rebuildOtherVersion rebuilds the index at dir, refused as built by another version of tracuu, from
// the documents it holds (those written through the API included; stored fields do not depend on the
// analysis), then adds the documents of paths when update is set (tracuu index updates an index with
// its PATHs; serve reads them only to build a missing one). When the stored documents cannot be read,
// serve builds from paths alone, saying what is lost, and fails when there are none; index fails. shards > 0 asks for
// that many shards; 0 keeps the old index's.
func rebuildOtherVersion(ctx context.Context, dir string, shards int, paths []string, update bool, stderr io.Writer) (indexSummary, error) {
	fmt.Fprintf(stderr, "the index at %s was built by another version of tracuu: rebuilding it from the documents it holds\n", dir)
	// The stored documents take about a quarter of the index they are in (viquad2-dev: 50 MB of JSONL, an
	// index of 212 MB).
	input := int64(indexer.SegmentBytes(dir)) / 4
	if update {
		input += inputBytes(paths)
	}
	sum, err := build(ctx, dir, shards, stderr, input, func(ctx context.Context, idx bleve.Index) (indexSummary, error) {
		stored, err := addStored(ctx, idx, dir)
		if err != nil || !update {
			return stored, err
		}
		added, err := addPaths(ctx, idx, paths, stderr)
		if err != nil {
			return added, err
		}
		// A document of the PATHs may replace a stored one: count what the index holds.
		docs, passages, err := indexer.Counts(ctx, idx)
		return indexSummary{docs: int(docs), passages: int(passages), bad: added.bad}, err
	})
	switch {
	case err == nil:
		return sum, nil
	case !errors.Is(err, indexer.ErrDamaged):
		// Cancelled, locked, a full disk: the documents are still there for the next try.
		return sum, err
	case update:
		// tracuu index's PATHs are additions, not all the index held: building from them alone
		// would lose the rest.
		return sum, fmt.Errorf("the index at %s was built by another version of tracuu and its documents cannot be read (%w); it is left as it is: build a new index from all its sources (tracuu index -index NEWDIR PATH...)", dir, err)
	case len(paths) == 0:
		return sum, fmt.Errorf("the index at %s was built by another version of tracuu and its documents cannot be read (%w); name the documents to rebuild it from (tracuu serve -index %s PATH...)", dir, err, dir)
	}
	fmt.Fprintf(stderr, "cannot read the documents of the index at %s (%v): rebuilding it from %d path(s); documents written through the API since it was built are not in them\n", dir, err, len(paths))
	return build(ctx, dir, shards, stderr, inputBytes(paths), func(ctx context.Context, idx bleve.Index) (indexSummary, error) {
		return addPaths(ctx, idx, paths, stderr)
	})
}

// build indexes documents into dir+".new" with add, then swaps it in for dir. shards > 0 asks for that
// many shards; 0 keeps those of the index it replaces. input is about how many bytes of documents add
// indexes: the build is refused before it starts when the disk has too little room for them (the new
// index is built beside the old one, which stays in use).
func build(ctx context.Context, dir string, shards int, stderr io.Writer, input int64, add func(context.Context, bleve.Index) (indexSummary, error)) (indexSummary, error) {
	start := time.Now()
	tmp := dir + buildingSuffix
	if err := notBeingBuilt(dir); err != nil {
		return indexSummary{}, err
	}
	if err := notAMountPoint(dir); err != nil {
		return indexSummary{}, err
	}
	// A leftover of an interrupted build: never complete, never served. (Only when there is one: on a
	// read-only disk, removing nothing fails too, and the message would speak of a build that is not.)
	if _, err := os.Lstat(tmp); err == nil {
		if err := os.RemoveAll(tmp); err != nil {
			return indexSummary{}, fmt.Errorf("remove the unfinished build %s: %w", tmp, err)
		}
	}
	if err := checkBuildSpace(dir, input); err != nil {
		return indexSummary{}, err
	}
	if shards == 0 {
		// A rebuild keeps the shards of the index it replaces.
		var err error
		if shards, err = indexer.ShardCount(dir); err != nil {
			return indexSummary{}, err
		}
	}
	var idx bleve.Index
	var err error
	if shards > 1 {
		idx, err = indexer.CreateSharded(tmp, shards)
	} else {
		idx, err = indexer.Create(tmp)
	}
	if err != nil {
		return indexSummary{}, err
	}
	sum, err := add(ctx, idx)
	if err != nil {
		idx.Close()
		os.RemoveAll(tmp)
		return sum, err
	}
	if err := indexer.FinishWarn(ctx, idx, tmp, warnTo(stderr)); err != nil {
		os.RemoveAll(tmp)
		return sum, err
	}
	if err := ctx.Err(); err != nil {
		// Interrupted during the final merge, which then stops without an error.
		os.RemoveAll(tmp)
		return sum, err
	}
	if err := swap(dir, tmp); err != nil {
		return sum, err
	}
	fmt.Fprintf(stderr, "built the index at %s: %d documents, %d passages in %.1f s (%d bad lines or files skipped)\n",
		dir, sum.docs, sum.passages, time.Since(start).Seconds(), sum.bad)
	return sum, nil
}

// notAMountPoint refuses to rebuild an index that is the root folder of a mounted volume: the swap
// renames that folder, which a mount point cannot be, and would fail only after the whole build.
func notAMountPoint(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return nil // nothing there yet: the build creates it
	}
	parent, err := os.Stat(filepath.Dir(dir))
	if err != nil {
		return nil
	}
	here, ok := st.Sys().(*syscall.Stat_t)
	above, ok2 := parent.Sys().(*syscall.Stat_t)
	if ok && ok2 && here.Dev != above.Dev {
		return fmt.Errorf("the index at %s is the root folder of a mounted volume, which a rebuild cannot replace: move its files into a folder inside it, such as %s, and name that with -index",
			dir, filepath.Join(dir, "index"))
	}
	return nil
}

// swap replaces dir by the complete index in tmp: two renames in the same folder, with the old index
// kept aside in between, so that recoverSwap can put it back if the process dies between them.
func swap(dir, tmp string) error {
	old := dir + replacedSuffix
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("remove %s: %w", old, err)
	}
	if _, err := os.Stat(dir); err == nil {
		// An index, or an empty folder made for one.
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("set the old index aside: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("put the new index in place: %w", err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("remove the old index %s: %w", old, err)
	}
	return nil
}

// recoverSwap puts back an index set aside by a swap that did not finish.
func recoverSwap(dir string) error {
	old := dir + replacedSuffix
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		return nil
	}
	if _, err := os.Stat(old); err != nil {
		return nil
	}
	if err := os.Rename(old, dir); err != nil {
		return fmt.Errorf("restore the index %s set aside by an interrupted rebuild: %w", old, err)
	}
	return nil
}

// notBeingBuilt refuses to touch dir while another process builds it in dir+".new" (serve building it,
// or a rebuild after a version change): that build would delete or replace what this one writes.
func notBeingBuilt(dir string) error {
	if indexer.Busy(dir + buildingSuffix) {
		return fmt.Errorf("another tracuu process is building the index at %s (in %s): wait for it to finish", dir, dir+buildingSuffix)
	}
	return nil
}

// claimEmptyFolder removes dir when it is an empty folder made for the index (mkdir): bleve creates
// its own, and a rebuild renames its new index into place. A mount point cannot be removed or renamed:
// the index goes in a folder inside it.
func claimEmptyFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) > 0 {
		return nil
	}
	if err := os.Remove(dir); err != nil {
		return fmt.Errorf("%s is an empty folder that cannot be replaced by an index (%w): if it is a mounted volume, name a folder inside it, such as -index %s",
			dir, err, filepath.Join(dir, "index"))
	}
	return nil
}

// notAFile refuses a -index that names a file: a build would replace it (and delete it), and an
// update cannot open it.
func notAFile(dir string) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("%s is a file, not an index folder; name a new or empty folder with -index", dir)
	}
	return nil
}

// isIndex reports a folder holding a bleve index, or tracuu's shards of one.
func isIndex(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "index_meta.json"))
	return err == nil || indexer.IsSharded(dir)
}

func errNotIndex(dir string) error {
	return fmt.Errorf("%s holds files but no tracuu index; name a new or empty folder with -index", dir)
}
