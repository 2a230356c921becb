package httpapi

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// clientLimiter gives each client a token bucket (golang.org/x/time/rate)
// of perMinute requests that refills at perMinute a minute: a client may
// ask perMinute times at once, then once every minute/perMinute. A client
// costs one small limiter whatever the limit, and only while it has used
// some of its budget in the last minute.
type clientLimiter struct {
	perMinute  int
	maxClients int
	now        func() time.Time

	mu      sync.Mutex
	clients map[string]*client
	swept   time.Time
}

type client struct {
	lim  *rate.Limiter
	last time.Time // when it was last allowed through
}

// maxLimiterClients bounds the limiter's memory whatever the number of
// addresses that call.
const maxLimiterClients = 4096

func newClientLimiter(perMinute int, now func() time.Time) *clientLimiter {
	return &clientLimiter{perMinute: perMinute, maxClients: maxLimiterClients, now: now, clients: map[string]*client{}}
}

// allow reports whether the client may go on, and if not, after how long.
func (l *clientLimiter) allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		// A bucket untouched for a minute is full again: forgetting its
		// client changes nothing and bounds memory.
		for k, c := range l.clients {
			if now.Sub(c.last) > time.Minute {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	c, ok := l.clients[key]
	if !ok {
		if len(l.clients) >= l.maxClients {
			// Full of clients active this minute: forget one at random
			// (map order). It gets its budget back, which costs less
			// than unbounded memory.
			for k := range l.clients {
				delete(l.clients, k)
				break
			}
		}
		c = &client{lim: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.perMinute)}
		l.clients[key] = c
	}
	if !c.lim.AllowN(now, 1) {
		// Until one request's worth is back.
		missing := 1 - c.lim.TokensAt(now)
		return false, time.Duration(math.Ceil(missing / float64(c.lim.Limit()) * float64(time.Second)))
	}
	c.last = now
	return true, 0
}

// rateLimit answers 429 with Retry-After to a client over l's budget;
// what names what is counted in the answer ("history requests").
func (s *Server) rateLimit(l *clientLimiter, what string) func(http.Handler) http.Handler {
	trusted := s.d.Options.TrustedProxies
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ok, wait := l.allow(limiterKey(clientIP(r, trusted)))
			if !ok {
				secs := int(math.Ceil(wait.Seconds()))
				if secs < 1 {
					secs = 1
				}
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				writeJSON(w, http.StatusTooManyRequests, errorBody{
					Detail: "rate limit of " + strconv.Itoa(l.perMinute) + " " + what + " per minute exceeded; retry in " + strconv.Itoa(secs) + " s",
				})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// limitWrites gives each client (the address the trusted-proxy rule
// names) WriteRatePerMinute requests that change something a minute, with
// the same token bucket as the history limit: every change writes a file
// with an fsync (an SD card on a small home server wears out) or may
// announce devices to Home Assistant. Only requests past guardWrites
// count; a request refused there never reaches a handler. 0 means no
// limit.
func (s *Server) limitWrites(next http.Handler) http.Handler {
	if s.d.Options.WriteRatePerMinute <= 0 {
		return next
	}
	limited := s.rateLimit(newClientLimiter(s.d.Options.WriteRatePerMinute, s.d.Now), "changes")(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if safeMethod(r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		limited.ServeHTTP(w, r)
	})
}

// clientIP is the peer's address. When the peer is one of the trusted
// proxies (TRUSTED_PROXIES), the client is the right-most X-Forwarded-For
// address that is not itself a trusted proxy, or X-Real-IP; anyone else
// cannot choose the address it is counted under.
func clientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		a, _ := netip.ParseAddr(r.RemoteAddr)
		return a.Unmap()
	}
	ip := peer.Addr().Unmap()
	if !isTrusted(ip, trusted) {
		return ip
	}
	if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
		hops := strings.Split(strings.Join(xff, ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a forged or garbled entry: stop at what is known
			}
			ip = hop.Unmap()
			if !isTrusted(ip, trusted) {
				return ip
			}
		}
		return ip
	}
	if v, err := netip.ParseAddr(strings.TrimSpace(r.Header.Get("X-Real-IP"))); err == nil {
		return v.Unmap()
	}
	return ip
}

func isTrusted(ip netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// limiterKey counts an IPv6 client by its /64, the block one home or one
// host is given, so that it cannot multiply its budget by changing the
// low bits of its address.
func limiterKey(ip netip.Addr) string {
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}
