package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"

	"github.com/tracuu/tracuu/analyzer"
)

// LoadFS reads every .txt file of fsys (the embedded seeds) as a document whose id is its file stem.
func LoadFS(fsys fs.FS) ([]Document, error) {
	var docs []Document
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".txt" {
			return nil
		}
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		docs = append(docs, Parse(strings.TrimSuffix(p, path.Ext(p)), string(bytes.TrimPrefix(raw, utf8BOM))))
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	return docs, nil
}

// LineError reports a bad line of a JSON Lines file; the other lines are still loaded.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string {
	if e.Line == 0 { // a whole file, skipped in a folder
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

// errBadHTML wraps what the HTML parser says of a file it cannot read.
var errBadHTML = errors.New("not readable as HTML")

// errNotText is a .txt, .md or .html file that holds binary data.
var errNotText = errors.New("not a text file (it holds NUL bytes)")

// errNoText is a .txt, .md or .html file with no text in it (empty, blank, or only markup).
var errNoText = errors.New("holds no text (the file is empty or blank)")

// utf8BOM opens text files saved by some Windows editors ("UTF-8 with BOM"). It is not text: kept,
// it would begin the title of the document.
var utf8BOM = []byte("\ufeff")

// textExts are the file types read from folders.
var textExts = map[string]bool{".txt": true, ".md": true, ".html": true, ".htm": true}

// LoadPath reads documents from a folder (recursively: .txt, .md, .html, .jsonl, .jsonl.gz) or a single
// such file. Documents are passed to fn one at a time, so a large corpus never sits in memory whole. Bad
// JSON lines (invalid JSON or UTF-8, an id the API could not serve, over MaxDocumentBytes), and files
// of a folder that cannot be read or hold no document (binary, empty, not UTF-8, too large, named
// what no id may be, not gzip, a link to nothing, no permission: a stray file should not stop the
// rest), are passed to bad (with Line 0 for a file) and skipped. A JSONL file that cannot be read to
// its end (a .jsonl.gz cut short) gives its lines up to there, and bad the line where it stops. A path
// named on its own that cannot be read, and any error of fn, stops the load. Without bad, every
// problem of a file but a bad JSON line stops it.
func LoadPath(p string, fn func(Document) error, bad func(*LineError)) error {
	info, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return loadFile(p, filepath.Base(strings.TrimSuffix(p, fileExt(p))), fn, bad)
	}
	root := p
	if link, err := os.Lstat(p); err == nil && link.Mode()&fs.ModeSymlink != 0 {
		// WalkDir does not follow a link, even the one it is given: "link/" is the folder itself.
		root = p + string(filepath.Separator)
	}
	return filepath.WalkDir(root, func(f string, d fs.DirEntry, err error) error {
		if err != nil {
			if f == root || bad == nil {
				return err
			}
			// A subfolder that cannot be listed: reported, and its other entries (if any) still read.
			bad(&LineError{File: f, Err: unreadable(err, f, d)})
			return nil
		}
		if d.IsDir() {
			return nil
		}
		ext := fileExt(f)
		if !textExts[ext] && ext != ".jsonl" && ext != ".jsonl.gz" {
			return nil
		}
		if msg := notRegular(f, d); msg != nil && bad != nil {
			bad(&LineError{File: f, Err: msg})
			return nil
		}
		rel, err := filepath.Rel(p, f)
		if err != nil {
			return err
		}
		var fnErr error
		err = loadFile(f, filepath.ToSlash(strings.TrimSuffix(rel, ext)), func(d Document) error {
			fnErr = fn(d)
			return fnErr
		}, bad)
		if err == nil || fnErr != nil || bad == nil {
			return err
		}
		bad(&LineError{File: f, Err: unreadable(err, f, d)})
		return nil
	})
}

// notRegular says why a file of a folder, or what a link points to, is not a file to read, or returns
// nil: reading a named pipe waits for a writer for ever, and a device (/dev/zero) never ends.
func notRegular(f string, d fs.DirEntry) error {
	mode := d.Type()
	if mode&fs.ModeSymlink != 0 {
		info, err := os.Stat(f)
		if err != nil {
			return unreadable(err, f, d)
		}
		mode = info.Mode().Type()
	}
	switch {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		return errors.New("cannot be read: a link to a folder")
	}
	return errors.New("cannot be read: not a regular file (a named pipe, a device or a socket)")
}

