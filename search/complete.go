package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
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
// the order typed and separated by spaces or by what was typed between them (276/TB), a code being
// typed completed whole (276/T → 276/TB-VPCP); when no passage holds the whole query, the longest
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
	defer done()
	decoded, _ := decodeTyping(text, df) // ddinhj danh → định danh, when the corpus agrees
	text = decoded
	toks := analyzer.NewTokenizer().Tokenize([]byte(text))
	p := parse(text)
	if len(p.terms) == 0 || len(toks) != len(p.terms) {
		return []string{}, nil // only punctuation (or a term the analyzer dropped): nothing to complete
	}
	c := completion{terms: p.terms, partial: toks[len(toks)-1].End == len(text)}
	for i := 1; i < len(toks); i++ {
		c.gaps = append(c.gaps, text[toks[i-1].End:toks[i].Start])
	}
	if c.partial {
		// The prefix is matched in the view its own letters ask for: a bare "đi" in a query with tones
		// elsewhere is not yet known to be level-tone.
		typed := text[toks[len(toks)-1].Start:]
		last := &c.terms[len(c.terms)-1]
		if last.numeric {
			c.digits = typed
		}
		switch {
		case analyzer.HasTone(typed):
			last.tier, c.prefixTone = tierExact, toneOf(typed)
		case last.toneless != last.folded:
			last.tier = tierToneless
		default:
			last.tier = tierFolded
		}
	}

	if c.partial && len(c.terms) == 1 && !c.terms[0].numeric {
		return s.completeWord(ctx, c, text[toks[0].Start:], n)
	}
	texts, err := s.completionTexts(ctx, c, n)
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
	// A way of writing the words that the index holds far less than another way of writing the same
	// letters (a misspelling: CCCD găn chíp beside CCCD gắn chíp) comes after every other, however often
	// the passages read hold it.
	misspelt := map[*phrase]bool{}
	for _, a := range found {
		for _, b := range found {
			if a != b && a.folded == b.folded && spelledRarer(a.terms, b.terms, df) {
				misspelt[a] = true
			}
		}
	}
	slices.SortFunc(found, func(a, b *phrase) int {
		return cmp.Or(cmp.Compare(b2i(misspelt[a]), b2i(misspelt[b])), cmp.Compare(b.count, a.count), strings.Compare(a.key, b.key))
	})
	out := []string{}
	seen := map[string]bool{}
	before := "" // the words typed before the matched ending, restored
	if skip := len(p.terms) - longest; len(found) > 0 && skip > 0 {
		if before, err = s.restoreLeading(ctx, strings.TrimSpace(text[:toks[skip].Start])); err != nil {
			return nil, err
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

// misspeltRatio is how many times more passages must hold another way of writing a word for the
// rarer one to be taken as a misspelling.
const misspeltRatio = 4

// spelledRarer reports whether the terms a differ from the terms b (the same words written otherwise)
// only where the index holds a's term in misspeltRatio times fewer passages than b's.
func spelledRarer(a, b []string, df docFreq) bool {
	if len(a) != len(b) {
		return false
	}
	differ := false
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		if df(indexer.FieldText, a[i])*misspeltRatio > df(indexer.FieldText, b[i]) {
			return false
		}
		differ = true
	}
	return differ
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// restoreLeading restores the diacritics of the words typed before a completed ending as a search
// restores a query's, from the passages that best match them, without counting the facets a search
// also counts (most of its cost).
func (s *Searcher) restoreLeading(ctx context.Context, words string) (string, error) {
	p := parse(words)
	if !p.restorable() {
		return words, nil
	}
	df, passages, done, err := s.docFreqs(ctx)
	if err != nil {
		return "", err
	}
	defer done()
	full, _ := p.textQuery(df, passages, s.minCommon, *s.acronyms.Load())
	q := bleve.NewBooleanQuery()
	q.AddMust(full)
	q.AddFilter(termQuery(indexer.FieldKind, indexer.KindPassage, 1))
	req := bleve.NewSearchRequestOptions(q, restoreFrom, 0, false)
	req.Fields = []string{indexer.FieldText}
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return "", fmt.Errorf("complete: %w", err)
	}
	texts := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		texts = append(texts, indexer.StoredString(h.Fields[indexer.FieldText]))
	}
	if restored, ok := restoreDiacritics(words, p, texts, s.evidence(ctx, df)); ok {
		return restored, nil
	}
	return words, nil
}

// completion is a parsed query to complete.
type completion struct {
	terms      []term
	gaps       []string // what was typed between each term and the next
	partial    bool     // the last term is a prefix
	prefixTone rune     // the tone mark typed on the prefix, 0 for none
	digits     string   // a number typed as the prefix, as typed: its term has lost leading zeros (06 → 6)
}

