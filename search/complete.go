package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	"golang.org/x/text/unicode/norm"

	"github.com/tracuu/tracuu/analyzer"
	"github.com/tracuu/tracuu/indexer"
)

// Limits of a completion request.
const (
	MaxCompleteRunes   = 200 // a query typed into a search box, not a pasted document
	MaxSuggestions     = 20
	DefaultSuggestions = 5
)

// completeFrom is how many passages completions are read from: enough for the frequent phrases to
// outvote the rare ones, few enough to analyze in a millisecond or two.
const completeFrom = 40

// Complete returns up to n completions of a partly typed query, best first: the query's syllables as
// the corpus writes them (diacritics restored, dinh danh → định danh) with its last syllable completed
// from the prefix typed so far (dien t → điện tử). A query ending in a space or punctuation has no
// prefix: its syllables are only restored. Completions are phrases found in the passages, words in
// the order typed and separated by spaces only; when no passage holds the whole query, the longest
// ending of it that some passage holds is completed and the words before it are restored as a search
// restores them. No completion is an empty list, not an error.
func (s *Searcher) Complete(ctx context.Context, q string, n int) ([]string, error) {
	text := analyzer.Sanitize(q)
	switch runes := utf8.RuneCountInString(strings.TrimSpace(text)); {
	case runes == 0:
		return nil, fmt.Errorf("%w: q must not be empty", ErrBadRequest)
	case runes > MaxCompleteRunes:
		return nil, fmt.Errorf("%w: q must be at most %d characters", ErrBadRequest, MaxCompleteRunes)
	}
	if n < 1 || n > MaxSuggestions {
		return nil, fmt.Errorf("%w: limit must be between 1 and %d", ErrBadRequest, MaxSuggestions)
	}
	text = strings.TrimLeftFunc(text, unicode.IsSpace)
	df, _, done, err := s.docFreqs(ctx)
	if err != nil {
		return nil, err
	}
	decoded, _ := decodeTyping(text, df) // ddinhj danh → định danh, when the corpus agrees
	done()
	text = decoded
	toks := analyzer.NewTokenizer().Tokenize([]byte(text))
	p := parse(text)
	if len(p.terms) == 0 || len(toks) != len(p.terms) {
		return []string{}, nil // only punctuation (or a term the analyzer dropped): nothing to complete
	}
	c := completion{terms: p.terms, partial: toks[len(toks)-1].End == len(text)}
	if c.partial {
		// The prefix is matched in the view its own letters ask for: a bare "đi" in a query with tones
		// elsewhere is not yet known to be level-tone.
		typed := text[toks[len(toks)-1].Start:]
		last := &c.terms[len(c.terms)-1]
		switch {
		case analyzer.HasTone(typed):
			last.tier, c.prefixTone = tierExact, toneOf(typed)
		case last.toneless != last.folded:
			last.tier = tierToneless
		default:
			last.tier = tierFolded
		}
	}

	texts, err := s.completionTexts(ctx, c)
	if err != nil {
		return nil, err
	}
	found := c.scan(texts)
	// Only the longest matches: a shorter one completes the last syllable out of the context typed
	// before it. The last syllable must at least follow the one before it.
	longest := 0
	for _, ph := range found {
		longest = max(longest, ph.length)
	}
	found = slices.DeleteFunc(found, func(ph *phrase) bool {
		return ph.length < longest || ph.length < min(2, len(p.terms))
	})
	slices.SortFunc(found, func(a, b *phrase) int {
		return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(a.key, b.key))
	})
	out := []string{}
	seen := map[string]bool{}
	before := "" // the words typed before the matched ending, restored
	if skip := len(p.terms) - longest; len(found) > 0 && skip > 0 {
		// Restored as a search would restore them, from the passages that hold them.
		before = strings.TrimSpace(text[:toks[skip].Start])
		resp, err := s.Search(ctx, Request{Query: before, Limit: 1, SkipHighlights: true})
		if err != nil {
			return nil, err
		}
		if resp.Suggestion != nil {
			before = *resp.Suggestion
		}
	}
	for _, ph := range found {
		if len(out) == n {
			break
		}
		full := strings.TrimSpace(before + " " + ph.surface())
		if key := strings.ToLower(full); !seen[key] {
			seen[key] = true
			out = append(out, full)
		}
	}
	return out, nil
}

// completion is a parsed query to complete.
type completion struct {
	terms      []term
	partial    bool // the last term is a prefix
	prefixTone rune // the tone mark typed on the prefix, 0 for none
}

