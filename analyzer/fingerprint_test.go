package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFingerprint(t *testing.T) {
	fp := Fingerprint()
	assert.Len(t, fp, 16)
	assert.Equal(t, fp, Fingerprint(), "the same analyzer, the same fingerprint")

	// Every view contributes: the sample yields tokens in each.
	views := Analyze(Sanitize(fingerprintSample))
	for _, v := range Views {
		assert.NotEmpty(t, views[v.Label()], v.Label())
	}
	// And the filters that matter are exercised: old tone placement, numbers, loanword stems.
	terms := map[string]bool{}
	for _, tok := range views["exact"] {
		terms[tok.Term] = true
	}
	for _, want := range []string{"hoà", "khoẻ", "2398", "99.73", "payment", "đà"} {
		assert.True(t, terms[want], "the sample exercises the filter that makes %q", want)
	}
}
