package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/tracuu/tracuu/analyzer"
	"github.com/tracuu/tracuu/indexer"
)

// tier says how precisely the user typed a query syllable, and so which view must match it.
type tier int

const (
	tierFolded   tier = iota // no diacritics typed: dinh
	tierToneless             // hats or đ but no tone: đinh
	tierExact                // a tone mark typed: định
)

// term is one query syllable in every view.
type term struct {
	exact, toneless, folded string
	tier                    tier
	numeric                 bool
}

// parsed is a query after analysis.
type parsed struct {
	accented bool // the user typed tone marks somewhere: plain syllables are probably level-tone words
	terms    []term
	bigrams  []string // folded pairs of adjacent syllables
}

// Boosts of the views. A syllable typed with its tone and found with it scores in all three views, so
// exact > toneless > folded falls out of the sums; a matching bigram rewards syllables found together.
const (
	boostExact    = 1.5
	boostToneless = 1.0
	boostFolded   = 1.0
	boostBigram   = 2.0
	boostNumber   = 2.0
	boostTitle    = 0.3
)

// parse analyzes a sanitized query in every view. Tokens line up across views: the filters only
// rewrite terms.
func parse(text string) parsed {
	input := []byte(text)
	streams := map[analyzer.View]analysis.TokenStream{}
	for _, v := range analyzer.Views {
		streams[v] = analyzer.New(v).Analyze(input)
	}
	p := parsed{accented: analyzer.HasTone(text)}
	for i, tok := range streams[analyzer.Exact] {
		t := term{
			exact:    string(tok.Term),
			toneless: string(streams[analyzer.Toneless][i].Term),
			folded:   string(streams[analyzer.Folded][i].Term),
			numeric:  tok.Type == analysis.Numeric,
		}
		surface := text[tok.Start:tok.End]
		switch {
		case analyzer.HasTone(surface):
			t.tier = tierExact
		case t.toneless != t.folded && p.accented:
			t.tier = tierExact
		case t.toneless != t.folded:
			t.tier = tierToneless
		}
		p.terms = append(p.terms, t)
	}
	for _, b := range streams[analyzer.Bigram] {
		p.bigrams = append(p.bigrams, string(b.Term))
	}
	return p
}

func termQuery(field, value string, boost float64) *query.TermQuery {
	q := bleve.NewTermQuery(value)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// textQuery scores passages by the query's syllables in the view each was typed for, and by its bigrams.
func (p parsed) textQuery() query.Query {
	var clauses []query.Query
	seen := map[string]bool{}
	for _, t := range p.terms {
		key := t.exact + "\x00" + string(rune('0'+t.tier))
		if seen[key] {
			continue
		}
		seen[key] = true
		weight := 1.0
		if t.numeric {
			weight = boostNumber
		}
		views := []query.Query{termQuery(indexer.FieldFolded, t.folded, boostFolded*weight)}
		if t.tier >= tierToneless {
			views = append(views, termQuery(indexer.FieldToneless, t.toneless, boostToneless*weight))
		}
		if t.tier == tierExact || p.accented && !t.numeric {
			views = append(views, termQuery(indexer.FieldText, t.exact, boostExact*weight))
		}
		views = append(views, termQuery(indexer.FieldTitleFold, t.folded, boostTitle))
		clauses = append(clauses, bleve.NewDisjunctionQuery(views...))
	}
	for _, b := range p.bigrams {
		if seen[b] {
			continue
		}
		seen[b] = true
		clauses = append(clauses, termQuery(indexer.FieldBigram, b, boostBigram))
	}
	return bleve.NewDisjunctionQuery(clauses...)
}

// matcher decides which tokens of a passage a query matched, in the view each query syllable was
// typed for, so highlights follow what the user asked.
type matcher struct {
	exact, toneless, folded map[string]bool
}

func (p parsed) matcher() matcher {
	m := matcher{exact: map[string]bool{}, toneless: map[string]bool{}, folded: map[string]bool{}}
	for _, t := range p.terms {
		switch t.tier {
		case tierExact:
			m.exact[t.exact] = true
		case tierToneless:
			m.toneless[t.toneless] = true
		default:
			m.folded[t.folded] = true
		}
	}
	return m
}

func (m matcher) empty() bool {
	return len(m.exact)+len(m.toneless)+len(m.folded) == 0
}

// normalizeQuery trims and sanitizes the text of a query.
func normalizeQuery(q string) string {
	return strings.TrimSpace(analyzer.Sanitize(q))
}
