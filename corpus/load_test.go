package corpus

import (
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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
	require.Len(t, docs, 2)
	assert.Equal(t, []string{"a", "e"}, []string{docs[0].ID, docs[1].ID})
	assert.Equal(t, "2023-02-25", docs[0].Date)
	assert.Equal(t, "Căn cước", docs[0].Title)
	assert.Equal(t, []string{"Bộ Công an", "Sở Tư pháp"}, docs[0].Bodies, "given bodies: aliases resolved, others kept")
	var lineNumbers []int
	for _, e := range bad {
		lineNumbers = append(lineNumbers, e.Line)
		assert.Contains(t, e.Error(), "docs.jsonl:")
	}
	assert.Equal(t, []int{2, 3, 5, 6, 7}, lineNumbers, "a line that is not UTF-8 is bad, as a PUT of it")
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

// TestLoadFolderSkipsFilesItCannotRead checks that a file of a folder that cannot be read, or holds no
// document, is reported (named, with the reason) and skipped, and the rest of the folder is loaded; the
// same file named on its own is an error.
func TestLoadFolderSkipsFilesItCannotRead(t *testing.T) {
	const good = "Bộ Công an cấp 40 triệu tài khoản định danh điện tử cho người dân."
	for _, tc := range []struct {
		name   string
		file   string // the bad entry, in the folder
		make   func(t *testing.T, path string)
		reason string // what the report says of it
	}{
		{"a link to nothing", "x.txt", func(t *testing.T, p string) {
			require.NoError(t, os.Symlink("/nonexistent/văn-bản.txt", p))
		}, "cannot be read: a link to a file that does not exist"},
		{"a link to itself", "vòng.md", func(t *testing.T, p string) {
			require.NoError(t, os.Symlink(filepath.Base(p), p))
		}, "cannot be read: too many levels of symbolic links"},
		{"a link to a folder", "thư-mục.txt", func(t *testing.T, p string) {
			require.NoError(t, os.Symlink(t.TempDir(), p))
		}, "cannot be read: a link to a folder"},
		{"a link to nothing as a .jsonl", "dữ-liệu.jsonl", func(t *testing.T, p string) {
			require.NoError(t, os.Symlink("/nonexistent/x.jsonl", p))
		}, "cannot be read: a link to a file that does not exist"},
		{"a named pipe (reading it would wait for ever)", "ống.txt", func(t *testing.T, p string) {
			require.NoError(t, syscall.Mkfifo(p, 0o644))
		}, "cannot be read: not a regular file (a named pipe, a device or a socket)"},
		{"an empty .txt", "trống.txt", func(t *testing.T, p string) {
			writeFile(t, p, nil)
		}, "holds no text (the file is empty or blank)"},
		{"a blank .md", "trắng.md", func(t *testing.T, p string) {
			writeFile(t, p, []byte(" \n\t\r\n  \n"))
		}, "holds no text (the file is empty or blank)"},
		{"a .txt holding only a byte order mark", "bom.txt", func(t *testing.T, p string) {
			writeFile(t, p, []byte("\ufeff\n"))
		}, "holds no text (the file is empty or blank)"},
		{"an .html page without text", "trang.html", func(t *testing.T, p string) {
			writeFile(t, p, []byte("<html><head><script>var x;</script></head><body><nav>Trang chủ</nav></body></html>"))
		}, "holds no text (the file is empty or blank)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "a.txt"), []byte(good))
			bad := filepath.Join(dir, tc.file)
			tc.make(t, bad)
			docs, reports, err := load(t, dir)
			require.NoError(t, err, "one bad file does not stop the folder")
			require.Len(t, docs, 1)
			assert.Equal(t, good, docs[0].Text)
			require.Len(t, reports, 1)
			assert.Equal(t, bad+": "+tc.reason, reports[0].Error())

			if strings.Contains(tc.reason, "not a regular file") || strings.Contains(tc.reason, "a link to a folder") {
				return // named on its own, a pipe is read as asked (here it would wait for a writer), a folder walked
			}
			_, _, err = load(t, bad)
			assert.Error(t, err, "named on its own, the file is an error")
		})
	}
}

