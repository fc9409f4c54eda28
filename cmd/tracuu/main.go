// Command tracuu is a search engine for Vietnamese documents: it serves the embedded seed documents (or
// an on-disk index) over HTTP, builds indexes, searches from the command line and measures relevance.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `tracuu: search Vietnamese documents, with or without diacritics.

Usage:
  tracuu serve   [-addr 127.0.0.1:8080] [-index DIR] [PATH...]   serve the page and the JSON API
  tracuu index   -index DIR PATH...                              build or update an on-disk index
  tracuu search  [-index DIR] [-limit N] [-json] QUERY...        print ranked passages
  tracuu eval    -index DIR -queries FILE [-json]                measure relevance and latency
  tracuu analyze [-json] TEXT                                    show the analyzer's tokens

Without -index, serve and search use the seed documents embedded in the binary.
Run 'tracuu COMMAND -h' for the flags of a command.
`

// errUsage marks a command line that cannot be run; its message is printed with a hint to use -h.
var errUsage = errors.New("usage")

type command func(ctx context.Context, args []string, stdout, stderr io.Writer) error

var commands = map[string]command{
	"serve":   runServe,
	"index":   runIndex,
	"search":  runSearch,
	"eval":    runEval,
	"analyze": runAnalyze,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes a command line and returns the exit status: 0 on success, 2 for a bad command line,
// 1 for any other error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "tracuu: unknown command %q; run 'tracuu -h' for the list\n", args[0])
		return 2
	}
	err := cmd(ctx, args[1:], stdout, stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "tracuu %s: %v (run 'tracuu %s -h' for help)\n", args[0], err, args[0])
		return 2
	default:
		fmt.Fprintf(stderr, "tracuu %s: %v\n", args[0], err)
		return 1
	}
}

// newFlags returns a flag set that reports errors instead of exiting, with a usage line.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tracuu %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning a flag error into errUsage (the flag package already printed it).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}