// anchorsLast reports whether the passages to complete from can be found by the last term: a number
// typed with a leading zero cannot (0 is not a prefix of 6, the term of 06), so the words before it
// find them.
func (c completion) anchorsLast() bool {
	return !strings.HasPrefix(c.digits, "0") || len(c.terms) == 1
}

// completionTexts returns the texts of the passages most likely to hold completions: those holding
// the last two syllables together (the last one as a prefix when partial), ranked by how many of the
// other syllables they hold too. When no passage holds the pair, the last syllable alone anchors.
func (s *Searcher) completionTexts(ctx context.Context, c completion, n int) ([]string, error) {
	terms, partial := c.terms, c.partial
	if !c.anchorsLast() {
		terms, partial = terms[:len(terms)-1], false
	}
	last := terms[len(terms)-1]
	anchor := func(field, term string) (query.Query, error) {
		if !partial {
			return fieldTerm(field, term, 1), nil
		}
		// Not a prefix query: a short prefix (d, th) stands for thousands of terms, and walking all
		// their passages took 200 ms on 72,000 passages. The most frequent few are what completes.
		terms, err := s.frequentTerms(ctx, field, term, n+completeSpare)
		if err != nil {
			return nil, err
		}
		alts := make([]query.Query, 0, len(terms))
		for _, t := range terms {
			alts = append(alts, fieldTerm(field, t, 1))
		}
		return bleve.NewDisjunctionQuery(alts...), nil // none: matches nothing
	}
	type anchorTerm struct{ field, term string }
	var anchors []anchorTerm
	if len(terms) > 1 {
		anchors = append(anchors, anchorTerm{indexer.FieldBigram, terms[len(terms)-2].folded + " " + last.folded})
	}
	anchors = append(anchors, anchorTerm{indexer.FieldFolded, last.folded})
	for _, ft := range anchors {
		a, err := anchor(ft.field, ft.term)
		if err != nil {
			return nil, err
		}
		q := bleve.NewBooleanQuery()
		q.AddMust(a)
		q.AddFilter(termQuery(indexer.FieldKind, indexer.KindPassage, 1))
		var others []query.Query
		for _, t := range c.terms[:len(c.terms)-1] {
			others = append(others, termQuery(indexer.FieldFolded, t.folded, 1))
		}
		if len(others) > 0 {
			q.AddShould(others...)
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
			texts = append(texts, indexer.StoredString(h.Fields[indexer.FieldText]))
		}
		return texts, nil
	}
	return nil, nil
}

// completeSpare is how many more of the terms beginning with the prefix typed are looked for than
// completions were asked for: the most frequent ones, since the views typed may rule some out.
const completeSpare = 5

// completeWord completes a query of one partly typed syllable from the index's dictionary of exact
// terms: those whose folded form begins with the prefix (and whose toneless form and tone agree with
// what was typed), most frequent first. With no other word to agree with, frequency is all there is
// to rank by, and the dictionary has it without reading a passage (the passages of the most frequent
// syllables took 100 ms to read on 72,000 passages).
func (s *Searcher) completeWord(ctx context.Context, c completion, typed string, n int) ([]string, error) {
	r, err := s.reader()
	if err != nil {
		return nil, fmt.Errorf("complete: %w", err)
	}
	defer r.Close()
	var terms []string
	for _, prefix := range exactPrefixes(c.terms[0].folded) {
		dict, err := r.FieldDictPrefix(indexer.FieldText, []byte(prefix))
		if err != nil {
			return nil, fmt.Errorf("complete: %w", err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return nil, fmt.Errorf("complete: %w", err)
			}
			if e == nil {
				break
			}
			terms = append(terms, e.Term)
		}
		dict.Close()
	}
	// Every view of every term at once: the filters rewrite terms one token at a time.
	exact, toneless, folded := make(analysis.TokenStream, len(terms)), make(analysis.TokenStream, len(terms)), make(analysis.TokenStream, len(terms))
	for i, t := range terms {
		exact[i] = &analysis.Token{Term: []byte(t)}
		toneless[i] = &analysis.Token{Term: []byte(t)}
		folded[i] = &analysis.Token{Term: []byte(t)}
	}
	analyzer.NewTonelessFilter().Filter(toneless)
	analyzer.NewFoldFilter().Filter(folded)
	var fit []int
	counts := make([]uint64, len(terms))
	for i := range terms {
		if c.matchLast(terms[i], exact[i], toneless[i], folded[i]) {
			fit = append(fit, i)
			counts[i] = docCount(ctx, r, indexer.FieldText, terms[i])
		}
	}
	slices.SortFunc(fit, func(a, b int) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(terms[a], terms[b]))
	})
	out := make([]string, 0, n)
	for _, i := range fit[:min(n, len(fit))] {
		form := matchCase(terms[i], typed)
		if !analyzer.IsSyllable(string(folded[i].Term)) {
			// An acronym or a foreign word keeps the corpus's spelling (CCCD, VNeID), which the
			// dictionary's lower-case term has lost.
			if spelled, ok := s.spelling(ctx, terms[i]); ok {
				form = spelled
			}
		}
		out = append(out, form)
	}
	return out, nil
}

