package analyzer

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// TokenizerName is the name under which the syllable tokenizer is registered with bleve.
const TokenizerName = "vi_syllable"

// Tokenizer splits text into syllables and numbers. Unlike bleve's unicode tokenizer it never stops at an
// invalid UTF-8 byte: such a byte separates tokens like a space, and the rest of the text is still read.
// Offsets are bytes into the input, so highlights land on the original text.
//
// A token is a run of letters, combining marks and digits. Inside a token it also keeps:
//   - '.' and ',' between two digits (2.398, 99,73): numbers are normalized by NumberFilter;
//   - '&' between two letters (TT&TT), so the acronym stays one term;
//   - soft hyphens and zero-width characters, which NormalizeFilter removes from the term.
//
// Everything else (spaces of every kind, punctuation, hyphens, slashes) separates tokens.
type Tokenizer struct{}

// NewTokenizer returns the syllable tokenizer.
func NewTokenizer() *Tokenizer { return &Tokenizer{} }

// Tokenize implements analysis.Tokenizer.
func (t *Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	toks := tokenize(input)
	out := make(analysis.TokenStream, len(toks))
	for i := range toks {
		out[i] = &toks[i]
	}
	return out
}

// tokenize returns the tokens of input in one slice, allocated once.
func tokenize(input []byte) []analysis.Token {
	out := make([]analysis.Token, 0, len(input)/5+1)
	start, end := -1, -1 // current token's byte range; end excludes trailing invisible characters
	numeric := true
	flush := func() {
		if start >= 0 && end > start {
			typ := analysis.AlphaNumeric
			if numeric {
				typ = analysis.Numeric
			}
			out = append(out, analysis.Token{
				Start:    start,
				End:      end,
				Term:     input[start:end],
				Position: len(out) + 1,
				Type:     typ,
			})
		}
		start, end, numeric = -1, -1, true
	}
	for i := 0; i < len(input); {
		if c := input[i]; c < utf8.RuneSelf {
			// ASCII, most of the bytes of any text (spaces, punctuation, digits, unaccented letters):
			// the cases below, without decoding or looking up Unicode tables.
			switch {
			case '0' <= c && c <= '9':
				if start < 0 {
					start = i
				}
				end = i + 1
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
				if start < 0 {
					start = i
				}
				end = i + 1
				numeric = false
			case (c == '.' || c == ',') && start >= 0 && end == i && lastIsDigit(input[:i]) && nextIsDigit(input[i+1:]):
				end = i + 1
			case c == '&' && start >= 0 && end == i && !numeric && nextIsLetter(input[i+1:]):
				end = i + 1
			default:
				flush()
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(input[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			flush()
		case isDigit(r):
			if start < 0 {
				start = i
			}
			end = i + size
		case isLetter(r):
			if start < 0 {
				start = i
			}
			end = i + size
			numeric = false
		case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
			// A combining mark belongs to the letter before it (decomposed text).
			if start >= 0 {
				end = i + size
			}
		case isInvisible(r):
			// Kept inside a token, dropped at its edges.
		case (r == '.' || r == ',') && start >= 0 && end == i && lastIsDigit(input[:i]) && nextIsDigit(input[i+size:]):
			end = i + size
		case r == '&' && start >= 0 && end == i && !numeric && nextIsLetter(input[i+size:]):
			end = i + size
		default:
			flush()
		}
		i += size
	}
	flush()
	return out
}

// isLetter is unicode.IsLetter with a fast path for the Latin letters of Vietnamese.
func isLetter(r rune) bool {
	if r < letterTableSize {
		if f := letters[r].folded; 'a' <= f && f <= 'z' || 'A' <= f && f <= 'Z' {
			return true
		}
		if r < utf8.RuneSelf {
			return false
		}
	}
	return unicode.IsLetter(r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r > 0x7f && unicode.IsDigit(r) }

// isInvisible reports the characters that sit inside words without being part of them.
func isInvisible(r rune) bool {
	switch r {
	case 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return false
}

func lastIsDigit(b []byte) bool {
	r, _ := utf8.DecodeLastRune(b)
	return isDigit(r)
}

func nextIsDigit(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return isDigit(r)
}

func nextIsLetter(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return unicode.IsLetter(r)
}

func init() {
	registry.RegisterTokenizer(TokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return NewTokenizer(), nil
	})
}
