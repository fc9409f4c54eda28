// Package analyzer turns Vietnamese text into the terms tracuu indexes and searches.
//
// One tokenizer and a chain of token filters (never char filters, so offsets stay on the original text)
// give three views of every syllable, each indexed as a field of its own:
//
//	exact     định   normalized, tone placed canonically (hoà = hòa)
//	toneless  đinh   tone marks removed, â ă ê ô ơ ư đ kept
//	folded    dinh   plain ASCII, đ → d
//
// and a fourth view of adjacent folded syllables ("dinh danh") that rewards words typed together.
// Every analyzer is registered with bleve by name, since a persisted index mapping refers to names.
package analyzer

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// View names one indexed view of the text.
type View string

// The views, in the order a user sees them. Their string values name the bleve analyzers.
const (
	Exact    View = "vi_exact"
	Toneless View = "vi_toneless"
	Folded   View = "vi_folded"
	Bigram   View = "vi_bigram"
)

// Views lists every view, the syllable views first.
var Views = []View{Exact, Toneless, Folded, Bigram}

// Label is the short name of a view used in the API (exact, toneless, folded, bigram).
func (v View) Label() string { return strings.TrimPrefix(string(v), "vi_") }

// New returns the analyzer of a view: the syllable tokenizer, the shared filters (normalize, numbers,
// loanword stems, tone placement), then the view's own filters.
func New(v View) analysis.Analyzer {
	switch v {
	case Toneless:
		return &viewAnalyzer{tail: []analysis.TokenFilter{NewTonelessFilter()}}
	case Folded:
		return &viewAnalyzer{tail: []analysis.TokenFilter{NewFoldFilter()}, keep: &sharedFolded}
	case Bigram:
		// Bigrams are made from the folded view, which bleve has usually just analyzed.
		return &viewAnalyzer{from: &sharedFolded, tail: []analysis.TokenFilter{NewBigramFilter()}}
	}
	return &viewAnalyzer{}
}

// baseFilters run on every view, in this order.
func baseFilters() []analysis.TokenFilter {
	return []analysis.TokenFilter{
		NewNormalizeFilter(),
		NewNumberFilter(),
		NewLoanwordStemFilter(),
		NewTonePlacementFilter(),
	}
}

// viewAnalyzer runs the shared part of the chain once per text and the view's own filters on a copy.
// Bleve analyzes the four fields of a passage one after another from the same text, so the shared
// tokens are kept in a small cache and the text is tokenized and normalized once, not four times.
type viewAnalyzer struct {
	tail []analysis.TokenFilter
	from *baseCache // where the view's input tokens are cached, when not the shared base
	keep *baseCache // where to cache the view's output for other views
}

// Analyze implements analysis.Analyzer.
func (a *viewAnalyzer) Analyze(input []byte) analysis.TokenStream {
	var base []analysis.Token
	if a.from != nil {
		base = a.from.lookup(input)
	}
	if base == nil {
		base = shared.tokens(input)
		if a.from != nil {
			// Not cached: make the folded tokens here.
			base = slices.Clone(base)
			NewFoldFilter().Filter(pointers(base))
		}
	}
	toks := base
	if len(a.tail) > 0 {
		// The view's filters rewrite tokens: give them copies. Without filters (the exact view) the
		// shared tokens are handed out as they are; nothing downstream writes into them.
		toks = make([]analysis.Token, len(base))
		copy(toks, base)
	}
	stream := make(analysis.TokenStream, len(toks))
	for i := range toks {
		stream[i] = &toks[i]
	}
	for _, f := range a.tail {
		stream = f.Filter(stream)
	}
	if a.keep != nil {
		a.keep.store(input, toks)
	}
	return stream
}

func pointers(toks []analysis.Token) analysis.TokenStream {
	stream := make(analysis.TokenStream, len(toks))
	for i := range toks {
		stream[i] = &toks[i]
	}
	return stream
}

// baseCache remembers the shared tokens of the last few texts analyzed. Filters replace a token's Term
// slice but never write into it, so cached tokens stay valid while views copy them.
type baseCache struct {
	mu      sync.Mutex
	entries [8]struct {
		text   string
		tokens []analysis.Token
	}
	next int
}

// shared caches the tokens after the shared filters; sharedFolded the folded view's.
var shared, sharedFolded baseCache

// minCachedText keeps short texts (queries) out of the cache: re-analyzing them is cheaper.
const minCachedText = 64

// lookup returns the cached tokens of input, or nil.
func (c *baseCache) lookup(input []byte) []analysis.Token {
	if len(input) < minCachedText {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		if len(e.text) == len(input) && e.text == string(input) {
			return e.tokens
		}
	}
	return nil
}

// reset empties the cache.
func (c *baseCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.entries {
		c.entries[i].text, c.entries[i].tokens = "", nil
	}
}

// store caches the tokens of input, replacing the oldest entry.
func (c *baseCache) store(input []byte, toks []analysis.Token) {
	if len(input) < minCachedText {
		return
	}
	c.mu.Lock()
	e := &c.entries[c.next]
	e.text, e.tokens = string(input), toks
	c.next = (c.next + 1) % len(c.entries)
	c.mu.Unlock()
}

