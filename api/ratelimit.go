package api

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// RateLimit limits the requests of each client (by IP address) with a token bucket: a client may make
// Burst requests at once, then PerSecond a second. The zero value is off.
type RateLimit struct {
	PerSecond float64
	Burst     int // 0: twice PerSecond, at least 1
	// TrustForwardedFor takes the client's address from the last X-Forwarded-For entry, as a reverse
	// proxy in front of the server appends it. Without a proxy it would let any client choose its key.
	TrustForwardedFor bool
}

// maxClients bounds the buckets kept; past it, idle ones go first, then arbitrary ones (whose clients
// get a full bucket again: a flood of addresses loosens the limit rather than exhausting memory).
const maxClients = 100_000

// sweepEvery is how often buckets idle long enough to be full again are dropped: such a bucket is the
// same as a new one, so dropping it changes nothing but memory.
const sweepEvery = time.Minute

type bucket struct {
	tokens float64
	last   time.Time
}

type limiter struct {
	rate, burst float64
	trustXFF    bool
	now         func() time.Time

	mu        sync.Mutex
	clients   map[string]*bucket
	lastSweep time.Time
}

func newLimiter(rl RateLimit) *limiter {
	if rl.PerSecond <= 0 {
		return nil
	}
	burst := float64(rl.Burst)
	if burst <= 0 {
		burst = max(1, math.Ceil(2*rl.PerSecond))
	}
	return &limiter{rate: rl.PerSecond, burst: burst, trustXFF: rl.TrustForwardedFor, now: time.Now,
		clients: map[string]*bucket{}}
}

// allow takes a token from the client's bucket, or says how long until one is there.
func (l *limiter) allow(client string) (ok bool, retryAfter time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= sweepEvery || len(l.clients) >= maxClients {
		l.sweep(now)
	}
	b, found := l.clients[client]
	if !found {
		b = &bucket{tokens: l.burst, last: now}
		l.clients[client] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed*l.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

func (l *limiter) sweep(now time.Time) {
	l.lastSweep = now
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.clients {
		if now.Sub(b.last) >= full {
			delete(l.clients, k)
		}
	}
	// Still full: drop a tenth, so that a flood pays for a sweep once every maxClients/10 new
	// addresses, not on each.
	for k := range l.clients {
		if len(l.clients) < maxClients*9/10 {
			break
		}
		delete(l.clients, k)
	}
}

// clientKey is the address a client is limited by: its IP, an IPv6 address by its /64 (what one
// household or host is usually given).
func (l *limiter) clientKey(r *http.Request) string {
	addr := r.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	if l.trustXFF {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(last) != nil {
				addr = last
			}
		}
	}
	ip := net.ParseIP(addr)
	if ip == nil {
		return addr
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String()
	}
	return ip.String()
}

// rateLimit answers 429 with Retry-After to a client past its limit. Health checks are not limited:
// a load balancer polls them from one address. Nor are the page's stylesheet and script: they are
// embedded and cached for a day, and counting them made one page view cost three requests, so a low
// -rate served the first page without its style.
func (s *Server) rateLimit(c *gin.Context) {
	if s.limiter == nil || c.Request.URL.Path == "/healthz" || strings.HasPrefix(c.Request.URL.Path, "/static/") {
		c.Next()
		return
	}
	ok, wait := s.limiter.allow(s.limiter.clientKey(c.Request))
	if !ok {
		secs := int(math.Ceil(wait.Seconds()))
		c.Header("Retry-After", strconv.Itoa(max(1, secs)))
		writeError(c, http.StatusTooManyRequests, "rate_limited", "too many requests from this address; retry in "+strconv.Itoa(max(1, secs))+" s")
		return
	}
	c.Next()
}
