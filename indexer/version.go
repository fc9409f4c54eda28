package indexer

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"github.com/tracuu/tracuu/analyzer"
)

// analyzerKey holds the analyzer's fingerprint in an index: the mapping version says the fields are
// laid out as this build expects, the fingerprint that their terms were made by this analyzer.
const analyzerKey = "tracuu.analyzer"

// stampVersions records the mapping version and the analyzer fingerprint an index is built with.
func stampVersions(idx bleve.Index) error {
	if err := idx.SetInternal([]byte(versionKey), []byte(MappingVersion)); err != nil {
		return err
	}
	return idx.SetInternal([]byte(analyzerKey), []byte(analyzer.Fingerprint()))
}

// checkVersions returns an error wrapping ErrVersion when the index at dir was built with another
// mapping version or analyzer.
func checkVersions(idx bleve.Index, dir string) error {
	v, err := idx.GetInternal([]byte(versionKey))
	if err != nil || string(v) != MappingVersion {
		return fmt.Errorf("open index %q: %w (mapping version %q, this build has %q): %s", dir, ErrVersion, v, MappingVersion, rebuildHint(dir))
	}
	a, err := idx.GetInternal([]byte(analyzerKey))
	if err != nil || string(a) != analyzer.Fingerprint() {
		return fmt.Errorf("open index %q: %w (analyzer %q, this build has %q): %s", dir, ErrVersion, a, analyzer.Fingerprint(), rebuildHint(dir))
	}
	return nil
}

// rebuildHint says how to rebuild an index of another version without losing what it holds.
func rebuildHint(dir string) string {
	return fmt.Sprintf("'tracuu index -index %s PATH...' or 'tracuu serve -index %s' rebuilds it from the documents it holds", dir, dir)
}
