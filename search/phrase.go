package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/tracuu/tracuu/analyzer"
	"github.com/tracuu/tracuu/indexer"
)

// quotes pairs each opening quotation mark users type with its closing one.
var quotes = map[rune]rune{'"': '"', '“': '”', '„': '“', '«': '»'}

// maxPhrases bounds the quoted phrases of one query.
const maxPhrases = 8

// quotedPhrases returns, for each "quoted phrase" of the query, a query that a passage must match:
// the phrase's syllables in that order, in the exact view when it was typed with tones, else in the
// folded view. An unclosed quote is read as plain text.
func quotedPhrases(q string) []query.Query {
	var out []query.Query
	rs := []rune(q)
	for i := 0; i < len(rs) && len(out) < maxPhrases; i++ {
		closing, ok := quotes[rs[i]]
		if !ok {
			continue
		}
		j := i + 1
		for j < len(rs) && rs[j] != closing {
			j++
		}
		if j == len(rs) {
			break
		}
		if pq := phraseQuery(string(rs[i+1 : j])); pq != nil {
			out = append(out, pq)
		}
		i = j
	}
	return out
}

func phraseQuery(text string) query.Query {
	view, field := analyzer.Folded, indexer.FieldFolded
	if analyzer.HasTone(text) {
		view, field = analyzer.Exact, indexer.FieldText
	}
	var terms []string
	for _, t := range analyzer.New(view).Analyze([]byte(text)) {
		terms = append(terms, string(t.Term))
	}
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return termQuery(field, terms[0], 1)
	}
	pq := bleve.NewPhraseQuery(terms, field)
	return pq
}

// hasQuote reports whether a query holds a quotation mark, so that the phrase parser runs only then.
func hasQuote(q string) bool { return strings.ContainsAny(q, "\"“„«") }
