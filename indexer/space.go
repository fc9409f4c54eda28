package indexer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrNoSpace is returned before a write starts when the disk of the index has too little free space
// for it. Refusing early matters: bleve's segment writers and merger do not survive a disk that fills
// half way (seen: a panic in zapx's goroutines that took the server down, a merge rewriting the same
// segment forever), while an index left untouched keeps answering searches.
var ErrNoSpace = errors.New("not enough free disk space")

// MinFreeBytes is the free space every write keeps in hand, whatever its size: a write of a few bytes
// still persists a segment and a snapshot (4 KB for a short document, measured), and the
// background merger may rewrite the small segments beside it.
const MinFreeBytes = 64 << 20

// writeFactor bounds the disk a write needs per byte of its input. Measured (du of the index folder
// every 0.5 s): building viquad2-dev from 50.3 MB of JSONL peaked at 406 MB (8.1x), during the final
// merge, and ended at 213 MB (4.2x). A PUT of long.json (625 KB, 780 passages) added 2.5 MB (4x) to
// the seeds' index, a short one 4 KB; past a few segments bleve merges them in the background, which
// needs their size again for a moment: MinFreeBytes is there for that.
const writeFactor = 10

// DeleteNeeds is the free space a delete needs: a segment of deletions and a snapshot, a few KB. It
// is far below MinFreeBytes so that deleting documents, the way to make room, still works on a disk
// that refuses new ones.
const DeleteNeeds = 1 << 20

// WriteNeeds returns the free space a write of input bytes of documents needs.
func WriteNeeds(input int64) uint64 {
	return max(MinFreeBytes, writeFactor*uint64(max(input, 0)))
}

// FreeBytes returns the space available to an unprivileged writer on the filesystem of path (the
// nearest existing folder above it when it does not exist yet). A variable, so tests can fake a
// full disk.
var FreeBytes = func(path string) (uint64, error) {
	path = existingAncestor(path)
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, fmt.Errorf("free space of %s: %w", path, err)
	}
	return st.Bavail * uint64(st.Bsize), nil
}

// existingAncestor returns path, or its nearest folder that exists.
func existingAncestor(path string) string {
	path = filepath.Clean(path)
	for {
		if _, err := os.Stat(path); err == nil {
			return path
		}
		parent := filepath.Dir(path)
		if parent == path {
			return path
		}
		path = parent
	}
}

// CheckSpace returns an error wrapping ErrNoSpace when the filesystem of dir has less than need bytes
// free; what says what the space is for ("adding this document"). A failure to read the free space
// is not an error: the write then goes on as it did before this check existed.
func CheckSpace(dir string, need uint64, what string) error {
	free, err := FreeBytes(dir)
	if err != nil || free >= need {
		return nil
	}
	return fmt.Errorf("%w for the index at %s: %s needs about %s free on its disk, %s are; free some space and try again",
		ErrNoSpace, filepath.Clean(dir), what, MB(need), MB(free))
}

// MB writes a size in megabytes (kilobytes under one), as people read df.
func MB(n uint64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", (n+1023)>>10)
	}
	if n < 10<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d MB", n>>20)
}

// SegmentBytes returns the total size of the segment files of the index at dir (of all its shards).
func SegmentBytes(dir string) uint64 {
	var total uint64
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".zap") {
			if info, err := d.Info(); err == nil {
				total += uint64(info.Size())
			}
		}
		return nil
	})
	return total
}

// MergeNeeds returns the free space merging segments of segmentBytes into one needs: the merged
// segment is written whole before the ones it replaces are deleted, and is at most their size (it
// drops replaced documents; measured on a 200 MB tmpfs, vq15k: 4 segments of 90 MB → one of 68 MB),
// plus room for the snapshot.
func MergeNeeds(segmentBytes uint64) uint64 {
	return segmentBytes + 16<<20
}
