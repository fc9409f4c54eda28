package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tracuu/tracuu/indexer"
)

// inputBytes estimates the bytes of text the PATHs hold: the size of each file (a .gz one's
// uncompressed size, from its trailer), of each file under a folder. What cannot be read counts 0:
// the loader reports it.
func inputBytes(paths []string) int64 {
	var total int64
	for _, p := range paths {
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			total += fileBytes(path)
			return nil
		})
	}
	return total
}

// fileBytes is the size of the file at path, uncompressed for a .gz file.
func fileBytes(path string) int64 {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return 0
	}
	if !strings.HasSuffix(path, ".gz") || st.Size() < 18 {
		return st.Size()
	}
	// A gzip member ends with its uncompressed size modulo 4 GB (RFC 1952): enough for an estimate,
	// and never less than the compressed size.
	f, err := os.Open(path)
	if err != nil {
		return st.Size()
	}
	defer f.Close()
	var trailer [4]byte
	if _, err := f.ReadAt(trailer[:], st.Size()-4); err != nil && err != io.EOF {
		return st.Size()
	}
	return max(st.Size(), int64(binary.LittleEndian.Uint32(trailer[:])))
}

// checkBuildSpace refuses to start a build or an update of the index at dir from input bytes of
// documents when its disk has too little room for it.
func checkBuildSpace(dir string, input int64) error {
	return indexer.CheckSpace(dir, indexer.WriteNeeds(input), fmt.Sprintf("indexing %s of documents", indexer.MB(uint64(input))))
}

// warnTo returns a warn function writing a line to stderr, for indexer.FinishWarn.
func warnTo(stderr io.Writer) func(string) {
	return func(msg string) { fmt.Fprintf(stderr, "warning: %s\n", msg) }
}
