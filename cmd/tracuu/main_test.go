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
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSearchCommand(t *testing.T) {
	code, out, errOut := runCLI(t, "search", "-limit", "2", "dinh", "danh", "dien", "tu", "40", "trieu")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "1. ")
	assert.Contains(t, out, "**40** **triệu** tài khoản **định** **danh** **điện** **tử**", "plain markers when piped")
	assert.NotContains(t, out, "\x1b[", "no colours when piped")
	assert.NotContains(t, out, "3. ")
}

func TestSearchCommandJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "search", "-json", "định danh điện tử 40 triệu")
	require.Equal(t, 0, code, errOut)
	var resp struct {
		Query   string `json:"query"`
		Results []struct {
			Text    string `json:"text"`
			Snippet string `json:"snippet"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &resp))
	require.NotEmpty(t, resp.Results)
	assert.Contains(t, resp.Results[0].Text, "40 triệu tài khoản định danh điện tử")
	assert.Contains(t, out, "<mark>40</mark>", "the same unescaped snippet as the HTTP API")
}

func TestAnalyzeCommand(t *testing.T) {
	code, out, _ := runCLI(t, "analyze", "-json", "Định danh")
	require.Equal(t, 0, code)
	var res struct {
		Text  string                       `json:"text"`
		Views map[string][]json.RawMessage `json:"views"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.Equal(t, "Định danh", res.Text)
	assert.Len(t, res.Views["exact"], 2)
	assert.Len(t, res.Views["bigram"], 1)

	code, out, _ = runCLI(t, "analyze", "hoà")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "exact:\n")
	assert.Contains(t, out, "folded:\n")
}

func TestCommandErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no command", nil, 2, ""},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"bad flag", []string{"search", "-nope", "x"}, 2, "-h"},
		{"search without query", []string{"search"}, 2, "give a QUERY"},
		{"search limit", []string{"search", "-limit", "0", "x"}, 2, "limit"},
		{"index without -index", []string{"index", "x"}, 2, "-index DIR is required"},
		{"index without path", []string{"index", "-index", "x"}, 2, "PATH"},
		{"eval without flags", []string{"eval"}, 2, "required"},
		{"analyze without text", []string{"analyze"}, 2, "TEXT"},
		{"search a missing index", []string{"search", "-index", "/nonexistent/idx", "x"}, 1, "tracuu index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, errOut, tt.msg)
			assert.LessOrEqual(t, strings.Count(strings.TrimSpace(errOut), "\n"), 20)
		})
	}
}

func TestIndexThenSearchOnDisk(t *testing.T) {
	dir := t.TempDir()
	corpusFile := filepath.Join(dir, "docs.jsonl")
	lines := []string{
		`{"id": "a", "title": "Căn cước", "text": "Bộ Công an cấp thẻ căn cước công dân gắn chíp điện tử cho người dân.", "date": "2023-02"}`,
		`{"id": "b", "text": "Ngân hàng Nhà nước triển khai thanh toán không dùng tiền mặt."}`,
		`not json`,
		`{"id": "", "text": "no id"}`,
		`{"id": "c", "text": "Dịch vụ công trực tuyến toàn trình.", "date": "23-02"}`,
	}
	require.NoError(t, os.WriteFile(corpusFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	idx := filepath.Join(dir, "idx")
	code, out, errOut := runCLI(t, "index", "-index", idx, corpusFile)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "indexed 2 documents")
	assert.Contains(t, errOut, "docs.jsonl:3:", "bad lines are reported with their number")
	assert.Contains(t, errOut, "docs.jsonl:4:")
	assert.Contains(t, errOut, "docs.jsonl:5:")
	pairs, err := filepath.Glob(filepath.Join(idx, "pairs", "*.bin"))
	require.NoError(t, err)
	assert.Len(t, pairs, 1, "a first build writes its bigrams' postings beside its one segment")

	code, out, errOut = runCLI(t, "search", "-index", idx, "can cuoc gan chip")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "a#0")

	// Indexing the same document again replaces it.
	require.NoError(t, os.WriteFile(corpusFile, []byte(`{"id": "a", "text": "Thẻ căn cước mới."}`+"\n"), 0o644))
	code, _, errOut = runCLI(t, "index", "-index", idx, corpusFile)
	require.Equal(t, 0, code, errOut)
	code, out, _ = runCLI(t, "search", "-index", idx, "-json", "can cuoc")
	require.Equal(t, 0, code)
	assert.Contains(t, out, `"total": 1`)
	assert.Contains(t, out, "Thẻ căn cước mới.")

	queries := filepath.Join(dir, "q.jsonl")
	require.NoError(t, os.WriteFile(queries, []byte(`{"id": "1", "query": "thanh toán tiền mặt", "relevant": ["b"]}`+"\n"), 0o644))
	code, out, errOut = runCLI(t, "eval", "-index", idx, "-queries", queries, "-json")
	require.Equal(t, 0, code, errOut)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	assert.InDelta(t, 1.0, m["mrr@10"], 1e-9)
	assert.Contains(t, m, "latency_ms")

	// No queries: an error, not metrics that are not numbers.
	require.NoError(t, os.WriteFile(queries, nil, 0o644))
	for _, args := range [][]string{{}, {"-json"}} {
		code, _, errOut = runCLI(t, append([]string{"eval", "-index", idx, "-queries", queries}, args...)...)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "holds no queries")
	}
}

