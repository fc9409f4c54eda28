package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/tracuu/tracuu/analyzer"
	"github.com/tracuu/tracuu/indexer"
)

// restoreFrom is how many of the best passages diacritics are restored from.
const restoreFrom = 20

// restoreDiacritics puts back the diacritics of the query syllables typed without them (all of them,
// or only the tones) using the corpus's own text: among the best passages the folded query found,
// each such syllable takes the accented form that occurs most where the passage agrees with its
// neighbours too (dinh danh → định danh, not đình … danh). It returns the query with the restored
// forms, and false when nothing changed.
func restoreDiacritics(query string, p parsed, texts []string) (string, bool) {
	type view struct{ exact, toneless, folded analysis.TokenStream }
	// The toneless view only tells apart the forms of a syllable typed with hats but no tone (đinh).
	hats := false
	for _, t := range p.terms {
		hats = hats || t.tier == tierToneless && !t.numeric
	}
	var views []view
	for _, text := range texts {
		b := []byte(text)
		v := view{exact: analyzer.New(analyzer.Exact).Analyze(b), folded: analyzer.New(analyzer.Folded).Analyze(b)}
		if hats {
			v.toneless = analyzer.New(analyzer.Toneless).Analyze(b)
		}
		views = append(views, v)
	}
	at := func(ts analysis.TokenStream, j int) string {
		if j < 0 || j >= len(ts) {
			return ""
		}
		return string(ts[j].Term)
	}
	restored := make([]string, len(p.terms))
	changed := false
	for i, t := range p.terms {
		if t.tier == tierExact || t.numeric {
			continue
		}
		var prev, next string
		if i > 0 {
			prev = p.terms[i-1].folded
		}
		if i+1 < len(p.terms) {
			next = p.terms[i+1].folded
		}
		// Occurrences beside the query's neighbours decide; bare occurrences only when there are none.
		inContext, alone := map[string]int{}, map[string]int{}
		for _, v := range views {
			for j := range v.folded {
				if string(v.folded[j].Term) != t.folded || t.tier == tierToneless && string(v.toneless[j].Term) != t.toneless {
					continue
				}
				form := string(v.exact[j].Term)
				n := 0
				if prev != "" && at(v.folded, j-1) == prev {
					n++
				}
				if next != "" && at(v.folded, j+1) == next {
					n++
				}
				inContext[form] += n
				alone[form]++
			}
		}
		votes := inContext
		if len(votes) == 0 || maxVotes(votes) == 0 {
			votes = alone
		}
		best, bestVotes := "", 0
		for form, n := range votes {
			if n > bestVotes || n == bestVotes && form < best {
				best, bestVotes = form, n
			}
		}
		if best != "" && best != t.exact {
			restored[i] = best
			changed = true
		}
	}
	if !changed {
		return query, false
	}
	return rewriteWords(query, func(i int, _ string) (string, bool) {
		if i >= len(restored) {
			return "", false
		}
		return restored[i], restored[i] != ""
	})
}

// rewriteWords replaces the words of a query (its tokens, in order) for which replace says so, in the
// case the user typed them, keeping everything between them as typed. It returns false when no word
// was replaced.
func rewriteWords(query string, replace func(i int, word string) (string, bool)) (string, bool) {
	var b strings.Builder
	last, changed := 0, false
	for i, tok := range analyzer.NewTokenizer().Tokenize([]byte(query)) {
		word := query[tok.Start:tok.End]
		form, ok := replace(i, word)
		if !ok {
			continue
		}
		b.WriteString(query[last:tok.Start])
		b.WriteString(matchCase(form, word))
		last, changed = tok.End, true
	}
	if !changed {
		return query, false
	}
	b.WriteString(query[last:])
	return b.String(), true
}

// matchCase writes form in the case the user typed: DINH → ĐỊNH, Dinh → Định.
func matchCase(form, typed string) string {
	first, _ := utf8.DecodeRuneInString(typed)
	switch {
	case strings.ToUpper(typed) == typed && strings.ToLower(typed) != typed:
		return strings.ToUpper(form)
	case unicode.IsUpper(first):
		r, size := utf8.DecodeRuneInString(form)
		return string(unicode.ToUpper(r)) + form[size:]
	}
	return form
}

func maxVotes(votes map[string]int) int {
	m := 0
	for _, n := range votes {
		m = max(m, n)
	}
	return m
}

// decodeTyping rewrites the words of a query typed in Telex or VNI with the input method off
// (ddinhj danh ddieenj tuwr, d9inh5 danh) when the decoded word explains the corpus better: the raw
// word is in no passage and the decoded one is. It returns false when nothing was rewritten.
func decodeTyping(query string, df docFreq) (string, bool) {
	return rewriteWords(query, func(_ int, word string) (string, bool) {
		raw := strings.ToLower(word)
		if analyzer.IsSyllable(raw) {
			return "", false
		}
		decoded, ok := analyzer.DecodeTelex(raw)
		if !ok {
			decoded, ok = analyzer.DecodeVNI(raw)
		}
		return decoded, ok && df(indexer.FieldFolded, raw) == 0 && df(indexer.FieldText, decoded) > 0
	})
}
