package httpapi

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ipLimiter allows each client IP perMinute requests in any sliding
// minute: the first perMinute requests within a minute succeed, the next one
// is refused until the oldest of them is a minute old.
type ipLimiter struct {
	perMinute  int
	maxClients int
	now        func() time.Time

	mu      sync.Mutex
	clients map[string]*window
	swept   time.Time
}

// window holds the times of a client's last perMinute allowed requests, a
// ring buffer oldest first from next.
type window struct {
	times []time.Time
	next  int
	last  time.Time
}

// maxLimiterClients bounds the limiter's memory (each client holds at most
// perMinute times) whatever the number of addresses that call.
const maxLimiterClients = 4096

func newIPLimiter(perMinute int, now func() time.Time) *ipLimiter {
	return &ipLimiter{perMinute: perMinute, maxClients: maxLimiterClients, now: now, clients: map[string]*window{}}
}

// allow reports whether ip may go on, and if not, after how long.
func (l *ipLimiter) allow(ip string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		// A client silent for a minute has its whole budget back;
		// forgetting it changes nothing and bounds memory.
		for k, w := range l.clients {
			if now.Sub(w.last) > time.Minute {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	w, ok := l.clients[ip]
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
		w = &window{times: make([]time.Time, 0, min(l.perMinute, 1024))}
		l.clients[ip] = w
	}
	if len(w.times) < l.perMinute {
		w.times = append(w.times, now)
		w.last = now
		return true, 0
	}
	oldest := w.times[w.next]
	if wait := oldest.Add(time.Minute).Sub(now); wait > 0 {
		return false, wait
	}
	w.times[w.next] = now
	w.next = (w.next + 1) % len(w.times)
	w.last = now
	return true, 0
}

func (s *Server) rateLimit(l *ipLimiter) func(http.Handler) http.Handler {
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
					Detail: "rate limit of " + strconv.Itoa(l.perMinute) + " history requests per minute exceeded; retry in " + strconv.Itoa(secs) + " s",
				})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
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
