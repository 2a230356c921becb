package httpapi

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ipLimiter allows each client IP perMinute requests in any sliding
// minute: the first perMinute requests within a minute succeed, the next one
// is refused until the oldest of them is a minute old.
type ipLimiter struct {
	perMinute int
	now       func() time.Time

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

func newIPLimiter(perMinute int, now func() time.Time) *ipLimiter {
	return &ipLimiter{perMinute: perMinute, now: now, clients: map[string]*window{}}
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
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ok, wait := l.allow(clientIP(r))
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

// clientIP is the peer address; behind a reverse proxy on this host or a
// private network (the dashboard's nginx) the forwarded address is used.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip != nil && (ip.IsLoopback() || ip.IsPrivate()) {
		if v := r.Header.Get("X-Real-IP"); v != "" && net.ParseIP(strings.TrimSpace(v)) != nil {
			return strings.TrimSpace(v)
		}
		if v := r.Header.Get("X-Forwarded-For"); v != "" {
			parts := strings.Split(v, ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(last) != nil {
				return last
			}
		}
	}
	return host
}
