package httpapi

import (
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
)

// checkHost answers only requests addressed to this service by a name an
// outsider cannot point elsewhere: an IP address, localhost, this
// machine's names or a name in ALLOWED_HOSTS (Options.AllowedHosts).
// Anything else gets 421 before any other part answers, reads included.
//
// Why: a web page on a name its owner controls can re-point that name at
// the service's address (DNS rebinding). The browser then takes the
// service for the page's own origin and lets the page read every answer
// and send any request, past CORS and the cross-site check of guardWrites.
// The Host header still carries the page's name, and that is what is
// checked here. /health and /metrics are not exempt: the container's
// health check asks 127.0.0.1, an IP address.
func (s *Server) checkHost(next http.Handler) http.Handler {
	names := map[string]bool{"localhost": true}
	for _, h := range s.d.Options.AllowedHosts {
		names[strings.ToLower(h)] = true
	}
	var logged refusedHosts
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hostAllowed(r.Host, names) {
			next.ServeHTTP(w, r)
			return
		}
		detail := "the request names no host (Host header); address it to the service's IP address, localhost or a name listed in ALLOWED_HOSTS"
		if r.Host != "" {
			detail = "this service answers requests addressed to its IP address, localhost or a name listed in ALLOWED_HOSTS; " +
				strconv.Quote(clip(r.Host)) + " is not one of them: if you reach the service by that name, add it to ALLOWED_HOSTS"
			if logged.first(r.Host) {
				s.d.Logger.Warn("request for a host name not in ALLOWED_HOSTS refused (421); add the name to ALLOWED_HOSTS if clients reach the service by it",
					"host", clip(r.Host), "client", r.RemoteAddr)
			}
		}
		writeJSON(w, http.StatusMisdirectedRequest, errorBody{Detail: detail})
	})
}

// hostAllowed reports whether a Host header ("name", "name:port", "[v6]",
// "[v6]:port") names an IP address or one of names (lower case, no
// trailing dot). Case and a trailing dot do not matter.
func hostAllowed(host string, names map[string]bool) bool {
	h, ok := hostOnly(host)
	if !ok {
		return false
	}
	h = strings.TrimSuffix(h, ".")
	if h == "" {
		return false
	}
	if mayBeAddr(h) {
		if _, err := netip.ParseAddr(h); err == nil {
			return true
		}
	}
	if names[h] {
		return true
	}
	// Only upper-case input pays for lowering it.
	lower := strings.ToLower(h)
	return lower != h && names[lower]
}

// mayBeAddr: an IPv6 address has a colon, an IPv4 address only digits
// and dots; a name is neither, and is not worth parsing (a failed parse
// allocates its error).
func mayBeAddr(h string) bool {
	if strings.IndexByte(h, ':') >= 0 {
		return true
	}
	for i := 0; i < len(h); i++ {
		if (h[i] < '0' || h[i] > '9') && h[i] != '.' {
			return false
		}
	}
	return true
}

// hostOnly is the host of a Host header without its port.
func hostOnly(host string) (string, bool) {
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return "", false
		}
		if rest := host[end+1:]; rest != "" && !isPort(rest) {
			return "", false
		}
		return host[1:end], true
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.IndexByte(host[:i], ':') < 0 {
		if !isPort(host[i:]) {
			return "", false
		}
		host = host[:i]
	}
	return host, true
}

// isPort: ":" and up to five digits (":" alone is allowed, as URLs allow it).
func isPort(s string) bool {
	if s[0] != ':' || len(s) > 6 {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// refusedHosts remembers the names already logged, so that a client
// asking again and again is one line, not one per request; a bounded
// number of names, so that a client inventing names cannot grow it.
type refusedHosts struct {
	mu   sync.Mutex
	seen map[string]bool
}

const maxLoggedHosts = 32

func (l *refusedHosts) first(host string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	if l.seen[host] || len(l.seen) >= maxLoggedHosts {
		return false
	}
	l.seen[host] = true
	return true
}
