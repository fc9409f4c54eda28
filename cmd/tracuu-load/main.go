// Command tracuu-load is a load test for a tracuu server on this machine: N concurrent clients send
// the queries of a benchmark file to /api/v1/search for a bounded time (and number of requests), and
// it reports requests, errors (anything but 200), throughput, latency percentiles and, given the
// server's pid, its resident memory each second.
//
//	tracuu-load -url http://127.0.0.1:8080 -queries queries.jsonl.gz -c 16 -d 60s -pid 1234
//
// It refuses hosts other than loopback ones: it is for measuring one's own server, not for loading
// someone else's.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tracuu/tracuu/corpus"
)

// Config is one load run.
type Config struct {
	BaseURL  string        // http://127.0.0.1:8080 (loopback only)
	Queries  []string      // sent in turn, round-robin over all clients
	Clients  int           // concurrent clients, each with one request in flight
	Duration time.Duration // the run stops after this long
	Max      int           // or after this many requests
	Limit    int           // the limit parameter of each search
	PID      int           // server process whose RSS is sampled each second; 0: none
}

// Report is what a run measured.
type Report struct {
	Clients     int                `json:"clients"`
	Seconds     float64            `json:"seconds"`
	Requests    int                `json:"requests"`
	Errors      int                `json:"errors"`
	ErrorKinds  map[string]int     `json:"error_kinds,omitempty"`
	PerSecond   float64            `json:"requests_per_second"`
	LatencyMS   map[string]float64 `json:"latency_ms"`
	RSSMB       []float64          `json:"rss_mb,omitempty"` // one sample a second
	RSSFirst10  float64            `json:"rss_first10_mb,omitempty"`
	RSSLast10   float64            `json:"rss_last10_mb,omitempty"`
	RSSMaxMB    float64            `json:"rss_max_mb,omitempty"`
	ExampleFail string             `json:"example_failure,omitempty"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "tracuu-load: %v\n", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tracuu-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "base URL of the tracuu server (loopback only)")
	queries := fs.String("queries", "", "queries, JSON Lines (.jsonl or .jsonl.gz) with a \"query\" field (required)")
	clients := fs.Int("c", 16, "concurrent clients (1-256)")
	duration := fs.Duration("d", 60*time.Second, "how long to run (at most 1h)")
	maxReq := fs.Int("n", 10_000_000, "stop after this many requests")
	limit := fs.Int("limit", 10, "results per search")
	pid := fs.Int("pid", 0, "server process id, to sample its RSS from /proc/PID/status every second")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *queries == "" {
		return errors.New("-queries FILE is required")
	}
	switch {
	case *clients < 1 || *clients > 256:
		return errors.New("-c must be between 1 and 256")
	case *duration <= 0 || *duration > time.Hour:
		return errors.New("-d must be between 1ns and 1h")
	case *maxReq < 1:
		return errors.New("-n must be at least 1")
	}
	qs, err := readQueries(*queries)
	if err != nil {
		return err
	}
	cfg := Config{BaseURL: *base, Queries: qs, Clients: *clients, Duration: *duration, Max: *maxReq, Limit: *limit, PID: *pid}
	rep, err := Run(ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printReport(stdout, rep)
	return nil
}

// checkLoopback refuses a base URL whose host is not a loopback address.
func checkLoopback(base string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("-url %q: want http://HOST:PORT", base)
	}
	host := u.Hostname()
	if host == "localhost" {
		return u, nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("-url %q: only loopback hosts (127.0.0.1, ::1, localhost) may be load-tested", base)
	}
	return u, nil
}

// Run sends the load and measures it.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	base, err := checkLoopback(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if len(cfg.Queries) == 0 {
		return nil, errors.New("no queries")
	}
	endpoint := base.JoinPath("/api/v1/search")
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Clients, MaxConnsPerHost: cfg.Clients, DisableCompression: true},
	}
	// One request first: a server that is not there is an error, not a run of failures.
	if _, err := get(ctx, client, endpoint, cfg.Queries[0], cfg.Limit); err != nil {
		return nil, fmt.Errorf("first request: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var (
		next      atomic.Int64
		mu        sync.Mutex
		latencies []float64
		errs      = map[string]int{}
		example   string
		wg        sync.WaitGroup
	)
	rss := startRSS(ctx, cfg.PID)
	start := time.Now()
	for range cfg.Clients {
		wg.Go(func() {
			var mine []float64
			for ctx.Err() == nil {
				n := next.Add(1)
				if n > int64(cfg.Max) {
					break // the others finish the requests they have in flight
				}
				q := cfg.Queries[(n-1)%int64(len(cfg.Queries))]
				t := time.Now()
				_, err := get(ctx, client, endpoint, q, cfg.Limit)
				took := time.Since(t)
				if err != nil && ctx.Err() != nil {
					break // cut off by the end of the run: not the server's failure
				}
				mine = append(mine, float64(took.Microseconds())/1000)
				if err != nil {
					mu.Lock()
					errs[kind(err)]++
					if example == "" {
						example = fmt.Sprintf("q=%q: %v", q, err)
					}
					mu.Unlock()
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cancel() // stops the RSS sampler when the request count ended the run
	samples := rss()

	rep := &Report{Clients: cfg.Clients, Seconds: elapsed.Seconds(), Requests: len(latencies), ErrorKinds: errs, ExampleFail: example}
	for _, n := range errs {
		rep.Errors += n
	}
	rep.PerSecond = float64(rep.Requests) / elapsed.Seconds()
	slices.Sort(latencies)
	rep.LatencyMS = map[string]float64{
		"p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99),
		"max": percentile(latencies, 100),
	}
	if len(samples) > 0 {
		rep.RSSMB = samples
		k := min(10, len(samples))
		rep.RSSFirst10, rep.RSSLast10, rep.RSSMaxMB = mean(samples[:k]), mean(samples[len(samples)-k:]), slices.Max(samples)
	}
	return rep, nil
}

// statusError is a response other than 200.
type statusError struct {
	code int
	body string
}

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.code, e.body) }

func kind(err error) string {
	var se *statusError
	if errors.As(err, &se) {
		return strconv.Itoa(se.code)
	}
	if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Timeout") {
		return "timeout"
	}
	return "transport"
}

func get(ctx context.Context, client *http.Client, endpoint *url.URL, q string, limit int) (int, error) {
	u := *endpoint
	u.RawQuery = url.Values{"q": {q}, "limit": {strconv.Itoa(limit)}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, &statusError{resp.StatusCode, fmt.Sprintf("%d bytes", n)}
	}
	return int(n), nil
}

// startRSS samples the resident memory of pid every second until ctx ends; the returned function
// waits for the sampler and returns the samples in MB.
func startRSS(ctx context.Context, pid int) func() []float64 {
	if pid <= 0 {
		return func() []float64 { return nil }
	}
	var samples []float64
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if mb, err := rssMB(pid); err == nil {
					samples = append(samples, mb)
				}
			}
		}
	}()
	return func() []float64 { <-done; return samples }
}

// rssMB reads VmRSS from /proc/PID/status.
func rssMB(pid int) (float64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			if err != nil {
				return 0, err
			}
			return kb / 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

func readQueries(path string) ([]string, error) {
	var qs []string
	err := corpus.ScanJSONL(path, 1<<20, func(n int, line []byte) error {
		var q struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(line, &q); err != nil || strings.TrimSpace(q.Query) == "" {
			return fmt.Errorf("%s:%d: want a JSON object with a \"query\"", path, n)
		}
		qs = append(qs, q.Query)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s: no queries", path)
	}
	return qs, nil
}

// percentile interpolates linearly between the closest ranks of sorted values.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	k := float64(len(sorted)-1) * p / 100
	lo, hi := math.Floor(k), math.Ceil(k)
	return sorted[int(lo)] + (sorted[int(hi)]-sorted[int(lo)])*(k-lo)
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func printReport(w io.Writer, r *Report) {
	fmt.Fprintf(w, "clients     %d\nduration    %.1f s\nrequests    %d\nerrors      %d", r.Clients, r.Seconds, r.Requests, r.Errors)
	if r.Errors > 0 {
		fmt.Fprintf(w, " %v (e.g. %s)", r.ErrorKinds, r.ExampleFail)
	}
	fmt.Fprintf(w, "\nthroughput  %.1f requests/s\nlatency ms  p50 %.1f  p95 %.1f  p99 %.1f  max %.1f\n",
		r.PerSecond, r.LatencyMS["p50"], r.LatencyMS["p95"], r.LatencyMS["p99"], r.LatencyMS["max"])
	if len(r.RSSMB) > 0 {
		fmt.Fprintf(w, "server RSS  first 10 s %.0f MB, last 10 s %.0f MB, max %.0f MB\nRSS per s  ", r.RSSFirst10, r.RSSLast10, r.RSSMaxMB)
		for i, mb := range r.RSSMB {
			if i > 0 {
				fmt.Fprint(w, " ")
			}
			fmt.Fprintf(w, "%.0f", mb)
		}
		fmt.Fprintln(w)
	}
}
