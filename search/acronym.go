package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/tracuu/tracuu/analyzer"
	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
)

// acronyms links acronyms and their expansions in folded terms, both ways, so that a query for CSDL
// also finds "cơ sở dữ liệu" and the other way round. Bleve's synonyms take single tokens only, so the
// expansion is a phrase built here.
type acronyms struct {
	expansions map[string][][]string // acronym term → expansion terms
	byFirst    map[string][]acronymExpansion
}

type acronymExpansion struct {
	terms   []string
	acronym string
}

// loadAcronyms merges the curated acronyms with those the index's documents define.
func loadAcronyms(mined map[string]string) acronyms {
	a := acronyms{expansions: map[string][][]string{}, byFirst: map[string][]acronymExpansion{}}
	all := corpus.Acronyms()
	for k, v := range mined {
		if _, ok := all[k]; !ok {
			all[k] = v
		}
	}
	for acr, exp := range all {
		acrTerms, expTerms := foldedTerms(acr), foldedTerms(exp)
		if len(acrTerms) != 1 || len(expTerms) < 2 {
			continue // KT-XH and the like are already two terms: nothing to link
		}
		a.expansions[acrTerms[0]] = append(a.expansions[acrTerms[0]], expTerms)
		a.byFirst[expTerms[0]] = append(a.byFirst[expTerms[0]], acronymExpansion{expTerms, acrTerms[0]})
	}
	return a
}

func foldedTerms(s string) []string {
	var out []string
	for _, t := range analyzer.New(analyzer.Folded).Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

// clauses returns the extra query clauses for the acronyms and expansions in the query's terms: each
// once however often it is typed, and at most maxAcronymClauses, as expansions are phrases, whose
// positions are costly to read.
func (a acronyms) clauses(p parsed) []query.Query {
	var out []query.Query
	a.each(p, func(expansion []string, weight float64) {
		pq := bleve.NewPhraseQuery(expansion, indexer.FieldFolded)
		pq.SetBoost(boostAcronym * weight)
		out = append(out, pq)
	}, func(acronym string) {
		out = append(out, termQuery(indexer.FieldFolded, acronym, boostAcronym))
	})
	return out
}

// each calls expansion for every expansion of an acronym typed in the query (a word typed as one,
// acronymLike; folded syllables, with the typed term's weight), and acronym for every acronym whose expansion is typed: each once, at
// most maxAcronymClauses in all, in query order.
func (a acronyms) each(p parsed, expansion func(terms []string, weight float64), acronym func(string)) {
	n := 0
	seen := map[string]bool{}
	for i, t := range p.terms {
		// bà nội is not BA nội, nor vỡ đê VO đê: only a word typed as an acronym is one.
		if t.acronymLike && !seen[t.folded] {
			seen[t.folded] = true
			for _, exp := range a.expansions[t.folded] {
				if n == maxAcronymClauses {
					return
				}
				n++
				expansion(exp, t.weight)
			}
		}
	expansions:
		for _, e := range a.byFirst[t.folded] {
			if i+len(e.terms) > len(p.terms) || seen["\x00"+e.acronym] {
				continue
			}
			for k, term := range e.terms {
				if p.terms[i+k].folded != term {
					continue expansions
				}
			}
			seen["\x00"+e.acronym] = true
			if n == maxAcronymClauses {
				return
			}
			n++
			acronym(e.acronym)
		}
	}
}

// known reports whether t is typed as an acronym and is one the list expands.
func (a acronyms) known(t term) bool {
	return t.acronymLike && len(a.expansions[t.folded]) > 0
}
