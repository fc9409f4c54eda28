package corpus

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestSeedPassagesGolden keeps the seeds' passages and their tags in a reviewable file: any change to
// cleaning, splitting or tagging shows as a diff. Rewrite it with: go test ./corpus -run Golden -update
func TestSeedPassagesGolden(t *testing.T) {
	type golden struct {
		Document Document  `json:"document"`
		Passages []Passage `json:"passages"`
	}
	var all []golden
	for _, d := range loadSeeds(t) {
		ps := Split(d)
		d.Bodies = BodiesOf(d, ps)
		d.Text = "" // the passages hold it
		all = append(all, golden{d, ps})
	}
	got, err := json.MarshalIndent(all, "", "  ")
	require.NoError(t, err)
	path := filepath.Join("testdata", "seeds.golden.json")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./corpus -run Golden -update to create it")
	assert.JSONEq(t, string(want), string(got))
}
