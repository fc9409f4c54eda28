package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/api"
	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/search"
)

const seedsFolder = "../../seeds"

// serveOnce starts tracuu serve with args, waits until it answers /healthz with the seeds' five
// documents, stops it as SIGINT would, and returns what it wrote on stderr. A serve that fails to
// start returns its exit status instead.
func serveOnce(t *testing.T, args ...string) (stderr string, code int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var errOut syncBuffer
	go func() {
		done <- run(ctx, append([]string{"serve", "-addr", addr}, args...), &bytes.Buffer{}, &errOut)
	}()
	deadline := time.Now().Add(20 * time.Second) // a first build of the seeds included
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			return errOut.String(), code
		default:
		}
		resp, err := http.Get(fmt.Sprintf("http://%s/healthz", addr))
		if err != nil {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		var h struct{ Documents int }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&h))
		resp.Body.Close()
		assert.Equal(t, 5, h.Documents)
		cancel()
		return errOut.String(), <-done
	}
	t.Fatal("serve did not answer")
	return "", 0
}

// setVersion rewrites a version an index records, as an index built by another tracuu would have.
func setVersion(t *testing.T, dir, key, value string) {
	t.Helper()
	idx, err := bleve.Open(dir)
	require.NoError(t, err)
	require.NoError(t, idx.SetInternal([]byte(key), []byte(value)))
	require.NoError(t, idx.Close())
}

func TestServeBuildsReusesAndRebuildsTheIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	marker := filepath.Join(dir, "marker") // survives as long as the folder is not replaced

	stderr, code := serveOnce(t, "-index", dir, seedsFolder)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "built the index at "+dir+": 5 documents")
	require.NoError(t, os.WriteFile(marker, nil, 0o644))

	t.Run("a restart reuses it", func(t *testing.T) {
		stderr, code := serveOnce(t, "-index", dir, seedsFolder)
		require.Equal(t, 0, code, stderr)
		assert.NotContains(t, stderr, "built the index")
		assert.Contains(t, stderr, "reusing the index at "+dir+"; the PATHs are read only to build it (to add new documents: tracuu index -index "+dir+" PATH...)")
		assert.FileExists(t, marker)
	})
	t.Run("a restart without PATHs reuses it", func(t *testing.T) {
		stderr, code := serveOnce(t, "-index", dir)
		require.Equal(t, 0, code, stderr)
		assert.NotContains(t, stderr, "reusing", "nothing to explain")
		assert.FileExists(t, marker)
	})

	for _, key := range []string{"tracuu.analyzer", "tracuu.mapping_version"} {
		t.Run("another version ("+key+") is rebuilt from the documents it holds, written ones included", func(t *testing.T) {
			// A document written through the API and one deleted: neither is as the PATHs say.
			written := corpus.Document{ID: "cv-" + key, Title: "Công văn mới", Date: "2026-11-23",
				Text: "Bộ Công an đề nghị các tỉnh đẩy nhanh cấp tài khoản định danh điện tử mức độ 2."}
			idx, err := indexer.Open(dir)
			require.NoError(t, err)
			w := indexer.NewWriter(idx)
			_, _, err = w.Put(context.Background(), written)
			require.NoError(t, err)
			gone := fmt.Sprintf("00%d_%s", map[string]int{"tracuu.analyzer": 1, "tracuu.mapping_version": 2}[key],
				map[string]string{"tracuu.analyzer": "3a163f2fcbfe83ea", "tracuu.mapping_version": "35322f4ddee5b3b5"}[key])
			_, err = w.Delete(context.Background(), gone)
			require.NoError(t, err)
			require.NoError(t, idx.Close())
			setVersion(t, dir, key, "old")

			stderr, code := serveOnce(t, "-index", dir)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stderr, "rebuilding it from the documents it holds")
			assert.Contains(t, stderr, "built the index at "+dir+": 5 documents")
			assert.NoFileExists(t, marker, "the folder was replaced")
			assert.NoDirExists(t, dir+".new")
			assert.NoDirExists(t, dir+".old")
			idx, err = indexer.Open(dir)
			require.NoError(t, err, "the rebuilt index has this build's versions")
			defer idx.Close()
			s := search.New(idx)
			doc, err := s.Document(context.Background(), written.ID)
			require.NoError(t, err, "the written document survived the rebuild")
			assert.Equal(t, written.Text, doc.Text)
			assert.Equal(t, written.Date, doc.Date)
			_, err = s.Document(context.Background(), gone)
			assert.ErrorIs(t, err, search.ErrNotFound, "the deleted document stays deleted")
			require.NoError(t, os.WriteFile(marker, nil, 0o644))
		})
	}
	t.Run("another version whose documents cannot be read is rebuilt from the PATHs", func(t *testing.T) {
		idx, err := bleve.Open(dir)
		require.NoError(t, err)
		require.NoError(t, idx.Delete("003_7e979c1d3aa40762#1"), "a passage lost: its document cannot be put back together")
		require.NoError(t, idx.Close())
		setVersion(t, dir, "tracuu.analyzer", "old")
		stderr, code := serveOnce(t, "-index", dir, seedsFolder)
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stderr, `passage 1 of`)
		assert.Contains(t, stderr, "rebuilding it from 1 path(s); documents written through the API since it was built are not in them")
		assert.Contains(t, stderr, "built the index at "+dir+": 5 documents")
		require.NoError(t, os.WriteFile(marker, nil, 0o644))
	})
	t.Run("another version whose documents cannot be read, without PATHs, is an error that says what to do", func(t *testing.T) {
		idx, err := bleve.Open(dir)
		require.NoError(t, err)
		require.NoError(t, idx.Delete("003_7e979c1d3aa40762#1"))
		require.NoError(t, idx.Close())
		setVersion(t, dir, "tracuu.analyzer", "old")
		stderr, code := serveOnce(t, "-index", dir)
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr, "its documents cannot be read")
		assert.Contains(t, stderr, "name the documents to rebuild it from (tracuu serve -index "+dir+" PATH...)")
		assert.FileExists(t, marker, "the old index is left alone")
		stderr, code = serveOnce(t, "-index", dir, seedsFolder)
		require.Equal(t, 0, code, stderr)
		require.NoError(t, os.WriteFile(marker, nil, 0o644))
	})

	t.Run("an unfinished build left behind is discarded", func(t *testing.T) {
		require.NoError(t, os.MkdirAll(dir+".new", 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir+".new", "index_meta.json"), []byte("{half"), 0o644))
		setVersion(t, dir, "tracuu.analyzer", "old")
		stderr, code := serveOnce(t, "-index", dir, seedsFolder)
		require.Equal(t, 0, code, stderr)
		assert.NoDirExists(t, dir+".new")
		require.NoError(t, os.WriteFile(marker, nil, 0o644))
	})

	t.Run("an index set aside by an interrupted swap is put back", func(t *testing.T) {
		require.NoError(t, os.Rename(dir, dir+".old"))
		stderr, code := serveOnce(t, "-index", dir)
		require.Equal(t, 0, code, stderr)
		assert.FileExists(t, marker)
		assert.NoDirExists(t, dir+".old")
	})

	t.Run("a build interrupted by Ctrl-C leaves the old index", func(t *testing.T) {
		setVersion(t, dir, "tracuu.analyzer", "old")
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // interrupted before it could finish
		_, err := openOrBuild(ctx, dir, []string{seedsFolder}, &bytes.Buffer{})
		require.Error(t, err)
		assert.FileExists(t, marker, "the previous index is still there")
		assert.NoDirExists(t, dir+".new")
	})
}

