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
	"strings"
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
Run 'tracuu COMMAND -h' (or 'tracuu help COMMAND') for the flags of a command, with examples.
Exit status: 0 on success, 2 for a command line that cannot be run, 1 for any other error.

Examples:
  tracuu serve
  tracuu search dinh danh dien tu 40 trieu
`

// errUsage marks a command line that cannot be run; its message is printed with a hint to use -h.
var errUsage = errors.New("usage")

type command func(ctx context.Context, args []string, stdout, stderr io.Writer) error

var commands = map[string]command{
	"serve":   runServe,
	"index":   runIndex,
	"search":  recoverDamage(runSearch),
	"eval":    recoverDamage(runEval),
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
	switch {
	case len(args) == 0:
		fmt.Fprint(stderr, usage)
		return 2
	case args[0] == "help" && len(args) == 2:
		args = []string{args[1], "-h"} // tracuu help search = tracuu search -h
	case args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help":
		fmt.Fprint(stdout, usage)
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
		msg := strings.TrimPrefix(err.Error(), errUsage.Error()+": ")
		fmt.Fprintf(stderr, "tracuu %s: %s (run 'tracuu %s -h' for help)\n", args[0], msg, args[0])
		return 2
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(stderr, "tracuu %s: interrupted\n", args[0])
		return 1
	default:
		fmt.Fprintf(stderr, "tracuu %s: %v\n", args[0], err)
		return 1
	}
}

// flags is a command's flag set with the help -h prints. Flags may come before or after the
// positional arguments (tracuu search dinh danh -limit 3); after "--" everything is positional.
type flags struct {
	*flag.FlagSet
	name, synopsis, about string
	examples              []string
	stdout                io.Writer
	args                  []string
}

// newFlags returns the flag set of a command: synopsis is its usage line, about says what it does,
// and examples are command lines that work as shown.
func newFlags(name, synopsis, about string, examples []string, stdout io.Writer) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by run; help goes to stdout
	fs.Usage = func() {}
	return &flags{FlagSet: fs, name: name, synopsis: synopsis, about: about, examples: examples, stdout: stdout}
}

// parse parses args. On -h it prints the help on stdout and returns flag.ErrHelp; a bad flag becomes
// errUsage with the flag package's message.
func (f *flags) parse(args []string) error {
	for {
		if err := f.FlagSet.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.help()
				return err
			}
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := f.FlagSet.Args()
		if len(rest) == 0 {
			return nil
		}
		// Parse stopped at a positional argument, or after "--" (then everything left is positional).
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			f.args = append(f.args, rest...)
			return nil
		}
		f.args = append(f.args, rest[0])
		args = rest[1:]
	}
}

// Args returns the positional arguments.
func (f *flags) Args() []string { return f.args }

// NArg returns the number of positional arguments.
func (f *flags) NArg() int { return len(f.args) }

func (f *flags) help() {
	fmt.Fprintf(f.stdout, "Usage: tracuu %s %s\n\n%s\n", f.name, f.synopsis, f.about)
	fmt.Fprintf(f.stdout, "\nFlags:\n")
	f.SetOutput(f.stdout)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
	fmt.Fprintf(f.stdout, "\nExamples:\n")
	for _, e := range f.examples {
		fmt.Fprintf(f.stdout, "  %s\n", e)
	}
}
