package analyzer

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// BigramFilterName is the name under which BigramFilter is registered with bleve.
const BigramFilterName = "vi_bigram"

// BigramFilter replaces the stream with the pairs of adjacent syllables ("dinh danh"), each spanning
// both syllables and placed at the first one's position. Matching a bigram rewards words typed
// together, and settles which of the many words a folded syllable could be.
type BigramFilter struct{}

// NewBigramFilter returns the bigram filter.
func NewBigramFilter() *BigramFilter { return &BigramFilter{} }

// Filter implements analysis.TokenFilter.
func (f *BigramFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	if len(input) < 2 {
		return input[:0]
	}
	out := make(analysis.TokenStream, 0, len(input)-1)
	toks := make([]analysis.Token, 0, len(input)-1)
	size := 0
	for _, t := range input {
		size += 2*len(t.Term) + 1
	}
	arena := make([]byte, 0, size) // every bigram's term, in one allocation
	for i := 1; i < len(input); i++ {
		a, b := input[i-1], input[i]
		if b.Position != a.Position+1 {
			continue
		}
		from := len(arena)
		arena = append(append(append(arena, a.Term...), ' '), b.Term...)
		term := arena[from:len(arena):len(arena)]
		toks = append(toks, analysis.Token{
			Start:    a.Start,
			End:      b.End,
			Term:     term,
			Position: a.Position,
			Type:     analysis.Shingle,
		})
		out = append(out, &toks[len(toks)-1])
	}
	return out
}

func init() {
	registry.RegisterTokenFilter(BigramFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return NewBigramFilter(), nil
	})
}

// PairWalker yields the terms of the bigram view of texts without building its tokens: the folded
// form of each term is remembered, since a corpus repeats its few thousand syllables millions of times
// (a bulk build walks every passage). Not safe for concurrent use: one per goroutine.
type PairWalker struct {
	folded map[string][]byte // term after the shared filters → folded term
}

// NewPairWalker returns a PairWalker.
func NewPairWalker() *PairWalker { return &PairWalker{folded: map[string][]byte{}} }

// maxWalkerTerms bounds a PairWalker's memory; past it, new terms are folded every time.
const maxWalkerTerms = 100_000

// Walk calls pair with the two folded syllables of each term of text's bigram view, in order: the
// term is first, a space, then second (BigramFilter).
func (w *PairWalker) Walk(text []byte, pair func(first, second []byte)) {
	base := shared.tokens(text)
	var prev []byte
	prevPos := -2
	for i := range base {
		t := &base[i]
		f, ok := w.folded[string(t.Term)]
		if !ok {
			one := []analysis.Token{*t}
			NewFoldFilter().Filter(analysis.TokenStream{&one[0]})
			f = one[0].Term
			if len(w.folded) < maxWalkerTerms {
				w.folded[string(t.Term)] = f
			}
		}
		if t.Position == prevPos+1 {
			pair(prev, f)
		}
		prev, prevPos = f, t.Position
	}
}
