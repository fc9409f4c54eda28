package corpus

import (
	_ "embed"
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
		end := strings.IndexByte(text[open:], ')')
		if end < 0 {
			break
		}
		end += open
		i = open + 1
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

// expansionBefore finds, at the end of before, the words whose initials spell letters.
func expansionBefore(before string, letters string) string {
	words := strings.Fields(strings.TrimRight(before, " "))
	need := len(letters)
	start := len(words)
	got := ""
	for start > 0 && len(got) < need {
		w := strings.Trim(words[start-1], ",.;:\"“”")
		if w == "" {
			return ""
		}
		start--
		if strings.EqualFold(w, "và") {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		got = foldRune(r) + got
	}
	if got != letters {
		return ""
	}
	return strings.Join(words[start:], " ")
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
