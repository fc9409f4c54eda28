package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBigramView(t *testing.T) {
	got := New(Bigram).Analyze([]byte("Định danh điện tử"))
	require.Len(t, got, 3)
	assert.Equal(t, []string{"dinh danh", "danh dien", "dien tu"}, terms(got))
	// A bigram spans both syllables, so it highlights as one piece.
	assert.Equal(t, 0, got[0].Start)
	assert.Equal(t, len("Định danh"), got[0].End)
	assert.Equal(t, 1, got[0].Position)
	assert.Empty(t, New(Bigram).Analyze([]byte("số")))
}

func TestBigramsSkipPositionGaps(t *testing.T) {
	stream := NewTokenizer().Tokenize([]byte("khai sinh thường trú"))
	stream[2].Position, stream[3].Position = 5, 6 // as if words had been removed between sinh and thường
	assert.Equal(t, []string{"khai sinh", "thường trú"}, terms(NewBigramFilter().Filter(stream)))
}
