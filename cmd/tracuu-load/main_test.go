package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOnlyLoopbackHosts(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.3.4.5:8080", true},
		{"http://[::1]:8080", true},
		{"http://localhost:8080", true},
		{"http://10.0.0.1:8080", false},
		{"http://example.com", false},
		{"http://0.0.0.0:8080", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
	}
	for _, tt := range tests {
		_, err := checkLoopback(tt.url)
		assert.Equal(t, tt.ok, err == nil, "%s: %v", tt.url, err)
	}
}

func TestRunCountsRequestsAndErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/search" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("q") == "lỗi máy chủ" {
			http.Error(w, `{"error":{"code":"internal","message":"x"}}`, http.StatusInternalServerError)
			return
		}
		w.Write([]byte(`{"results":[]}`))
	}))
	defer srv.Close()
	qs := []string{"định danh điện tử", "lỗi máy chủ", "chuyển đổi số", "căn cước"}

	rep, err := Run(context.Background(), Config{BaseURL: srv.URL, Queries: qs, Clients: 4, Duration: time.Minute, Max: 400, Limit: 10, PID: os.Getpid()})
	require.NoError(t, err)
	assert.Equal(t, 400, rep.Requests, "bounded by the request count")
	assert.Equal(t, 100, rep.Errors, "every fourth query fails")
	assert.Equal(t, map[string]int{"500": 100}, rep.ErrorKinds)
	assert.Greater(t, rep.PerSecond, 0.0)
	assert.LessOrEqual(t, rep.LatencyMS["p50"], rep.LatencyMS["p99"])

	start := time.Now()
	rep, err = Run(context.Background(), Config{BaseURL: srv.URL, Queries: qs[:1], Clients: 2, Duration: 1500 * time.Millisecond, Max: 1 << 30, Limit: 10, PID: os.Getpid()})
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 3*time.Second, "bounded by the duration")
	assert.Zero(t, rep.Errors)
	assert.NotEmpty(t, rep.RSSMB, "RSS sampled each second")

	_, err = Run(context.Background(), Config{BaseURL: "http://10.1.2.3:80", Queries: qs, Clients: 1, Duration: time.Second, Max: 1})
	require.Error(t, err)
}

func TestReadQueries(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "q.jsonl")
	require.NoError(t, os.WriteFile(good, []byte(`{"id":"1","query":"định danh điện tử","relevant":["a"]}`+"\n\n"+`{"id":"2","query":"dinh danh"}`+"\n"), 0o644))
	qs, err := readQueries(good)
	require.NoError(t, err)
	assert.Equal(t, []string{"định danh điện tử", "dinh danh"}, qs)

	bad := filepath.Join(dir, "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte(`{"id":"1"}`+"\n"), 0o644))
	_, err = readQueries(bad)
	assert.ErrorContains(t, err, "bad.jsonl:1")
}
