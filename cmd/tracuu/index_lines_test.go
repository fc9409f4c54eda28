package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIndexReportsAndSkipsBadLines checks `tracuu index` on a JSONL file with one line that cannot
// be a document (too long, an id the API cannot serve, not UTF-8) or a .jsonl.gz cut short: the line is
// reported with its number and why, counted once, and every other line is indexed (exit 0).
func TestIndexReportsAndSkipsBadLines(t *testing.T) {
	const before = `{"id": "truoc", "text": "Bộ Công an cấp tài khoản định danh điện tử cho người dân."}` + "\n"
	const after = `{"id": "sau", "text": "Sở Tư pháp số hóa sổ hộ tịch của tỉnh Hòa Bình."}` + "\n"
	cut := func() []byte { // before, then a line the file ends in the middle of
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		_, _ = gz.Write([]byte(before))
		_ = gz.Flush()
		first := buf.Len()
		_, _ = gz.Write([]byte(after))
		_ = gz.Close()
		return buf.Bytes()[:first+(buf.Len()-first)/2] // cut in the middle of the second line
	}
	for _, tc := range []struct {
		name, file string
		data       []byte
		docs       string // the summary's count
		report     string
	}{
		{"a line over 10 MB", "docs.jsonl",
			[]byte(before + `{"id": "dai", "text": "` + strings.Repeat("định danh ", 1<<20) + `"}` + "\n" + after),
			"indexed 2 documents", ":2: the line is longer than 10 MB, the most one document may take (as the body of a PUT)"},
		{"an id with a control character", "docs.jsonl",
			[]byte(before + `{"id": "ctl\u0001x", "text": "Căn cước gắn chip."}` + "\n" + after),
			"indexed 2 documents", `:2: "id" must not contain control characters, got "ctl\x01x"`},
		{"the id ..", "docs.jsonl",
			[]byte(before + `{"id": "..", "text": "Căn cước gắn chip."}` + "\n" + after),
			"indexed 2 documents", `:2: "id" must not be "." or "..", got ".."`},
		{"a line not UTF-8", "docs.jsonl",
			[]byte(before + "{\"id\": \"cp\", \"text\": \"C\xe3n c\xfd\xf8c\"}\n" + after),
			"indexed 2 documents", ":2: not valid UTF-8 (byte 24 of the line): save the file as UTF-8"},
		{"a .jsonl.gz cut short", "docs.jsonl.gz", cut(),
			"indexed 1 documents", ":2: the file ends unexpectedly (unexpected EOF) in this line; the lines before it are read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			require.NoError(t, os.WriteFile(path, tc.data, 0o644))
			idx := filepath.Join(t.TempDir(), "idx")
			code, out, errOut := runCLI(t, "index", "-index", idx, path)
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, out, tc.docs)
			assert.Contains(t, out, "(1 bad lines or files skipped)")
			assert.Contains(t, errOut, "skipped "+path+tc.report+"\n")
			code, out, errOut = runCLI(t, "search", "-index", idx, "dinh danh dien tu")
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, out, "truoc#0", "the line before the bad one is indexed")
		})
	}
}
