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

// Filter implements analysis.TokenFilter.
func (f *FoldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	arena := make([]byte, 0, termBytes(input))
	for _, tok := range input {
		tok.Term = mapLetters(tok.Term, &arena, func(li letterInfo) rune { return li.folded })
	}
	return input
}

func init() {
	registry.RegisterTokenFilter(FoldFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return NewFoldFilter(), nil
	})
}
