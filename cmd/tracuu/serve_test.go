package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/api"
	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
)

// startServe runs tracuu serve with args on a free port until the test ends, and returns its address.
func startServe(t *testing.T, args ...string) (addr string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr = ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() { done <- run(ctx, append([]string{"serve", "-addr", addr}, args...), io.Discard, &stderr) }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		require.True(t, time.Now().Before(deadline), "server ready")
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			assert.Equal(t, 0, code, stderr.String())
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
	t.Cleanup(stop)
	return addr, stop
}

func call(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// A server reads its admin token from TRACUU_ADMIN_TOKEN, and what it writes to an on-disk index is
// there for the next server.
func TestServeWritesSurviveARestart(t *testing.T) {
	const token = "token-for-the-serve-test-0123456789"
	t.Setenv("TRACUU_ADMIN_TOKEN", token)
	dir := filepath.Join(t.TempDir(), "idx")
	addr, stop := startServe(t, "-index", dir, "../../seeds")
	base := "http://" + addr
	code, body := call(t, http.MethodPut, base+"/api/v1/documents/tin-lai-chau", token,
		`{"title": "Lai Châu số hóa hộ tịch", "text": "Tỉnh Lai Châu số hóa toàn bộ sổ hộ tịch của huyện Sìn Hồ để người dân tra cứu trực tuyến."}`)
	require.Equal(t, http.StatusCreated, code, body)
	code, _ = call(t, http.MethodPut, base+"/api/v1/documents/tin-lai-chau", "wrong-token", `{"text": "khác"}`)
	assert.Equal(t, http.StatusUnauthorized, code)
	code, body = call(t, http.MethodDelete, base+"/api/v1/documents/004_8ad28276ef6928e8", token, "")
	require.Equal(t, http.StatusOK, code, body)
	stop()

	t.Setenv("TRACUU_ADMIN_TOKEN", "")
	addr, _ = startServe(t, "-index", dir)
	base = "http://" + addr
	code, body = call(t, http.MethodGet, base+"/api/v1/search?q=so+hoa+ho+tich+sin+ho", "", "")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `"doc_id":"tin-lai-chau"`)
	code, _ = call(t, http.MethodGet, base+"/api/v1/documents/004_8ad28276ef6928e8", "", "")
	assert.Equal(t, http.StatusNotFound, code)
	code, body = call(t, http.MethodGet, base+"/healthz", "", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `"documents":5`)
	// Without a token, writes are refused.
	code, _ = call(t, http.MethodDelete, base+"/api/v1/documents/tin-lai-chau", token, "")
	assert.Equal(t, http.StatusForbidden, code)
}

func TestServeRateFlag(t *testing.T) {
	for _, bad := range [][]string{{"-rate", "-1"}, {"-rate", "NaN"}, {"-rate", "+Inf"}, {"-rate", "1", "-burst", "-2"}} {
		code, _, errOut := runCLI(t, append([]string{"serve"}, bad...)...)
		assert.Equal(t, 2, code, bad)
		assert.Contains(t, errOut, "-rate", bad)
	}

	addr, _ := startServe(t, "-rate", "1", "-burst", "3")
	statuses := map[int]int{}
	for range 6 {
		code, _ := call(t, http.MethodGet, fmt.Sprintf("http://%s/api/v1/search?q=chuyen+doi+so", addr), "", "")
		statuses[code]++
	}
	// The burst of three, maybe one more refilled while they ran, then 429.
	assert.GreaterOrEqual(t, statuses[http.StatusOK], 3)
	assert.GreaterOrEqual(t, statuses[http.StatusTooManyRequests], 2)
}

// A server stopped while a long write runs waits for the write before it closes the index, so the
// document is there whole after a restart, never half of its passages without its record.
// signallingWriter closes begun when a Put begins.
type signallingWriter struct {
	*indexer.Writer
	begun chan struct{}
}

func (w signallingWriter) Put(ctx context.Context, doc corpus.Document) (int, bool, error) {
	close(w.begun)
	return w.Writer.Put(ctx, doc)
}

