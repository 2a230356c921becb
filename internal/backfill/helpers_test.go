package backfill_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

const kcCapture = historytest.KCCapture

func nfl(t testing.TB) league.League {
	t.Helper()
	l, ok := league.Lookup("nfl")
	require.True(t, ok)
	return l
}

// nflTeams is the NFL teams capture, parsed as the service parses it.
func nflTeams(t testing.TB) []game.Team {
	t.Helper()
	teams, err := espn.ParseTeams(espntest.Load(t, "nfl/teams.json"), nfl(t))
	require.NoError(t, err)
	require.Len(t, teams, 32)
	return teams
}

func openSQLite(t testing.TB) store.Store { return historytest.SQLite(t) }

// derived holds the schedules scheduleFor builds, made once per test binary
// (decoding the capture 32 times is slow under the race detector).
var derived struct {
	once sync.Once
	byID map[string][]byte
	err  error
}

// scheduleFor derives team espnID's 2023 schedule from the KC capture by
// keeping the events the team played in (KC's opponents get their game
// against KC, every other team an empty season). Only KC's answer is a
// capture as ESPN sent it.
func scheduleFor(t testing.TB, espnID string) []byte {
	t.Helper()
	raw := espntest.Load(t, kcCapture)
	if espnID == "12" {
		return raw
	}
	derived.once.Do(func() {
		var doc map[string]any
		if derived.err = json.Unmarshal(raw, &doc); derived.err != nil {
			return
		}
		events := doc["events"].([]any)
		derived.byID = map[string][]byte{}
		for _, tm := range nflTeams(t) {
			kept := []any{}
			for _, e := range events {
				comp := e.(map[string]any)["competitions"].([]any)[0].(map[string]any)
				for _, c := range comp["competitors"].([]any) {
					if c.(map[string]any)["id"] == tm.ESPNID {
						kept = append(kept, e)
					}
				}
			}
			doc["events"] = kept
			var b []byte
			if b, derived.err = json.Marshal(doc); derived.err != nil {
				return
			}
			derived.byID[tm.ESPNID] = b
		}
	})
	require.NoError(t, derived.err)
	b, ok := derived.byID[espnID]
	require.True(t, ok, espnID)
	return b
}

func schedulePath(espnID string) string {
	return fmt.Sprintf("/football/nfl/teams/%s/schedule", espnID)
}

// serveLeague answers every NFL team's schedule (see scheduleFor).
func serveLeague(t testing.TB, srv *espntest.Server, teams []game.Team) {
	t.Helper()
	for _, tm := range teams {
		srv.ServeBytes(schedulePath(tm.ESPNID), scheduleFor(t, tm.ESPNID))
	}
}

func newClient(srv *espntest.Server) *espn.Client {
	return espn.NewClient(srv.URL, espn.Options{MaxRetries: -1})
}

// scheduleRequests lists the team ids whose schedules were requested.
func scheduleRequests(srv *espntest.Server) []string {
	var out []string
	for _, u := range srv.Requests() {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) == 5 && parts[2] == "teams" && parts[4] == "schedule" {
			out = append(out, parts[3])
		}
	}
	return out
}

// countingSink is the store with a count of write calls.
type countingSink struct {
	store.Store
	mu     sync.Mutex
	writes int
}

func (c *countingSink) Write(ctx context.Context, points []store.Point) error {
	c.mu.Lock()
	c.writes++
	c.mu.Unlock()
	return c.Store.Write(ctx, points)
}

// rows is everything the store holds for the NFL 2023 season: games rows
// and, per game, its timeline.
func rows(t testing.TB, s store.Reader) (games []store.Point, timelines map[string][]store.Point) {
	t.Helper()
	ctx := context.Background()
	games, err := s.Games(ctx, store.GameQuery{League: "nfl"})
	require.NoError(t, err)
	timelines = map[string][]store.Point{}
	for _, g := range games {
		tl, err := s.Timeline(ctx, "nfl", g.GameID)
		require.NoError(t, err)
		timelines[g.GameID] = tl
	}
	return games, timelines
}

func failWith(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"code":500,"message":"unavailable"}`, status)
	}
}