// spelling returns how a passage holding the exact term writes it.
func (s *Searcher) spelling(ctx context.Context, term string) (string, bool) {
	req := bleve.NewSearchRequestOptions(termQuery(indexer.FieldText, term, 1), 1, 0, false)
	req.Fields = []string{indexer.FieldText}
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil || len(res.Hits) == 0 {
		return "", false
	}
	text := indexer.StoredString(res.Hits[0].Fields[indexer.FieldText])
	for _, tok := range analyzer.New(analyzer.Exact).Analyze([]byte(text)) {
		if string(tok.Term) == term {
			return text[tok.Start:tok.End], true
		}
	}
	return "", false
}

// docCount returns how many passages hold term in field. Not the count of a dictionary entry: on an
// on-disk index, a dictionary read from a prefix shorter than the term gave wrong counts (dân: 1
// instead of 14,791 on viquad2-dev, bleve v2.6.3), while a term reader counts right.
func docCount(ctx context.Context, r index.IndexReader, field, term string) uint64 {
	if field == indexer.FieldBigram {
		n, _ := pairCount(ctx, r, term)
		return n
	}
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0
	}
	defer tfr.Close()
	return tfr.Count()
}

// exactPrefixes returns the prefixes that every exact term whose folded form begins with folded
// begins with: the accented forms of its first letter (d: d, đ; a: a, à, á … ậ), followed by the
// consonants after it, which have no accented forms (th, ngh).
func exactPrefixes(folded string) []string {
	first, size := utf8.DecodeRuneInString(folded)
	rest := folded[size:]
	if i := strings.IndexAny(rest, "aeiouyd"); i >= 0 {
		rest = rest[:i]
	}
	var out []string
	for _, r := range accentedForms()[first] {
		out = append(out, string(r)+rest)
	}
	return out
}

// accentedForms maps each folded letter to the lower-case letters that fold to it, itself included.
var accentedForms = sync.OnceValue(func() map[rune][]rune {
	var letters analysis.TokenStream
	for _, block := range [][2]rune{{'0', '9'}, {'a', 'z'}, {0xC0, 0x24F}, {0x1E00, 0x1EFF}} {
		for r := block[0]; r <= block[1]; r++ {
			if unicode.IsLetter(r) && unicode.IsLower(r) || unicode.IsDigit(r) {
				letters = append(letters, &analysis.Token{Term: []byte(string(r))})
			}
		}
	}
	originals := make([]rune, len(letters))
	for i, t := range letters {
		originals[i], _ = utf8.DecodeRune(t.Term)
	}
	analyzer.NewFoldFilter().Filter(letters)
	forms := map[rune][]rune{}
	for i, t := range letters {
		if f, size := utf8.DecodeRune(t.Term); size == len(t.Term) {
			forms[f] = append(forms[f], originals[i])
		}
	}
	return forms
})

// frequentTerms returns the (at most) k terms of field beginning with prefix that the most passages
// hold, most first.
func (s *Searcher) frequentTerms(ctx context.Context, field, prefix string, k int) ([]string, error) {
	r, err := s.reader()
	if err != nil {
		return nil, fmt.Errorf("complete: %w", err)
	}
	defer r.Close()
	terms, err := dictTerms(r, field, prefix)
	if err != nil {
		return nil, err
	}
	if i := strings.LastIndexByte(prefix, ' '); field == indexer.FieldBigram && i >= 0 {
		// A bulk build's pairs are in no dictionary: the pairs the folded view's terms would make are
		// looked up (a few hundred at most after a one-letter prefix).
		last, err := dictTerms(r, indexer.FieldFolded, prefix[i+1:])
		if err != nil {
			return nil, err
		}
		for _, t := range last {
			terms = append(terms, prefix[:i+1]+t)
		}
		// Once each, in dictionary order, as bleve's alone: of pairs equally frequent, the first are
		// kept, and which those are must not depend on where each pair is kept.
		slices.Sort(terms)
		terms = slices.Compact(terms)
	}
	var top []index.DictEntry // the k most frequent so far, most first
	for _, term := range terms {
		entry := index.DictEntry{Term: term, Count: docCount(ctx, r, field, term)}
		if entry.Count == 0 {
			continue
		}
		if len(top) == k && entry.Count <= top[k-1].Count {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, entry.Count, func(d index.DictEntry, n uint64) int { return cmp.Compare(n, d.Count) })
		top = slices.Insert(top, i, entry)
		if len(top) > k {
			top = top[:k]
		}
	}
	out := make([]string, len(top))
	for i, e := range top {
		out[i] = e.Term
	}
	return out, nil
}

