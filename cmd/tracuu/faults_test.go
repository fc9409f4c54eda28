package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/seeds"
)

// buildBinary compiles tracuu into a temporary folder: a killed child must be a real process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tracuu")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// seedSentences returns the sentences of the seed documents.
func seedSentences(t *testing.T) []string {
	t.Helper()
	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	var out []string
	for _, d := range docs {
		for p := range strings.SplitSeq(d.Text, "\n") {
			for _, s := range corpus.Sentences(p) {
				if sent := strings.TrimSpace(p[s[0]:s[1]]); len([]rune(sent)) > 30 {
					out = append(out, sent)
				}
			}
		}
	}
	require.Greater(t, len(out), 100)
	return out
}

// writeCorpus writes n documents made of seed sentences as JSON Lines; lengthen scales the number of
// paragraphs of every third document, so that its split into passages changes.
func writeCorpus(t *testing.T, path string, sentences []string, n int, lengthen float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 7))
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for i := range n {
		paras := 1
		if i%3 == 0 {
			paras = max(1, int(2*lengthen))
		}
		var text []string
		for range paras {
			var p []string
			for range 2 + r.IntN(2) {
				p = append(p, sentences[r.IntN(len(sentences))])
			}
			text = append(text, strings.Join(p, " "))
		}
		require.NoError(t, enc.Encode(map[string]string{
			"id":    fmt.Sprintf("vb-%05d", i),
			"title": fmt.Sprintf("Văn bản số %d/TB-VPCP về chuyển đổi số", i),
			"date":  fmt.Sprintf("20%02d-%02d", 20+i%5, 1+i%12),
			"text":  strings.Join(text, "\n\n"),
		}))
	}
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
}

// expected returns the passage ids and mined acronyms the corpus file should give.
func expected(t *testing.T, path string) (docs int, passages map[string]bool, acronyms map[string]string) {
	t.Helper()
	passages, acronyms = map[string]bool{}, map[string]string{}
	err := corpus.LoadPath(path, func(d corpus.Document) error {
		docs++
		for _, p := range corpus.Split(d) {
			passages[p.ID] = true
		}
		maps.Copy(acronyms, corpus.MineAcronyms(d.Text))
		return nil
	}, func(e *corpus.LineError) { t.Errorf("bad line %v", e) })
	require.NoError(t, err)
	return docs, passages, acronyms
}

// checkComplete checks that the index at dir holds exactly the corpus: every passage once, no stale
// passage, one record per document, the mined acronyms, and a working search.
func checkComplete(t *testing.T, bin, dir, corpusPath string) {
	t.Helper()
	docs, passages, acronyms := expected(t, corpusPath)
	_, unfinished := indexer.Interrupted(dir)
	assert.False(t, unfinished, "a completed build leaves no unfinished marker")

	idx, err := indexer.OpenReadOnly(dir)
	require.NoError(t, err)
	count, err := idx.DocCount()
	require.NoError(t, err)
	assert.EqualValues(t, docs+len(passages), count, "one record per document and per passage")

	res, err := idx.Search(bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), int(count)+10, 0, false))
	require.NoError(t, err)
	gotPassages, gotDocs := map[string]int{}, 0
	for _, h := range res.Hits {
		if strings.HasPrefix(h.ID, indexer.DocumentKeyPrefix) {
			gotDocs++
		} else {
			gotPassages[h.ID]++
		}
	}
	assert.Equal(t, docs, gotDocs)
	assert.Equal(t, len(passages), len(gotPassages))
	for id, n := range gotPassages {
		if !passages[id] {
			t.Errorf("stale passage %s", id)
		} else if n != 1 {
			t.Errorf("passage %s found %d times", id, n)
		}
	}
	got, err := indexer.Acronyms(idx)
	require.NoError(t, err)
	// The acronyms are those the documents define; an expansion spelt several ways may come back
	// in other capitals: compare the acronyms and their expansions' letters.
	assert.ElementsMatch(t, slices.Collect(maps.Keys(acronyms)), slices.Collect(maps.Keys(got)), "the acronyms the documents define")
	for k, v := range acronyms {
		assert.True(t, strings.EqualFold(v, got[k]), "%s: %q, want %q", k, got[k], v)
	}
	require.NoError(t, idx.Close())

	out, err := exec.Command(bin, "search", "-index", dir, "-json", "dinh danh dien tu").Output()
	require.NoError(t, err)
	var resp struct {
		Total uint64 `json:"total"`
	}
	require.NoError(t, json.Unmarshal(out, &resp))
	assert.NotZero(t, resp.Total, "search works")
}

