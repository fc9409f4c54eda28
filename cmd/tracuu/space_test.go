package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/api"
	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
)

// fakeFree makes the disk report free bytes for the rest of the test.
func fakeFree(t *testing.T, free uint64) {
	t.Helper()
	real := indexer.FreeBytes
	indexer.FreeBytes = func(string) (uint64, error) { return free, nil }
	t.Cleanup(func() { indexer.FreeBytes = real })
}

// TestIndexRefusedOnAFullDisk: with too little space, tracuu index says so in one line and exits 1
// before writing anything (a disk that fills during a build crashed it with a panic). Updating an
// existing index is refused the same way and leaves it searchable.
func TestIndexRefusedOnAFullDisk(t *testing.T) {
	built := filepath.Join(t.TempDir(), "built")
	code, _, errOut := runCLI(t, "index", "-index", built, "../../seeds")
	require.Equal(t, 0, code, errOut)

	tests := []struct {
		name, dir string
	}{
		{"a new index", filepath.Join(t.TempDir(), "new")},
		{"an update", built},
	}
	fakeFree(t, 2<<20)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "index", "-index", tc.dir, "../../seeds")
			assert.Equal(t, 1, code)
			assert.Empty(t, out)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %s", errOut)
			assert.Contains(t, errOut, "tracuu index: not enough free disk space for the index at "+tc.dir)
			assert.Contains(t, errOut, "needs about 64 MB free on its disk, 2.0 MB are")
		})
	}
	_, err := os.Stat(tests[0].dir)
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing created")
	code, out, errOut := runCLI(t, "search", "-index", built, "định danh điện tử")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "1. ")
}

// TestServedWritesRefusedOnAFullDisk: the server refuses a write it has no room for, before it
// starts, with indexer.ErrNoSpace (507 in the API); an in-memory index is not checked.
func TestServedWritesRefusedOnAFullDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, errOut := runCLI(t, "index", "-index", dir, "../../seeds")
	require.Equal(t, 0, code, errOut)
	idx, err := indexer.Open(dir)
	require.NoError(t, err)
	defer idx.Close()
	doc := corpus.Document{ID: "moi", Title: "Thông báo", Text: "Bộ Công an cấp căn cước điện tử cho công dân từ ngày 1/7."}
	long := doc
	long.Text = strings.Repeat(doc.Text+" ", 200_000) // 12 MB: ten times that is past the margin

	tests := []struct {
		name   string
		dir    string
		free   uint64
		doc    corpus.Document
		refuse bool
	}{
		{"room for a short document", dir, 1 << 30, doc, false},
		{"short of the margin, room for a delete", dir, 10 << 20, doc, true},
		{"short even of a delete's margin", dir, 512 << 10, doc, true},
		{"room for the margin, not for a long document", dir, 100 << 20, long, true},
		{"in memory, nothing to check", "", 0, doc, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fakeFree(t, tc.free)
			g := &writeGate{w: indexer.NewWriter(idx), dir: tc.dir}
			_, _, putErr := g.Put(context.Background(), tc.doc)
			_, delErr := g.Delete(context.Background(), tc.doc.ID)
			if !tc.refuse {
				require.NoError(t, putErr)
				require.NoError(t, delErr)
				return
			}
			require.ErrorIs(t, putErr, indexer.ErrNoSpace)
			assert.Contains(t, putErr.Error(), "adding this document needs about")
			assert.Contains(t, putErr.Error(), "searches still work")
			if tc.free < indexer.DeleteNeeds {
				require.ErrorIs(t, delErr, indexer.ErrNoSpace, "a delete writes too")
			} else {
				// Deleting is how room is made: only a document that is not there is an error.
				require.ErrorIs(t, delErr, indexer.ErrNoDocument)
			}
			docs, _, err := indexer.Counts(context.Background(), idx)
			require.NoError(t, err)
			assert.Equal(t, uint64(5), docs, "nothing written")
		})
	}
}

