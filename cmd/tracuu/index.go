package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
)

func runIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("index", "-index DIR PATH...",
		"Builds or updates the on-disk index in DIR from each PATH: a folder (its .txt, .md and .html files,\n"+
			"recursively), one such file, or a .jsonl / .jsonl.gz file of documents, one JSON object a line:\n"+
			"{\"id\", \"text\", \"title\", \"date\", \"source\", \"bodies\"} (id and text required). A document with an\n"+
			"id already indexed replaces it. A bad line is reported with its number and skipped, as is a file of\n"+
			"a folder that cannot be read or holds no text (a link to nothing, no permission, an empty file),\n"+
			"named; the rest is indexed. Ids are stored in NFC. Shows progress (on a terminal a counter,\n"+
			"otherwise a line each time 3000 more documents are on disk) and a summary at the end. A build\n"+
			"that was killed or crashed is completed by running the same command again. An index built by\n"+
			"another version of tracuu is first rebuilt (in DIR.new) from the documents it holds, those\n"+
			"written through the API included.",
		[]string{"tracuu index -index /tmp/viquad.idx ../shared/bench/viquad2-dev/passages.jsonl.gz",
			"tracuu index -index /tmp/docs.idx ~/documents more.jsonl",
			"tracuu index -shards 2 -index /tmp/viwiki.idx ../shared/bench/viwiki/passages.jsonl.gz"}, stdout)
	dirFlag := fs.String("index", "", "the folder `DIR` of the on-disk index, created when missing (required)")
	shards := fs.Int("shards", 0, fmt.Sprintf("split a new index by document id into `K` shards (2-%d), searched in parallel; 0: one index, or as the existing one", indexer.MaxShards))
	cpuprofile := profileFlag(fs.FlagSet)
	if err := fs.parse(args); err != nil {
		return err
	}
	switch {
	case *dirFlag == "":
		return fmt.Errorf("%w: -index DIR is required, for example: tracuu index -index /tmp/docs.idx ~/documents", errUsage)
	case fs.NArg() == 0:
		return fmt.Errorf("%w: name at least one PATH (folder, .txt/.md file or .jsonl/.jsonl.gz file)", errUsage)
	}
	if *shards < 0 || *shards > indexer.MaxShards {
		return fmt.Errorf("%w: -shards must be between 0 and %d", errUsage, indexer.MaxShards)
	}
	stopProfile, err := startProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	// A bulk build allocates a great deal and keeps little: collecting garbage half as often saves
	// about a tenth of its CPU time (viquad2-dev: 47 s -> 41 s) for a higher peak RSS (510 -> 780 MB).
	debug.SetGCPercent(200)
	dir, err := indexFolder(*dirFlag)
	if err != nil {
		return err
	}
	if err := notAFile(dir); err != nil {
		return err
	}
	start := time.Now()
	// Checked before anything is created: a missing PATH would leave an empty index marked unfinished.
	for _, p := range fs.Args() {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s: %w", p, errNoPath)
		}
	}
	if err := claimEmptyFolder(dir); err != nil {
		return err
	}
	if err := notBeingBuilt(dir); err != nil {
		return err
	}
	if err := recoverSwap(dir); err != nil {
		return err
	}
	// Before anything is written: a disk that fills during a build can crash it (bleve's writers
	// panic) and leaves nothing usable.
	if err := checkBuildSpace(dir, inputBytes(fs.Args())); err != nil {
		return err
	}
	if isIndex(dir) {
		// An index of another version is rebuilt from the documents it holds, those written through
		// the API included, and then updated with the PATHs, as the user asked.
		old, err := indexer.Open(dir)
		switch {
		case err == nil:
			old.Close()
		case errors.Is(err, indexer.ErrLocked):
			return err
		case errors.Is(err, indexer.ErrVersion):
			sum, err := rebuildOtherVersion(ctx, dir, *shards, fs.Args(), true, stderr)
			if err != nil {
				return err
			}
			printIndexed(stdout, sum, start)
			return nil
		}
		// Any other error is Begin's to handle (an interrupted first build is started over) or report.
	}
	idx, how, err := indexer.Begin(dir, *shards, fs.Args())
	if err != nil {
		return err
	}
	reportStart(stderr, dir, how)
	sum, err := addPaths(ctx, idx, fs.Args(), stderr)
	if err != nil {
		idx.Close()
		return err
	}
	if err := indexer.FinishWarn(ctx, idx, dir, warnTo(stderr)); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		// Interrupted during the final merge, which then stops without an error: every document is
		// in, but the build is not done (the marker stays, and the same command completes it).
		return err
	}
	if err := indexer.End(dir); err != nil {
		return err
	}
	printIndexed(stdout, sum, start)
	return nil
}

