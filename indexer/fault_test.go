package indexer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/seeds"
)

// seedIndex builds an on-disk index of the seed documents at dir and closes it.
func seedIndex(t *testing.T, dir string) {
	t.Helper()
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	idx, err := Create(dir)
	require.NoError(t, err)
	_, err = Add(context.Background(), idx, docs, nil)
	require.NoError(t, err)
	require.NoError(t, Finish(context.Background(), idx, dir))
}

// segments returns the index's segment files.
func segmentFiles(t *testing.T, dir string) []string {
	t.Helper()
	zaps, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	require.NoError(t, err)
	require.NotEmpty(t, zaps, "a built index has segment files")
	return zaps
}

func TestDamagedIndexSaysHowToRebuild(t *testing.T) {
	built := filepath.Join(t.TempDir(), "built")
	seedIndex(t, built)

	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
		want   string // in the error besides the rebuild hint
	}{
		{"index_meta.json garbage", func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{\"storage\": ???"), 0o644))
		}, "damaged"},
		{"index_meta.json empty", func(t *testing.T, dir string) {
			require.NoError(t, os.Truncate(filepath.Join(dir, "index_meta.json"), 0))
		}, "damaged"},
		{"index_meta.json names an unknown index type", func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte(`{"storage":"boltdb","index_type":"nope"}`), 0o644))
		}, "damaged"},
		{"root.bolt garbage", func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "store", "root.bolt"), []byte(strings.Repeat("Đề án 06 ", 3000)), 0o600))
		}, "damaged"},
		{"root.bolt truncated", func(t *testing.T, dir string) {
			require.NoError(t, os.Truncate(filepath.Join(dir, "store", "root.bolt"), 100))
		}, "damaged"},
		{"root.bolt missing", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "store", "root.bolt")))
		}, "damaged"},
		{"segment truncated", func(t *testing.T, dir string) {
			for _, z := range segmentFiles(t, dir) {
				require.NoError(t, os.Truncate(z, 200))
			}
		}, "damaged"},
		{"segment cut in half", func(t *testing.T, dir string) {
			for _, z := range segmentFiles(t, dir) {
				st, err := os.Stat(z)
				require.NoError(t, err)
				require.NoError(t, os.Truncate(z, st.Size()/2))
			}
		}, "damaged"},
		{"segment overwritten", func(t *testing.T, dir string) {
			for _, z := range segmentFiles(t, dir) {
				st, err := os.Stat(z)
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(z, []byte(strings.Repeat("x", int(st.Size()))), 0o600))
			}
		}, "damaged"},
		{"segment missing", func(t *testing.T, dir string) {
			for _, z := range segmentFiles(t, dir) {
				require.NoError(t, os.Remove(z))
			}
		}, "damaged"},
		{"the segment of the last write truncated", func(t *testing.T, dir string) {
			// bleve would open the index as it was before the write (or empty), and then delete the
			// write's files: the documents written since would be gone without a word.
			idx, err := Open(dir)
			require.NoError(t, err)
			doc, err := corpus.FromJSON("written", "", threeParagraphs, "", "", nil)
			require.NoError(t, err)
			_, _, err = NewWriter(idx).Put(context.Background(), doc)
			require.NoError(t, err)
			require.NoError(t, idx.Close())
			zaps := segmentFiles(t, dir)
			require.NoError(t, os.Truncate(slices.Max(zaps), 200)) // names grow with each segment
		}, "damaged"},
		{"store missing", func(t *testing.T, dir string) {
			require.NoError(t, os.RemoveAll(filepath.Join(dir, "store")))
		}, "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			require.NoError(t, os.CopyFS(dir, os.DirFS(built)))
			tt.damage(t, dir)
			for _, readOnly := range []bool{false, true} {
				done := make(chan error, 1)
				go func() {
					idx, err := open(dir, readOnly)
					if err == nil {
						// Some damage shows only when the data is read: a search must fail, not panic.
						_, err = idx.DocCount()
						idx.Close()
					}
					done <- err
				}()
				select {
				case err := <-done:
					require.Error(t, err, "read-only %v", readOnly)
					assert.Contains(t, err.Error(), tt.want)
					assert.Contains(t, err.Error(), "tracuu index", "says how to rebuild")
					assert.NotContains(t, err.Error(), "another tracuu process", "not blamed on a lock")
				case <-time.After(10 * time.Second):
					t.Fatal("opening a damaged index hangs")
				}
			}
		})
	}
}

func TestSecondWriterErrorNamesTheLock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	seedIndex(t, dir)
	idx, err := Open(dir)
	require.NoError(t, err)
	defer idx.Close()
	for _, readOnly := range []bool{false, true} {
		start := time.Now()
		_, err = open(dir, readOnly)
		require.ErrorIs(t, err, ErrLocked, "read-only %v: even readers wait for a writer's lock", readOnly)
		assert.Less(t, time.Since(start), 5*time.Second, "fails fast")
		assert.Contains(t, err.Error(), "another tracuu process (serve or index)")
	}
}

