package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHelpExplainsEveryFlag(t *testing.T) {
	tests := []struct {
		command string
		flags   []string // every flag the command takes, with its argument name
	}{
		{"serve", []string{"-addr HOST:PORT", "-index DIR", "-rate N", "-burst N", "-trust-proxy", "-v"}},
		{"index", []string{"-index DIR", "-shards K", "-cpuprofile FILE"}},
		{"search", []string{"-index DIR", "-limit N", "-json"}},
		{"eval", []string{"-index DIR", "-queries FILE", "-json", "-run FILE", "-limit N", "-highlights", "-cpuprofile FILE"}},
		{"analyze", []string{"-json"}},
	}
	for _, tt := range tests {
		for _, asked := range [][]string{{tt.command, "-h"}, {tt.command, "--help"}, {"help", tt.command}} {
			t.Run(strings.Join(asked, " "), func(t *testing.T) {
				code, out, errOut := runCLI(t, asked...)
				assert.Equal(t, 0, code)
				assert.Empty(t, errOut, "help goes to stdout")
				assert.True(t, strings.HasPrefix(out, "Usage: tracuu "+tt.command+" "), out)
				lines := strings.Split(out, "\n")
				flagLines := 0
				for i, line := range lines {
					if !strings.HasPrefix(line, "  -") {
						continue
					}
					flagLines++
					// The description follows a tab on the same line (one-letter flags) or on the next one.
					_, desc, ok := strings.Cut(line, "\t")
					if !ok && i+1 < len(lines) {
						desc = lines[i+1]
					}
					assert.Greater(t, len(strings.Fields(desc)), 3, "flag %q is explained", line)
				}
				assert.Equal(t, len(tt.flags), flagLines, "every flag is listed once")
				for _, f := range tt.flags {
					assert.True(t, strings.Contains(out, "  "+f+"\n") || strings.Contains(out, "  "+f+"\t"), "flag %s with its argument", f)
				}
				assert.Contains(t, out, "\nExamples:\n  tracuu "+tt.command)
			})
		}
	}
}

// TestHelpExamplesWork runs the examples of the commands that need no files of their own.
func TestHelpExamplesWork(t *testing.T) {
	for _, command := range []string{"search", "analyze"} {
		_, out, _ := runCLI(t, command, "-h")
		_, examples, ok := strings.Cut(out, "\nExamples:\n")
		require.True(t, ok)
		for _, line := range strings.Split(strings.TrimSpace(examples), "\n") {
			args := shellWords(strings.TrimSpace(line))
			require.Equal(t, "tracuu", args[0])
			if strings.Contains(line, "-index") {
				continue // needs an index built from the benchmark data
			}
			t.Run(line, func(t *testing.T) {
				code, out, errOut := runCLI(t, args[1:]...)
				assert.Equal(t, 0, code, errOut)
				assert.NotEmpty(t, out)
			})
		}
	}
}

// shellWords splits a command line on spaces, keeping 'single-quoted' words whole.
func shellWords(line string) []string {
	var words []string
	var word strings.Builder
	quoted, inWord := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, word.String())
				word.Reset()
			}
			inWord = false
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}

func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as Ctrl-C before the work is done
	var out, errOut bytes.Buffer
	dir := filepath.Join(t.TempDir(), "idx")
	code := run(ctx, []string{"serve", "-index", dir, seedsFolder}, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Equal(t, "tracuu serve: interrupted\n", errOut.String())
	assert.NoDirExists(t, dir, "no half-built index is left to be reused")
}

