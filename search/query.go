package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/tracuu/tracuu/analyzer"
	"github.com/tracuu/tracuu/indexer"
)

// tier says how precisely the user typed a query syllable, and so which view must match it.
type tier int

const (
	tierFolded   tier = iota // no diacritics typed: dinh
	tierToneless             // hats or đ but no tone: đinh
	tierExact                // a tone mark typed: định
)

// term is one query syllable in every view.
type term struct {
	exact, toneless, folded string
	tier                    tier
	numeric                 bool
	weight                  float64 // 1, less for question words
	question                string  // the word with its diacritics, when it belongs to a question phrase
	typo                    bool    // a long syllable in no passage: matched within one edit (markTypos)
	// acronymLike: typed without a tone mark, and in capitals (BA, CCCD) or not a Vietnamese syllable
	// (cccd, csdl). Only such a word is read as an acronym: bà, vỡ, ba and vo are words.
	acronymLike bool
	acronym     bool // acronymLike and a known acronym (markTypos): never taken for a typo
}

// parsed is a query after analysis.
type parsed struct {
	accented bool // the user typed tone marks somewhere: plain syllables are probably level-tone words
	terms    []term
	bigrams  []string // folded pairs of adjacent syllables
}

// Boosts of the views. A syllable found in the form it was typed in scores in that view and in the
// folded one, so exact > toneless > folded falls out of the sums; a matching bigram rewards syllables
// found together.
const (
	boostExact    = 3.0
	boostToneless = 1.0
	boostFolded   = 1.0
	boostBigram   = 1.0
	boostNumber   = 2.0
	boostTitle    = 0.3
	boostAcronym  = 2.0
)

// parse analyzes a sanitized query in every view. Tokens line up across views: the filters only
// rewrite terms.
func parse(text string) parsed {
	input := []byte(text)
	streams := map[analyzer.View]analysis.TokenStream{}
	for _, v := range analyzer.Views {
		streams[v] = analyzer.New(v).Analyze(input)
	}
	p := parsed{accented: analyzer.HasTone(text)}
	for i, tok := range streams[analyzer.Exact] {
		t := term{
			exact:    string(tok.Term),
			toneless: string(streams[analyzer.Toneless][i].Term),
			folded:   string(streams[analyzer.Folded][i].Term),
			numeric:  tok.Type == analysis.Numeric,
		}
		t.weight = 1
		if t.numeric {
			t.weight = boostNumber
		}
		surface := text[tok.Start:tok.End]
		t.acronymLike = !t.numeric && !analyzer.HasTone(surface) &&
			(allCapitals(surface) || !analyzer.IsSyllable(t.folded))
		switch {
		case analyzer.HasTone(surface):
			t.tier = tierExact
		case t.toneless != t.folded && p.accented:
			t.tier = tierExact
		case t.toneless != t.folded:
			t.tier = tierToneless
		}
		p.terms = append(p.terms, t)
	}
	for _, b := range streams[analyzer.Bigram] {
		p.bigrams = append(p.bigrams, string(b.Term))
	}
	p.markQuestionWords()
	return p
}

