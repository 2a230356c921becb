package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchmarks run the handlers through the whole router with a warm state
// (the 2022 week 1 NFL capture: 16 games, 8 live).
func benchRoute(b *testing.B, path string) {
	c := &clock{t: time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC)}
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
