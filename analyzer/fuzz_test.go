package analyzer

import (
	"testing"
	"unicode/utf8"
)

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{seedSentence, "Thông báo 276/TB-VPCP năm 2022", "99,73% 2.398 1.234,5", "đi\u0323nh \xff danh",
		"chuyển\u200bđổi\u00ad", "Ðà Nẵng TT&TT", "ểnđổisốgipgiảiquyết", "..,,&&", "1,", ",1", "a&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		// Character boundaries as Go decodes the text: an invalid byte is a character of its own.
		boundary := map[int]bool{len(text): true}
		for i := range text {
			boundary[i] = true
		}
		for _, v := range Views {
			for _, tok := range New(v).Analyze([]byte(text)) {
				if tok.Start < 0 || tok.End > len(text) || tok.Start >= tok.End {
					t.Fatalf("%s: token %q has offsets [%d,%d) outside %d bytes", v.Label(), tok.Term, tok.Start, tok.End, len(text))
				}
				if !boundary[tok.Start] || !boundary[tok.End] {
					t.Fatalf("%s: token %q offsets [%d,%d) split a character", v.Label(), tok.Term, tok.Start, tok.End)
				}
				if !utf8.Valid(tok.Term) || len(tok.Term) == 0 {
					t.Fatalf("%s: term %q is empty or not valid UTF-8", v.Label(), tok.Term)
				}
			}
		}
		clean := Sanitize(text)
		if !utf8.ValidString(clean) {
			t.Fatalf("Sanitize(%q) is not valid UTF-8", text)
		}
		if want := sanitized(text); clean != want {
			t.Fatalf("Sanitize(%q) = %q, want its NFC %q", text, clean, want)
		}
		Analyze(clean)
	})
}
