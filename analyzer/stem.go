package analyzer

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/kljensen/snowball/english"
)

// LoanwordStemFilterName is the name under which LoanwordStemFilter is registered with bleve.
const LoanwordStemFilterName = "vi_loanword_stem"

// minStemLength keeps short tokens (abbreviations such as vneid parts, "app") unstemmed.
const minStemLength = 4

// LoanwordStemFilter stems, with the Snowball English stemmer, the words that cannot be a Vietnamese
// syllable (payments → payment, online → onlin). Vietnamese syllables never inflect and are never stemmed.
// Terms must be lower case.
type LoanwordStemFilter struct{}

// NewLoanwordStemFilter returns the loanword stemmer.
func NewLoanwordStemFilter() *LoanwordStemFilter { return &LoanwordStemFilter{} }

// Filter implements analysis.TokenFilter.
func (f *LoanwordStemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.Type == analysis.AlphaNumeric && isLoanword(tok.Term) {
			if s := stems.of(string(tok.Term)); s != string(tok.Term) {
				tok.Term = []byte(s)
			}
		}
	}
	return input
}

// stemCache remembers stems: a corpus repeats its loanwords and names, and Snowball is slow for them.
type stemCache struct {
	mu sync.RWMutex
	m  map[string]string
}

// maxCachedStems bounds the cache; past it, stems are computed every time.
const maxCachedStems = 100_000

var stems = stemCache{m: map[string]string{}}

func (c *stemCache) of(word string) string {
	c.mu.RLock()
	s, ok := c.m[word]
	c.mu.RUnlock()
	if ok {
		return s
	}
	if s = english.Stem(word, false); s == "" {
		s = word
	}
	c.mu.Lock()
	if len(c.m) < maxCachedStems {
		c.m[word] = s
	}
	c.mu.Unlock()
	return s
}

func isLoanword(term []byte) bool {
	if len(term) < minStemLength {
		return false
	}
	for _, c := range term {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return !IsSyllable(string(term))
}

func init() {
	registry.RegisterTokenFilter(LoanwordStemFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return NewLoanwordStemFilter(), nil
	})
}
