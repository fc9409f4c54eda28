package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// buildFile marks an index whose last build or update has not finished (killed, crashed, out of
// disk). It is a plain file beside the index, not a bleve internal key, so that it can be read even
// when the index cannot be opened.
const buildFile = "tracuu-build.json"

// BuildMarker says what the unfinished build was doing.
type BuildMarker struct {
	Started time.Time `json:"started"`
	Fresh   bool      `json:"fresh"` // the folder held no index before: rebuilding loses nothing
	Sources []string  `json:"sources"`
	Shards  int       `json:"shards,omitempty"` // of a fresh build, to build again the same way
}

// Interrupted returns the marker of an unfinished build of the index at dir, if there is one.
func Interrupted(dir string) (BuildMarker, bool) {
	raw, err := os.ReadFile(filepath.Join(dir, buildFile))
	if err != nil {
		return BuildMarker{}, false
	}
	var m BuildMarker
	if json.Unmarshal(raw, &m) != nil {
		// A marker is written whole (rename) or not at all; an unreadable one still means unfinished.
		return BuildMarker{}, true
	}
	return m, true
}

// BuildStart says how Begin found the index.
type BuildStart int

// How Begin found the index at dir.
const (
	Created  BuildStart = iota // there was none
	Updating                   // a finished index, to be updated
	Resuming                   // an unfinished build or update, opened and continued
	Rebuilt                    // an unfinished first build of the same sources that could not be opened: started over
)

// Begin opens the index at dir for a build or update from sources (creating it with shards shards
// when shards > 1 and there is none), and marks it unfinished until End. Running the same build again
// after it was killed continues it: documents are replaced by id, so nothing is lost or duplicated.
// If the killed run was the first build of the same sources and left files that cannot be opened, the
// folder is removed and built again; any other unreadable index is an error, since the sources at hand
// may not be all it held.
func Begin(dir string, shards int, sources []string) (bleve.Index, BuildStart, error) {
	sources = absolute(sources)
	marker, unfinished := Interrupted(dir)
	restartable := unfinished && marker.Fresh && slices.Equal(marker.Sources, sources)
	if restartable && shards == 0 {
		shards = marker.Shards
	}
	if !hasIndex(dir) {
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 && !restartable {
			if Busy(dir) {
				// Another build created it a moment ago and has not yet written what marks an index.
				return nil, 0, fmt.Errorf("create index %q: %w: another tracuu process is building it; wait for it to finish", dir, ErrLocked)
			}
			return nil, 0, fmt.Errorf("create index %q: the folder is not empty and holds no tracuu index: choose another -index or empty it", dir)
		}
		idx, err := create(dir, shards, sources, restartable)
		if err != nil {
			return nil, 0, err
		}
		if unfinished {
			return idx, Rebuilt, nil
		}
		return idx, Created, nil
	}
	idx, err := Open(dir)
	if err != nil {
		// Only an unreadable or outdated first build of the same sources is started over: any other
		// error (a lock, permissions, a full disk) is not the files' fault.
		if !restartable || !(errors.Is(err, ErrDamaged) || errors.Is(err, ErrVersion)) {
			return nil, 0, err
		}
		idx, err := create(dir, shards, sources, true)
		return idx, Rebuilt, err
	}
	have := 1
	if sh, ok := idx.(*Sharded); ok {
		have = len(sh.shards)
	}
	if shards > 0 && max(shards, 1) != have {
		idx.Close()
		return nil, 0, fmt.Errorf("index %q has %d shard(s), not %d: leave out -shards to update it, or build a new one elsewhere", dir, have, shards)
	}
	// Still the first build when restartable: a rerun may start over if this one dies too.
	if err := writeMarker(dir, BuildMarker{Started: time.Now().UTC(), Fresh: restartable, Sources: sources, Shards: have}); err != nil {
		idx.Close()
		return nil, 0, err
	}
	if unfinished {
		return idx, Resuming, nil
	}
	return idx, Updating, nil
}

// End removes the unfinished-build marker of the index at dir: call it once the build is complete and
// the index closed (after Finish).
func End(dir string) error {
	if err := os.Remove(filepath.Join(dir, buildFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("mark index %q finished: %w", dir, err)
	}
	return syncDir(dir)
}

// create makes a fresh index at dir, removing what is there first when wipe (an unfinished first
// build that cannot be continued).
func create(dir string, shards int, sources []string, wipe bool) (bleve.Index, error) {
	if wipe {
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("remove unfinished index %q: %w", dir, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index %q: %w", dir, err)
	}
	// The marker goes first: a kill at any later point leaves a folder a rerun knows it may rebuild.
	if err := writeMarker(dir, BuildMarker{Started: time.Now().UTC(), Fresh: true, Sources: sources, Shards: shards}); err != nil {
		return nil, err
	}
	if shards > 1 {
		return CreateSharded(dir, shards)
	}
	return Create(dir)
}

// hasIndex reports whether dir holds the start of an index (plain or sharded).
func hasIndex(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "index_meta.json"))
	return err == nil || IsSharded(dir)
}

func writeMarker(dir string, m BuildMarker) error {
	raw, _ := json.Marshal(m)
	if err := writeFileSync(filepath.Join(dir, buildFile), raw); err != nil {
		return fmt.Errorf("mark index %q unfinished: %w", dir, err)
	}
	return syncDir(dir)
}

// syncDir makes a file's creation, rename or removal in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func absolute(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		if a, err := filepath.Abs(p); err == nil {
			p = a
		}
		out[i] = p
	}
	return out
}
