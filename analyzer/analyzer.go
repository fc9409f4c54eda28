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
	"strings"
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

// New returns the analyzer of a view.
func New(v View) analysis.Analyzer {
	filters := []analysis.TokenFilter{
		NewNormalizeFilter(),
		NewNumberFilter(),
		NewLoanwordStemFilter(),
		NewTonePlacementFilter(),
	}
	switch v {
	case Toneless:
		filters = append(filters, NewTonelessFilter())
	case Folded:
		filters = append(filters, NewFoldFilter())
	case Bigram:
		filters = append(filters, NewFoldFilter(), NewBigramFilter())
	}
	return &analysis.DefaultAnalyzer{Tokenizer: NewTokenizer(), TokenFilters: filters}
}

// Sanitize makes text safe to analyze and store: invalid UTF-8 bytes become U+FFFD (never silently
// dropping what follows them) and the text is put in NFC, so offsets into it mean one thing.
func Sanitize(text string) string {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	return norm.NFC.String(text)
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