// tokens returns the tokens of input after the shared filters, from the cache when it has them.
func (c *baseCache) tokens(input []byte) []analysis.Token {
	if toks := c.lookup(input); toks != nil {
		return toks
	}
	toks := tokenize(input)
	baseTerms.apply(toks)
	c.store(input, toks)
	return toks
}

// termCache remembers what the shared filters make of each raw term. They rewrite each token on its
// own (its Term, from its bytes alone: the type follows from them too) and never drop one, so a raw
// term seen before needs no filtering: a corpus repeats its few thousand syllables millions of times,
// and the filters cost more than the tokenizer.
type termCache struct {
	mu sync.RWMutex
	m  map[string][]byte // raw term → filtered term; the bytes are never written to
}

// maxCachedTerms bounds the cache; past it, new terms are filtered every time.
const maxCachedTerms = 200_000

var baseTerms = termCache{m: map[string][]byte{}}

// apply runs the shared filters over toks, filtering only the terms not seen before.
func (c *termCache) apply(toks []analysis.Token) {
	var misses analysis.TokenStream
	c.mu.RLock()
	for i := range toks {
		if t, ok := c.m[string(toks[i].Term)]; ok {
			toks[i].Term = t
		} else {
			misses = append(misses, &toks[i])
		}
	}
	full := len(c.m) >= maxCachedTerms
	c.mu.RUnlock()
	if len(misses) == 0 {
		return
	}
	var raw []string
	if !full {
		raw = make([]string, len(misses))
		for i, t := range misses {
			raw[i] = string(t.Term)
		}
	}
	for _, f := range baseFilters() {
		f.Filter(misses) // the shared filters rewrite tokens in place and never drop any
	}
	if full {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, t := range misses {
		if len(c.m) < maxCachedTerms {
			// A copy: the term may share memory with the text or a filter's arena, kept alive otherwise;
			// capped, so that an append to a term handed out copies it instead of writing into it.
			term := []byte(string(t.Term))
			c.m[raw[i]] = term[:len(term):len(term)]
		}
	}
}

// Sanitize makes text safe to analyze and store: invalid UTF-8 bytes become U+FFFD (never silently
// dropping what follows them) and the text is put in NFC, so offsets into it mean one thing.
func Sanitize(text string) string {
	if isNFC(text) {
		return text
	}
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	return norm.NFC.String(text)
}

// nfcStable marks the characters below U+3000 (Latin letters, punctuation, symbols) that are in NFC
// and neither combine with the character before them nor are reordered with it (combining class 0):
// a text made only of them and ASCII is in NFC, however they follow each other.
var nfcStable = func() (t [0x3000]bool) {
	for r := rune(utf8.RuneSelf); r < rune(len(t)); r++ {
		c := string(r)
		t[r] = norm.NFC.PropertiesString(c).BoundaryBefore() && norm.NFC.String(c) == c
	}
	return t
}()

// isNFC reports, quicker than the norm package for Vietnamese text (ASCII and precomposed Latin
// letters), whether text is valid UTF-8 that NFC leaves as it is. False means: not known.
func isNFC(text string) bool {
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if int(r) >= len(nfcStable) || !nfcStable[r] { // invalid bytes decode to RuneError, beyond the table
			return false
		}
		i += size
	}
	return true
}

// Token is one analyzed token, with offsets in code points (runes) into the analyzed text.
type Token struct {
	Term     string `json:"term"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Position int    `json:"position"`
}

// Analyze runs every view over text (which should be sanitized) and returns the tokens by view label.
func Analyze(text string) map[string][]Token {
	out := make(map[string][]Token, len(Views))
	runes := NewRuneOffsets(text)
	for _, v := range Views {
		stream := New(v).Analyze([]byte(text))
		toks := make([]Token, 0, len(stream))
		for _, t := range stream {
			toks = append(toks, Token{
				Term:     string(t.Term),
				Start:    runes.Rune(t.Start),
				End:      runes.Rune(t.End),
				Position: t.Position,
			})
		}
		out[v.Label()] = toks
	}
	return out
}

// RuneOffsets converts byte offsets of a string into code-point offsets.
type RuneOffsets struct {
	text   string
	prefix []int32 // rune count before each byte; nil for ASCII text
}

// NewRuneOffsets prepares conversions for text.
func NewRuneOffsets(text string) RuneOffsets {
	ro := RuneOffsets{text: text}
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ro.prefix = make([]int32, len(text)+1)
			n := int32(0)
			for j := range len(text) {
				ro.prefix[j] = n
				if utf8.RuneStart(text[j]) {
					n++
				}
			}
			ro.prefix[len(text)] = n
			break
		}
	}
	return ro
}

// Rune returns the code-point offset of byte offset b.
func (ro RuneOffsets) Rune(b int) int {
	if ro.prefix == nil {
		return b
	}
	return int(ro.prefix[b])
}

func init() {
	for _, v := range Views {
		registry.RegisterAnalyzer(string(v), func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
			return New(v), nil
		})
	}
}
