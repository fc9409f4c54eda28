package search

import (
	"fmt"

	"github.com/tracuu/tracuu/analyzer"
)

// Bounds on the cost of one query, beyond its length (MaxQueryRunes), page (MaxLimit, MaxOffset) and
// filters (maxBodies). Measured on viquad2-dev (72,427 passages): a 1000-character paragraph of 206
// syllables takes 170 ms and 167 unknown syllables sent to the typo fallback 66 ms, but one quoted
// phrase of 16 common syllables takes 260 ms and eight of them 1.9 s, as phrases read positions.
const (
	// MaxQueryTerms bounds the syllables (and numbers) of a query: each is up to four term look-ups, a
	// bigram, a highlight test on every returned passage and, in the typo fallback, a fuzzy term.
	MaxQueryTerms = 300
	// MaxPhraseTerms bounds the syllables inside "quoted phrases" matched as phrases, in all; a phrase
	// past it counts as plain words (a pasted question may quote a whole sentence).
	MaxPhraseTerms = 24
	// maxAcronymClauses bounds the acronym and expansion clauses added to a query (see acronyms).
	maxAcronymClauses = 16
)

// checkCost rejects a query whose terms would cost more than the bounds allow. Quoted phrases past
// their bound are not refused: phraseTexts reads them as plain words.
func checkCost(q string) error {
	if n := len(analyzer.New(analyzer.Exact).Analyze([]byte(q))); n > MaxQueryTerms {
		return fmt.Errorf("%w: q has %d words; at most %d are allowed", ErrBadRequest, n, MaxQueryTerms)
	}
	return nil
}