// allCapitals reports whether a word has two letters or more, all upper case.
func allCapitals(word string) bool {
	n := 0
	for _, r := range word {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n >= 2
}

// questionPhrases are the words that make a question of a query ("bao nhiêu", "là gì", "khi nào", "như
// thế nào", "có … không"): they say what kind of answer is wanted, not what it is about, and are
// down-weighted rather than dropped. They are a closed class, so typed without diacritics they are
// restored from this list rather than from the corpus (bao nhieu is bao nhiêu, never bảo nhiều) when
// a phrase of two or more words is typed.
var questionPhrases = func() [][]questionWord {
	var out [][]questionWord
	for _, phrase := range []string{
		"như thế nào", "là bao nhiêu", "gồm những gì", "bao nhiêu", "là gì", "khi nào", "ở đâu", "thế nào",
		"tại sao", "vì sao", "là ai", "bao giờ", "bao lâu", "có phải", "hay không", "được không",
		"những gì", "năm nào", "nào là", "cái gì", "điều gì", "phải không", "chưa", "không", "gì", "nào",
	} {
		var words []questionWord
		for _, w := range strings.Fields(phrase) {
			words = append(words, questionWord{accented: w, folded: foldedTerms(w)[0]})
		}
		out = append(out, words)
	}
	return out
}()

type questionWord struct{ accented, folded string }

// questionWeight is the weight of a question word relative to a content word.
const questionWeight = 0.3

func (p *parsed) markQuestionWords() {
	for i := range p.terms {
		for _, phrase := range questionPhrases {
			if i+len(phrase) > len(p.terms) {
				continue
			}
			match := true
			for k, w := range phrase {
				match = match && p.terms[i+k].folded == w.folded
			}
			if match {
				for k, w := range phrase {
					p.terms[i+k].weight = questionWeight
					// Restored only within a phrase of two or more: alone, chua may be chùa, nao não.
					if p.terms[i+k].question == "" && len(phrase) > 1 {
						p.terms[i+k].question = w.accented
					}
				}
			}
		}
	}
}

func termQuery(field, value string, boost float64) *query.TermQuery {
	q := bleve.NewTermQuery(value)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// docFreq tells how many passages hold a term in a field.
type docFreq func(field, term string) uint64

// A syllable in more than commonFraction of the passages, and in more than minCommon of them (là,
// của, các, được, và …), does not select candidates: it only scores those the rarer words found.
// Small corpora have no common words.
const commonFraction = 0.02

// dropFraction: a syllable in more than this share of the passages is left out of the query: it adds
// cost and noise, not evidence (measured on viquad2-dev: same MRR, half the latency).
const dropFraction = 0.1

// defaultMinCommon: a word in fewer passages is never common.
const defaultMinCommon = 1000

// textQuery scores passages by the query's syllables in the view each was typed for, and by its
// bigrams. It returns the whole query, and, when some of its clauses are common, the query of its
// selective clauses alone: that one finds the candidates cheaply, and the whole query then ranks them,
// so a long question does not walk the posting lists of its most frequent syllables.
//
// How common a syllable is is judged in the view it was typed for: vợ is rare though vo (vô, võ, vở,
// vỡ …) is everywhere, and finds candidates as typed. A query whose every clause is ubiquitous (năm,
// có) still searches them: it is never emptied.
func (p parsed) textQuery(df docFreq, passages, minCommon uint64, acr acronyms) (full, selectiveOnly query.Query) {
	var selective, candidates, common, dropped []query.Query
	limit := max(uint64(commonFraction*float64(passages)), minCommon)
	ubiquitous := max(uint64(dropFraction*float64(passages)), 5*minCommon)
	// narrow, when not nil, finds candidates in q's stead; q ranks them.
	addNarrow := func(q, narrow query.Query, freq uint64) {
		switch {
		case freq == 0:
			// Matches nothing: it must not become the only way in.
		case freq > ubiquitous:
			// In so many passages that it tells them apart no more than its cost is worth.
			dropped = append(dropped, q)
		case freq > limit:
			common = append(common, q)
		default:
			selective = append(selective, q)
			if narrow == nil {
				narrow = q
			}
			candidates = append(candidates, narrow)
		}
	}
	add := func(q query.Query, freq uint64) { addNarrow(q, nil, freq) }
	seen := map[string]bool{}
	for _, t := range p.terms {
		key := t.exact + "\x00" + string(rune('0'+t.tier))
		if seen[key] {
			continue
		}
		seen[key] = true
		if t.typo {
			add(fuzzyTerm(t), 0)
			continue
		}
		folded := df(indexer.FieldFolded, t.folded)
		freq := folded
		// The view the syllable was typed for, when it is not the folded one.
		var typed query.Query
		var typedFreq uint64
		switch {
		case t.tier == tierToneless:
			// A syllable typed with hats but no tone (đinh) matches any of its tone forms in the exact
			// view (đinh, đình, định …), the ones the index holds. A disjunction scales its sum by the
			// share of its clauses that match, and a passage holds about one form: each form's boost
			// undoes that share (bleve ignores a boost set on the disjunction itself).
			var present []string
			for _, f := range analyzer.ToneForms(t.toneless) {
				if n := df(indexer.FieldText, f); n > 0 {
					present = append(present, f)
					typedFreq += n // at most the passages holding any of them
				}
			}
			if len(present) > 0 {
				forms := make([]query.Query, len(present))
				for i, f := range present {
					forms[i] = termQuery(indexer.FieldText, f, boostToneless*t.weight*float64(len(present)))
				}
				typed = bleve.NewDisjunctionQuery(forms...)
				freq = min(typedFreq, folded)
			}
		case t.tier == tierExact:
			typed = termQuery(indexer.FieldText, t.exact, boostExact*t.weight)
			if typedFreq = df(indexer.FieldText, t.exact); typedFreq > 0 {
				freq = typedFreq
			}
		case p.accented && !t.numeric:
			// Plain in an accented query: probably a level tone, but judged folded (it may be a word
			// typed without its marks).
			typed = termQuery(indexer.FieldText, t.exact, boostExact*t.weight)
			typedFreq = df(indexer.FieldText, t.exact)
		}
		// The folded view makes exact > toneless > folded fall out of the sums, and matches a word
		// typed with another tone; but where it alone would be dropped as ubiquitous it is evidence
		// for nothing and costs a walk of most passages. So is the title, folded too (Võ for vợ).
		if typedFreq > 0 && folded > ubiquitous {
			add(typed, freq)
			continue
		}
		views := []query.Query{termQuery(indexer.FieldFolded, t.folded, boostFolded*t.weight)}
		if typed != nil {
			views = append(views, typed)
		}
		views = append(views, termQuery(indexer.FieldTitleFold, t.folded, boostTitle*t.weight))
		var narrow query.Query
		if typedFreq > 0 && folded > limit {
			// Rare as typed, common folded: the candidates hold it as typed, and the folded view
			// only ranks them, without a walk of its many passages.
			narrow = typed
		}
		addNarrow(bleve.NewDisjunctionQuery(views...), narrow, freq)
	}
	selectiveWords := len(selective)
	for _, b := range p.bigrams {
		if seen[b] {
			continue
		}
		seen[b] = true
		add(pairTerm(b, boostBigram), df(indexer.FieldBigram, b))
	}
	expansions := acr.clauses(p)
	selective = append(selective, expansions...)
	candidates = append(candidates, expansions...)
	if len(selective)+len(common) == 0 {
		// Every word is everywhere (năm, Bộ, có): better ranked passages holding them than nothing.
		common = dropped
	}
	full = bleve.NewDisjunctionQuery(append(selective, common...)...) // empty: nothing matches
	// One phase when no word is selective, only pairs: the candidates would be the few passages
	// holding the rarest pair (thêm phát triển: 1 of the 448 holding every word, on viquad2-dev).
	if len(selective) == 0 || len(common) == 0 || selectiveWords+len(expansions) == 0 {
		return full, nil
	}
	return full, bleve.NewDisjunctionQuery(candidates...)
}

// matcher decides which tokens of a passage a query matched, so that highlights show why a passage
// was found: each syllable in the view it was typed for, or, in a passage holding it in no such form,
// in the folded view it matched in too (hóa for a query hoà); the expansions and acronyms an acronym
// query was widened with; after the typo fallback, syllables one edit away.
type matcher struct {
	exact, toneless, folded map[string]bool
	typed                   []typedSyllable // syllables typed with diacritics
	phrases                 [][]string      // folded syllables of acronym expansions, marked in sequence
	fuzzy                   []string        // folded syllables matched within one edit, first letter kept
}

// typedSyllable is a query syllable typed with diacritics: its term in the view of its tier, and its
// folded form, for a passage where it matched only folded.
type typedSyllable struct {
	viewTerm
	folded string
}

// viewTerm is a term of the exact or the toneless view.
type viewTerm struct {
	tier tier
	term string
}

func newMatcher() matcher {
	return matcher{exact: map[string]bool{}, toneless: map[string]bool{}, folded: map[string]bool{}}
}

// matcher returns the matcher of the query p, widened with acronyms as its search is (acronyms.each).
func (p parsed) matcher(acr acronyms) matcher {
	m := newMatcher()
	for _, t := range p.terms {
		if t.typo {
			m.fuzzy = append(m.fuzzy, t.folded)
			continue
		}
		switch t.tier {
		case tierExact:
			m.exact[t.exact] = true
			m.typed = append(m.typed, typedSyllable{viewTerm{tierExact, t.exact}, t.folded})
		case tierToneless:
			m.toneless[t.toneless] = true
			m.typed = append(m.typed, typedSyllable{viewTerm{tierToneless, t.toneless}, t.folded})
		default:
			m.folded[t.folded] = true
		}
	}
	acr.each(p, func(expansion []string, _ float64) { m.phrases = append(m.phrases, expansion) },
		func(acronym []string) {
			if len(acronym) == 1 {
				m.folded[acronym[0]] = true
			} else {
				m.phrases = append(m.phrases, acronym)
			}
		})
	return m
}

// fuzzyMatcher returns the matcher of the typo fallback (fuzzyQuery): every syllable folded, the long
// ones within one edit.
func (p parsed) fuzzyMatcher() matcher {
	m := newMatcher()
	for _, t := range p.terms {
		if fuzzyMatched(t) {
			m.fuzzy = append(m.fuzzy, t.folded)
		} else {
			m.folded[t.folded] = true
		}
	}
	return m
}

// restorable reports whether some syllable was typed without all its diacritics.
func (p parsed) restorable() bool {
	for _, t := range p.terms {
		if t.tier != tierExact && !t.numeric {
			return true
		}
	}
	return false
}

func (m matcher) empty() bool {
	return len(m.exact)+len(m.toneless)+len(m.folded)+len(m.phrases)+len(m.fuzzy) == 0
}

// normalizeQuery trims and sanitizes the text of a query.
func normalizeQuery(q string) string {
	return strings.TrimSpace(analyzer.Sanitize(q))
}

// minFuzzyLength: syllables shorter than this are never matched fuzzily; one edit from a short
// syllable is usually another word (chó ~ chòe).
const minFuzzyLength = 4

// fuzzyTerm matches t's folded syllable within one edit, in the folded view.
func fuzzyTerm(t term) query.Query {
	fq := bleve.NewFuzzyQuery(t.folded)
	fq.SetField(indexer.FieldFolded)
	fq.SetFuzziness(1)
	fq.SetPrefix(1) // the first letter is rarely the mistake, and this bounds the term walk
	fq.SetBoost(t.weight)
	return fq
}

// markTypos marks the long syllables that no passage holds (dinhh, chuyenn): nothing good matches
// them as typed, so they alone are matched within one edit while the rest of the query is as typed.
// A known acronym is no typo, though no passage spells it (NHNN is ngân hàng nhà nước, not nhận): it
// is marked as one, and its expansion matches. It reports whether there were typos.
func (p *parsed) markTypos(df docFreq, acr acronyms) bool {
	found := false
	for i, t := range p.terms {
		if acr.known(t) {
			p.terms[i].acronym = true
			continue
		}
		if fuzzyMatched(t) && df(indexer.FieldFolded, t.folded) == 0 {
			p.terms[i].typo = true
			found = true
		}
	}
	return found
}

// fuzzyMatched reports whether the typo fallback matches t within one edit.
func fuzzyMatched(t term) bool {
	return utf8.RuneCountInString(t.folded) >= minFuzzyLength && !t.numeric && !t.acronym
}

// fuzzyQuery is the fallback for a query that matched nothing: its long syllables within one edit, in
// the folded view, and the others as they are.
func (p parsed) fuzzyQuery() (query.Query, bool) {
	var clauses []query.Query
	fuzzy := false
	for _, t := range p.terms {
		if fuzzyMatched(t) {
			clauses = append(clauses, fuzzyTerm(t))
			fuzzy = true
			continue
		}
		clauses = append(clauses, termQuery(indexer.FieldFolded, t.folded, t.weight))
	}
	return bleve.NewDisjunctionQuery(clauses...), fuzzy
}
