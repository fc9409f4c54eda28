package analyzer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
)

// fingerprintSample exercises every filter of every view: capitals, decomposed and old-style tones
// (hòa, khỏe), Ð, a zero-width space and a soft hyphen, numbers with Vietnamese separators, an acronym
// with &, English loanwords, and text that is no Vietnamese at all.
const fingerprintSample = "Định danh điện tử: THỦ TƯỚNG hòa khỏe thuỷ Ðà Nẵng Quý\u200b vị hoà\u00adbình " +
	"ngu\u0303 ngày 25/02/2023, 2.398 hồ sơ (99,73%) và 1.000.000 đồng; TT&TT, CSDL, VNeID, " +
	"payments banking smartphones apps; Tiếng Việt có dấu — naïve café."

// Fingerprint identifies what the analyzer makes of text: a short hash of every view's tokens of a
// sample that exercises each filter. An index records it when it is built; an index recorded with
// another fingerprint was analyzed differently, and its terms no longer match the queries', so it must
// be rebuilt. It catches a changed filter without anyone remembering to bump a version number.
var Fingerprint = sync.OnceValue(func() string {
	raw, err := json.Marshal(Analyze(Sanitize(fingerprintSample)))
	if err != nil {
		panic(err) // tokens of strings and ints always marshal
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:8])
})
