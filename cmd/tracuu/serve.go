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
	defer idx.Close()
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
	writes := &writeGate{w: newWriter(idx), dir: *dir}
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
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	// The index is closed when this returns: a write still running would be cut off half way, leaving
	// a mix of a document's versions, so writes are waited for however long they take (reads are not).
	writes.closeAndWait()
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
	return g.w.Put(ctx, doc)
}

func (g *writeGate) Delete(ctx context.Context, id string) (int, error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.closed {
		return 0, errStopping
	}
	// A delete writes too: a new segment of deletions and a snapshot.
	if err := g.checkSpace(0, "deleting a document"); err != nil {
		return 0, err
	}
	return g.w.Delete(ctx, id)
}

// checkSpace refuses a write of input bytes of documents when the disk of the index has too little
// room for it: a disk that fills during a write breaks the index for reads too, and bleve's goroutines
// may then crash the server (see indexer.ErrNoSpace).
func (g *writeGate) checkSpace(input int64, what string) error {
	if g.dir == "" {
		return nil
	}
	if err := indexer.CheckSpace(g.dir, indexer.WriteNeeds(input), what); err != nil {
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

// closeAndWait returns once no write is running, and no other can start.
func (g *writeGate) closeAndWait() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}