// TestInputBytes: the estimate a build's space check starts from, a .gz file counted uncompressed.
func TestInputBytes(t *testing.T) {
	dir := t.TempDir()
	line := `{"id":"a","text":"Bộ Công an cấp căn cước điện tử cho công dân."}` + "\n"
	text := strings.Repeat(line, 1000)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(text), 0o644))
	f, err := os.Create(filepath.Join(dir, "b.jsonl.gz"))
	require.NoError(t, err)
	zw := gzip.NewWriter(f)
	_, err = zw.Write([]byte(text))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())

	tests := []struct {
		name  string
		paths []string
		want  int64
	}{
		{"a file", []string{filepath.Join(dir, "a.jsonl")}, int64(len(text))},
		{"a gzipped file, uncompressed", []string{filepath.Join(dir, "b.jsonl.gz")}, int64(len(text))},
		{"a folder", []string{dir}, 2 * int64(len(text))},
		{"a missing path", []string{filepath.Join(dir, "none")}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, inputBytes(tc.paths))
		})
	}
}

// failingWriter fails every write with err.
type failingWriter struct{ err error }

func (w failingWriter) Put(context.Context, corpus.Document) (int, bool, error) {
	return 0, false, w.err
}
func (w failingWriter) Delete(context.Context, string) (int, error) { return 0, w.err }

// TestDiskFilledDuringAWrite: a write that fails because the disk filled anyway (after the check)
// is a 507 that says so, and stops the server (the index can no longer be read until reopened);
// other failures are passed on as they are.
func TestDiskFilledDuringAWrite(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		filled bool
	}{
		{"bleve's persister error, as text", errors.New("index batch: segment: idx/store/000000000049.zap persist err: write idx/store/000000000049.zap: no space left on device"), true},
		{"ENOSPC wrapped", fmt.Errorf("put %q: %w", "x", &os.PathError{Op: "write", Path: "idx/store/1.zap", Err: syscall.ENOSPC}), true},
		{"another failure", errors.New("index batch: something else"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stopped []error
			g := &writeGate{w: failingWriter{tc.err}, dir: t.TempDir(), filled: func(err error) { stopped = append(stopped, err) }}
			fakeFree(t, 1<<30)
			_, _, putErr := g.Put(context.Background(), corpus.Document{ID: "x", Text: "Thông báo."})
			_, delErr := g.Delete(context.Background(), "x")
			for _, err := range []error{putErr, delErr} {
				if !tc.filled {
					assert.Equal(t, tc.err, err)
					continue
				}
				require.ErrorIs(t, err, indexer.ErrNoSpace)
				assert.Contains(t, err.Error(), "the disk filled during this write, which may not have been saved")
			}
			if tc.filled {
				assert.Len(t, stopped, 2, "the server is told to stop")
			} else {
				assert.Empty(t, stopped)
			}
		})
	}
}

// TestServeStopsWhenTheDiskFillsDuringAWrite: the write gets its 507 and the server stops (exit 1,
// saying why and what to do) rather than answering every read with 500 until bleve crashes it.
func TestServeStopsWhenTheDiskFillsDuringAWrite(t *testing.T) {
	const token = "token-for-the-serve-test-0123456789"
	t.Setenv("TRACUU_ADMIN_TOKEN", token)
	defer func(f func(bleve.Index) api.DocumentWriter) { newWriter = f }(newWriter)
	newWriter = func(bleve.Index) api.DocumentWriter {
		return failingWriter{errors.New("index batch: segment: persist err: write idx/store/000000000049.zap: no space left on device")}
	}
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, errOut := runCLI(t, "index", "-index", dir, "../../seeds")
	require.Equal(t, 0, code, errOut)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(context.Background(), []string{"serve", "-addr", addr, "-index", dir}, io.Discard, &stderr)
	}()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		require.True(t, time.Now().Before(deadline), "server ready")
	}
	status, body := call(t, http.MethodPut, "http://"+addr+"/api/v1/documents/moi", token, `{"text": "Bộ Công an cấp căn cước điện tử."}`)
	assert.Equal(t, http.StatusInsufficientStorage, status)
	assert.Contains(t, body, `"code":"insufficient_storage"`)
	select {
	case code := <-done:
		assert.Equal(t, 1, code)
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop")
	}
	assert.Contains(t, stderr.String(), "tracuu serve: stopped: the disk of the index at "+dir+" filled during a write")
	assert.Contains(t, stderr.String(), "restart tracuu serve")

	// The restart is in repro_midway.sh (fix-disk's report): the stopped server leaves the index
	// open, as the process exit would close it, and its lock would stop a second open in this one.
}
