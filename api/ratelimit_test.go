package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/tracuu/tracuu/search"
)

// fakeClock is a limiter clock that moves only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func testLimiter(rl RateLimit) (*limiter, *fakeClock) {
	l := newLimiter(rl)
	clock := &fakeClock{t: time.Date(2024, 5, 10, 8, 0, 0, 0, time.UTC)}
	l.now = clock.now
	return l, clock
}

func TestTokenBucket(t *testing.T) {
	l, clock := testLimiter(RateLimit{PerSecond: 2, Burst: 3})
	for i := range 3 {
		ok, _ := l.allow("203.0.113.7")
		assert.True(t, ok, "request %d of the burst", i+1)
	}
	ok, wait := l.allow("203.0.113.7")
	assert.False(t, ok)
	assert.Equal(t, 500*time.Millisecond, wait, "one token comes back every 1/2 s")

	// Another client has its own bucket.
	ok, _ = l.allow("198.51.100.20")
	assert.True(t, ok)

	clock.advance(499 * time.Millisecond)
	ok, _ = l.allow("203.0.113.7")
	assert.False(t, ok, "not yet")
	clock.advance(2 * time.Millisecond)
	ok, _ = l.allow("203.0.113.7")
	assert.True(t, ok, "a token came back")
	ok, _ = l.allow("203.0.113.7")
	assert.False(t, ok)

	// A long rest refills the bucket to the burst, no more.
	clock.advance(time.Hour)
	for range 3 {
		ok, _ = l.allow("203.0.113.7")
		assert.True(t, ok)
	}
	ok, _ = l.allow("203.0.113.7")
	assert.False(t, ok)
}

func TestLimiterDefaultsAndOff(t *testing.T) {
	assert.Nil(t, newLimiter(RateLimit{}), "off by default")
	assert.Nil(t, newLimiter(RateLimit{PerSecond: -1}))
	l := newLimiter(RateLimit{PerSecond: 5})
	assert.Equal(t, 10.0, l.burst, "burst defaults to twice the rate")
	l = newLimiter(RateLimit{PerSecond: 0.1})
	assert.Equal(t, 1.0, l.burst, "at least one request")
}

// Memory stays bounded: idle clients are dropped, and a flood of addresses never grows the table past
// maxClients.
func TestLimiterForgetsIdleClients(t *testing.T) {
	l, clock := testLimiter(RateLimit{PerSecond: 10, Burst: 10})
	for i := range 1000 {
		l.allow(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
	assert.Len(t, l.clients, 1000)
	clock.advance(sweepEvery)
	l.allow("192.0.2.1")
	assert.Len(t, l.clients, 1, "every bucket idle long enough to be full again is dropped")

	for i := range maxClients + 500 {
		l.allow(strconv.Itoa(i))
	}
	assert.LessOrEqual(t, len(l.clients), maxClients)
}

func TestClientKey(t *testing.T) {
	plain, _ := testLimiter(RateLimit{PerSecond: 1})
	proxied, _ := testLimiter(RateLimit{PerSecond: 1, TrustForwardedFor: true})
	cases := []struct {
		remote, xff     string
		plain, behindLB string
	}{
		{"203.0.113.7:51234", "", "203.0.113.7", "203.0.113.7"},
		{"203.0.113.7:51234", "198.51.100.1", "203.0.113.7", "198.51.100.1"},
		// The proxy appends the address it saw: earlier entries are the client's own claims.
		{"10.0.0.2:80", "1.2.3.4, 198.51.100.1", "10.0.0.2", "198.51.100.1"},
		{"10.0.0.2:80", "not-an-ip", "10.0.0.2", "10.0.0.2"},
		{"[2001:db8:1:2:3:4:5:6]:443", "", "2001:db8:1:2::", "2001:db8:1:2::"},
		{"[2001:db8:1:2:ffff::1]:443", "", "2001:db8:1:2::", "2001:db8:1:2::"},
	}
	for _, c := range cases {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/search?q=a", nil)
		req.RemoteAddr = c.remote
		if c.xff != "" {
			req.Header.Set("X-Forwarded-For", c.xff)
		}
		assert.Equal(t, c.plain, plain.clientKey(req), "%s %s", c.remote, c.xff)
		assert.Equal(t, c.behindLB, proxied.clientKey(req), "%s %s trusted", c.remote, c.xff)
	}
}

func TestRateLimitedRequestsGet429(t *testing.T) {
	h := New(search.New(seedsIndex(t)), Options{RateLimit: RateLimit{PerSecond: 0.5, Burst: 2}})
	call := func(target, remote, xff string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.RemoteAddr = remote
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const q = "/api/v1/search?q=dinh+danh"
	assert.Equal(t, http.StatusOK, call(q, "203.0.113.7:1000", "").Code)
	assert.Equal(t, http.StatusOK, call("/search?q=dinh+danh", "203.0.113.7:1001", "").Code)
	rec := call(q, "203.0.113.7:1002", "")
	assertJSONError(t, rec, http.StatusTooManyRequests)
	assert.Equal(t, "2", rec.Header().Get("Retry-After"))
	assert.NotEmpty(t, rec.Header().Get("Content-Security-Policy"))
	// Forged X-Forwarded-For does not give a new bucket when the proxy is not trusted.
	assert.Equal(t, http.StatusTooManyRequests, call(q, "203.0.113.7:1003", "198.51.100.9").Code)
	// Another address is served; health checks always are.
	assert.Equal(t, http.StatusOK, call(q, "198.51.100.20:1000", "").Code)
	assert.Equal(t, http.StatusOK, call("/healthz", "203.0.113.7:1004", "").Code)
}

// TestRateLimitCountsPagesNotTheirFiles checks that a page view costs one request of the limit, not
// one for the page and one for each of its static files.
func TestRateLimitCountsPagesNotTheirFiles(t *testing.T) {
	h := New(search.New(seedsIndex(t)), Options{RateLimit: RateLimit{PerSecond: 0.5, Burst: 2}})
	call := func(target string) int {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.RemoteAddr = "203.0.113.7:1000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 2 { // two page views, each with its stylesheet and script
		assert.Equal(t, http.StatusOK, call("/search?q=dinh+danh"), "page view %d", i+1)
		assert.Equal(t, http.StatusOK, call("/static/style.css"), "page view %d", i+1)
		assert.Equal(t, http.StatusOK, call("/static/app.js"), "page view %d", i+1)
	}
	assert.Equal(t, http.StatusTooManyRequests, call("/search?q=dinh+danh"), "the third page is over the burst")
}