// unreadable says why a file of a folder was skipped, naming the cause rather than the system call
// ("open …: no such file or directory" would name the file twice, and a broken link is not missing).
func unreadable(err error, f string, d fs.DirEntry) error {
	var pathErr *fs.PathError
	switch {
	case d != nil && d.Type()&fs.ModeSymlink != 0 && errors.Is(err, fs.ErrNotExist):
		return errors.New("cannot be read: a link to a file that does not exist")
	case errors.As(err, &pathErr):
		return fmt.Errorf("cannot be read: %w", pathErr.Err)
	}
	return fileProblem(err, f)
}

func fileExt(p string) string {
	if strings.HasSuffix(p, ".jsonl.gz") {
		return ".jsonl.gz"
	}
	return filepath.Ext(p)
}

func loadFile(p, id string, fn func(Document) error, bad func(*LineError)) error {
	switch ext := fileExt(p); {
	case ext == ".jsonl" || ext == ".jsonl.gz":
		return loadJSONL(p, fn, bad)
	case textExts[ext]:
		if msg := IDProblem(NormalizeID(id)); msg != "" {
			// The API could not read, link to or delete the document (a file "a#1.txt", "..txt").
			return fmt.Errorf("%s: the document id %q, taken from the file's name, %s", p, id, msg)
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		raw = bytes.TrimPrefix(fromUTF16(raw), utf8BOM)
		if isBinary(raw) {
			return fmt.Errorf("%s: %w", p, errNotText)
		}
		var doc Document
		if ext == ".html" || ext == ".htm" {
			// A page may say its encoding (<meta charset>), which the parser does not read: left as it is.
			if doc, err = ParseHTML(id, raw); err != nil {
				return fmt.Errorf("%s: %w: %w", p, errBadHTML, err)
			}
		} else {
			if line, col, bad := badUTF8(raw); bad {
				// Read as it is, each bad byte would be U+FFFD in the text; a PUT of it is refused.
				return fmt.Errorf("%s: not valid UTF-8 (line %d, byte %d): save the file as UTF-8", p, line, col)
			}
			doc = Parse(id, string(raw))
		}
		switch {
		case doc.Text == "":
			// As a JSONL line without "text": a document with no passages and no title is no use.
			return fmt.Errorf("%s: %w", p, errNoText)
		case len(doc.Text) > maxDocument:
			return fmt.Errorf("%s: its text is longer than %s, the most one document may take (as the body of a PUT)", p, sizeName(maxDocument))
		}
		return fn(doc)
	default:
		return fmt.Errorf("%s: unsupported file type %q (want .txt, .md, .html, .jsonl or .jsonl.gz)", p, ext)
	}
}

// fileProblem is err without the file name it starts with, which LineError adds.
func fileProblem(err error, file string) error {
	if msg, ok := strings.CutPrefix(err.Error(), file+": "); ok {
		return errors.New(msg)
	}
	return err
}

// fromUTF16 decodes text that starts with a UTF-16 byte order mark, as Windows Notepad saves "Unicode"
// text; anything else is returned as it is. Without it such a file is all NUL bytes between letters.
func fromUTF16(b []byte) []byte {
	if len(b) < 2 || !(b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF) {
		return b
	}
	out, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(b)
	if err != nil {
		return b
	}
	return out
}

// isBinary reports data that holds NUL bytes in its first kilobytes, as binary files do.
func isBinary(b []byte) bool {
	return strings.IndexByte(string(b[:min(len(b), 8000)]), 0) >= 0
}

// jsonDoc is one line of a JSONL corpus, as in API.md.
type jsonDoc struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Text   string   `json:"text"`
	Date   string   `json:"date"`
	Source string   `json:"source"`
	Bodies []string `json:"bodies"`
}

