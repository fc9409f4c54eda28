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
