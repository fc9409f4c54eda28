package corpus

import (
	"testing"

	"github.com/tracuu/tracuu/seeds"
)

// BenchmarkLoadAndSplit measures cleaning, tagging and splitting the seeds, the work done per document
// before indexing.
func BenchmarkLoadAndSplit(b *testing.B) {
	docs, err := LoadFS(seeds.FS)
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, d := range docs {
		size += len(d.Text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		docs, _ := LoadFS(seeds.FS)
		for _, d := range docs {
			Split(d)
		}
	}
}