// TestLoadFolderWithoutPermission checks files and folders the user may not read: reported and
// skipped. Root reads them all the same, and then they are loaded: either way the load goes on.
func TestLoadFolderWithoutPermission(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), []byte("Văn bản A về định danh điện tử."))
	writeFile(t, filepath.Join(dir, "mật.txt"), []byte("Văn bản mật về căn cước."))
	writeFile(t, filepath.Join(dir, "kín", "b.md"), []byte("# Văn bản B\n\nNội dung về dữ liệu dân cư."))
	for _, p := range []string{filepath.Join(dir, "mật.txt"), filepath.Join(dir, "kín")} {
		require.NoError(t, os.Chmod(p, 0))
		t.Cleanup(func() { _ = os.Chmod(p, 0o755) })
	}
	_, openErr := os.Open(filepath.Join(dir, "mật.txt"))
	denied := errors.Is(openErr, os.ErrPermission)
	docs, reports, err := load(t, dir)
	require.NoError(t, err)
	var ids, reported []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	for _, r := range reports {
		reported = append(reported, r.Error())
	}
	if denied {
		assert.Equal(t, []string{"a"}, ids)
		assert.Equal(t, []string{
			filepath.Join(dir, "kín") + ": cannot be read: permission denied",
			filepath.Join(dir, "mật.txt") + ": cannot be read: permission denied",
		}, reported)
	} else { // root
		assert.ElementsMatch(t, []string{"a", "kín/b", "mật"}, ids)
		assert.Empty(t, reported)
	}
}

// TestLoadFolderThroughALink checks that a folder named by a symbolic link is read: WalkDir alone
// does not follow the link and finds nothing.
func TestLoadFolderThroughALink(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "văn bản", "a.txt"), []byte("Văn bản A về định danh điện tử."))
	link := filepath.Join(dir, "liên kết")
	require.NoError(t, os.Symlink(filepath.Join(dir, "văn bản"), link))
	docs, reports, err := load(t, link)
	require.NoError(t, err)
	assert.Empty(t, reports)
	require.Len(t, docs, 1)
	assert.Equal(t, "a", docs[0].ID)
}

// TestDatesAreDatesOfTheCalendar checks that a "date" the calendar does not have is refused, as the
// search filters refuse it, in a JSONL line as in a PUT body.
func TestDatesAreDatesOfTheCalendar(t *testing.T) {
	for _, tc := range []struct {
		date string
		ok   bool
	}{
		{"2023", true},
		{"2023-02", true},
		{"2023-02-28", true},
		{"2024-02-29", true}, // a leap year
		{"2023-12-31", true},
		{"2023-02-29", false},
		{"2023-02-30", false},
		{"2023-04-31", false},
		{"2023-13", false},
		{"2023-00", false},
		{"2023-01-00", false},
		{"2023-1-5", false},
		{"23-02-25", false},
		{"+202", false},
		{"2023-02-25T10:00", false},
		{"25/02/2023", false},
	} {
		t.Run(tc.date, func(t *testing.T) {
			line := `{"id": "tb", "text": "Thông báo kết luận của Thủ tướng về Đề án 06.", "date": "` + tc.date + `"}`
			doc, err := ParseJSON([]byte(line))
			_, putErr := ParseJSONAs("tb", []byte(line))
			assert.Equal(t, tc.ok, ValidDate(tc.date))
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, tc.date, doc.Date)
				assert.NoError(t, putErr)
				return
			}
			assert.ErrorContains(t, err, `"date" must be a date of the calendar written YYYY, YYYY-MM or YYYY-MM-DD, got "`+tc.date+`"`)
			assert.ErrorContains(t, putErr, `"date" must be a date of the calendar`)
		})
	}

	// In a JSONL file the line is reported with its number and skipped.
	path := filepath.Join(t.TempDir(), "docs.jsonl")
	writeFile(t, path, []byte(`{"id": "a", "text": "Ngày 28-2, Bộ Công an họp.", "date": "2023-02-28"}`+"\n"+
		`{"id": "b", "text": "Ngày 30-2, Bộ Công an họp.", "date": "2023-02-30"}`+"\n"))
	docs, bad, err := load(t, path)
	require.NoError(t, err)
	require.Len(t, docs, 1)
	assert.Equal(t, "a", docs[0].ID)
	require.Len(t, bad, 1)
	assert.Equal(t, 2, bad[0].Line)

	// A date read from the text is no more allowed to be impossible: it is left out.
	for header, want := range map[string]string{
		"date 2023-02-30 Sáng 25-2, Bộ Công an họp về Đề án 06.":  "",
		"date 2023-02-25 Sáng 25-2, Bộ Công an họp về Đề án 06.":  "2023-02-25",
		"Đình Hiệp| 31/4/2023 13:07\nBộ Công an họp về Đề án 06.": "",
		"Đình Hiệp| 30/4/2023 13:07\nBộ Công an họp về Đề án 06.": "2023-04-30",
	} {
		assert.Equal(t, want, Parse("x", header).Date, header)
	}
}