// dateFormat is the shape of a date: digits only, where time.Parse would also take a sign or spaces.
var dateFormat = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// ValidDate reports whether s is a date of the calendar written YYYY, YYYY-MM or YYYY-MM-DD, as a
// document's date and the search filters take it: 2023-02-29 and 2023-04-31 are not.
func ValidDate(s string) bool {
	if !dateFormat.MatchString(s) {
		return false
	}
	layout := "2006-01-02"[:len(s)]
	_, err := time.Parse(layout, s)
	return err == nil
}

// NormalizeID is the form of a document id as it is stored: NFC, so that an id typed or named in
// decomposed Unicode (file names on macOS) is the same document as the precomposed one. Bytes that
// are not UTF-8 are kept as they are.
func NormalizeID(id string) string { return norm.NFC.String(id) }

// ParseJSON reads one document in the JSONL format; id and text are required.
func ParseJSON(line []byte) (Document, error) {
	if _, col, bad := badUTF8(line); bad {
		// encoding/json would quietly turn the bad bytes into U+FFFD; a PUT of them is refused.
		return Document{}, fmt.Errorf("not valid UTF-8 (byte %d of the line): save the file as UTF-8", col)
	}
	var j jsonDoc
	if err := json.Unmarshal(line, &j); err != nil {
		return Document{}, jsonProblem(err)
	}
	return FromJSON(j.ID, j.Title, j.Text, j.Date, j.Source, j.Bodies)
}

// jsonProblem says what is wrong with a document's JSON in the terms of the format: encoding/json's
// type errors name Go types ("Go struct field jsonDoc.text of type string"), which mean nothing to
// whoever wrote the line or the request.
func jsonProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return fmt.Errorf("invalid JSON: a document is one JSON object, not %s", article(typeErr.Value))
	case errors.As(err, &typeErr):
		field, _, _ := strings.Cut(typeErr.Field, ".")
		want := "a string"
		if field == "bodies" {
			want = "a list of strings"
		}
		return fmt.Errorf("invalid JSON: %q must be %s, not %s", field, want, article(typeErr.Value))
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("invalid JSON at byte %d: %s", syntaxErr.Offset, syntaxErr.Error())
	}
	return fmt.Errorf("invalid JSON: %s", err.Error())
}

