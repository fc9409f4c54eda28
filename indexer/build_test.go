package indexer

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/seeds"
)

// streamOfSeeds makes n documents of a few passages each from the seeds' paragraphs, enough for
// several batches.
func streamOfSeeds(t *testing.T, n int) []corpus.Document {
	t.Helper()
	seedDocs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	var paras []string
	for _, d := range seedDocs {
		paras = append(paras, strings.Split(d.Text, "\n\n")...)
	}
	docs := make([]corpus.Document, n)
	for i := range docs {
		text := strings.Join([]string{paras[i%len(paras)], paras[(i*7+3)%len(paras)], paras[(i*13+5)%len(paras)]}, "\n\n")
		docs[i] = corpus.Parse(fmt.Sprintf("vb-%04d", i), text)
	}
	return docs
}

// A Builder streams documents through batches in flight with no barrier: a repeated id still ends as
// its later version (in the same batch, in a batch in flight, or in one done), with no passage of the
// earlier left, on a fresh index, a sharded one, and when updating one.
func TestBuilderLaterVersionWins(t *testing.T) {
	docs := streamOfSeeds(t, 1500)
	short := func(id string) corpus.Document { return corpus.Parse(id, "Văn bản mới thay thế bản cũ.") }
	stream := append([]corpus.Document{}, docs...)
	stream = append(stream[:900:900], short("vb-0899"), short("vb-0010")) // same batch; a batch done
	stream = append(stream, docs[900:1300]...)
	stream = append(stream, short("vb-1250")) // likely a batch in flight
	stream = append(stream, docs[1300:]...)
	final := map[string]corpus.Document{}
	for _, d := range stream {
		final[d.ID] = d
	}
	wantPassages := 0
	for _, d := range final {
		wantPassages += len(corpus.Split(d))
	}

	memory := func(t *testing.T) bleve.Index {
		idx, err := NewMemory()
		require.NoError(t, err)
		return idx
	}
	sharded := func(t *testing.T) bleve.Index {
		idx, err := CreateSharded(filepath.Join(t.TempDir(), "idx"), 3)
		require.NoError(t, err)
		return idx
	}
	for _, tt := range []struct {
		name   string
		open   func(t *testing.T) bleve.Index
		before []corpus.Document // indexed first: the stream updates them
	}{
		{"fresh", memory, nil},
		{"sharded", sharded, nil},
		{"update", memory, docs[:1000]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			idx := tt.open(t)
			defer idx.Close()
			if tt.before != nil {
				_, err := Add(context.Background(), idx, tt.before, nil)
				require.NoError(t, err)
			}
			var reports [][2]int
			b, err := NewBuilder(context.Background(), idx, func(docs, passages int) {
				reports = append(reports, [2]int{docs, passages})
			})
			require.NoError(t, err)
			for _, d := range stream {
				require.NoError(t, b.Add(d))
			}
			nDocs, nPassages, err := b.Close()
			require.NoError(t, err)
			assert.Equal(t, len(stream), nDocs)

			count, err := idx.DocCount()
			require.NoError(t, err)
			assert.EqualValues(t, len(final)+wantPassages, count, "one record and the passages of each final version")
			for _, id := range []string{"vb-0899", "vb-0010", "vb-1250"} {
				n, found, err := passageCount(idx, id)
				require.NoError(t, err)
				assert.True(t, found)
				assert.Equal(t, 1, n, id)
				ps, err := passagesOf(context.Background(), idx, id)
				require.NoError(t, err)
				assert.Equal(t, []string{id + "#0"}, ps, "no passage of the earlier version is left")
			}

			require.NotEmpty(t, reports)
			for i := 1; i < len(reports); i++ {
				assert.GreaterOrEqual(t, reports[i][0], reports[i-1][0], "progress never goes back")
			}
			assert.Equal(t, [2]int{nDocs, nPassages}, reports[len(reports)-1], "the last report counts every document")
		})
	}
}

// A cancelled build stops: Add refuses documents, and Close says it was cancelled.
func TestBuilderStopsWhenCancelled(t *testing.T) {
	idx, err := NewMemory()
	require.NoError(t, err)
	defer idx.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, err := NewBuilder(ctx, idx, nil)
	require.NoError(t, err)
	docs := streamOfSeeds(t, 400)
	added := 0
	for i, d := range docs {
		if i == 200 {
			cancel()
		}
		if b.Add(d) != nil {
			break
		}
		added++
	}
	assert.Equal(t, 200, added, "no document is taken after the cancel")
	_, _, err = b.Close()
	require.ErrorIs(t, err, context.Canceled)
	count, err := idx.DocCount()
	require.NoError(t, err)
	assert.Less(t, int(count), 200+3*200, "the rest was not indexed")
}

// A repeated id whose earlier version is already in the index is looked up without waiting: a corpus
// given twice is indexed in full batches the second time too, not one document at a time.
func TestBuilderRepeatsDoNotWaitForDoneBatches(t *testing.T) {
	idx, err := NewMemory()
	require.NoError(t, err)
	defer idx.Close()
	docs := streamOfSeeds(t, 800)
	batches := 0
	b, err := NewBuilder(context.Background(), idx, func(int, int) { batches++ })
	require.NoError(t, err)
	for _, d := range append(docs[:len(docs):len(docs)], docs...) {
		require.NoError(t, b.Add(d))
	}
	_, passages, err := b.Close()
	require.NoError(t, err)
	assert.Less(t, batches, 4*(passages/BatchSize+1), "%d batches for %d passages", batches, passages)
	count, err := idx.DocCount()
	require.NoError(t, err)
	assert.EqualValues(t, len(docs)+passages/2, count, "each document once")
}
