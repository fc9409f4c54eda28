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

// besideFrom is how many passages holding a query word beside one of its neighbours (in any accents)
// are read to learn how the corpus writes the word there.
const besideFrom = 30

// evidence is what restoring diacritics may ask of the whole corpus beyond the best passages.
type evidence struct {
	// beside returns the texts of some passages holding a folded bigram ("thu gom"); nil when there
	// is no index to ask (benchmarks).
	beside func(bigram string) []string
	df     docFreq // nil with beside
	// decoded: the query was read as Telex or VNI (decodeTyping), so its tones are the decoder's: a
	// word in it that is no Vietnamese syllable (Petains → Pétain, Defenses → Défense) is restored as
	// in a query typed without diacritics.
	decoded bool
}

// restoreDiacritics puts back the diacritics of the query syllables typed without them (all of them,
// or only the tones) using the corpus's own text: among the best passages the folded query found,
// each such syllable takes the accented form that occurs most where the passage agrees with its
// neighbours too (dinh danh → định danh, not đình … danh), spelled as the passages most often write
// it (Ủy, hòa or hoà). A long syllable in no passage (markTypos) takes the word one edit away that
// fits its neighbours. It returns the query with the restored forms, and false when nothing changed.
func restoreDiacritics(query string, p parsed, texts []string, ev evidence) (string, bool) {
	p.terms = slices.Clone(p.terms)
	typed := typedWords(query, len(p.terms))
	allCaps := strings.ToUpper(query) == query
	// The toneless view only tells apart the forms of a syllable typed with hats but no tone (đinh).
	hats := false
	for _, t := range p.terms {
		hats = hats || t.tier == tierToneless && !t.numeric
	}
	views := make([]textViews, 0, len(texts))
	for _, text := range texts {
		views = append(views, analyzeViews(text, hats))
	}
	restored := make([]string, len(p.terms))
	changed := false
	// Typos first: the word a typo is taken for may complete a question phrase (bao nhieieu).
	for i, t := range p.terms {
		if !t.typo {
			continue
		}
		forms := votes(p, i, views)
		if t.tier != tierFolded {
			// Typed with diacritics: the forms one edit from them as typed when there are such, and
			// among those the ones with the tone typed (ngĩa is nghĩa, not nga).
			forms = narrow(forms, func(form string) bool { return oneEditApart(t.exact, form) })
			forms = narrow(forms, func(form string) bool { return toneOf(form) == toneOf(t.exact) })
		}
		if best := bestForm(forms); best != "" {
			restored[i] = forms[best].spelling(best)
			p.terms[i].folded = foldedTerms(best)[0]
			changed = true
		}
	}
	if changed {
		p.markQuestionWords()
	}
	p.markTypedQuestionWords(restored)
	for i, t := range p.terms {
		if t.tier == tierExact && !t.typo || t.numeric {
			continue
		}
		if t.question != "" {
			// A question word is restored from its phrase, not from passages about something else.
			if t.question != t.exact {
				restored[i], changed = t.question, true
			}
			continue
		}
		if t.typo {
			continue // taken above
		}
		name := !restoresInAccented(typed[i], allCaps)
		if p.accented && name && (!ev.decoded || analyzer.IsSyllable(strings.ToLower(typed[i]))) {
			continue
		}
		// Occurrences beside the query's neighbours decide, those beside both first (định danh điện tử:
		// "danh" between định and điện beats "đánh" of "đánh điện", however often that is); bare
		// occurrences only when there are none.
		forms := votes(p, i, views)
		best := bestForm(forms)
		if len(p.terms) == 1 && ev.df != nil {
			if name && ev.df(indexer.FieldText, t.exact) > 0 {
				continue // a capitalised word the passages hold as typed is a name (Nam, Hoa, Lan)
			}
			// One word and no neighbour to agree with: the passages read are those where its folded
			// letters are densest (nấm for nam), so the form the whole index holds most wins (năm).
			best = mostIndexed(forms, ev.df)
		}
		if p.accented && !name {
			// In a query typed with tones somewhere, a syllable typed without is a word as typed (bao
			// nhiêu, do ai, thu gom, nội dung) unless the corpus clearly says otherwise: beside the same
			// neighbours it writes another form, and this one rarely.
			if as, ok := forms[t.exact]; ok && as.beside > 0 {
				continue
			}
			best, spelled := p.contradicted(i, ev)
			if best == "" || ev.df != nil && ev.df(indexer.FieldText, t.exact)*rarer > ev.df(indexer.FieldText, best) {
				continue
			}
			restored[i], changed = spelled, true
			continue
		}
		if best != "" && best != t.exact {
			restored[i] = forms[best].spelling(best)
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

// narrow returns the forms that keep says to, or all of them when it keeps none.
func narrow(forms map[string]*formVotes, keep func(form string) bool) map[string]*formVotes {
	kept := map[string]*formVotes{}
	for form, f := range forms {
		if keep(form) {
			kept[form] = f
		}
	}
	if len(kept) == 0 {
		return forms
	}
	return kept
}

// textViews is a passage's text in the views restoring reads.
type textViews struct {
	text                    string
	exact, toneless, folded analysis.TokenStream
}

func analyzeViews(text string, toneless bool) textViews {
	b := []byte(text)
	v := textViews{text: text, exact: analyzer.New(analyzer.Exact).Analyze(b), folded: analyzer.New(analyzer.Folded).Analyze(b)}
	if toneless {
		v.toneless = analyzer.New(analyzer.Toneless).Analyze(b)
	}
	return v
}

// surface is how the passage writes its token j, in lower case (Ủy → ủy, where the term is uỷ).
func (v textViews) surface(j int) string {
	return strings.ToLower(v.text[v.exact[j].Start:v.exact[j].End])
}

func termAt(ts analysis.TokenStream, j int) string {
	if j < 0 || j >= len(ts) {
		return ""
	}
	return string(ts[j].Term)
}

// votes counts, in the passages read, the accented forms of query syllable i (within one edit of it
// when it is a typo) and how often each is beside the query's neighbours.
func votes(p parsed, i int, views []textViews) map[string]*formVotes {
	t := p.terms[i]
	var prev, next string
	if i > 0 {
		prev = p.terms[i-1].folded
	}
	if i+1 < len(p.terms) {
		next = p.terms[i+1].folded
	}
	forms := map[string]*formVotes{}
	for _, v := range views {
		if len(v.exact) != len(v.folded) {
			continue // the views do not line up (cannot happen with token-rewriting filters)
		}
		for j := range v.folded {
			if t.typo {
				if !oneEditApart(t.folded, string(v.folded[j].Term)) {
					continue
				}
			} else if string(v.folded[j].Term) != t.folded || t.tier == tierToneless && string(v.toneless[j].Term) != t.toneless {
				continue
			}
			if v.exact[j].Type == analysis.Numeric {
				continue
			}
			form := string(v.exact[j].Term)
			n := 0
			if prev != "" && termAt(v.folded, j-1) == prev {
				n++
			}
			if next != "" && termAt(v.folded, j+1) == next {
				n++
			}
			f := forms[form]
			if f == nil {
				f = &formVotes{written: map[string]int{}}
				forms[form] = f
			}
			f.beside = max(f.beside, n)
			f.inContext += n
			f.alone++
			f.written[v.surface(j)]++
		}
	}
	return forms
}

// restoresInAccented reports whether a syllable typed without diacritics in a query typed with tones
// elsewhere may be restored at all: a capitalised word (Ai là, Karl VI) or one that is no Vietnamese
// syllable (six flags, Vendome) is a name or the word meant, unless the whole query is in capitals.
func restoresInAccented(typed string, allCaps bool) bool {
	first, _ := utf8.DecodeRuneInString(typed)
	if unicode.IsUpper(first) && !allCaps {
		return false
	}
	// The word as typed, not its folded term: that one is stemmed (chats → chat, six → si).
	return analyzer.IsSyllable(strings.ToLower(typed))
}

// contradicted returns the form the corpus writes query syllable i in beside its neighbours (its term,
// and spelled as written there most often) when it rarely writes it as typed there (Đại hoc → học,
// cac quốc gia → các): among the passages holding the syllable beside a neighbour, in any accents, the
// typed form is under 1/besideShare of the occurrences beside every neighbour seen, and another form
// has most of them. "" when the corpus does not contradict the query (thu gom, nội dung, do ai) or
// says nothing.
func (p parsed) contradicted(i int, ev evidence) (term, spelled string) {
	if ev.beside == nil {
		return "", ""
	}
	t := p.terms[i]
	counts := map[string]int{}
	written := map[string]*formVotes{}
	total := 0
	for _, k := range []int{i - 1, i + 1} {
		if k < 0 || k >= len(p.terms) || p.terms[k].numeric {
			continue
		}
		n := p.terms[k]
		bigram := n.folded + " " + t.folded
		if k > i {
			bigram = t.folded + " " + n.folded
		}
		here := map[string]int{}
		seen := 0
		for _, text := range ev.beside(bigram) {
			v := analyzeViews(text, false)
			if len(v.exact) != len(v.folded) {
				continue
			}
			for j := range v.folded {
				o := j + k - i // the neighbour's token
				if string(v.folded[j].Term) != t.folded || termAt(v.folded, o) != n.folded ||
					n.tier == tierExact && termAt(v.exact, o) != n.exact || v.folded[o].Position != v.folded[j].Position+k-i {
					continue
				}
				form := string(v.exact[j].Term)
				here[form]++
				seen++
				if written[form] == nil {
					written[form] = &formVotes{written: map[string]int{}}
				}
				written[form].written[v.surface(j)]++
			}
		}
		if seen < minBeside {
			continue // too little to go on
		}
		if here[t.exact]*besideShare >= seen {
			return "", "" // the corpus writes it so here often enough
		}
		for form, c := range here {
			counts[form] += c
		}
		total += seen
	}
	best, bestN := "", 0
	for form, c := range counts {
		if c > bestN || c == bestN && form < best {
			best, bestN = form, c
		}
	}
	if best == t.exact || 2*bestN <= total {
		return "", ""
	}
	return best, written[best].spelling(best)
}

// A syllable typed without tones in a query with tones is restored only when, beside each neighbour
// the corpus holds it beside at least minBeside times, it is written as typed under 1/besideShare of
// them, and when the corpus as a whole writes it as typed under 1/rarer as often as the other form
// (sang and sáng are both common words, so "Paris sang ở" stays).
const (
	minBeside   = 3
	besideShare = 10
	rarer       = 10
)

// typedWords returns the words of the query as typed, one per term (rewriteWords's alignment).
func typedWords(query string, n int) []string {
	words := make([]string, n)
	for i, tok := range analyzer.NewTokenizer().Tokenize([]byte(query)) {
		if i < n {
			words[i] = query[tok.Start:tok.End]
		}
	}
	return words
}

// markTypedQuestionWords gives a long typo no passage read explained (not taken) its question
// phrase when it is within two edits of the phrase's word and the rest of the phrase is typed (bao
// nhieieu is bao nhiêu): typos of one edit are taken from the passages, this catches a doubled or
// swapped pair of letters too.
func (p *parsed) markTypedQuestionWords(taken []string) {
	for i := range p.terms {
		for _, phrase := range questionPhrases {
			if len(phrase) < 2 || i+len(phrase) > len(p.terms) {
				continue
			}
			match, typo := true, false
			for k, w := range phrase {
				t := p.terms[i+k]
				switch {
				case t.folded == w.folded:
				case t.typo && taken[i+k] == "" && t.question == "" && utf8.RuneCountInString(t.folded) > minFuzzyLength &&
					utf8.RuneCountInString(w.folded) >= minFuzzyLength && withinTwoEdits(t.folded, w.folded):
					typo = true
				default:
					match = false
				}
			}
			if !match || !typo {
				continue
			}
			for k, w := range phrase {
				p.terms[i+k].weight = questionWeight
				if p.terms[i+k].question == "" {
					p.terms[i+k].question = w.accented
				}
			}
		}
	}
}

// withinTwoEdits reports whether a and b, beginning with the same letter, are at most two edits apart
// (insertions, deletions, substitutions or swaps of adjacent letters).
func withinTwoEdits(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 || ra[0] != rb[0] || len(ra)-len(rb) > 2 || len(rb)-len(ra) > 2 {
		return false
	}
	// Optimal string alignment distance, row by row.
	d := make([][]int, len(ra)+1)
	for x := range d {
		d[x] = make([]int, len(rb)+1)
		d[x][0] = x
	}
	for y := range d[0] {
		d[0][y] = y
	}
	for x := 1; x <= len(ra); x++ {
		for y := 1; y <= len(rb); y++ {
			cost := 1
			if ra[x-1] == rb[y-1] {
				cost = 0
			}
			d[x][y] = min(d[x-1][y]+1, d[x][y-1]+1, d[x-1][y-1]+cost)
			if x > 1 && y > 1 && ra[x-1] == rb[y-2] && ra[x-2] == rb[y-1] {
				d[x][y] = min(d[x][y], d[x-2][y-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)] <= 2
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
	beside    int            // the most query neighbours beside one occurrence (0, 1 or 2)
	inContext int            // neighbours beside all its occurrences
	alone     int            // occurrences
	written   map[string]int // how the passages write it (ủy, uỷ), in lower case, and how often
}

// spelling returns the way the passages most often write a form (term, the analyzer's normalised
// term, on a tie with it or when no other way is seen twice), as /suggest does: hòa where the corpus
// writes hòa, hoà where it writes hoà.
func (f *formVotes) spelling(term string) string {
	best, bestN := term, f.written[term]
	for w, n := range f.written {
		if n < 2 {
			continue // written so once: maybe a slip (ngaĩ)
		}
		if n > bestN || n == bestN && best != term && w < best {
			best, bestN = w, n
		}
	}
	return best
}

func maxBeside(forms map[string]*formVotes) int {
	m := 0
	for _, f := range forms {
		m = max(m, f.beside)
	}
	return m
}

// mostIndexed returns, of forms, the one the most passages of the index hold.
func mostIndexed(forms map[string]*formVotes, df docFreq) string {
	best, bestN := "", uint64(0)
	for form := range forms {
		if n := df(indexer.FieldText, form); best == "" || n > bestN || n == bestN && form < best {
			best, bestN = form, n
		}
	}
	return best
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
	if typedWithInputMethod(query) {
		return query, false // six flags, chats, Trans-Pecos in a question typed with tones are words
	}
	return rewriteWords(query, func(_ int, word string) (string, bool) {
		raw := strings.ToLower(word)
		if analyzer.IsSyllable(raw) && !strings.Contains(raw, "oo") {
			return "", false // only oo (coong: công; boong, xoong) is both Telex and a syllable
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

// fixSwaps rewrites the words of a query typed with two adjacent letters swapped (thoung, kohan):
// a word of minFuzzyLength letters or more that no passage holds, no Vietnamese syllable, becomes
// the syllable its swap spells that the most passages hold (thuong, khoan), so that the results are
// matched on that word, not on whatever one edit away the typo fallback would take (thông, khăn). It
// returns false when nothing was rewritten.
func fixSwaps(query string, df docFreq) (string, bool) {
	return rewriteWords(query, func(_ int, word string) (string, bool) {
		raw := []rune(strings.ToLower(word))
		// Typed without diacritics only: a swap moves a tone mark onto another letter (ngĩa → ngaĩ), where
		// the slip is more likely a letter left out (nghĩa), which the typo fallback finds.
		if len(raw) < minFuzzyLength || analyzer.IsSyllable(string(raw)) || !isASCIIWord(string(raw)) {
			return "", false
		}
		folded := foldedTerms(string(raw))
		if len(folded) != 1 || df(indexer.FieldFolded, folded[0]) > 0 {
			return "", false
		}
		best, bestDF := "", uint64(0)
		for i := 0; i+1 < len(raw); i++ {
			if raw[i] == raw[i+1] {
				continue
			}
			swapped := slices.Clone(raw)
			swapped[i], swapped[i+1] = swapped[i+1], swapped[i]
			f := foldedTerms(string(swapped))
			if len(f) != 1 || !analyzer.IsSyllable(f[0]) {
				continue
			}
			if n := df(indexer.FieldFolded, f[0]); n > bestDF {
				best, bestDF = string(swapped), n
			}
		}
		return best, best != ""
	})
}

// typedWithInputMethod reports whether a query holds a Vietnamese tone mark or letter (â ê ô ơ ư ă
// đ): its author's input method was on, so a word that reads as Telex (six → sĩ, chats → chát) or VNI
// is a word as typed.
func typedWithInputMethod(query string) bool {
	return analyzer.HasTone(query) || strings.ContainsAny(strings.ToLower(query), "âêôơưăđ")
}

// decodeRatio is how many times more passages a decoded word must be in than the word as typed. On
// viquad2-dev's 2,653 questions typed in Telex, MRR@10 0.645 (decoding only words in no passage) →
// 0.657; as typed 0.6859 → 0.6855 (one question of 2,653: "six flags over Texas" read as sĩ),
// stripped 0.6815 → 0.6808. A ratio of 20 or less cost 0.005 on the typed and stripped samples.
const decodeRatio = 100

// isASCIIWord reports whether a word is typed in ASCII letters only.
func isASCIIWord(w string) bool {
	for _, r := range w {
		if r >= utf8.RuneSelf || !unicode.IsLetter(r) {
			return false
		}
	}
	return w != ""
}
