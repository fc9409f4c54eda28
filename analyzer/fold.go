package analyzer

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// FoldFilterName is the name under which FoldFilter is registered with bleve.
const FoldFilterName = "vi_fold"

// FoldFilter folds every Latin letter to plain ASCII: định → dinh, người → nguoi. đ becomes d
// explicitly, since Unicode decomposition keeps the bar. It is a token filter, not bleve's asciifolding
// char filter, so offsets stay on the original accented text.
type FoldFilter struct{}

// NewFoldFilter returns the folding filter.
func NewFoldFilter() *FoldFilter { return &FoldFilter{} }

// Filter implements analysis.TokenFilter. A word that folding turns into a loanword (vendôme →
// vendome) is stemmed as the loanword stemmer stems it typed so (vendom): the shared filters stem only
// plain ASCII words, and without this the word typed without its accent would not find it.
func (f *FoldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	arena := make([]byte, 0, termBytes(input))
	for _, tok := range input {
		ascii := isASCII(tok.Term)
		tok.Term = mapLetters(tok.Term, &arena, func(li letterInfo) rune { return li.folded })
		if !ascii && tok.Type == analysis.AlphaNumeric && isLoanword(tok.Term) {
			tok.Term = []byte(stems.of(string(tok.Term)))
		}
	}
	return input
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func init() {
	registry.RegisterTokenFilter(FoldFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return NewFoldFilter(), nil
	})
}
