package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/tracuu/tracuu/api"
	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/search"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "[-addr 127.0.0.1:8080] [-index DIR] [-rate N [-burst N] [-trust-proxy]] [PATH...]",
		"Serves the search page on / and the JSON API on /api/v1 (described by GET /api/v1/openapi.json).\n"+
			"Without -index it indexes the PATHs (folders, .txt/.md/.html files, .jsonl/.jsonl.gz files) in\n"+
			"memory, or, without PATHs, the seed documents embedded in tracuu. With -index DIR it builds the\n"+
			"on-disk index from the PATHs on first start and reuses it afterwards; when it was built by another\n"+
			"version of tracuu it rebuilds it by itself from the documents it holds (those written through the\n"+
			"API included), or from the PATHs if those cannot be read. To add documents to an existing index,\n"+
			"use tracuu index. Stops cleanly on Ctrl-C or SIGTERM.",
		[]string{"tracuu serve",
			"tracuu serve -addr :8080 ~/documents",
			"tracuu serve -index /tmp/viquad.idx ../shared/bench/viquad2-dev/passages.jsonl.gz"}, stdout)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this `HOST:PORT` (:8080 listens on every interface)")
	dir := fs.String("index", "", "serve the on-disk index in the folder `DIR`, built from the PATHs when missing (default: an in-memory index)")
	verbose := fs.Bool("v", false, "log at debug level, which includes the text of queries (default: method, path, status and duration only)")
	rate := fs.Float64("rate", 0, "allow each client IP `N` requests a second, answering 429 beyond (default 0: no limit)")
	burst := fs.Int("burst", 0, "under -rate, let a client make `N` requests at once (default 0: twice -rate)")
	trustProxy := fs.Bool("trust-proxy", false, "take the client IP for -rate from X-Forwarded-For (only behind a reverse proxy that sets it)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if !(*rate >= 0 && *rate <= 1e6) || *burst < 0 { // NaN fails both comparisons
		return fmt.Errorf("%w: -rate must be between 0 and 1000000 and -burst not negative", errUsage)
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	start := time.Now()
	idx, err := openIndex(ctx, *dir, fs.Args(), false, stderr)
	if err != nil {
		return err
	}
	closeIndex := true
	defer func() {
		if closeIndex {
			idx.Close()
		}
	}()
	s := search.New(idx)
	st, err := s.Stats(ctx)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("listen on %s: %w (is another server running there? choose another with -addr)", *addr, err)
	case err != nil: // a malformed address, a host that is not this machine's, a port it may not use
		return fmt.Errorf("listen on %s: %w (give -addr as HOST:PORT with an address of this machine, e.g. 127.0.0.1:8080)", *addr, err)
	}
	// Said once listening, so a failed start prints one line. Writes need the admin token; it comes from the environment, never a flag (flags show in ps).
	token := os.Getenv("TRACUU_ADMIN_TOKEN")
	switch {
	case token == "":
		log.Info("writes disabled: set TRACUU_ADMIN_TOKEN to allow PUT and DELETE of documents")
	case len(token) < 16:
		log.Warn("TRACUU_ADMIN_TOKEN is short; use 32 random characters or more")
	}
	if token != "" && *dir == "" {
		log.Info("writes go to an in-memory index and are lost when the server stops")
	}
	// A write the disk filled under leaves the served index unreadable (see diskFilled): the server
	// stops, and its restart serves the index as of the last complete write.
	ctx, stopServing := context.WithCancelCause(ctx)
	defer stopServing(nil)
	writes := &writeGate{w: newWriter(idx), dir: *dir, filled: func(err error) {
		log.Error("the disk of the index filled during a write: stopping, since the index can no longer be read until it is opened again", "err", err)
		stopServing(err)
	}}
	srv := &http.Server{
		Handler: api.New(s, api.Options{Logger: log, Writer: writes, AdminToken: token,
			RateLimit: api.RateLimit{PerSecond: *rate, Burst: *burst, TrustForwardedFor: *trustProxy}}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "documents", st.Documents,
		"passages", st.Passages, "ready_in", time.Since(start).Round(time.Millisecond))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	grace := shutdownGrace
	var filled error
	if cause := context.Cause(ctx); errors.Is(cause, indexer.ErrNoSpace) {
		// Reads fail from now on: answer those in progress quickly, and restart.
		filled, grace = cause, time.Second
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	// The index is closed when this returns: a write still running would be cut off half way, leaving
	// a mix of a document's versions, so writes are waited for however long they take (reads are not).
	writes.closeAndWait()
	if filled != nil {
		// Closing would persist and merge on the full disk: the process ends with the index as it was
		// after the last complete write, which the restart opens (tested on a full tmpfs).
		closeIndex = false
		var cause error = filled
		if e, ok := filled.(*diskFilledError); ok {
			cause = e.err
		}
		return fmt.Errorf("stopped: the disk of the index at %s filled during a write (%w); restart tracuu serve: it serves the index as of the last complete write, and refuses writes with 507 until there is space",
			*dir, cause)
	}
	if err != nil {
		// Past the grace, but the writes are done: let their handlers send the answers before the
		// index closes under them.
		answerCtx, cancelAnswers := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancelAnswers()
		if srv.Shutdown(answerCtx) != nil {
			log.Warn("requests still running were cut off", "after", shutdownGrace)
		}
		return nil
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newWriter makes the writer of the served index; tests wrap it to see when a write begins.
var newWriter = func(idx bleve.Index) api.DocumentWriter { return indexer.NewWriter(idx) }

// maxHeaderBytes caps the request line and headers together. The longest the API takes fit in a
// quarter of it (analyze's 10,000 characters are at most 90 KB percent-encoded, a search with 20
// bodies under 50 KB), so a longer line still reaches the handlers and gets their JSON error (a q
// over 1,000 characters is 400) rather than net/http's plain-text 431, which only lines and headers
// past this limit get. Go's default, 1 MB, would let each slow client hold four times as much.
const maxHeaderBytes = 256 << 10

// shutdownGrace is how long a stopping server waits for the requests in progress (searches time out
// after 10 s).
var shutdownGrace = 10 * time.Second

// writeGate lets serve wait for the writes in progress before it closes the index, and refuses those
// that would start after.
type writeGate struct {
	w      api.DocumentWriter
	dir    string       // the on-disk index, whose free space is checked before each write; "" in memory
	filled func(error)  // called when the disk filled during a write anyway
	mu     sync.RWMutex // held for reading by each write, for writing once closed
	closed bool
}

var errStopping = fmt.Errorf("%w: the server is stopping; send the write again once it is back", api.ErrUnavailable)

func (g *writeGate) Put(ctx context.Context, doc corpus.Document) (int, bool, error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.closed {
		return 0, false, errStopping
	}
	if err := g.checkSpace(documentBytes(doc), "adding this document"); err != nil {
		return 0, false, err
	}
	n, created, err := g.w.Put(ctx, doc)
	return n, created, g.diskFilled(err)
}

func (g *writeGate) Delete(ctx context.Context, id string) (int, error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.closed {
		return 0, errStopping
	}
	// A delete writes too: a new segment of deletions and a snapshot.
	if err := g.checkSpaceFor(indexer.DeleteNeeds, "deleting a document"); err != nil {
		return 0, err
	}
	n, err := g.w.Delete(ctx, id)
	return n, g.diskFilled(err)
}

// diskFilled turns a write that failed on a full disk (checked before, filled by someone else since)
// into ErrNoSpace, and reports it to filled. bleve does not survive this: the segment it could not
// write stays in the served snapshot, every read then panics in zapx (500), and soon one of bleve's
// goroutines crashes the process. Reopened, the index is as it was after the last complete write.
func (g *writeGate) diskFilled(err error) error {
	// bleve formats the persister's error with %v: the text is all that is left of ENOSPC.
	if err == nil || g.dir == "" || !(errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), syscall.ENOSPC.Error())) {
		return err
	}
	err = &diskFilledError{dir: g.dir, err: err}
	if g.filled != nil {
		g.filled(err)
	}
	return err
}

// checkSpace refuses a write of input bytes of documents when the disk of the index has too little
// room for it: a disk that fills during a write breaks the index for reads too, and bleve's goroutines
// may then crash the server (see indexer.ErrNoSpace).
func (g *writeGate) checkSpace(input int64, what string) error {
	return g.checkSpaceFor(indexer.WriteNeeds(input), what)
}

// checkSpaceFor refuses a write that needs more free space than the index's disk has.
func (g *writeGate) checkSpaceFor(need uint64, what string) error {
	if g.dir == "" {
		return nil
	}
	if err := indexer.CheckSpace(g.dir, need, what); err != nil {
		return fmt.Errorf("%w (searches still work)", err)
	}
	return nil
}

// documentBytes is the size of the text a document brings.
func documentBytes(d corpus.Document) int64 {
	n := len(d.ID) + len(d.Title) + len(d.Date) + len(d.Source) + len(d.Text)
	for _, bodies := range [][]string{d.Bodies, d.Given} {
		for _, b := range bodies {
			n += len(b)
		}
	}
	return int64(n)
}

// diskFilledError is a write the disk filled under.
type diskFilledError struct {
	dir string
	err error // bleve's, wrapping ENOSPC
}

func (e *diskFilledError) Error() string {
	return fmt.Sprintf("%v for the index at %s: the disk filled during this write, which may not have been saved (%v); the server restarts: send the write again once there is space",
		indexer.ErrNoSpace, e.dir, e.err)
}

// Unwrap makes it both ErrNoSpace (507 in the API) and bleve's error.
func (e *diskFilledError) Unwrap() []error { return []error{indexer.ErrNoSpace, e.err} }

// closeAndWait returns once no write is running, and no other can start.
func (g *writeGate) closeAndWait() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}