// TestIDsAreNFC checks that an id in decomposed Unicode (NFD, as macOS writes file names) is the same
// document as the precomposed one, whichever way it comes in.
func TestIDsAreNFC(t *testing.T) {
	const nfc, nfd = "điện-tử", "đie\u0323\u0302n-tu\u031b\u0309" // "điện-tử" both
	require.NotEqual(t, nfc, nfd)
	const text = "Bộ Công an cấp 40 triệu tài khoản định danh điện tử."
	folder := t.TempDir()
	writeFile(t, filepath.Join(folder, nfd+".txt"), []byte(text))
	for _, tc := range []struct {
		name string
		load func() (Document, error)
	}{
		{"a JSONL line", func() (Document, error) {
			return ParseJSON([]byte(`{"id": "` + nfd + `", "text": "` + text + `"}`))
		}},
		{"a PUT whose path is NFD", func() (Document, error) {
			return ParseJSONAs(nfd, []byte(`{"text": "`+text+`"}`))
		}},
		{"a PUT: path NFC, body NFD", func() (Document, error) {
			return ParseJSONAs(nfc, []byte(`{"id": "`+nfd+`", "text": "`+text+`"}`))
		}},
		{"a PUT: path NFD, body NFC", func() (Document, error) {
			return ParseJSONAs(nfd, []byte(`{"id": "`+nfc+`", "text": "`+text+`"}`))
		}},
		{"a file named in NFD", func() (Document, error) {
			docs, _, err := load(t, filepath.Join(folder, nfd+".txt"))
			if err != nil || len(docs) != 1 {
				return Document{}, fmt.Errorf("%d documents: %w", len(docs), err)
			}
			return docs[0], nil
		}},
		{"a file named in NFD, in a folder", func() (Document, error) {
			docs, _, err := load(t, folder)
			if err != nil || len(docs) != 1 {
				return Document{}, fmt.Errorf("%d documents: %w", len(docs), err)
			}
			return docs[0], nil
		}},
		{"an HTML page named in NFD", func() (Document, error) {
			return ParseHTML(nfd, []byte("<p>"+text+"</p>"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := tc.load()
			require.NoError(t, err)
			assert.Equal(t, nfc, doc.ID)
			assert.Equal(t, nfc+"#0", Split(doc)[0].ID)
		})
	}
	_, err := ParseJSONAs(nfc, []byte(`{"id": "điện-tử-2", "text": "`+text+`"}`))
	assert.ErrorIs(t, err, ErrIDMismatch, "another id still differs")
}

// TestByteOrderMarkIsNotText checks that a UTF-8 byte order mark opening a file (Windows editors'
// "UTF-8 with BOM") is dropped, not kept at the start of the title and text.
func TestByteOrderMarkIsNotText(t *testing.T) {
	const bom = "\ufeff"
	for _, tc := range []struct {
		file, data, title, text string
	}{
		{"thong-bao.txt", bom + "Thông báo kết luận\nThủ tướng yêu cầu kiện toàn Ban Chỉ đạo.",
			"Thông báo kết luận", "Thông báo kết luận\n\nThủ tướng yêu cầu kiện toàn Ban Chỉ đạo."},
		{"de-an.md", bom + "Đề án 06\n\nTriển khai dữ liệu dân cư.", "Đề án 06", "Đề án 06\n\nTriển khai dữ liệu dân cư."},
		{"trang.html", bom + "<html><head><title>Căn cước</title></head><body><p>Cấp thẻ căn cước.</p></body></html>",
			"Căn cước", "Cấp thẻ căn cước."},
		{"docs.jsonl", bom + `{"id": "docs", "title": "Định danh", "text": "Tài khoản định danh điện tử."}`,
			"Định danh", "Tài khoản định danh điện tử."},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			writeFile(t, path, []byte(tc.data))
			docs, bad, err := load(t, path)
			require.NoError(t, err)
			require.Empty(t, bad)
			require.Len(t, docs, 1)
			assert.Equal(t, tc.title, docs[0].Title)
			assert.Equal(t, tc.text, docs[0].Text)
		})
	}
}
