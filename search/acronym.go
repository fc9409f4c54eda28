package search

import (
	"maps"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/tracuu/tracuu/analyzer"
	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
)

// acronyms links acronyms and their expansions in folded terms, both ways, so that a query for CSDL
// also finds "cơ sở dữ liệu" and the other way round. Bleve's synonyms take single tokens only, so the
// expansion is a phrase built here. An acronym may be several terms (KT-XH is kt, xh).
type acronyms struct {
	expansions map[string][][]string // acronym terms joined by spaces → expansion terms
	longest    int                   // the most terms of an acronym
	byFirst    map[string][]acronymExpansion
}

type acronymExpansion struct {
	terms   []string
	acronym []string
}

// loadAcronyms merges the curated acronyms with those the index's documents define and the
// abbreviations of the tagged bodies written as one word (BCA, TT&TT), in that order of precedence.
func loadAcronyms(mined map[string]string) acronyms {
	a := acronyms{expansions: map[string][][]string{}, byFirst: map[string][]acronymExpansion{}}
	all := corpus.Acronyms()
	for k, v := range mined {
		if _, ok := all[k]; !ok {
			all[k] = v
		}
	}
	for _, b := range corpus.Bodies() {
		for _, alias := range b.Aliases {
			if _, ok := all[alias]; !ok && len(foldedTerms(alias)) == 1 && allCapitals(alias) {
				all[alias] = b.Name
			}
		}
	}
	keys := slices.Sorted(maps.Keys(all)) // the same clauses, in the same order, on every load
	for _, acr := range keys {
		acrTerms, expTerms := foldedTerms(acr), foldedTerms(all[acr])
		if len(acrTerms) == 0 || len(expTerms) < 2 || len(expTerms) <= len(acrTerms) {
			continue
		}
		key := strings.Join(acrTerms, " ")
		a.expansions[key] = append(a.expansions[key], expTerms)
		a.longest = max(a.longest, len(acrTerms))
		a.byFirst[expTerms[0]] = append(a.byFirst[expTerms[0]], acronymExpansion{expTerms, acrTerms})
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
	}, func(acronym []string) {
		if len(acronym) == 1 {
			out = append(out, termQuery(indexer.FieldFolded, acronym[0], boostAcronym))
			return
		}
		pq := bleve.NewPhraseQuery(acronym, indexer.FieldFolded)
		pq.SetBoost(boostAcronym)
		out = append(out, pq)
	})
	return out
}

// each calls expansion for every expansion of an acronym typed in the query (words typed as acronyms,
// acronymLike; folded syllables, with the typed term's weight), and acronym for every acronym whose
// expansion is typed: each once, at most maxAcronymClauses in all, in query order.
func (a acronyms) each(p parsed, expansion func(terms []string, weight float64), acronym func([]string)) {
	n := 0
	seen := map[string]bool{}
	for i, t := range p.terms {
		// bà nội is not BA nội, nor vỡ đê VO đê: only words typed as an acronym are one.
		var typed []string
		for k := i; k < min(len(p.terms), i+a.longest) && p.terms[k].acronymLike; k++ {
			typed = append(typed, p.terms[k].folded)
			key := strings.Join(typed, " ")
			if seen[key] {
				continue
			}
			seen[key] = true
			for _, exp := range a.expansions[key] {
				if n == maxAcronymClauses {
					return
				}
				n++
				expansion(exp, t.weight)
			}
		}
	expansions:
		for _, e := range a.byFirst[t.folded] {
			key := "\x00" + strings.Join(e.acronym, " ")
			if i+len(e.terms) > len(p.terms) || seen[key] {
				continue
			}
			for k, term := range e.terms {
				if p.terms[i+k].folded != term {
					continue expansions
				}
			}
			seen[key] = true
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
