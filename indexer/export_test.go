package indexer

import (
	"context"
	"errors"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/seeds"
)

// ReadDocuments gives back every stored document as it was indexed, so that indexing them again
// makes the same passages (texts, offsets and tags), on one index and on shards, and on an index of
// another version.
func TestReadDocumentsGivesBackWhatWasIndexed(t *testing.T) {
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	given, err := corpus.FromJSON("cv-given", "Hướng dẫn", "Đề nghị các đơn vị phối hợp triển khai.\n\nBộ Công an hướng dẫn cấp tài khoản định danh điện tử.",
		"2026-05", "https://example.gov.vn/cv", []string{"Bộ Tư pháp"})
	require.NoError(t, err)
	docs = append(docs, given)
	want := map[string]corpus.Document{}
	for _, d := range docs {
		want[d.ID] = d
	}

	for _, shards := range []int{1, 3} {
		t.Run(map[int]string{1: "one index", 3: "three shards"}[shards], func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			idx, err := Create(dir)
			if shards > 1 {
				idx, err = CreateSharded(dir, shards)
			}
			require.NoError(t, err)
			_, err = Add(context.Background(), idx, docs, nil)
			require.NoError(t, err)
			require.NoError(t, idx.SetInternal([]byte(versionKey), []byte("0")), "an index this build refuses")
			require.NoError(t, idx.Close())

			var got []corpus.Document
			n, err := ReadDocuments(context.Background(), dir, func(d corpus.Document) error {
				got = append(got, d)
				return nil
			})
			require.NoError(t, err)
			assert.Equal(t, len(docs), n)
			require.Len(t, got, len(docs))
			sort.Slice(got, func(i, j int) bool { return got[i].ID < got[j].ID })
			for _, d := range got {
				w := want[d.ID]
				assert.Equal(t, w.Text, d.Text, d.ID)
				assert.Equal(t, w.Title, d.Title, d.ID)
				assert.Equal(t, w.Date, d.Date, d.ID)
				assert.Equal(t, w.Source, d.Source, d.ID)
				assert.Equal(t, corpus.Split(w), corpus.Split(d), "%s: the same passages, tags included", d.ID)
			}
		})
	}
}

// An error of fn stops the reading and is returned; a folder with no index is an error.
func TestReadDocumentsStops(t *testing.T) {
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Create(dir)
	require.NoError(t, err)
	_, err = Add(context.Background(), idx, docs, nil)
	require.NoError(t, err)
	require.NoError(t, idx.Close())

	enough := errors.New("enough")
	calls := 0
	_, err = ReadDocuments(context.Background(), dir, func(corpus.Document) error {
		calls++
		return enough
	})
	require.ErrorIs(t, err, enough)
	assert.Equal(t, 1, calls)

	_, err = ReadDocuments(context.Background(), filepath.Join(t.TempDir(), "none"), func(corpus.Document) error { return nil })
	require.Error(t, err)
}