// TestIndexSkipsBadFilesOfAFolder checks that a file of a folder that cannot be read, or holds no
// text, is reported by name and skipped, and the index is built from the others (exit 0).
func TestIndexSkipsBadFilesOfAFolder(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		make       func(t *testing.T, path string)
		report     string
	}{
		{"a link to nothing", "x.txt", func(t *testing.T, p string) {
			require.NoError(t, os.Symlink("/nonexistent", p))
		}, "cannot be read: a link to a file that does not exist"},
		{"a link loop", "vòng.txt", func(t *testing.T, p string) {
			require.NoError(t, os.Symlink(filepath.Base(p), p))
		}, "cannot be read: too many levels of symbolic links"},
		{"an empty file", "trống.md", func(t *testing.T, p string) {
			require.NoError(t, os.WriteFile(p, []byte("\n  \n"), 0o644))
		}, "holds no text (the file is empty or blank)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "văn bản")
			require.NoError(t, os.Mkdir(dir, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Bộ Công an cấp tài khoản định danh điện tử cho người dân."), 0o644))
			tc.make(t, filepath.Join(dir, tc.file))
			idx := filepath.Join(t.TempDir(), "idx")
			code, out, errOut := runCLI(t, "index", "-index", idx, dir)
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, out, "indexed 1 documents, 1 passages")
			assert.Contains(t, out, "(1 bad lines or files skipped)")
			assert.Contains(t, errOut, "skipped "+filepath.Join(dir, tc.file)+": "+tc.report+"\n")
			assert.NotContains(t, errOut, "no such file or folder")
			code, out, errOut = runCLI(t, "search", "-index", idx, "dinh danh dien tu")
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, out, "a#0")
		})
	}
}

func TestServeAnswersAndStops(t *testing.T) {
	t.Run("embedded seeds", func(t *testing.T) { testServe(t, 5) })
	t.Run("a folder, in memory", func(t *testing.T) { testServe(t, 5, "../../seeds") })
	t.Run("a folder, on disk", func(t *testing.T) { testServe(t, 5, "-index", filepath.Join(t.TempDir(), "idx"), "../../seeds") })
}

