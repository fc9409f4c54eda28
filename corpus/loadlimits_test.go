package corpus

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lowerMaxDocument makes a document of more than n bytes too large for the rest of the test, so that
// the limit (10 MB) is tested without writing 10 MB.
func lowerMaxDocument(t *testing.T, n int) {
	t.Helper()
	old := maxDocument
	maxDocument = n
	t.Cleanup(func() { maxDocument = old })
}

// vbLine is a JSONL line of a real-looking document with id vb-N.
func vbLine(n int) string {
	return `{"id": "vb-` + strconv.Itoa(n) + `", "text": "Sở Tư pháp tỉnh Hòa Bình trả lời văn bản số ` + strconv.Itoa(n) + ` về cấp căn cước."}`
}

func gzipped(t *testing.T, data string, flushEachLine bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	for _, line := range strings.SplitAfter(data, "\n") {
		_, err := gz.Write([]byte(line))
		require.NoError(t, err)
		if flushEachLine {
			require.NoError(t, gz.Flush())
		}
	}
	require.NoError(t, gz.Close())
	return buf.Bytes()
}

// loadSkipsOne loads path, which holds the document "a" and one other: both are loaded when
// skipped is false; otherwise "a" alone, and the one bad line or file reported is returned.
func loadSkipsOne(t *testing.T, path string, skipped bool) *LineError {
	t.Helper()
	docs, bad, err := load(t, path)
	require.NoError(t, err)
	if !skipped {
		assert.Len(t, docs, 2)
		assert.Empty(t, bad)
		return nil
	}
	assert.Equal(t, []string{"a"}, ids(docs))
	require.Len(t, bad, 1)
	return bad[0]
}

func ids(docs []Document) []string {
	out := []string{}
	for _, d := range docs {
		out = append(out, d.ID)
	}
	return out
}

// TestLoadJSONLPassesOverALongLine checks that a line longer than a document may be is reported with
// its number and the limit, and skipped: the lines before it (of its block too) and after it are loaded.
// Before, bufio.Scanner stopped the file there, and the block of lines read before it was lost.
func TestLoadJSONLPassesOverALongLine(t *testing.T) {
	lowerMaxDocument(t, 1<<10)
	long := `{"id": "dai", "text": "` + strings.Repeat("Bộ Công an cấp căn cước gắn chip. ", 200) + `"}` // 7 KB
	for _, tc := range []struct {
		name          string
		before, after int  // good lines around the long one
		gz            bool // in a .jsonl.gz
		noEnd         bool // the long line ends the file without a line end
	}{
		{"one line before, one after", 1, 1, false, false},
		{"lines of two blocks before", blockLines + 5, 3, false, false},
		{"the first line", 0, 2, false, false},
		{"the last line, without an end of line", 3, 0, false, true},
		{"in a .jsonl.gz", blockLines + 5, blockLines + 1, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var lines, want []string
			for n := 1; n <= tc.before; n++ {
				lines, want = append(lines, vbLine(n)), append(want, "vb-"+strconv.Itoa(n))
			}
			lines = append(lines, long)
			for n := tc.before + 2; n <= tc.before+1+tc.after; n++ {
				lines, want = append(lines, vbLine(n)), append(want, "vb-"+strconv.Itoa(n))
			}
			data := strings.Join(lines, "\n")
			if !tc.noEnd {
				data += "\n"
			}
			path := filepath.Join(t.TempDir(), "văn-bản.jsonl")
			if tc.gz {
				path += ".gz"
				writeFile(t, path, gzipped(t, data, false))
			} else {
				writeFile(t, path, []byte(data))
			}
			docs, bad, err := load(t, path)
			require.NoError(t, err, "a long line does not stop the file")
			assert.Equal(t, want, ids(docs))
			require.Len(t, bad, 1)
			assert.Equal(t, path+":"+strconv.Itoa(tc.before+1)+": the line is longer than 1 KB, the most one document may take (as the body of a PUT)", bad[0].Error())
		})
	}
}