// completionTexts returns the texts of the passages most likely to hold completions: those holding
// the last two syllables together (the last one as a prefix when partial), ranked by how many of the
// other syllables they hold too. When no passage holds the pair, the last syllable alone anchors.
func (s *Searcher) completionTexts(ctx context.Context, c completion) ([]string, error) {
	last := c.terms[len(c.terms)-1]
	anchor := func(field, term string) query.Query {
		if c.partial {
			q := bleve.NewPrefixQuery(term)
			q.SetField(field)
			return q
		}
		return termQuery(field, term, 1)
	}
	var anchors []query.Query
	if len(c.terms) > 1 {
		anchors = append(anchors, anchor(indexer.FieldBigram, c.terms[len(c.terms)-2].folded+" "+last.folded))
	}
	anchors = append(anchors, anchor(indexer.FieldFolded, last.folded))
	for _, a := range anchors {
		q := bleve.NewBooleanQuery()
		q.AddMust(a)
		q.AddFilter(termQuery(indexer.FieldKind, indexer.KindPassage, 1))
		var context []query.Query
		for _, t := range c.terms[:len(c.terms)-1] {
			context = append(context, termQuery(indexer.FieldFolded, t.folded, 1))
		}
		if len(context) > 0 {
			q.AddShould(context...)
		}
		req := bleve.NewSearchRequestOptions(q, completeFrom, 0, false)
		req.Fields = []string{indexer.FieldText}
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("complete: %w", err)
		}
		if len(res.Hits) == 0 {
			continue
		}
		texts := make([]string, 0, len(res.Hits))
		for _, h := range res.Hits {
			texts = append(texts, str(h.Fields[indexer.FieldText]))
		}
		return texts, nil
	}
	return nil, nil
}

// phrase is a run of passage tokens that completes the query, or its ending.
type phrase struct {
	key    string         // the exact terms, space separated: one entry per way of writing the words
	length int            // how many query terms it matches, counted from the last
	count  int            // occurrences
	forms  map[string]int // surface forms (case, tone placement as written) and their occurrences
}

// surface is the most frequent way the corpus writes the phrase, the one in lower case on a tie.
func (ph *phrase) surface() string {
	lower := func(s string) int {
		if s == strings.ToLower(s) {
			return 1
		}
		return 0
	}
	best, bestN := "", 0
	for form, n := range ph.forms {
		if c := cmp.Or(cmp.Compare(n, bestN), cmp.Compare(lower(form), lower(best)), strings.Compare(best, form)); best == "" || c > 0 {
			best, bestN = form, n
		}
	}
	return best
}

// scan finds in texts every run of tokens ending in a completion of the last query term and matching
// the terms before it, as many as it can, in the view each was typed for.
func (c completion) scan(texts []string) []*phrase {
	phrases := map[string]*phrase{}
	for _, text := range texts {
		b := []byte(text)
		exact := analyzer.New(analyzer.Exact).Analyze(b)
		toneless := analyzer.New(analyzer.Toneless).Analyze(b)
		folded := analyzer.New(analyzer.Folded).Analyze(b)
		if len(exact) != len(folded) || len(toneless) != len(folded) {
			continue // the views do not line up (cannot happen with token-rewriting filters)
		}
		last := len(c.terms) - 1
		for j := range folded {
			if !c.matchLast(exact[j], toneless[j], folded[j]) {
				continue
			}
			// Extend backwards over the words typed before, while they match and only spaces separate.
			length := 1
			for k := 1; k <= last && j-k >= 0; k++ {
				i := j - k
				if !spaceOnly(b[folded[i].End:folded[i+1].Start]) || !c.matchTerm(last-k, exact[i], toneless[i], folded[i]) {
					break
				}
				length++
			}
			from := j - length + 1
			words := make([]string, 0, length)
			terms := make([]string, 0, length)
			for i := from; i <= j; i++ {
				words = append(words, text[exact[i].Start:exact[i].End])
				terms = append(terms, string(exact[i].Term))
			}
			key := fmt.Sprint(length) + "\x00" + strings.Join(terms, " ")
			ph := phrases[key]
			if ph == nil {
				ph = &phrase{key: key, length: length, forms: map[string]int{}}
				phrases[key] = ph
			}
			ph.count++
			ph.forms[strings.Join(words, " ")]++
		}
	}
	out := make([]*phrase, 0, len(phrases))
	for _, ph := range phrases {
		out = append(out, ph)
	}
	return out
}

// matchTerm reports whether a passage token is query term i, in the view the user typed it for.
func (c completion) matchTerm(i int, exact, toneless, folded *analysis.Token) bool {
	t := c.terms[i]
	switch t.tier {
	case tierExact:
		return string(exact.Term) == t.exact
	case tierToneless:
		return string(toneless.Term) == t.toneless
	}
	return string(folded.Term) == t.folded
}

// matchLast reports whether a passage token completes the last query term: begins with it in the
// view it was typed for, and has its tone when one was typed (the tone mark may move as the syllable
// grows: hò → hoà).
func (c completion) matchLast(exact, toneless, folded *analysis.Token) bool {
	last := len(c.terms) - 1
	if !c.partial {
		return c.matchTerm(last, exact, toneless, folded)
	}
	t := c.terms[last]
	switch t.tier {
	case tierExact:
		return strings.HasPrefix(string(toneless.Term), t.toneless) && toneOf(string(exact.Term)) == c.prefixTone
	case tierToneless:
		return strings.HasPrefix(string(toneless.Term), t.toneless)
	}
	return strings.HasPrefix(string(folded.Term), t.folded)
}

func spaceOnly(b []byte) bool {
	for _, r := range string(b) {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// toneOf returns the tone mark of a syllable (a combining grave, acute, tilde, hook or dot below), 0
// for the level tone.
func toneOf(s string) rune {
	for _, r := range norm.NFD.String(s) {
		switch r {
		case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
			return r
		}
	}
	return 0
}
