package httpapi

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ipLimiter allows each client IP `perMinute` requests in a burst and refills
// at the same rate per minute: the first perMinute requests within a minute
// succeed, the next one is 429 with Retry-After.
type ipLimiter struct {
	perMinute int
	now       func() time.Time

	mu      sync.Mutex
	clients map[string]*clientLimiter
	swept   time.Time
}

type clientLimiter struct {
	lim  *rate.Limiter
	seen time.Time
}

func newIPLimiter(perMinute int, now func() time.Time) *ipLimiter {
	return &ipLimiter{perMinute: perMinute, now: now, clients: map[string]*clientLimiter{}}
}

// allow reports whether ip may go on, and if not, after how long.
func (l *ipLimiter) allow(ip string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		// A limiter idle for two minutes is full again; forgetting it
		// changes nothing and bounds memory.
		for k, c := range l.clients {
			if now.Sub(c.seen) > 2*time.Minute {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	c, ok := l.clients[ip]
	if !ok {
		c = &clientLimiter{lim: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.perMinute)}
		l.clients[ip] = c
	}
	c.seen = now
	r := c.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
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