func testServe(t *testing.T, docs int, args ...string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, append([]string{"serve", "-addr", addr}, args...), &bytes.Buffer{}, &stderr)
	}()

	var resp *http.Response
	deadline := time.Now().Add(2 * time.Second) // the contract: ready within two seconds
	for time.Now().Before(deadline) {
		if resp, err = http.Get(fmt.Sprintf("http://%s/healthz", addr)); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, err, "server ready within 2 s")
	var h map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&h))
	resp.Body.Close()
	assert.EqualValues(t, docs, h["documents"])

	cancel() // as SIGINT does
	select {
	case code := <-done:
		assert.Equal(t, 0, code, stderr.String())
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// A document holding terminal escape sequences (in a title or a text from anywhere) is printed
// without them: they would clear or retitle the terminal of whoever searches. (An id holding one is
// refused when loading, as by the API.)
func TestSearchPrintsNoControlCharacters(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs.jsonl")
	require.NoError(t, os.WriteFile(docs, []byte(`{"id": "esc", "title": "Thông báo\u001b]0;pwned\u0007", "text": "Định danh \u001b[2J điện tử cho người dân\u001b[8m ẩn phần sau."}`+"\n"), 0o644))
	idx := filepath.Join(dir, "idx")
	code, _, errOut := runCLI(t, "index", "-index", idx, docs)
	require.Equal(t, 0, code, errOut)
	code, out, errOut := runCLI(t, "search", "-index", idx, "dinh danh dien tu")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Thông báo\uFFFD]0;pwned\uFFFD")
	assert.Contains(t, out, "**Định** **danh** \uFFFD[2J **điện** **tử**", "highlights stay on their words")
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\u009b")
	assert.NotContains(t, out, "\a")
}

// search -json prints what the API answers, facets included: undated passages add no empty year.
func TestSearchJSONHasNoEmptyYear(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs.jsonl")
	require.NoError(t, os.WriteFile(docs, []byte(
		`{"id": "co-ngay", "date": "2024-05-10", "text": "Người dân tra cứu thủ tục hành chính trên Cổng dịch vụ công quốc gia."}`+"\n"+
			`{"id": "khong-ngay", "text": "Hướng dẫn tra cứu thủ tục hành chính bằng tài khoản định danh điện tử."}`+"\n"), 0o644))
	idx := filepath.Join(dir, "idx")
	code, _, errOut := runCLI(t, "index", "-index", idx, docs)
	require.Equal(t, 0, code, errOut)
	code, out, errOut := runCLI(t, "search", "-json", "-index", idx, "tra cứu thủ tục hành chính")
	require.Equal(t, 0, code, errOut)
	var resp struct {
		Total  int
		Facets struct{ Years []struct{ Value string } }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &resp))
	require.Equal(t, 2, resp.Total)
	require.Len(t, resp.Facets.Years, 1)
	assert.Equal(t, "2024", resp.Facets.Years[0].Value)
}

// TestIndexThroughALink: an -index that is a link to a folder builds, rebuilds and searches the index
// in that folder, and the link stays a link (renames would have put a folder in its place).
func TestIndexThroughALink(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "volume", "tracuu")
	require.NoError(t, os.MkdirAll(target, 0o700))
	link := filepath.Join(root, "docs.idx")
	require.NoError(t, os.Symlink(target, link))
	for _, args := range [][]string{
		{"index", "-index", link, seedsFolder}, // a new index
		{"index", "-index", link, seedsFolder}, // an update of it
	} {
		code, _, errOut := runCLI(t, args...)
		require.Equal(t, 0, code, errOut)
		st, err := os.Lstat(link)
		require.NoError(t, err)
		assert.NotZero(t, st.Mode()&os.ModeSymlink, "-index is still a link")
		assert.FileExists(t, filepath.Join(target, "index_meta.json"), "the index is where the link points")
	}
	code, out, errOut := runCLI(t, "search", "-index", link, "-limit", "1", "định danh điện tử")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "định danh")

	dangling := filepath.Join(root, "gone.idx")
	require.NoError(t, os.Symlink(filepath.Join(root, "nowhere"), dangling))
	code, _, errOut = runCLI(t, "index", "-index", dangling, seedsFolder)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "is a link to a folder that cannot be reached")
}

// TestNotAMountPoint: a rebuild refuses, before it starts, an index folder that is a mounted volume's
// root (/proc is one on Linux), which its swap could not rename.
func TestNotAMountPoint(t *testing.T) {
	tests := []struct {
		dir  string
		want string // "" for no error
	}{
		{t.TempDir(), ""},
		{filepath.Join(t.TempDir(), "not-yet"), ""},
		{"/proc", "is the root folder of a mounted volume"},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			err := notAMountPoint(tt.dir)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
