package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
)

// profileFlag adds -cpuprofile to a command, for `go tool pprof` on real runs (index, eval).
func profileFlag(fs *flag.FlagSet) *string {
	return fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE`, for go tool pprof")
}

// startProfile starts CPU profiling into path (nothing when empty) and returns the function that stops it.
func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
