package analyzer

import (
	"github.com/blevesearch/bleve/v2/analysis"
)

// terms returns the terms of a token stream, for compact expectations.
func terms(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

// viewTerms analyzes text in one view and returns its terms.
func viewTerms(v View, text string) []string {
	return terms(New(v).Analyze([]byte(text)))
}