// writerEnv makes the test binary a child that rewrites one big document forever (see
// TestKillDuringWrite).
const writerEnv = "TRACUU_TEST_WRITER_DIR"

// versions returns two versions of one big document, built from the seeds' paragraphs, with
// different numbers of passages.
func versions() ([2]corpus.Document, error) {
	var out [2]corpus.Document
	docs, err := corpus.LoadFS(seeds.FS)
	if err != nil {
		return out, err
	}
	var paras []string
	for _, d := range docs {
		for p := range strings.SplitSeq(d.Text, "\n\n") {
			if len([]rune(p)) > 200 {
				paras = append(paras, p)
			}
		}
	}
	for v, n := range []int{3 * len(paras), 3 * len(paras) / 2} {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "Phiên bản %d, đoạn %d. %s\n\n", v, i, paras[i%len(paras)])
		}
		out[v] = corpus.Parse("big", b.String())
	}
	return out, nil
}

func TestMain(m *testing.M) {
	if dir := os.Getenv(writerEnv); dir != "" {
		os.Exit(rewriteForever(dir))
	}
	os.Exit(m.Run())
}

// rewriteForever alternates the two versions of the big document until killed.
func rewriteForever(dir string) int {
	idx, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	vs, err := versions()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; ; i++ {
		if _, err := Add(context.Background(), idx, vs[i%2:i%2+1], nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(i) // one line per persisted write: the parent waits for a few
	}
}

// TestKillDuringWrite kills -9 a process that keeps replacing a document by a version with another
// number of passages, and checks that the index opens with exactly one whole version: a document and
// its passages are always in one bleve batch, and a batch is applied whole or not at all.
func TestKillDuringWrite(t *testing.T) {
	vs, err := versions()
	require.NoError(t, err)
	var want [2][]string // passage texts by ordinal
	for v, d := range vs {
		for _, p := range corpus.Split(d) {
			want[v] = append(want[v], p.Text)
		}
	}
	require.NotEqual(t, len(want[0]), len(want[1]))
	require.Greater(t, len(want[1]), 100, "a document of many passages")

	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Create(dir)
	require.NoError(t, err)
	_, err = Add(context.Background(), idx, vs[:1], nil)
	require.NoError(t, err)
	require.NoError(t, idx.Close())

	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), writerEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		cmd.Stderr = os.Stderr
		require.NoError(t, cmd.Start())
		// Let it write a few versions, then kill it at a point that varies with the round.
		buf := make([]byte, 64)
		for lines := 0; lines < 2+round; {
			n, err := out.Read(buf)
			require.NoError(t, err, "the writer runs")
			lines += strings.Count(string(buf[:n]), "\n")
		}
		time.Sleep(time.Duration(round*37) * time.Millisecond)
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		_ = cmd.Wait()

		idx, err := Open(dir)
		require.NoError(t, err, "round %d: the index opens after kill -9", round)
		checkOneVersion(t, idx, want)
		require.NoError(t, idx.Close())
	}
}

// checkOneVersion checks that the big document and its passages are all of one version.
func checkOneVersion(t *testing.T, idx bleve.Index, want [2][]string) {
	t.Helper()
	stored, _, err := passageCount(idx, "big")
	require.NoError(t, err)
	q := bleve.NewTermQuery("big")
	q.SetField(FieldDocID)
	req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
	req.Fields = []string{FieldText}
	res, err := idx.Search(req)
	require.NoError(t, err)
	got := map[string]string{}
	for _, h := range res.Hits {
		got[h.ID], _ = h.Fields[FieldText].(string)
	}
	v := 0
	if strings.HasPrefix(got["big#0"], "Phiên bản 1") {
		v = 1
	}
	assert.Equal(t, len(want[v]), stored, "the document record is of version %d too", v)
	assert.Len(t, got, len(want[v]), "as many passages as version %d has", v)
	for i, text := range want[v] {
		assert.Equal(t, text, got[fmt.Sprintf("big#%d", i)], "passage %d of version %d", i, v)
	}
	count, err := idx.DocCount()
	require.NoError(t, err)
	assert.EqualValues(t, len(want[v])+1, count, "nothing else in the index")
}

// TestTransientErrorsAreNotDamage: a full disk or too many open files is the machine's trouble; the
// index must not be called damaged, which would offer (and, for an unfinished build, do) a rebuild.
func TestTransientErrorsAreNotDamage(t *testing.T) {
	for _, e := range []error{syscall.EMFILE, syscall.ENOSPC, syscall.EROFS, &os.PathError{Op: "open", Path: "x", Err: syscall.ENFILE}} {
		assert.True(t, transient(e), "%v", e)
	}
	for _, e := range []error{errors.New("unsupported version"), io.ErrUnexpectedEOF, syscall.EIO} {
		assert.False(t, transient(e), "%v", e)
	}
}