// ordinal writes n as "1st", "2nd", "3rd", "11th", "22nd".
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// article puts "a" or "an" before a JSON kind: "an array", "a number".
func article(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// FromJSON checks and cleans the fields of a JSON document. Missing fields (date, title) are read
// from the text where possible.
func FromJSON(id, title, text, date, source string, bodies []string) (Document, error) {
	id = NormalizeID(strings.TrimSpace(id))
	switch {
	case id == "":
		return Document{}, errors.New(`"id" is required`)
	case IDProblem(id) != "":
		// As the API's: a document it could not read, link to or delete is no use.
		return Document{}, fmt.Errorf(`"id" %s, got %q`, IDProblem(id), id)
	case strings.TrimSpace(text) == "":
		return Document{}, errors.New(`"text" is required`)
	case date != "" && !ValidDate(date):
		return Document{}, fmt.Errorf(`"date" must be a date of the calendar written YYYY, YYYY-MM or YYYY-MM-DD, got %q`, date)
	case utf8.RuneCountInString(source) > MaxSourceChars:
		return Document{}, fmt.Errorf(`"source" must be at most %d characters, got %d`, MaxSourceChars, utf8.RuneCountInString(source))
	case len(bodies) > MaxBodies:
		return Document{}, fmt.Errorf(`"bodies" must hold at most %d names, got %d`, MaxBodies, len(bodies))
	}
	for i, b := range bodies {
		if n := utf8.RuneCountInString(strings.TrimSpace(b)); n > MaxBodyChars {
			return Document{}, fmt.Errorf(`"bodies": a name must be at most %d characters, the %s has %d`, MaxBodyChars, ordinal(i+1), n)
		}
	}
	// Structured input: its text is the document, with no site boilerplate to remove.
	doc := parse(id, text, false, strings.TrimSpace(analyzer.Sanitize(title)))
	if date != "" {
		doc.Date = date
	}
	if source != "" {
		doc.Source = analyzer.Sanitize(source)
	}
	seen := make(map[string]bool, len(bodies))
	for _, b := range bodies {
		if b = strings.TrimSpace(analyzer.Sanitize(b)); b != "" {
			if c, ok := CanonicalBody(b); ok {
				b = c
			}
			if !seen[b] {
				seen[b] = true
				doc.Given = append(doc.Given, b)
			}
		}
	}
	doc.Bodies = slices.Clone(doc.Given)
	return doc, nil
}

// jsonBlock is a run of lines of a JSONL file, parsed by one worker.
type jsonBlock struct {
	lines []int // line numbers
	raw   [][]byte
	docs  []Document
	errs  []error       // set by the reader for a line it could not read, by the worker for one it could not parse
	ready chan struct{} // closed once parsed
}

// Lines per block, and bytes: a block is parsed by one worker.
const (
	blockLines = 64
	blockBytes = 1 << 20
)

// loadJSONL parses the lines of a JSONL file on every core while one goroutine reads them, and
// passes the documents and bad lines to fn and bad in the order of the file. A line longer than a
// document may be is a bad line, and the lines after it are read; a file that cannot be read to its
// end (a .jsonl.gz cut short) gives its lines up to there, and then a bad line saying where it stops.
func loadJSONL(p string, fn func(Document) error, bad func(*LineError)) error {
	r, closeFile, err := openJSONL(p)
	if err != nil {
		return err
	}
	defer closeFile()
	workers := runtime.GOMAXPROCS(0)
	var (
		work     = make(chan *jsonBlock, 4*workers)
		order    = make(chan *jsonBlock, 4*workers)
		stop     = make(chan struct{}) // closed when fn fails: the reader stops
		readErr  error                 // where the file stopped being readable, when bad is nil
		scanDone = make(chan struct{})
	)
	for range workers {
		go func() {
			for b := range work {
				b.docs = make([]Document, len(b.raw))
				for i, line := range b.raw {
					if b.errs[i] == nil {
						b.docs[i], b.errs[i] = ParseJSON(line)
					}
				}
				close(b.ready)
			}
		}()
	}
	go func() {
		defer close(scanDone)
		defer close(work)
		defer close(order)
		b, size := &jsonBlock{ready: make(chan struct{})}, 0
		submit := func() bool {
			// Order first: the consumer waits for a block only once it is on its way to a worker.
			select {
			case order <- b:
			case <-stop:
				return false
			}
			work <- b
			b, size = &jsonBlock{ready: make(chan struct{})}, 0
			return true
		}
		lr := newLineReader(r, maxDocument)
		for {
			line, err := lr.next()
			var lineErr error
			switch {
			case err == io.EOF:
			case errors.Is(err, errLongLine):
				lineErr = fmt.Errorf("the line is longer than %s, the most one document may take (as the body of a PUT)", sizeName(maxDocument))
			case err != nil:
				lineErr = fmt.Errorf("%w; the lines before it are read", readProblem(err))
				if bad == nil {
					readErr, lineErr = &LineError{File: p, Line: lr.n, Err: lineErr}, nil
				}
			case len(bytes.TrimSpace(line)) == 0:
				continue
			}
			if lineErr != nil {
				b.lines, b.raw, b.errs = append(b.lines, lr.n), append(b.raw, nil), append(b.errs, lineErr)
			} else if err == nil {
				b.lines, b.raw, b.errs = append(b.lines, lr.n), append(b.raw, bytes.Clone(line)), append(b.errs, nil)
				size += len(line)
			}
			if err != nil && !errors.Is(err, errLongLine) {
				break // the end, or the reader cannot go on
			}
			if len(b.lines) >= blockLines || size >= blockBytes {
				if !submit() {
					return
				}
			}
		}
		// The lines read before the end, or before the spot the file could not be read past.
		if len(b.lines) > 0 {
			submit()
		}
	}()
	var fnErr error
	for b := range order {
		<-b.ready
		for i, doc := range b.docs {
			if fnErr != nil {
				break
			}
			if err := b.errs[i]; err != nil {
				if bad != nil {
					bad(&LineError{File: p, Line: b.lines[i], Err: err})
				}
				continue
			}
			if fnErr = fn(doc); fnErr != nil {
				close(stop)
			}
		}
	}
	<-scanDone
	if fnErr != nil {
		return fnErr
	}
	return readErr
}

// openJSONL opens a JSON Lines file, gunzipped when its name ends in .gz.
func openJSONL(p string) (io.Reader, func(), error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	if !strings.HasSuffix(p, ".gz") {
		return f, func() { f.Close() }, nil
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", p, err)
	}
	return gz, func() { gz.Close(); f.Close() }, nil
}

// errLongLine is a line longer than the reader takes.
var errLongLine = errors.New("the line is too long")

// lineReader reads a file a line at a time, as bufio.Scanner does, except that a line longer than max
// bytes is passed over (read to its end, not kept) and reported, and the lines after it are still
// read: bufio.Scanner stops at it for good.
type lineReader struct {
	r   *bufio.Reader
	max int
	n   int // the number of the line last read, from 1
	buf []byte
	err error // the error that ended the file, returned from then on
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line without its end ("\n" or "\r\n"), and io.EOF after the last. A line over
// max bytes is errLongLine; an error of the reader is returned as it is, the part of the line read
// before it being dropped (it is cut), and ends the file. n is then the number of the line.
func (lr *lineReader) next() ([]byte, error) {
	if lr.err != nil {
		return nil, lr.err
	}
	lr.n++
	lr.buf = lr.buf[:0]
	long := false
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if !long {
			lr.buf = append(lr.buf, chunk...)
			if len(lr.buf) > lr.max+len("\r\n") {
				long, lr.buf = true, lr.buf[:0]
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == nil || err == io.EOF && (long || len(lr.buf) > 0):
			lr.err = err // io.EOF: this was the last line, without an end of line
			line := bytes.TrimSuffix(bytes.TrimSuffix(lr.buf, []byte("\n")), []byte("\r"))
			if long || len(line) > lr.max {
				return nil, errLongLine
			}
			if lr.n == 1 {
				line = bytes.TrimPrefix(line, utf8BOM) // as in text files: JSON does not allow it
			}
			return line, nil
		default:
			lr.err = err
			return nil, err
		}
	}
}

// readProblem says why a file could not be read to its end.
func readProblem(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		// A .jsonl.gz cut short (a download or a copy that did not finish).
		return errors.New("the file ends unexpectedly (unexpected EOF) in this line")
	}
	return fmt.Errorf("the rest of the file cannot be read from this line: %w", err)
}

// ScanJSONL calls fn with each non-blank line of a JSON Lines file (gunzipped when its name ends in
// .gz) and its line number, stopping at fn's first error. A line over maxLine bytes, or a file that
// cannot be read to its end, is an error (a *LineError) naming the file and the line.
func ScanJSONL(p string, maxLine int, fn func(n int, line []byte) error) error {
	r, closeFile, err := openJSONL(p)
	if err != nil {
		return err
	}
	defer closeFile()
	lr := newLineReader(r, maxLine)
	for {
		line, err := lr.next()
		switch {
		case err == io.EOF:
			return nil
		case errors.Is(err, errLongLine):
			return &LineError{File: p, Line: lr.n, Err: fmt.Errorf("the line is longer than %s", sizeName(maxLine))}
		case err != nil:
			return &LineError{File: p, Line: lr.n, Err: readProblem(err)}
		case len(bytes.TrimSpace(line)) == 0:
			continue
		}
		if err := fn(lr.n, line); err != nil {
			return err
		}
	}
}

// badUTF8 finds the first byte of b that is not UTF-8: its line (from 1) and its byte in the line
// (from 1); ok is false when there is none.
func badUTF8(b []byte) (line, col int, ok bool) {
	if utf8.Valid(b) {
		return 0, 0, false
	}
	at := 0
	for at < len(b) {
		r, size := utf8.DecodeRune(b[at:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		at += size
	}
	return 1 + bytes.Count(b[:at], []byte("\n")), at - bytes.LastIndexByte(b[:at], '\n'), true
}
