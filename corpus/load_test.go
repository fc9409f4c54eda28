package corpus

import (
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, data, 0o644))
}

func load(t *testing.T, p string) ([]Document, []*LineError, error) {
	t.Helper()
	var docs []Document
	var bad []*LineError
	err := LoadPath(p, func(d Document) error { docs = append(docs, d); return nil }, func(e *LineError) { bad = append(bad, e) })
	return docs, bad, err
}

func TestLoadJSONLKeepsGoodLinesAndReportsBadOnes(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"id": "a", "title": "Căn cước", "text": "Bộ Công an cấp thẻ căn cước.", "date": "2023-02-25", "bodies": ["BCA", "Sở Tư pháp"]}`,
		"{\"id\": \"b\", \"text\": \"Văn bản \xff có byte hỏng giữa chừng mà vẫn giữ phần sau.\"}",
		`{broken`,
		``,
		`{"id": "c"}`,
		`{"id": "d", "text": "ngày 5", "date": "25/12/2022"}`,
		`{"text": "không có id"}`,
		`{"id": "e", "text": "Dòng cuối không có xuống dòng."}`,
	}
	path := filepath.Join(dir, "docs.jsonl")
	writeFile(t, path, []byte(strings.Join(lines, "\n")))
	docs, bad, err := load(t, path)
	require.NoError(t, err)
	require.Len(t, docs, 3)
	assert.Equal(t, []string{"a", "b", "e"}, []string{docs[0].ID, docs[1].ID, docs[2].ID})
	assert.Equal(t, "2023-02-25", docs[0].Date)
	assert.Equal(t, "Căn cước", docs[0].Title)
	assert.Equal(t, []string{"Bộ Công an", "Sở Tư pháp"}, docs[0].Bodies, "given bodies: aliases resolved, others kept")
	assert.Contains(t, docs[1].Text, "giữ phần sau", "text after an invalid byte is kept")
	var lineNumbers []int
	for _, e := range bad {
		lineNumbers = append(lineNumbers, e.Line)
		assert.Contains(t, e.Error(), "docs.jsonl:")
	}
	assert.Equal(t, []int{3, 5, 6, 7}, lineNumbers)
}

// A file of many blocks is parsed on every core: documents and bad lines still come in the order of
// the file, with their line numbers, and an error of fn stops the load.
func TestLoadJSONLKeepsOrderAcrossBlocks(t *testing.T) {
	var lines []string
	var wantIDs []string
	var wantBad []int
	for n := 1; n <= 10*blockLines+7; n++ {
		switch {
		case n%97 == 0:
			lines = append(lines, `{"id": "hỏng", "text": `)
			wantBad = append(wantBad, n)
		case n%89 == 0:
			lines = append(lines, "   ")
		default:
			id := "vb-" + strconv.Itoa(n)
			lines = append(lines, `{"id": "`+id+`", "text": "Sở Tư pháp tỉnh Hòa Bình trả lời văn bản số `+strconv.Itoa(n)+`."}`)
			wantIDs = append(wantIDs, id)
		}
	}
	path := filepath.Join(t.TempDir(), "many.jsonl")
	writeFile(t, path, []byte(strings.Join(lines, "\n")))
	docs, bad, err := load(t, path)
	require.NoError(t, err)
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	assert.Equal(t, wantIDs, ids)
	var badLines []int
	for _, e := range bad {
		badLines = append(badLines, e.Line)
	}
	assert.Equal(t, wantBad, badLines)

	stop := errors.New("enough")
	seen := 0
	err = LoadPath(path, func(Document) error {
		if seen++; seen == 2*blockLines {
			return stop
		}
		return nil
	}, nil)
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 2*blockLines, seen, "no document is passed after fn fails")
}

func TestLoadGzippedJSONL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "docs.jsonl.gz")
	f, err := os.Create(path)
	require.NoError(t, err)
	gz := gzip.NewWriter(f)
	_, err = gz.Write([]byte(`{"id": "x", "text": "Đề án 06."}` + "\n"))
	require.NoError(t, err)
	require.NoError(t, gz.Close())
	require.NoError(t, f.Close())
	docs, _, err := load(t, path)
	require.NoError(t, err)
	require.Len(t, docs, 1)
	assert.Equal(t, "x", docs[0].ID)

	writeFile(t, path, []byte("not gzip at all"))
	_, _, err = load(t, path)
	assert.Error(t, err, "a broken gzip file is an error, not an empty corpus")
}

func TestLoadFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), []byte("Văn bản A về định danh điện tử."))
	writeFile(t, filepath.Join(dir, "sub", "b.md"), []byte("# Văn bản B\n\nNội dung về căn cước."))
	writeFile(t, filepath.Join(dir, "sub", "c.html"), []byte("<html><head><title>Trang C</title><style>body{}</style></head><body><nav>Trang chủ</nav><p>Nội dung <b>C</b>.</p><script>var x;</script></body></html>"))
	writeFile(t, filepath.Join(dir, "empty.txt"), nil)
	writeFile(t, filepath.Join(dir, "image.png"), []byte{0x89, 'P', 'N', 'G', 0})
	docs, _, err := load(t, dir)
	require.NoError(t, err)
	ids := map[string]Document{}
	for _, d := range docs {
		ids[d.ID] = d
	}
	assert.Contains(t, ids, "a")
	assert.Contains(t, ids, "sub/b", "ids are paths without extension, relative to the folder")
	require.Contains(t, ids, "sub/c")
	assert.Equal(t, "Trang C", ids["sub/c"].Title)
	assert.Equal(t, "Nội dung C.", ids["sub/c"].Text)
	assert.Empty(t, Split(ids["empty"]), "an empty file gives no passages")

	// A binary file in a folder is reported and skipped; the other files are still read. Named on its
	// own, it is an error.
	writeFile(t, filepath.Join(dir, "bin.txt"), []byte("abc\x00\x01\x02"))
	again, bad, err := load(t, dir)
	require.NoError(t, err)
	assert.Len(t, again, len(docs))
	require.Len(t, bad, 1)
	assert.Equal(t, filepath.Join(dir, "bin.txt")+": not a text file (it holds NUL bytes)", bad[0].Error())
	_, _, err = load(t, filepath.Join(dir, "bin.txt"))
	assert.ErrorContains(t, err, "not a text file")
	writeFile(t, filepath.Join(dir, "sub", "broken.jsonl.gz"), []byte("not gzip at all"))
	again, bad, err = load(t, dir)
	require.NoError(t, err)
	assert.Len(t, again, len(docs))
	require.Len(t, bad, 2)
	assert.Equal(t, filepath.Join(dir, "sub", "broken.jsonl.gz")+": gzip: invalid header", bad[1].Error())

	_, _, err = load(t, filepath.Join(dir, "image.png"))
	assert.ErrorContains(t, err, "unsupported file type")
	_, _, err = load(t, filepath.Join(dir, "missing"))
	assert.Error(t, err)

	// A file that cannot be read at all (here a link to nothing) stops the load: skipping it would
	// build an index without its documents and call it a success.
	require.NoError(t, os.Symlink(filepath.Join(dir, "gone.txt"), filepath.Join(dir, "link.txt")))
	_, _, err = load(t, dir)
	assert.ErrorContains(t, err, "link.txt")
}

func TestParseHTML(t *testing.T) {
	page := `<!doctype html><html><head><title> Đề án 06:  kết quả </title><script>alert("x")</script></head>
<body><header><h1>Tiêu đề trang</h1></header><nav><a href="/">Trang chủ</a></nav>
<article><p>Sáng 25-12, tại Hà Nội, Bộ Công an báo cáo.</p><p>Đã cấp 40 triệu tài khoản &amp; hơn thế.</p></article>
<footer>Bản quyền © Báo</footer></body></html>`
	d, err := ParseHTML("p", []byte(page))
	require.NoError(t, err)
	assert.Equal(t, "Đề án 06: kết quả", d.Title)
	assert.NotContains(t, d.Text, "alert")
	assert.NotContains(t, d.Text, "Trang chủ")
	assert.NotContains(t, d.Text, "Bản quyền")
	assert.Contains(t, d.Text, "Đã cấp 40 triệu tài khoản & hơn thế.")
	assert.Contains(t, BodiesOf(d, Split(d)), "Bộ Công an")
}

// TestJSONErrorsSpeakTheFormat checks that a bad document is explained in the terms of the JSONL
// format (field names, JSON kinds), never with Go's type names.
func TestJSONErrorsSpeakTheFormat(t *testing.T) {
	for _, tc := range []struct {
		name, line, want string
	}{
		{"an array", `["Bộ Công an"]`, "a document is one JSON object, not an array"},
		{"a string", `"Định danh điện tử"`, "a document is one JSON object, not a string"},
		{"text as a number", `{"id": "a", "text": 2398}`, `"text" must be a string, not a number`},
		{"title as an object", `{"id": "a", "text": "Đề án 06", "title": {"vi": "x"}}`, `"title" must be a string, not an object`},
		{"bodies as a string", `{"id": "a", "text": "Đề án 06", "bodies": "BCA"}`, `"bodies" must be a list of strings, not a string`},
		{"a body as a number", `{"id": "a", "text": "Đề án 06", "bodies": ["BCA", 6]}`, `"bodies" must be a list of strings, not a number`},
		{"broken", `{"id": "a", "text": "Đề án 06"`, "invalid JSON at byte"},
		{"a bad key", `{id: "a"}`, "invalid JSON at byte 2: invalid character 'i'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseJSON([]byte(tc.line))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			_, err = ParseJSONAs("a", []byte(tc.line))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want, "a PUT body says the same")
			for _, internal := range []string{"Go ", "jsonDoc", "corpus.", "struct"} {
				assert.NotContains(t, err.Error(), internal)
			}
		})
	}
	_, err := ParseJSONAs("a", []byte(" \n"))
	assert.ErrorContains(t, err, "the body is empty")
}

// TestLoadUTF16Text checks that a text file saved as UTF-16 with a byte order mark (Windows Notepad's
// "Unicode") is read as the text it holds, not refused as binary.
func TestLoadUTF16Text(t *testing.T) {
	const text = "Bộ Công an cấp 40 triệu tài khoản định danh điện tử."
	utf16 := func(bigEndian bool) []byte {
		out := []byte{0xFF, 0xFE}
		if bigEndian {
			out = []byte{0xFE, 0xFF}
		}
		for _, r := range text { // every rune of text is in the Basic Multilingual Plane
			hi, lo := byte(r>>8), byte(r)
			if bigEndian {
				out = append(out, hi, lo)
			} else {
				out = append(out, lo, hi)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"little endian", utf16(false)},
		{"big endian", utf16(true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "thong-bao.txt")
			writeFile(t, path, tc.data)
			docs, _, err := load(t, path)
			require.NoError(t, err)
			require.Len(t, docs, 1)
			assert.Equal(t, text, docs[0].Text)
		})
	}
}

// TestIDWithHashIsRefused: '#' joins a document id to a passage number, so document "x#0" would be
// passage 0 of document "x".
func TestIDWithHashIsRefused(t *testing.T) {
	_, err := ParseJSON([]byte(`{"id": "x#0", "text": "Đề án 06 về dữ liệu dân cư."}`))
	assert.ErrorContains(t, err, `"id" must not contain '#'`)
	_, err = ParseJSON([]byte(`{"id": "x-0", "text": "Đề án 06 về dữ liệu dân cư."}`))
	assert.NoError(t, err)
}