func TestServeIntoAFolder(t *testing.T) {
	t.Run("an empty folder is built into", func(t *testing.T) {
		dir := t.TempDir()
		stderr, code := serveOnce(t, "-index", dir, seedsFolder)
		require.Equal(t, 0, code, stderr)
		assert.FileExists(t, filepath.Join(dir, "index_meta.json"))
	})
	t.Run("a folder named with a trailing slash, as shell completion types it", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "idx")
		for range 2 { // built, then reused
			stderr, code := serveOnce(t, "-index", dir+"/", seedsFolder)
			require.Equal(t, 0, code, stderr)
		}
		assert.FileExists(t, filepath.Join(dir, "index_meta.json"))
		assert.NoDirExists(t, filepath.Join(dir, ".new"))
	})
	t.Run("a folder of other files is left alone", func(t *testing.T) {
		dir := t.TempDir()
		mine := filepath.Join(dir, "notes.txt")
		require.NoError(t, os.WriteFile(mine, []byte("not an index"), 0o644))
		stderr, code := serveOnce(t, "-index", dir, seedsFolder)
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr, dir+" holds files but no tracuu index; name a new or empty folder with -index")
		assert.FileExists(t, mine)
	})
}

func TestServeWithoutIndexOrPaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	stderr, code := serveOnce(t, "-index", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no index at "+dir+": name the documents to build it from")
	assert.NoDirExists(t, dir)
}