type indexSummary struct{ docs, passages, bad int }

// printIndexed writes the one-line summary of an index command.
func printIndexed(stdout io.Writer, sum indexSummary, start time.Time) {
	fmt.Fprintf(stdout, "indexed %d documents, %d passages in %.1f s (%d bad lines or files skipped)\n",
		sum.docs, sum.passages, time.Since(start).Seconds(), sum.bad)
}

var errNoPath = errors.New("no such file or folder (name a folder, a .txt/.md/.html file or a .jsonl/.jsonl.gz file)")

// indexPaths loads and indexes paths, reporting bad lines on stderr.
func indexPaths(ctx context.Context, idx bleve.Index, paths []string, stderr io.Writer) error {
	_, err := addPaths(ctx, idx, paths, stderr)
	return err
}

// chunkDocs is how often, in documents indexed, a line of progress is logged when stderr is not a
// terminal.
const chunkDocs = 3000

func addPaths(ctx context.Context, idx bleve.Index, paths []string, stderr io.Writer) (indexSummary, error) {
	var sum indexSummary
	progress := isTerminal(stderr)
	logged := 0
	// Cancelled when a file cannot be loaded: what is queued is then dropped, as the rest of the file.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b, err := indexer.NewBulkBuilder(ctx, idx, func(docs, passages int) {
		if progress {
			fmt.Fprintf(stderr, "\r%d documents, %d passages indexed", docs, passages)
		} else if docs >= logged+chunkDocs {
			// A line each chunkDocs documents for logs: what it names is on disk.
			fmt.Fprintf(stderr, "%d documents, %d passages indexed\n", docs, passages)
			logged = docs
		}
	})
	if err != nil {
		return sum, err
	}
	bad := func(e *corpus.LineError) {
		sum.bad++
		if progress {
			fmt.Fprintln(stderr)
		}
		fmt.Fprintf(stderr, "skipped %v\n", e)
	}
	for _, p := range paths {
		stopped := false // the build stopped (cancelled, a batch failed): Close says why
		err := corpus.LoadPath(p, func(d corpus.Document) error {
			err := b.Add(d)
			stopped = err != nil
			return err
		}, bad)
		if err == nil {
			continue
		}
		if stopped {
			_, _, err = b.Close() // every error of the build, joined
		} else {
			cancel()
			_, _, _ = b.Close()
		}
		var pathErr *fs.PathError
		switch {
		case errors.As(err, &pathErr) && pathErr.Path == p && errors.Is(err, fs.ErrNotExist):
			return sum, fmt.Errorf("%s: %w", p, errNoPath)
		case strings.Contains(err.Error(), p): // the loader's errors name the file already
			return sum, err
		default:
			return sum, fmt.Errorf("load %s: %w", p, err)
		}
	}
	sum.docs, sum.passages, err = b.Close()
	if progress {
		fmt.Fprintln(stderr)
	} else if err == nil && sum.docs > logged {
		fmt.Fprintf(stderr, "%d documents, %d passages indexed\n", sum.docs, sum.passages)
	}
	return sum, err
}

// addStored indexes the documents stored in the index at from (of any version of tracuu) into idx.
func addStored(ctx context.Context, idx bleve.Index, from string) (indexSummary, error) {
	var sum indexSummary
	b, err := indexer.NewBulkBuilder(ctx, idx, nil)
	if err != nil {
		return sum, err
	}
	_, readErr := indexer.ReadDocuments(ctx, from, b.Add)
	sum.docs, sum.passages, err = b.Close()
	if err := errors.Join(readErr, err); err != nil {
		return sum, err
	}
	return sum, nil
}

// isTerminal reports whether w is a character device (a terminal), where progress and colours help.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