func TestExitCodes(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	files := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(files, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	labelled := write("labelled.jsonl", `{"id":"q1","query":"định danh điện tử","relevant":["000"]}`+"\n")
	unlabelled := write("unlabelled.jsonl", `{"id":"q1","query":"định danh điện tử"}`+"\n")
	notUTF8 := write("latin1.jsonl", "{\"id\":\"q1\",\"query\":\"\xd0inh danh\",\"relevant\":[\"000\"]}\n")
	setAside := filepath.Join(files, "swapped.idx")
	require.NoError(t, os.Mkdir(setAside+".old", 0o700)) // a rebuild stopped between its two renames
	tests := []struct {
		name       string
		args       []string
		code       int
		stderr     string // what the one-line message must say
		stdoutToo  bool   // the command also prints on stdout
		emptyError bool   // nothing on stderr
	}{
		{"no command: the usage, on stderr", nil, 2, "Usage:", false, false},
		{"tracuu -h", []string{"-h"}, 0, "", true, true},
		{"tracuu help", []string{"help"}, 0, "", true, true},
		{"help of an unknown command", []string{"help", "frobnicate"}, 2, `unknown command "frobnicate"; run 'tracuu -h' for the list`, false, false},
		{"flags after the query", []string{"search", "dinh", "danh", "-limit", "1"}, 0, "", true, true},
		{"a query word after --", []string{"search", "-limit", "1", "--", "-5%", "dinh"}, 0, "", true, true},
		{"a flag value missing", []string{"search", "x", "-limit"}, 2, "flag needs an argument: -limit (run 'tracuu search -h' for help)", false, false},
		{"a flag value not a number", []string{"search", "-limit", "ten", "x"}, 2, `invalid value "ten" for flag -limit`, false, false},
		{"a query not UTF-8", []string{"search", "\xd0inh", "danh"}, 2, "the QUERY is not valid UTF-8; set the terminal to UTF-8", false, false},
		{"a query too long", []string{"search", strings.Repeat("a", 1001)}, 2, "q must be at most 1000 characters", false, false},
		{"analyze with -json only", []string{"analyze", "-json"}, 2, "give a TEXT to analyze, for example", false, false},
		{"analyze a text not UTF-8", []string{"analyze", "\xff"}, 2, "the TEXT is not valid UTF-8; set the terminal to UTF-8", false, false},
		{"analyze -json a text not UTF-8", []string{"analyze", "-json", "\xd0inh", "danh"}, 2, "the TEXT is not valid UTF-8; set the terminal to UTF-8", false, false},
		{"eval -limit out of range", []string{"eval", "-index", missing, "-queries", missing, "-limit", "0"}, 2, "-limit must be between 1 and 100", false, false},
		{"eval a missing queries file", []string{"eval", "-index", missing, "-queries", missing}, 1, "no such file", false, false},
		{"index a missing PATH", []string{"index", "-index", filepath.Join(t.TempDir(), "idx"), missing}, 1, missing + ": no such file or folder", false, false},
		{"eval -run onto its own queries", []string{"eval", "-index", missing, "-queries", labelled, "-run", labelled}, 2, "-run " + labelled + " would overwrite the queries", false, false},
		{"eval of queries without relevant ids", []string{"eval", "-index", missing, "-queries", unlabelled}, 1, "no query has \"relevant\" document ids", false, false},
		{"eval of queries not UTF-8", []string{"eval", "-index", missing, "-queries", notUTF8}, 1, notUTF8 + ":1: not valid UTF-8", false, false},
		{"search after an interrupted rebuild says where the index is", []string{"search", "-index", setAside, "x"}, 1, "an interrupted rebuild left it at " + setAside + ".old", false, false},
		{"search a missing index says how to build it", []string{"search", "-index", missing, "x"}, 1, "no index at " + missing + ": build one first (tracuu index -index " + missing + " PATH...)", false, false},
		{"serve on a bad address", []string{"serve", "-addr", "256.0.0.1:1"}, 1, "listen on 256.0.0.1:1", false, false},
		{"serve on a malformed address says the form", []string{"serve", "-addr", "bad:addr:x"}, 1, "too many colons in address (give -addr as HOST:PORT", false, false},
		{"serve on an address in use", []string{"serve", "-addr", busy.Addr().String()}, 1, "address already in use (is another server running there? choose another with -addr)", false, false},
		{"serve with a bad flag", []string{"serve", "-port", "80"}, 2, "flag provided but not defined: -port", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			assert.Equal(t, tt.code, code, errOut)
			assert.Contains(t, errOut, tt.stderr)
			if tt.emptyError {
				assert.Empty(t, errOut)
			}
			if tt.stdoutToo {
				assert.NotEmpty(t, out)
			} else {
				assert.Empty(t, out)
			}
			if tt.code != 0 && tt.args != nil {
				assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
			}
		})
	}
}
