package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/hadiscovery"
	"github.com/sports-data/sports-data/internal/poller"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/storage"
)

// benchmarks run the handlers through the whole router with a warm state
// (the 2022 week 1 NFL capture: 16 games, 8 live).
func benchRoute(b *testing.B, path string) {
	c := fakeclock.New(time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC))
	h := newServer(b, map[string]string{"STORE": "none"}, c)
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = "203.0.113.7:4321"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s answered %d: %s", path, rec.Code, rec.Body)
	}
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
}

func BenchmarkLive(b *testing.B) { benchRoute(b, "/api/v1/games/live") }
func BenchmarkLiveFiltered(b *testing.B) {
	benchRoute(b, "/api/v1/games/live?team_ids=nfl-hou,nhl-bos")
}
func BenchmarkUpcoming(b *testing.B)   { benchRoute(b, "/api/v1/games/upcoming?hours=168") }
func BenchmarkGameStatus(b *testing.B) { benchRoute(b, "/api/v1/ha/game-status/HOU") }
func BenchmarkHealth(b *testing.B)     { benchRoute(b, "/health") }

// healthParts are fixed poll, store and MQTT statuses, so that the health
// benchmark encodes every section as the service does.
type healthParts struct{ at time.Time }

func (h healthParts) Status() []poller.LeagueStatus {
	return []poller.LeagueStatus{
		{League: "nfl", LastAttempt: h.at, LastSuccess: h.at, Games: 16, IntervalSeconds: 30, StaleSeconds: 12.34,
			LastAnswerStatus: 200, LastAnswerEvents: 16, LastAnswerAt: h.at, LastAnswerAgeSeconds: 12.34,
			TruncatedAnswers: 2, LastTruncatedAt: h.at},
		{League: "nhl", LastAttempt: h.at, LastSuccess: h.at.Add(-time.Minute), Games: 9, IntervalSeconds: 300, StaleSeconds: 72.5},
	}
}

func (h healthParts) Health() storage.Health {
	return storage.Health{Kind: "sqlite", Version: "3.46.0", Connected: true, Breaker: "closed",
		WritesSuccess: 1200, PointsWritten: 9000, LastWriteAt: h.at, StorageBytes: 1 << 20}
}

type mqttParts struct{}

func (mqttParts) Status() hadiscovery.Status {
	return hadiscovery.Status{Enabled: true, Connected: true, Published: 420, Teams: []string{"nfl-hou", "nhl-bos"}}
}

// fullHealth is the handler of a service with two polled leagues, a store
// and MQTT, at 2022-09-11 19:55 UTC.
func fullHealth() http.Handler {
	c := fakeclock.New(time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC))
	return New(Deps{Version: "2.0.0", State: state.New("nfl", "nhl"), Now: c.Now,
		Options: Options{StoreKind: "sqlite", AllowedHosts: []string{testHost}},
		Polling: healthParts{at: c.Now()}, Store: healthParts{at: c.Now()}, MQTT: mqttParts{}})
}

// BenchmarkHealthFull is /health with two polled leagues, a store and MQTT.
func BenchmarkHealthFull(b *testing.B) {
	h := fullHealth()
	req := httptest.NewRequest(http.MethodGet, "/health", nil)
	req.RemoteAddr = "203.0.113.7:4321"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("/health answered %d: %s", rec.Code, rec.Body)
	}
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
}

// BenchmarkHostCheck is what every request pays for the Host check: the
// check alone over the forms clients send (an address, an IPv6 literal, a
// listed name, a name in upper case, a refused name), and the middleware
// around a handler that does nothing.
func BenchmarkHostCheck(b *testing.B) {
	names := map[string]bool{"localhost": true, "sports-data": true, "homeserver": true, "homeserver.local": true}
	hosts := []string{"192.168.1.5:8005", "[::1]:8005", "sports-data:8005", "HomeServer.local", "evil.example:8005"}
	b.Run("check", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			hostAllowed(hosts[i%len(hosts)], names)
		}
	})
	b.Run("middleware", func(b *testing.B) {
		s := &Server{d: Deps{Options: Options{AllowedHosts: []string{"sports-data"}}}}
		h := s.checkHost(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		req := httptest.NewRequest(http.MethodGet, "/api/v1/games/live", nil)
		req.Host = "192.168.1.5:8005"
		w := httptest.NewRecorder()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			h.ServeHTTP(w, req)
		}
	})
}

// BenchmarkWriteLimit is what the write limit costs: a read passes it
// with a method check; a change takes its client's token (one client
// again and again, and a new client each time, up to the limiter's
// bound of clients).
func BenchmarkWriteLimit(b *testing.B) {
	s := &Server{d: Deps{Options: Options{WriteRatePerMinute: 1 << 30}, Now: time.Now}}
	h := s.limitWrites(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	run := func(b *testing.B, method string, peers int) {
		reqs := make([]*http.Request, peers)
		for i := range reqs {
			reqs[i] = httptest.NewRequest(method, "/api/v1/user/teams", nil)
			reqs[i].RemoteAddr = fmt.Sprintf("10.%d.%d.%d:4321", i>>16&255, i>>8&255, i&255)
		}
		w := httptest.NewRecorder()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			h.ServeHTTP(w, reqs[i%peers])
		}
	}
	b.Run("read", func(b *testing.B) { run(b, http.MethodGet, 1) })
	b.Run("change-one-client", func(b *testing.B) { run(b, http.MethodPost, 1) })
	b.Run("change-many-clients", func(b *testing.B) { run(b, http.MethodPost, maxLimiterClients) })
}
