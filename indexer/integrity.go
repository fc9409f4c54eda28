package indexer

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2/util"
	zap "github.com/blevesearch/zapx/v17"
	bolt "go.etcd.io/bbolt"
)

// checkNewestSnapshot opens each segment file the newest snapshot of the index at dir lists, and
// returns the first that cannot be. bleve itself would skip such a snapshot ("unable to load
// snapshot … continuing"), open the index as it was at an older one, or empty, and later delete the
// newer one's files: the documents written since would be gone without a word. Snapshots of a
// segment format other than the one tracuu writes are left to bleve.
func checkNewestSnapshot(dir string, lockWait time.Duration) error {
	path := filepath.Join(dir, "store", "root.bolt")
	if _, err := os.Stat(path); err != nil {
		return nil // no snapshot yet, or bleve says what is missing
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: lockWait})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		snapshots := tx.Bucket(util.BoltSnapshotsBucket)
		if snapshots == nil {
			return nil
		}
		c := snapshots.Cursor()
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			snapshot := snapshots.Bucket(k)
			if snapshot == nil {
				continue
			}
			meta := snapshot.Bucket(util.BoltMetaDataKey)
			if meta == nil {
				continue // not a snapshot
			}
			version := meta.Get(util.BoltMetaDataSegmentVersionKey)
			if string(meta.Get(util.BoltMetaDataSegmentTypeKey)) != zap.Type || len(version) < 4 ||
				binary.BigEndian.Uint32(version) != zap.Version {
				return nil
			}
			return checkSegmentFiles(dir, snapshot)
		}
		return nil
	})
}

// checkSegmentFiles opens and closes each segment a snapshot lists, as bleve's loading does.
func checkSegmentFiles(dir string, snapshot *bolt.Bucket) error {
	var plugin zap.ZapPlugin
	return snapshot.ForEachBucket(func(k []byte) error {
		if k[0] == util.BoltInternalKey[0] || k[0] == util.BoltMetaDataKey[0] {
			return nil // as bleve's loadSnapshot tells them apart
		}
		name := snapshot.Bucket(k).Get(util.BoltPathKey)
		if name == nil {
			return fmt.Errorf("a segment of the newest snapshot has no file name")
		}
		seg, err := plugin.Open(filepath.Join(dir, "store", string(name)))
		if err != nil {
			return fmt.Errorf("segment %s: %w", name, err)
		}
		return seg.Close()
	})
}