// TestScanJSONLNamesTheLongLine: the readers of other JSONL files (eval's queries) stop at a long line,
// naming it and the limit rather than "bufio.Scanner: token too long".
func TestScanJSONLNamesTheLongLine(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       string
	}{
		{"a long line", `{"query": "căn cước"}` + "\n" + `{"query": "` + strings.Repeat("định danh ", 20) + `"}` + "\n", ":2: the line is longer than 100 bytes"},
		{"all short", `{"query": "căn cước"}` + "\r\n" + `{"query": "định danh"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "q.jsonl")
			writeFile(t, path, []byte(tc.data))
			var got []string
			err := ScanJSONL(path, 100, func(_ int, line []byte) error { got = append(got, string(line)); return nil })
			if tc.want == "" {
				require.NoError(t, err)
				assert.Equal(t, []string{`{"query": "căn cước"}`, `{"query": "định danh"}`}, got)
				return
			}
			assert.EqualError(t, err, path+tc.want)
			assert.Equal(t, []string{`{"query": "căn cước"}`}, got)
		})
	}
}

// TestLoadTruncatedGzipKeepsCompleteLines checks that a .jsonl.gz cut short (a download that did not
// finish) gives every complete line before the cut, then one bad line saying where the file ends; it
// is not said to be skipped, and named on its own it is no error. Before, the block of lines read
// before the cut was lost (512 of 564 lines were indexed).
func TestLoadTruncatedGzipKeepsCompleteLines(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lines    int
		keep     float64 // the part of the compressed file kept
		inFolder bool
	}{
		{"a few lines", 6, 0.7, false},
		{"lines of many blocks", 9*blockLines - 12, 0.9, false},
		{"in a folder", 3*blockLines + 7, 0.5, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var lines []string
			for n := 1; n <= tc.lines; n++ {
				lines = append(lines, vbLine(n))
			}
			// Flushed after each line, the part kept holds whole lines that a reader can get at.
			full := gzipped(t, strings.Join(lines, "\n")+"\n", true)
			cut := full[:int(float64(len(full))*tc.keep)]
			// The complete lines of what was kept, as gunzip -c would write them.
			zr, err := gzip.NewReader(bytes.NewReader(cut))
			require.NoError(t, err)
			got, err := io.ReadAll(zr)
			require.ErrorIs(t, err, io.ErrUnexpectedEOF)
			complete := bytes.Count(got, []byte("\n"))
			require.Greater(t, complete, 0)
			require.Less(t, complete, tc.lines)
			var want []string
			for n := 1; n <= complete; n++ {
				want = append(want, "vb-"+strconv.Itoa(n))
			}

			dir := t.TempDir()
			path := filepath.Join(dir, "văn-bản.jsonl.gz")
			writeFile(t, path, cut)
			writeFile(t, filepath.Join(dir, "khác.txt"), []byte("Bộ Công an cấp tài khoản định danh điện tử."))
			named := path
			if tc.inFolder {
				named = dir
			}
			docs, bad, err := load(t, named)
			require.NoError(t, err)
			gotIDs := ids(docs)
			if tc.inFolder {
				assert.Equal(t, "khác", gotIDs[0])
				gotIDs = gotIDs[1:]
			}
			assert.Equal(t, want, gotIDs)
			require.Len(t, bad, 1)
			assert.Equal(t, path+":"+strconv.Itoa(complete+1)+": the file ends unexpectedly (unexpected EOF) in this line; the lines before it are read", bad[0].Error())

			// Without bad, the cut is the load's error, after the lines before it.
			var seen int
			err = LoadPath(path, func(Document) error { seen++; return nil }, nil)
			var lineErr *LineError
			require.True(t, errors.As(err, &lineErr), "%v", err)
			assert.Equal(t, complete+1, lineErr.Line)
			assert.Equal(t, complete, seen)
		})
	}
}

// TestLoadCapsADocument checks that a document larger than a PUT may send (10 MB, lowered here) is
// reported and skipped, as a JSONL line or a file, and the others are loaded: one document of 50 MB
// took 5.5 GB to index.
func TestLoadCapsADocument(t *testing.T) {
	lowerMaxDocument(t, 2<<10)
	const sentence = "Thủ tướng yêu cầu đẩy mạnh cấp tài khoản định danh điện tử cho người dân. "
	bigText := strings.Repeat(sentence, 40) // 3.4 KB
	smallText := strings.Repeat(sentence, 10)
	for _, tc := range []struct {
		name, file, data string
		report           string // "" when the document is loaded
	}{
		{"a JSONL line", "d.jsonl", `{"id": "lon", "text": "` + bigText + `"}`, ":1: the line is longer than 2 KB, the most one document may take (as the body of a PUT)"},
		{"a small JSONL line", "d.jsonl", `{"id": "nho", "text": "` + smallText + `"}`, ""},
		{"a .txt", "lon.txt", bigText, ": its text is longer than 2 KB, the most one document may take (as the body of a PUT)"},
		{"a .md", "lon.md", "# Đề án 06\n\n" + bigText, ": its text is longer than 2 KB, the most one document may take (as the body of a PUT)"},
		{"an .html page", "lon.html", "<p>" + bigText + "</p>", ": its text is longer than 2 KB, the most one document may take (as the body of a PUT)"},
		{"an .html page of much markup and little text", "nho.html",
			"<p>" + smallText + "</p><script>" + strings.Repeat("var x = 1;", 1000) + "</script>", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.file)
			writeFile(t, path, []byte(tc.data))
			writeFile(t, filepath.Join(dir, "a.txt"), []byte(sentence))
			if bad := loadSkipsOne(t, dir, tc.report != ""); bad != nil {
				assert.Equal(t, path+tc.report, bad.Error())
			}
		})
	}
}

// TestLoadRefusesIDsTheAPICannotServe checks that a JSONL id or a file name that the API could not
// read, link to or delete (a control character, ".", "..", '#', too long) is reported and skipped, by
// the rule the API applies to a PUT (IDProblem).
func TestLoadRefusesIDsTheAPICannotServe(t *testing.T) {
	const text = "Bộ Công an cấp 40 triệu tài khoản định danh điện tử."
	for _, tc := range []struct {
		name, id string
		report   string // "" when the id is fine
	}{
		{"a control character", `ctl\u0001x`, `"id" must not contain control characters, got "ctl\x01x"`},
		{"a tab", `căn\tcước`, `"id" must not contain control characters`},
		{"NUL", `a\u0000`, `"id" must not contain control characters`},
		{"a dot", `.`, `"id" must not be "." or "..", got "."`},
		{"two dots", `..`, `"id" must not be "." or ".."`},
		{"two dots between spaces, trimmed", ` .. `, `"id" must not be "." or ".."`},
		{"a passage id", `đề-án#0`, `"id" must not contain '#'`},
		{"257 bytes", strings.Repeat("đ", 128) + "x", `"id" must be at most 256 bytes`},
		{"256 bytes", strings.Repeat("đ", 128), ""},
		{"three dots", `...`, ""},
		{"a path", `văn-bản/2023/06`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "d.jsonl")
			writeFile(t, path, []byte(`{"id": "a", "text": "`+text+`"}`+"\n"+`{"id": "`+tc.id+`", "text": "`+text+`"}`+"\n"))
			if bad := loadSkipsOne(t, path, tc.report != ""); bad != nil {
				assert.Equal(t, 2, bad.Line)
				assert.Contains(t, bad.Error(), tc.report)
			}
		})
	}

	for _, tc := range []struct {
		name, file string
		report     string
	}{
		{"a file named ..txt (id \".\")", "..txt", `the document id ".", taken from the file's name, must not be "." or ".."`},
		{"a file named ...md (id \"..\")", "...md", `the document id "..", taken from the file's name, must not be "." or ".."`},
		{"a control character in the name", "thông\x01báo.txt", `the document id "thông\x01báo", taken from the file's name, must not contain control characters`},
		{"a '#' in the name", "đề-án#1.txt", `the document id "đề-án#1", taken from the file's name, must not contain '#' (it separates a document id from a passage number)`},
		{"a name not UTF-8", "vi\xeat.txt", `the document id "vi\xeat", taken from the file's name, is not valid UTF-8`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "a.txt"), []byte(text))
			path := filepath.Join(dir, tc.file)
			writeFile(t, path, []byte(text))
			docs, bad, err := load(t, dir)
			require.NoError(t, err)
			assert.Equal(t, []string{"a"}, ids(docs))
			require.Len(t, bad, 1)
			assert.Equal(t, path+": "+tc.report, bad[0].Error())
			_, _, err = load(t, path)
			assert.Error(t, err, "named on its own, the file is an error")
		})
	}
}

