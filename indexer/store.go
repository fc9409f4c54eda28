package indexer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Errors of opening an on-disk index that callers (and people) act on differently.
var (
	// ErrLocked: another process has the index open for writing.
	ErrLocked = errors.New("another process has the index open for writing")
	// ErrDamaged: the files are unreadable (truncated, overwritten or missing) and the index must be
	// rebuilt.
	ErrDamaged = errors.New("index is damaged")
)

// lockWait is how long opening waits for another process's lock before giving up: bolt waits
// forever by default.
const lockWait = 2 * time.Second

// openStore opens the bleve index at dir, turning bleve's errors (and panics: a truncated segment can
// make its decoder index out of range) into ones that name the cause and the remedy. name is the index
// as its user names it: dir itself, or, for a shard, the sharded index's folder (a shard is never
// rebuilt alone: its documents would be found twice).
func openStore(dir, name string, readOnly bool) (idx bleve.Index, err error) {
	inShard := func(err error) error {
		if dir == name {
			return err
		}
		return fmt.Errorf("its shard %s: %w", filepath.Base(dir), err)
	}
	defer func() {
		if r := recover(); r != nil {
			idx, err = nil, damaged(name, inShard(fmt.Errorf("%v", r)))
		}
	}()
	err = checkNewestSnapshot(dir, lockWait)
	if err == nil {
		idx, err = bleve.OpenUsing(dir, map[string]any{"bolt_timeout": lockWait.String(), "read_only": readOnly})
	}
	switch {
	case err == nil:
		return idx, nil
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("open index %q: %w (waited %s): is another tracuu process (serve or index) using it? Stop it first, or search a copy",
			name, ErrLocked, lockWait)
	case errors.Is(err, os.ErrPermission) || transient(err):
		// The machine's trouble, not the index's: rebuilding would not help, and must not be offered.
		return nil, fmt.Errorf("open index %q: %w", name, inShard(err))
	default:
		return nil, damaged(name, inShard(err))
	}
}

// transient reports a system error that says nothing of the index's files: too many open files, no
// memory, a full or read-only disk.
func transient(err error) bool {
	for _, e := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOMEM, syscall.ENOSPC, syscall.EROFS, syscall.EAGAIN, syscall.EINTR} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// damaged explains an unreadable index and how to rebuild it.
func damaged(dir string, cause error) error {
	return fmt.Errorf("open index %q: %w (%v): move it away and build it again with 'tracuu index -index %s PATH...'",
		dir, ErrDamaged, cause, filepath.Clean(dir))
}

// Busy reports whether a process has the index at dir (or one of its shards) open for writing, as
// a build in progress does: a second build into the same folder would delete its files.
func Busy(dir string) bool {
	bolts, _ := filepath.Glob(filepath.Join(dir, "store", "root.bolt"))
	shards, _ := filepath.Glob(filepath.Join(dir, "shard-*", "store", "root.bolt"))
	for _, path := range append(bolts, shards...) {
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: busyWait})
		if errors.Is(err, bolterrors.ErrTimeout) {
			return true
		}
		if err == nil {
			db.Close()
		}
	}
	return false
}

// busyWait is how long Busy waits for a lock: a writer holds it for the whole build.
const busyWait = 200 * time.Millisecond

// Snapshot opens a reader of idx's current snapshot (term statistics, dictionaries, segments); the
// caller closes it.
func Snapshot(idx bleve.Index) (index.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("open index reader: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("open index reader: %w", err)
	}
	return r, nil
}
