package analyzer

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The shared-token cache must never hand one text's tokens to another, nor let one view's filters
// change another view's tokens, whatever the order and concurrency of the calls.
func TestCachedViewsEqualFreshOnes(t *testing.T) {
	var texts []string
	for i := range 40 {
		texts = append(texts, fmt.Sprintf("Văn bản số %d: phấn đấu cấp được %d triệu tài khoản định danh điện tử cho người dân, HOÀ khỏe.", i, i%7))
	}
	want := map[string][]string{}
	for _, text := range texts {
		for _, v := range Views {
			want[v.Label()+text] = viewTerms(v, text)
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 20 {
				for i := range texts {
					text := texts[(i*7+w+round)%len(texts)]
					for k := range Views {
						v := Views[(k+w)%len(Views)]
						assert.Equal(t, want[v.Label()+text], viewTerms(v, text), "%s of %q", v.Label(), text)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// A term the shared filters have seen is taken from the term cache: it must be what the filters make
// of it, on any text, the first time and every time after, and a text must still be read whole.
func TestTermCacheEqualsFilters(t *testing.T) {
	texts := []string{
		"HOÀ BÌNH, Hoà Bình và hòa bình: Thủ tướng Chính phủ chủ trì.",
		"Khoảng 2.398 tỷ đồng (99,73%), 1.234,5 và 1,234.5 triệu; TT&TT, CSDL.",
		"organizations, computers và Facebook; Ðiện (Eth) với đ",
		"vi\u00adệc ho\u0300a giải\u200b xong, ÐÀ NẴNG, thuỷ điện, quý vị",
	}
	texts = append(texts, seedTexts(t)...)
	filtered := func(text string) []string {
		toks := tokenize([]byte(text))
		stream := pointers(toks)
		for _, f := range baseFilters() {
			f.Filter(stream)
		}
		var out []string
		for _, tok := range toks {
			out = append(out, fmt.Sprintf("%s@%d-%d/%d", tok.Term, tok.Start, tok.End, tok.Position))
		}
		return out
	}
	cached := func(text string) []string {
		toks := tokenize([]byte(text))
		baseTerms.apply(toks)
		var out []string
		for _, tok := range toks {
			out = append(out, fmt.Sprintf("%s@%d-%d/%d", tok.Term, tok.Start, tok.End, tok.Position))
		}
		return out
	}
	for round := range 2 {
		for _, text := range texts {
			assert.Equal(t, filtered(text), cached(text), "round %d: %.60q", round, text)
		}
	}
}
