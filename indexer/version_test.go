package indexer

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/analyzer"
)

// TestVersionsChecked: an index built by another analyzer (or one from before fingerprints, which
// records none) is refused with ErrVersion, as one with another mapping version is.
func TestVersionsChecked(t *testing.T) {
	tests := []struct {
		name  string
		key   string
		value []byte // nil: remove the key
		want  string
	}{
		{"another analyzer", analyzerKey, []byte("0123456789abcdef"), "analyzer"},
		{"no analyzer recorded", analyzerKey, nil, "analyzer"},
		{"another mapping", versionKey, []byte("0"), "mapping version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			idx, err := Create(dir)
			require.NoError(t, err)
			fp, err := idx.GetInternal([]byte(analyzerKey))
			require.NoError(t, err)
			assert.Equal(t, analyzer.Fingerprint(), string(fp), "Create records the fingerprint")
			if tt.value == nil {
				require.NoError(t, idx.DeleteInternal([]byte(tt.key)))
			} else {
				require.NoError(t, idx.SetInternal([]byte(tt.key), tt.value))
			}
			require.NoError(t, idx.Close())

			_, err = Open(dir)
			require.ErrorIs(t, err, ErrVersion)
			assert.Contains(t, err.Error(), tt.want)
			_, err = OpenReadOnly(dir)
			require.ErrorIs(t, err, ErrVersion)
		})
	}
}