func TestServeStopWaitsForAWrite(t *testing.T) {
	const token = "token-for-the-serve-test-0123456789"
	t.Setenv("TRACUU_ADMIN_TOKEN", token)
	defer func(d time.Duration) { shutdownGrace = d }(shutdownGrace)
	shutdownGrace = time.Millisecond // reads are cut off at once; the write must still finish

	// About 3,000 passages: several batches, over a second on disk.
	sentence := "Tỉnh Lai Châu số hóa sổ hộ tịch của huyện Sìn Hồ để người dân tra cứu trực tuyến, giảm giấy tờ khi làm thủ tục. "
	doc := fmt.Sprintf(`{"title": "Lai Châu số hóa hộ tịch", "text": %q}`, strings.Repeat(sentence, 9000))
	// Stop only once the write has begun: a write that comes after is refused (503), not waited for.
	begun := make(chan struct{})
	defer func(f func(bleve.Index) api.DocumentWriter) { newWriter = f }(newWriter)
	newWriter = func(idx bleve.Index) api.DocumentWriter {
		return signallingWriter{indexer.NewWriter(idx), begun}
	}
	dir := filepath.Join(t.TempDir(), "idx")
	addr, stop := startServe(t, "-index", dir, "../../seeds")
	written := make(chan int, 1)
	go func() {
		req, err := http.NewRequest(http.MethodPut, "http://"+addr+"/api/v1/documents/lai-chau", strings.NewReader(doc))
		if err != nil {
			written <- 0
			return
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			written <- 0
			return
		}
		resp.Body.Close()
		written <- resp.StatusCode
	}()
	select {
	case <-begun:
	case code := <-written:
		t.Fatalf("the write ended (%d) before it began", code)
	}
	stop()
	assert.Equal(t, http.StatusCreated, <-written, "the write in progress was finished and answered")

	t.Setenv("TRACUU_ADMIN_TOKEN", "")
	addr, _ = startServe(t, "-index", dir)
	code, body := call(t, http.MethodGet, "http://"+addr+"/api/v1/documents/lai-chau", "", "")
	require.Equal(t, http.StatusOK, code, "the document is there after the restart")
	var got struct{ Passages []string }
	require.NoError(t, json.Unmarshal([]byte(body), &got))
	require.Greater(t, len(got.Passages), 1500, "a write of several batches")
	code, body = call(t, http.MethodGet, "http://"+addr+"/healthz", "", "")
	require.Equal(t, http.StatusOK, code)
	var health struct{ Documents, Passages int }
	require.NoError(t, json.Unmarshal([]byte(body), &health))
	assert.Equal(t, 6, health.Documents)
	assert.Equal(t, 78+len(got.Passages), health.Passages, "the seeds' passages and every passage of the document, no more")
}

// TestServeLongRequestLines: a request line too long for what it asks (a query of 70 KB) gets the
// API's JSON error from the handler, not a plain-text 431 from net/http, and the longest text the API
// takes (analyze: 10,000 characters, 90 KB percent-encoded) is served; headers past the server's limit
// are still refused before any handler runs.
func TestServeLongRequestLines(t *testing.T) {
	addr, _ := startServe(t)
	base := "http://" + addr
	tests := []struct {
		name   string
		target string
		header int // bytes of an extra header
		status int
		json   string // in the JSON body; "" for net/http's own answer
	}{
		{"q of 70 KB", "/api/v1/search?q=" + strings.Repeat("a", 70<<10), 0, http.StatusBadRequest, "q must be at most 1000 characters"},
		{"q of 200 KB", "/api/v1/search?q=" + strings.Repeat("a", 200<<10), 0, http.StatusBadRequest, "q must be at most 1000 characters"},
		{"analyze 10,000 characters", "/api/v1/analyze?text=" + url.QueryEscape(strings.Repeat("định danh ", 1000)), 0, http.StatusOK, `"views"`},
		// The longest a text the API takes can be: 10,000 letters of 3 bytes, 9 once percent-encoded.
		{"analyze 10,000 characters of 90 KB", "/api/v1/analyze?text=" + url.QueryEscape(strings.Repeat("ệ", 10000)), 0, http.StatusOK, `"views"`},
		{"analyze 10,001 characters", "/api/v1/analyze?text=" + url.QueryEscape(strings.Repeat("ệ", 10001)), 0, http.StatusBadRequest, "text must be at most 10000 characters"},
		{"page q of 70 KB", "/search?q=" + strings.Repeat("a", 70<<10), 0, http.StatusBadRequest, ""},
		{"headers of 300 KB", "/healthz", 300 << 10, http.StatusRequestHeaderFieldsTooLarge, ""},
		{"request line of 300 KB", "/api/v1/search?q=" + strings.Repeat("a", 300<<10), 0, http.StatusRequestHeaderFieldsTooLarge, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, base+tc.target, nil)
			require.NoError(t, err)
			if tc.header > 0 {
				req.Header.Set("X-Padding", strings.Repeat("x", tc.header))
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode, string(body))
			if tc.json != "" {
				assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
				assert.Contains(t, string(body), tc.json)
			}
		})
	}
}