// dictTerms returns the terms of field beginning with prefix.
func dictTerms(r index.IndexReader, field, prefix string) ([]string, error) {
	dict, err := r.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, fmt.Errorf("complete: %w", err)
	}
	defer dict.Close()
	var terms []string
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("complete: %w", err)
		}
		if e == nil {
			return terms, nil
		}
		terms = append(terms, e.Term)
	}
}

// phrase is a run of passage tokens that completes the query, or its ending.
type phrase struct {
	key    string         // the exact terms, space separated: one entry per way of writing the words
	terms  []string       // the exact terms
	folded string         // the folded terms, space separated: the same for every way of writing them
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
		gap := func(i int) string { return text[exact[i].End:exact[i+1].Start] } // after token i
		for j := range folded {
			if !c.matchLast(text[exact[j].Start:exact[j].End], exact[j], toneless[j], folded[j]) {
				continue
			}
			// Extend backwards over the words typed before, while they match and are separated as typed:
			// by spaces, or by the very characters typed (276/TB).
			length := 1
			for k := 1; k <= last && j-k >= 0; k++ {
				i := j - k
				if !sameGap(gap(i), c.gaps[last-k]) || !c.matchTerm(last-k, exact[i], toneless[i], folded[i]) {
					break
				}
				length++
			}
			// A code being typed is completed whole: 276/T → 276/TB-VPCP, covi → COVID-19.
			to := j
			for c.partial && to+1 < len(exact) && joiner(gap(to)) {
				// A hyphen between two syllables joins words (kinh tế-xã hội), not a code.
				if strings.Trim(gap(to), "-") == "" && syllable(folded[to]) && syllable(folded[to+1]) {
					break
				}
				to++
			}
			var form, key strings.Builder
			var terms, foldedTerms []string
			fmt.Fprint(&key, length, "\x00")
			for i := j - length + 1; i <= to; i++ {
				form.WriteString(text[exact[i].Start:exact[i].End])
				key.Write(exact[i].Term)
				terms = append(terms, string(exact[i].Term))
				foldedTerms = append(foldedTerms, string(folded[i].Term))
				if i < to {
					sep := gap(i)
					if spaceOnly([]byte(sep)) {
						sep = " "
					}
					form.WriteString(sep)
					key.WriteString(sep)
				}
			}
			ph := phrases[key.String()]
			if ph == nil {
				ph = &phrase{key: key.String(), terms: terms, folded: strings.Join(foldedTerms, " "), length: length, forms: map[string]int{}}
				phrases[key.String()] = ph
			}
			ph.count++
			ph.forms[form.String()]++
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

// matchLast reports whether a passage token (written as surface) completes the last query term:
// begins with it in the view it was typed for, and has its tone when one was typed (the tone mark may
// move as the syllable grows: hò → hoà). A number typed matches a number written beginning with the
// same characters (0 → 06) or whose value's digits begin with its own (1000 → 1.000.000).
func (c completion) matchLast(surface string, exact, toneless, folded *analysis.Token) bool {
	last := len(c.terms) - 1
	if !c.partial {
		return c.matchTerm(last, exact, toneless, folded)
	}
	t := c.terms[last]
	if c.digits != "" && strings.HasPrefix(surface, c.digits) {
		return true
	}
	switch t.tier {
	case tierExact:
		return strings.HasPrefix(string(toneless.Term), t.toneless) && toneOf(string(exact.Term)) == c.prefixTone
	case tierToneless:
		return strings.HasPrefix(string(toneless.Term), t.toneless)
	}
	return strings.HasPrefix(string(folded.Term), t.folded)
}

// sameGap reports whether what a passage has between two words (passage) is what the query has
// between them (typed): both only spaces, or the same characters. A space typed also stands for a
// hyphen joining two words (khai sinh thường → khai sinh-thường trú).
func sameGap(passage, typed string) bool {
	if spaceOnly([]byte(typed)) {
		return spaceOnly([]byte(passage)) || passage == "-" || passage == "–"
	}
	return strings.TrimSpace(passage) == strings.TrimSpace(typed)
}

// joiner reports whether gap joins two tokens into one code or compound (276/TB-VPCP, COVID-19): one
// of / - _ . alone (an ellipsis, Nam...Chính, joins nothing).
func joiner(gap string) bool {
	return len(gap) == 1 && strings.Contains("/-_.", gap)
}

// syllable reports whether a folded token is a Vietnamese syllable (not a number, code or acronym).
func syllable(folded *analysis.Token) bool {
	return folded.Type != analysis.Numeric && analyzer.IsSyllable(string(folded.Term))
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