// BenchmarkServeRestart measures what tracuu serve does before it listens, on an on-disk index of the
// seeds it reuses: open (with the version checks), the searcher (mined acronyms), the counts it logs,
// the handler.
func BenchmarkServeRestart(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "idx")
	idx, err := openOrBuild(context.Background(), dir, []string{seedsFolder}, &bytes.Buffer{})
	require.NoError(b, err)
	require.NoError(b, idx.Close())
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		idx, err := openOrBuild(ctx, dir, nil, &bytes.Buffer{})
		if err != nil {
			b.Fatal(err)
		}
		s := search.New(idx)
		if _, err := s.Stats(ctx); err != nil {
			b.Fatal(err)
		}
		_ = api.New(s, api.Options{})
		if err := idx.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// syncBuffer is a bytes.Buffer that the server's goroutines and the test may use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// -index naming a file is refused by every command, and the file is left as it was: serve used to
// build the index aside and swap it in, deleting the file; index could not say what was wrong.
func TestIndexFolderThatIsAFileOrNotAnIndex(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ghi-chu.txt")
	require.NoError(t, os.WriteFile(file, []byte("Ghi chú của tôi, không được xoá."), 0o644))
	for _, args := range [][]string{
		{"serve", "-addr", "127.0.0.1:0", "-index", file, seedsFolder},
		{"index", "-index", file, seedsFolder},
		{"search", "-index", file, "dinh danh"},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, _, errOut := runCLI(t, args...)
			assert.Equal(t, 1, code)
			assert.Equal(t, "tracuu "+args[0]+": "+file+" is a file, not an index folder; name a new or empty folder with -index\n", errOut)
			b, err := os.ReadFile(file)
			require.NoError(t, err, "the file is still there")
			assert.Equal(t, "Ghi chú của tôi, không được xoá.", string(b))
		})
	}

	t.Run("index into an empty folder made for it", func(t *testing.T) {
		empty := filepath.Join(dir, "empty")
		require.NoError(t, os.Mkdir(empty, 0o755))
		code, out, errOut := runCLI(t, "index", "-index", empty, seedsFolder)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "indexed 5 documents")
		code, _, errOut = runCLI(t, "index", "-index", empty, seedsFolder)
		assert.Equal(t, 0, code, errOut, "and again, an update")
	})
	t.Run("index into a folder of other files", func(t *testing.T) {
		code, _, errOut := runCLI(t, "index", "-index", dir, seedsFolder)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "holds no tracuu index", "says the folder is not an index")
		assert.Contains(t, errOut, dir)
	})
}

// tracuu index on an index of another version rebuilds it from the documents it holds, then adds the
// PATHs: written documents survive, deleted ones stay deleted, and the PATHs' documents are new or
// replace stored ones.
func TestIndexRebuildsAnotherVersionThenAddsThePaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, errOut := runCLI(t, "index", "-index", dir, seedsFolder)
	require.Equal(t, 0, code, errOut)

	idx, err := indexer.Open(dir)
	require.NoError(t, err)
	w := indexer.NewWriter(idx)
	written := corpus.Document{ID: "cong-van", Title: "Công văn mới", Date: "2026-11-23",
		Text: "Bộ Công an đề nghị các tỉnh đẩy nhanh cấp tài khoản định danh điện tử mức độ 2."}
	_, _, err = w.Put(context.Background(), written)
	require.NoError(t, err)
	const gone = "001_3a163f2fcbfe83ea"
	_, err = w.Delete(context.Background(), gone)
	require.NoError(t, err)
	require.NoError(t, idx.Close())
	setVersion(t, dir, "tracuu.mapping_version", "old")

	updates := filepath.Join(t.TempDir(), "updates.jsonl")
	require.NoError(t, os.WriteFile(updates, []byte(
		`{"id": "thong-bao", "text": "Thông báo về việc cấp căn cước cho người dưới 14 tuổi từ ngày 1 tháng 7 năm 2024."}`+"\n"+
			`{"id": "cong-van", "text": "Công văn sửa đổi: đẩy nhanh cấp tài khoản định danh điện tử mức độ 2 trước tháng 6."}`+"\n"), 0o644))
	code, out, errOut := runCLI(t, "index", "-index", dir, updates)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "rebuilding it from the documents it holds")
	// 5 seeds, one deleted, one written, one new from the PATH (the other replaces the written one).
	assert.Contains(t, out, "indexed 6 documents")

	pairs, err := filepath.Glob(filepath.Join(dir, "pairs", "*.bin"))
	require.NoError(t, err)
	assert.Len(t, pairs, 1, "the rebuild from stored documents is a first build: its pairs are written")
	idx, err = indexer.Open(dir)
	require.NoError(t, err, "the rebuilt index has this build's versions")
	defer idx.Close()
	s := search.New(idx)
	for id, text := range map[string]string{
		"thong-bao": "Thông báo về việc cấp căn cước cho người dưới 14 tuổi từ ngày 1 tháng 7 năm 2024.",
		"cong-van":  "Công văn sửa đổi: đẩy nhanh cấp tài khoản định danh điện tử mức độ 2 trước tháng 6.",
	} {
		doc, err := s.Document(context.Background(), id)
		require.NoError(t, err, id)
		assert.Equal(t, text, doc.Text, "the PATH's version of %s", id)
	}
	_, err = s.Document(context.Background(), gone)
	assert.ErrorIs(t, err, search.ErrNotFound, "the deleted document stays deleted")
	st, err := s.Stats(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 6, st.Documents)
}

