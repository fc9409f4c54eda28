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
// the phrase's syllables in that order in the folded view (the one indexed with positions), and, when
// it was typed with tones, each syllable in the exact view too.
func quotedPhrases(q string) []query.Query {
	var out []query.Query
	for _, text := range phraseTexts(q) {
		if pq := phraseQuery(text); pq != nil {
			out = append(out, pq)
		}
	}
	return out
}

// phraseTexts returns the text inside each pair of quotation marks, at most maxPhrases of them and
// MaxPhraseTerms syllables in all: a phrase that would pass the bound is left out (its words still
// count, as plain words, and adjacent ones still score as bigrams). An unclosed quote is read as plain
// text.
func phraseTexts(q string) []string {
	var out []string
	words := 0
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
		text := string(rs[i+1 : j])
		if n := len(analyzer.New(analyzer.Folded).Analyze([]byte(text))); words+n <= MaxPhraseTerms {
			out = append(out, text)
			words += n
		}
		i = j
	}
	return out
}

func phraseQuery(text string) query.Query {
	var folded []string
	for _, t := range analyzer.New(analyzer.Folded).Analyze([]byte(text)) {
		folded = append(folded, string(t.Term))
	}
	if len(folded) == 0 {
		return nil
	}
	must := []query.Query{bleve.NewPhraseQuery(folded, indexer.FieldFolded)}
	if analyzer.HasTone(text) {
		for _, t := range analyzer.New(analyzer.Exact).Analyze([]byte(text)) {
			must = append(must, termQuery(indexer.FieldText, string(t.Term), 1))
		}
	}
	return bleve.NewConjunctionQuery(must...)
}

// hasQuote reports whether a query holds a quotation mark, so that the phrase parser runs only then.
func hasQuote(q string) bool { return strings.ContainsAny(q, "\"“„«") }
