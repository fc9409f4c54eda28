package corpus

import (
	_ "embed"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tracuu/tracuu/analyzer"
)

//go:embed acronyms.txt
var acronymsData string

// Acronyms returns the curated acronyms and their expansions (CSDL → cơ sở dữ liệu).
func Acronyms() map[string]string {
	out := map[string]string{}
	for _, f := range dataLines(acronymsData, 2) {
		out[f[0]] = f[1]
	}
	return out
}

// maxAcronym bounds the letters of a mined acronym.
const maxAcronym = 10

// Bounds of the search around a candidate, which keep mining linear in the text: a text of
// "An Bình (AB) là tốt." repeated took 102 s for 800 KB when each candidate split all the text before
// it into words, and 3 MB of "(" took 75 s when each looked for its ")" to the end.
const (
	// maxAcronymRunes bounds what may stand between "(" and ")": maxAcronym letters with & or -
	// between them.
	maxAcronymRunes = 2 * maxAcronym
	// maxJoiners bounds the words "và" an expansion may hold, which give no letter ("Thông tin và
	// Truyền thông" is TT&TT).
	maxJoiners = 3
	// maxWordBytes bounds a word of an expansion: a longer one (a URL, a run of symbols) names
	// nothing, and is not read back through.
	maxWordBytes = 64
)

// MineAcronyms finds the acronyms a text defines in the usual way, the words followed by their
// initials in brackets: "Cơ sở dữ liệu (CSDL)", "căn cước công dân (CCCD)", "Bộ Thông tin và Truyền
// thông (TT&TT)" (và gives no letter). It returns acronym → expansion.
func MineAcronyms(text string) map[string]string {
	out := map[string]string{}
	for i := 0; i < len(text); {
		open := strings.IndexByte(text[i:], '(')
		if open < 0 {
			break
		}
		open += i
		i = open + 1
		end := acronymEnd(text, open+1)
		if end < 0 {
			continue
		}
		acr := text[open+1 : end]
		letters := acronymLetters(acr)
		if letters == "" {
			continue
		}
		if exp := expansionBefore(text[:open], letters); exp != "" {
			out[acr] = exp
		}
	}
	return out
}

// acronymEnd returns the offset of the ")" that closes an acronym starting at offset start (capital
// letters, & and -, at most maxAcronymRunes of them), or -1 when anything else comes first. It reads
// no '(', so the search for the next candidate passes over what it read once more at most.
func acronymEnd(text string, start int) int {
	for i, n := start, 0; i < len(text) && n <= maxAcronymRunes; n++ {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == ')':
			return i
		case r == '&' || r == '-' || unicode.IsUpper(r):
			i += size
		default:
			return -1
		}
	}
	return -1
}

// acronymLetters returns the folded lower-case letters of an acronym written in capitals (2 to
// maxAcronym of them, & and - allowed between), or "".
func acronymLetters(acr string) string {
	var b strings.Builder
	n := 0
	for _, r := range acr {
		switch {
		case r == '&' || r == '-':
		case unicode.IsUpper(r):
			b.WriteString(foldRune(r))
			n++
		default:
			return ""
		}
	}
	if n < 2 || n > maxAcronym {
		return ""
	}
	return b.String()
}

// expansionBefore finds, at the end of before, the words whose initials spell letters. It reads
// before backwards, a word at a time, as far as the letters (and at most maxJoiners "và") need.
func expansionBefore(before string, letters string) string {
	var words []string // from the last
	got := ""
	joiners := 0
	end := len(before)
	for len(got) < len(letters) {
		end = len(strings.TrimRightFunc(before[:end], unicode.IsSpace))
		if end == 0 {
			break
		}
		start := end
		for start > 0 && end-start <= maxWordBytes {
			r, size := utf8.DecodeLastRuneInString(before[:start])
			if unicode.IsSpace(r) {
				break
			}
			start -= size
		}
		if end-start > maxWordBytes {
			return ""
		}
		word := before[start:end]
		end = start
		w := strings.Trim(word, ",.;:\"“”")
		if w == "" {
			return ""
		}
		words = append(words, word)
		if strings.EqualFold(w, "và") {
			if joiners++; joiners > maxJoiners {
				return ""
			}
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		got = foldRune(r) + got
	}
	if got != letters {
		return ""
	}
	slices.Reverse(words)
	return strings.Join(words, " ")
}

func foldRune(r rune) string {
	return strings.ToLower(analyzerFold(string(r)))
}

func analyzerFold(s string) string {
	toks := analyzer.New(analyzer.Folded).Analyze([]byte(s))
	if len(toks) == 0 {
		return s
	}
	return string(toks[0].Term)
}