// killMidBuild starts 'tracuu index' and kills it with SIGKILL as soon as it has reported chunks
// chunks of documents on disk. A kill at a report, not after a delay, lands mid-build however fast
// the build is: the documents after the last chunk and the final merge are still to come.
func killMidBuild(t *testing.T, bin, dir, corpusPath string, chunks int) {
	t.Helper()
	cmd := exec.Command(bin, "index", "-index", dir, corpusPath)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(stderr)
	for seen := 0; seen < chunks; {
		require.True(t, lines.Scan(), "index reports progress")
		if strings.Contains(lines.Text(), "passages indexed") {
			seen++
		}
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	var rest bytes.Buffer
	_, _ = rest.ReadFrom(stderr)
	err = cmd.Wait()
	require.Error(t, err, "index finished before the kill (%s): the corpus is too small", rest.String())
	assert.Contains(t, err.Error(), "killed", "it was still running")
}

// docsOfCorpus is the size of the corpus killed mid-build: two chunks of the index command (3000
// documents each, reported when on disk) and some, small enough to rebuild in a few seconds.
const docsOfCorpus = 2*chunkDocs + 600

func TestKillIndexThenRerunCompletes(t *testing.T) {
	bin := buildBinary(t)
	tmp := t.TempDir()
	sentences := seedSentences(t)
	corpusPath := filepath.Join(tmp, "vanban.jsonl")
	writeCorpus(t, corpusPath, sentences, docsOfCorpus, 1)
	_, passages, _ := expected(t, corpusPath)

	// The first kill comes as soon as a chunk is on disk; without -short, another comes after the
	// last chunk, while the rest of the documents and the final merge are written.
	kills := []int{1}
	if !testing.Short() {
		kills = append(kills, 2)
	}
	var completed string
	for _, extra := range kills {
		t.Run(fmt.Sprintf("kill after chunk %d", extra), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			killMidBuild(t, bin, dir, corpusPath, extra)

			_, unfinished := indexer.Interrupted(dir)
			assert.True(t, unfinished, "the killed build is marked unfinished")
			idx, err := indexer.OpenReadOnly(dir)
			if err == nil {
				n, err := idx.DocCount()
				require.NoError(t, err)
				t.Logf("after kill -9: %d records of %d", n, docsOfCorpus+len(passages))
				if extra == 1 {
					assert.Less(t, int(n), docsOfCorpus+len(passages), "killed mid-way")
				} // later kills may land in the final merge, with every document in: a kill point too
				assert.GreaterOrEqual(t, int(n), extra*chunkDocs, "the reported chunks survived")
				require.NoError(t, idx.Close())
			} else {
				t.Logf("after kill -9 the index does not open (%v): the rerun must rebuild it", err)
			}
			out, err := exec.Command(bin, "search", "-index", dir, "dinh danh").CombinedOutput()
			if err == nil {
				assert.Contains(t, string(out), "did not finish", "searching an unfinished index warns")
			}

			out, err = exec.Command(bin, "index", "-index", dir, corpusPath).CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), "interrupted", "the rerun says it continues an interrupted build")
			assert.Contains(t, string(out), fmt.Sprintf("indexed %d documents", docsOfCorpus))
			checkComplete(t, bin, dir, corpusPath)
			completed = dir
		})
	}

	t.Run("a rerun after the splits changed leaves no stale passage", func(t *testing.T) {
		require.NotEmpty(t, completed)
		changed := filepath.Join(t.TempDir(), "vanban.jsonl")
		writeCorpus(t, changed, sentences, docsOfCorpus, 0.4)
		_, after, _ := expected(t, changed)
		perDoc := func(ps map[string]bool) map[string]int {
			n := map[string]int{}
			for id := range ps {
				n[id[:strings.LastIndexByte(id, '#')]]++
			}
			return n
		}
		before, now := perDoc(passages), perDoc(after)
		shorter, longer := 0, 0
		for id, n := range now {
			if n < before[id] {
				shorter++
			} else if n > before[id] {
				longer++
			}
		}
		require.NotZero(t, shorter, "some documents lose passages")
		require.NotZero(t, longer, "some documents gain passages")
		out, err := exec.Command(bin, "index", "-index", completed, changed).CombinedOutput()
		require.NoError(t, err, "%s", out)
		checkComplete(t, bin, completed, changed)
	})
}

func TestSecondIndexProcessFailsFast(t *testing.T) {
	bin := buildBinary(t)
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, errOut := runCLI(t, "index", "-index", dir, "../../seeds")
	require.Equal(t, 0, code, errOut)

	idx, err := indexer.Open(dir) // as a running 'tracuu serve' does
	require.NoError(t, err)
	defer idx.Close()
	for _, args := range [][]string{{"index", "-index", dir, "../../seeds"}, {"search", "-index", dir, "chuyển đổi số"}} {
		start := time.Now()
		out, err := exec.Command(bin, args...).CombinedOutput()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%s fails", args[0])
		assert.Equal(t, 1, exit.ExitCode())
		assert.Less(t, time.Since(start), 10*time.Second, "fails fast")
		assert.Contains(t, string(out), "another tracuu process (serve or index)", "names the cause")
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(string(out)), "\n")+1, "one line: %s", out)
	}
}

func TestDamagedIndexCommandsSayHowToRebuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, errOut := runCLI(t, "index", "-index", dir, "../../seeds")
	require.Equal(t, 0, code, errOut)
	zaps, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	require.NoError(t, err)
	require.NotEmpty(t, zaps)
	for _, z := range zaps {
		require.NoError(t, os.Truncate(z, 100))
	}
	for _, args := range [][]string{
		{"search", "-index", dir, "chuyển đổi số"},
		{"index", "-index", dir, "../../seeds"}, // a finished index is never silently rebuilt
		{"serve", "-addr", "127.0.0.1:0", "-index", dir},
	} {
		code, _, errOut := runCLI(t, args...)
		assert.Equal(t, 1, code, args[0])
		assert.Contains(t, errOut, "index is damaged", args[0])
		assert.Contains(t, errOut, "tracuu index -index", args[0])
	}
	assert.Empty(t, slices.DeleteFunc(zaps, func(z string) bool { _, err := os.Stat(z); return err == nil }),
		"the damaged files are left for the operator")
}