// TestLoadRefusesInvalidUTF8 checks that a JSONL line or a text file that is not UTF-8 (a file saved
// in an old Vietnamese code page) is reported, saying where, and skipped, as a PUT of it is refused:
// read as it is, its bad bytes would become U+FFFD in the index.
func TestLoadRefusesInvalidUTF8(t *testing.T) {
	for _, tc := range []struct {
		name, file, data string
		report           string
	}{
		{"in the text of a line", "d.jsonl", "{\"id\": \"a\", \"text\": \"Bộ Công an\"}\n{\"id\": \"b\", \"text\": \"Vi\xeat Nam\"}\n",
			":2: not valid UTF-8 (byte 24 of the line): save the file as UTF-8"},
		{"in the id of a line", "d.jsonl", "{\"id\": \"a\", \"text\": \"Bộ Công an\"}\n{\"id\": \"\xff\", \"text\": \"Việt Nam\"}\n",
			":2: not valid UTF-8 (byte 9 of the line): save the file as UTF-8"},
		{"a sequence cut short in a .txt", "b.txt", "Thông báo\nBộ Công an cấp căn c\xc6\n", ": not valid UTF-8 (line 2, byte 27): save the file as UTF-8"},
		{"a .md in a code page", "b.md", "# Th\xf4ng b\xe1o\n\nN\xe3i dung.", ": not valid UTF-8 (line 1, byte 5): save the file as UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.file)
			writeFile(t, path, []byte(tc.data))
			if !strings.HasSuffix(tc.file, ".jsonl") {
				writeFile(t, filepath.Join(dir, "a.txt"), []byte("Bộ Công an"))
			}
			docs, bad, err := load(t, dir)
			require.NoError(t, err)
			require.Len(t, docs, 1)
			assert.Equal(t, "a", docs[0].ID)
			assert.Equal(t, "Bộ Công an", docs[0].Text)
			require.Len(t, bad, 1)
			assert.Equal(t, path+tc.report, bad[0].Error())
		})
	}
}
