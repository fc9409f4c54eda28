package search

import (
	"slices"
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
		if t.question != "" {
			// A question word is restored from its phrase, not from passages about something else.
			if t.question != t.exact {
				restored[i], changed = t.question, true
			}
			continue
		}
		var prev, next string
		if i > 0 {
			prev = p.terms[i-1].folded
		}
		if i+1 < len(p.terms) {
			next = p.terms[i+1].folded
		}
		// Occurrences beside the query's neighbours decide, those beside both first (định danh điện tử:
		// "danh" between định and điện beats "đánh" of "đánh điện", however often that is); bare
		// occurrences only when there are none.
		forms := map[string]*formVotes{}
		for _, v := range views {
			for j := range v.folded {
				if t.typo {
					// A syllable in no passage takes the word one edit away that fits its neighbours.
					if !oneEditApart(t.folded, string(v.folded[j].Term)) {
						continue
					}
				} else if string(v.folded[j].Term) != t.folded || t.tier == tierToneless && string(v.toneless[j].Term) != t.toneless {
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
				f := forms[form]
				if f == nil {
					f = &formVotes{}
					forms[form] = f
				}
				f.beside = max(f.beside, n)
				f.inContext += n
				f.alone++
			}
		}
		// In a query typed with tones somewhere, a syllable typed without is taken as typed (bao
		// nhiêu, tra cứu) when the passages hold it so beside its neighbours, or anywhere when they
		// hold no form beside them: only a form the passages do not back is restored.
		if as, ok := forms[t.exact]; ok && p.accented && (as.beside > 0 || maxBeside(forms) == 0) {
			continue
		}
		best := bestForm(forms)
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

// formVotes counts the occurrences of one accented form of a query syllable in the best passages.
type formVotes struct {
	beside    int // the most query neighbours beside one occurrence (0, 1 or 2)
	inContext int // neighbours beside all its occurrences
	alone     int // occurrences
}

func maxBeside(forms map[string]*formVotes) int {
	m := 0
	for _, f := range forms {
		m = max(m, f.beside)
	}
	return m
}

// bestForm returns the form seen beside the most neighbours, then the most often beside them; when
// none is seen beside any, the most frequent; ties go to the first in byte order.
func bestForm(forms map[string]*formVotes) string {
	key := func(f *formVotes) [3]int { return [3]int{f.beside, f.inContext, f.alone} }
	if maxBeside(forms) == 0 {
		key = func(f *formVotes) [3]int { return [3]int{f.alone} }
	}
	best := ""
	var bestKey [3]int
	for form, f := range forms {
		k := key(f)
		if best == "" || slices.Compare(k[:], bestKey[:]) > 0 || slices.Compare(k[:], bestKey[:]) == 0 && form < best {
			best, bestKey = form, k
		}
	}
	return best
}

// decodeTyping rewrites the words of a query typed in Telex or VNI with the input method off
// (ddinhj danh ddieenj tuwr, d9inh5 danh) when the decoded word explains the corpus better: it is in
// decodeRatio times as many passages as the raw word (laf: là). It returns false when nothing was
// rewritten.
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
		if !ok {
			return "", false
		}
		// On a large corpus nearly every Telex spelling is in some passage (laf, gif, cuar): the
		// decoded word must explain the corpus far better than the raw one, not merely be there.
		rawDF, decodedDF := df(indexer.FieldFolded, raw), df(indexer.FieldText, decoded)
		return decoded, decodedDF > 0 && decodedDF >= decodeRatio*rawDF
	})
}

// decodeRatio is how many times more passages a decoded word must be in than the word as typed. On
// viquad2-dev's 2,653 questions typed in Telex, MRR@10 0.645 (decoding only words in no passage) →
// 0.657; as typed 0.6859 → 0.6855 (one question of 2,653: "six flags over Texas" read as sĩ),
// stripped 0.6815 → 0.6808. A ratio of 20 or less cost 0.005 on the typed and stripped samples.
const decodeRatio = 100