// tracuu index never builds an index of another version from its PATHs alone when the documents it
// holds cannot be read: the PATHs are additions, and the rest would be lost.
func TestIndexKeepsAnotherVersionWhoseDocumentsCannotBeRead(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, errOut := runCLI(t, "index", "-index", dir, seedsFolder)
	require.Equal(t, 0, code, errOut)
	idx, err := bleve.Open(dir)
	require.NoError(t, err)
	require.NoError(t, idx.Delete("003_7e979c1d3aa40762#1"), "a passage lost: its document cannot be put back together")
	require.NoError(t, idx.Close())
	setVersion(t, dir, "tracuu.mapping_version", "old")
	marker := filepath.Join(dir, "marker")
	require.NoError(t, os.WriteFile(marker, nil, 0o644))

	updates := filepath.Join(t.TempDir(), "updates.jsonl")
	require.NoError(t, os.WriteFile(updates, []byte(`{"id": "thong-bao", "text": "Thông báo về việc cấp căn cước cho người dưới 14 tuổi."}`+"\n"), 0o644))
	code, _, errOut = runCLI(t, "index", "-index", dir, updates)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "its documents cannot be read")
	assert.Contains(t, errOut, "it is left as it is")
	assert.FileExists(t, marker, "the old index is untouched")
	assert.NoDirExists(t, dir+".new")
}

// tracuu index puts back an index set aside by a rebuild that died between its two renames, as serve
// does, instead of building a new one beside it.
func TestIndexRecoversAnInterruptedSwap(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, errOut := runCLI(t, "index", "-index", dir, seedsFolder)
	require.Equal(t, 0, code, errOut)
	require.NoError(t, os.Rename(dir, dir+".old"))
	updates := filepath.Join(t.TempDir(), "updates.jsonl")
	require.NoError(t, os.WriteFile(updates, []byte(`{"id": "thong-bao", "text": "Thông báo về việc cấp căn cước cho người dưới 14 tuổi."}`+"\n"), 0o644))
	code, _, errOut = runCLI(t, "index", "-index", dir, updates)
	require.Equal(t, 0, code, errOut)
	assert.NoDirExists(t, dir+".old")
	idx, err := indexer.Open(dir)
	require.NoError(t, err)
	defer idx.Close()
	docs, _, err := indexer.Counts(context.Background(), idx)
	require.NoError(t, err)
	assert.EqualValues(t, 6, docs, "the 5 seeds put back, and the new document")
}

// A PATH that does not exist is refused before anything is created.
func TestIndexMissingPathCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, errOut := runCLI(t, "index", "-index", dir, filepath.Join(t.TempDir(), "khong-co.jsonl"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "khong-co.jsonl: no such file or folder")
	assert.NoDirExists(t, dir)
}

// While one process builds an index in DIR.new (serve's first build, or a rebuild after a version
// change), another index or serve of DIR is refused: the build's swap would replace what it wrote,
// or it would delete the build's files.
func TestOneBuildOfAFolderAtATime(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	building, err := indexer.Create(dir + buildingSuffix) // as a build in progress holds it
	require.NoError(t, err)
	code, _, errOut := runCLI(t, "index", "-index", dir, seedsFolder)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "another tracuu process is building the index at "+dir)
	assert.NoDirExists(t, dir)
	_, err = openOrBuild(context.Background(), dir, []string{seedsFolder}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "another tracuu process is building the index at "+dir)
	assert.DirExists(t, dir+buildingSuffix, "the build's files are left alone")

	require.NoError(t, building.Close()) // it died: its leftovers no longer stop anyone
	code, _, errOut = runCLI(t, "index", "-index", dir, seedsFolder)
	require.Equal(t, 0, code, errOut)
	idx, err := openOrBuild(context.Background(), dir, nil, &bytes.Buffer{})
	require.NoError(t, err)
	require.NoError(t, idx.Close())
}
