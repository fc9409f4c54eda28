package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
)

func TestQueryCostBounds(t *testing.T) {
	words := func(n int) string {
		return strings.TrimSpace(strings.Repeat("a ", n))
	}
	common := "của các và là được có những trong cho với người một"
	cases := []struct {
		name, q string
		ok      bool
	}{
		{"a paragraph of the seeds", seedParagraph(t), true},
		{"as many words as allowed", words(MaxQueryTerms), true},
		{"one word too many", words(MaxQueryTerms + 1), false},
		{"numbers count as words", strings.TrimSpace(strings.Repeat("1 ", MaxQueryTerms+1)), false},
		{"a quoted phrase of 24 words", `"` + common + " " + common + `"`, true},
		{"two phrases of 24 words in all", `"` + common + `" dân cư "` + common + `"`, true},
		{"phrases of 25 words in all: the second read as words", `"` + common + `" dân cư "` + common + ` xã"`, true},
		{"an unclosed quote is plain text", `"` + common + " " + common + " " + common, true},
	}
	s := seedIndex(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Request{Query: c.q, Limit: 10}
			err := r.Validate()
			if c.ok {
				require.NoError(t, err)
				_, err = s.Search(context.Background(), r)
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrBadRequest))
			assert.Contains(t, err.Error(), "at most")
		})
	}
}

// seedParagraph is the first MaxQueryRunes characters of a seed: a pasted paragraph, as long as a
// query may be.
func seedParagraph(t *testing.T) string {
	seedIndex(t)
	return string([]rune(seedDocs[1].Text)[:MaxQueryRunes])
}

func TestAcronymClausesAreBounded(t *testing.T) {
	a := loadAcronyms(map[string]string{"CSDL": "cơ sở dữ liệu"})
	once := a.clauses(parse("CSDL quốc gia về dân cư"))
	require.NotEmpty(t, once)
	assert.Len(t, a.clauses(parse("CSDL CSDL CSDL quốc gia CSDL về dân cư CSDL")), len(once), "a repeated acronym adds its expansion once")
	assert.Len(t, a.clauses(parse("cơ sở dữ liệu và cơ sở dữ liệu")), 1)

	var many []string
	for acr := range corpus.Acronyms() {
		many = append(many, acr)
	}
	require.Greater(t, len(many), maxAcronymClauses)
	assert.Len(t, a.clauses(parse(strings.Join(many, " "))), maxAcronymClauses)
}

// User text must never reach a query-string parser, where "title:x +y -z" would be syntax: no
// package of the module builds one.
func TestNoQueryStringParser(t *testing.T) {
	var files []string
	for _, dir := range []string{"../analyzer", "../corpus", "../indexer", ".", "../api", "../cmd/tracuu"} {
		found, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		files = append(files, found...)
	}
	require.Greater(t, len(files), 20)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, banned := range []string{"QueryStringQuery", "NewRegexpQuery", "NewWildcardQuery"} {
			assert.NotContains(t, string(src), banned, "%s builds a query that parses user text", f)
		}
	}
}
