package simulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/simulator"
)

func serve(t *testing.T, s *simulator.Sim) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, "true", resp.Header.Get(simulator.SimulatedHeader), "every answer is marked, errors too: %s", url)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// Like ESPN since September 2026: a date range is 400 with ESPN's body,
// whatever the league; malformed dates are 400 too.
func TestRangeAndBadDatesAre400(t *testing.T) {
	srv := serve(t, newSim(t, simulator.Options{Seed: 1}))
	for _, q := range []string{
		"/football/nfl/scoreboard?dates=20261129-20261206",
		"/hockey/nhl/scoreboard?dates=20261101-20261130",
		"/hockey/nhl/scoreboard?dates=202611-202612&limit=1000",
		"/apis/site/v2/sports/football/nfl/scoreboard?dates=20261129-20261130",
	} {
		code, body := get(t, srv.URL+q)
		assert.Equal(t, http.StatusBadRequest, code, q)
		assert.JSONEq(t, `{"code":400,"message":"Failed to get events endpoint."}`, string(body), q)
	}
	for _, q := range []string{"dates=2026", "dates=2026112", "dates=20261399", "dates=abcdefgh", "dates=202613"} {
		code, _ := get(t, srv.URL+"/football/nfl/scoreboard?"+q)
		assert.Equal(t, http.StatusBadRequest, code, q)
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	srv := serve(t, newSim(t, simulator.Options{Seed: 1, Leagues: []string{"nfl"}}))
	for _, p := range []string{"/football/nhl/scoreboard", "/hockey/nhl/scoreboard", "/basketball/nba/scoreboard",
		"/football/nfl/summary?event=1", "/football/nfl", "/", "/football/nfl/teams/XYZ/schedule", "/football/nfl/teams/12/roster"} {
		code, _ := get(t, srv.URL+p)
		assert.Equal(t, http.StatusNotFound, code, p)
	}
	code, _ := get(t, srv.URL+"/football/nfl/teams/12/schedule?season=soon")
	assert.Equal(t, http.StatusBadRequest, code)
	resp, err := http.Post(srv.URL+"/football/nfl/scoreboard", "application/json", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

// Every answer says it is simulated, and each parses with the service's
// parser.
func TestEveryAnswerIsMarkedAndParses(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 1, Speed: 3600})
	srv := serve(t, s)
	nfl, nhl := mustLeague(t, "nfl"), mustLeague(t, "nhl")
	for path, parse := range map[string]func([]byte) error{
		"/football/nfl/scoreboard":                                  func(b []byte) error { _, err := espn.ParseScoreboard(b, nfl); return err },
		"/football/nfl/scoreboard?dates=20261129":                   func(b []byte) error { _, err := espn.ParseScoreboard(b, nfl); return err },
		"/hockey/nhl/scoreboard?dates=202612&limit=1000":            func(b []byte) error { _, err := espn.ParseScoreboard(b, nhl); return err },
		"/football/nfl/teams":                                       func(b []byte) error { _, err := espn.ParseTeams(b, nfl); return err },
		"/hockey/nhl/teams":                                         func(b []byte) error { _, err := espn.ParseTeams(b, nhl); return err },
		"/football/nfl/teams/12/schedule?season=2026":               func(b []byte) error { _, err := espn.ParseSchedule(b, nfl); return err },
		"/hockey/nhl/teams/bos/schedule":                            func(b []byte) error { _, err := espn.ParseSchedule(b, nhl); return err },
		"/apis/site/v2/sports/hockey/nhl/scoreboard?dates=20261129": func(b []byte) error { _, err := espn.ParseScoreboard(b, nhl); return err },
	} {
		code, body := get(t, srv.URL+path)
		require.Equal(t, http.StatusOK, code, path)
		var top map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(body, &top), path)
		assert.Equal(t, "true", string(top["x-sports-data-simulated"]), path)
		assert.Contains(t, string(top["x-sports-data-note"]), "Not captured data", path)
		assert.NoError(t, parse(body), path)
	}
}

// The teams answers are the captures, plus the marker.
func TestTeamsAreTheCaptures(t *testing.T) {
	srv := serve(t, newSim(t, simulator.Options{Seed: 1}))
	for _, c := range []struct{ path, capture string }{
		{"/football/nfl/teams", "nfl/teams.json"},
		{"/hockey/nhl/teams", "nhl/teams.json"},
	} {
		_, body := get(t, srv.URL+c.path)
		var got, want map[string]any
		require.NoError(t, json.Unmarshal(body, &got))
		require.NoError(t, json.Unmarshal(espntest.Load(t, c.capture), &want))
		delete(got, "x-sports-data-simulated")
		delete(got, "x-sports-data-note")
		assert.Equal(t, want, got, c.path)
	}
}

// With no dates: today's Eastern day, with the top-level season and week
// (NFL) or day (NHL) ESPN adds to such answers.
func TestDefaultScoreboardIsToday(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 1})
	srv := serve(t, s)
	_, body := get(t, srv.URL+"/football/nfl/scoreboard")
	var doc struct {
		Season struct{ Year, Type int }
		Week   struct{ Number int }
		Events []struct{ Date string }
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	assert.Equal(t, 2026, doc.Season.Year)
	assert.Equal(t, 12, doc.Week.Number)
	assert.Len(t, doc.Events, 14, "Sunday's fourteen games")
	_, body = get(t, srv.URL+"/hockey/nhl/scoreboard")
	assert.Contains(t, string(body), `"day":{"date":"2026-11-29"}`)
	assert.Contains(t, string(body), `"season":{"type":2,"year":2027}`)
}

// A month answers every game of the month with limit=500, stops at 100
// without a limit and answers 25 to a larger limit, as ESPN does today.
func TestMonthRequests(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 1, Leagues: []string{"nhl"}, Start: time.Date(2026, 12, 1, 9, 0, 0, 0, et), Days: 31})
	srv := serve(t, s)
	l := mustLeague(t, "nhl")
	_, all := get(t, srv.URL+"/hockey/nhl/scoreboard?dates=202612&limit=500")
	games, err := espn.ParseScoreboard(all, l)
	require.NoError(t, err)
	total := 0
	// The replay of the postponed game is not announced yet, so neither
	// Truth nor the scoreboard lists it.
	for _, g := range s.Truth().Games {
		if g.Scheduled.In(et).Month() == time.December || !g.Start.IsZero() && g.Start.In(et).Month() == time.December {
			total++
		}
	}
	assert.Greater(t, len(games), 100)
	assert.Equal(t, total, len(games))
	for _, c := range []struct {
		query string
		want  int
	}{{"dates=202612", 100}, {"dates=202612&limit=1000", 25}, {"dates=202612&limit=501", 25}, {"dates=202612&limit=60", 60}} {
		_, body := get(t, srv.URL+"/hockey/nhl/scoreboard?"+c.query)
		games, err = espn.ParseScoreboard(body, l)
		require.NoError(t, err)
		assert.Len(t, games, c.want, c.query)
	}
	_, none := get(t, srv.URL+"/hockey/nhl/scoreboard?dates=202701&limit=500")
	games, err = espn.ParseScoreboard(none, l)
	require.NoError(t, err)
	assert.Empty(t, games)
}

// Like ESPN since August 2026, the simulator answers 403 to a browser's
// agent and to none, whatever the path.
func TestBrowserAgentsAreRefused(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 1})
	srv := serve(t, s)
	for _, ua := range []string{"", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36"} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/football/nfl/teams", nil)
		require.NoError(t, err)
		req.Header.Set("User-Agent", ua)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "%q", ua)
	}
	status, _ := get(t, srv.URL+"/football/nfl/teams")
	assert.Equal(t, http.StatusOK, status, "Go's own agent is answered")
}

// The team schedule's score is an object, absent before the game; its
// finals are Truth's.
func TestTeamSchedule(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 1, Leagues: []string{"nhl"}})
	tr := everything(s)
	// Find a team with a final and a game still to come at some moment.
	var team string
	var at time.Time
	for _, g := range tr.Games {
		if g.Final == nil {
			continue
		}
		for _, h := range tr.Games {
			if h.Start.After(g.End) && (h.Home == g.Home || h.Away == g.Home) {
				team, at = g.Home.Abbreviation, g.End.Add(time.Minute)
				break
			}
		}
		if team != "" {
			break
		}
	}
	require.NotEmpty(t, team)
	body, err := s.TeamScheduleAt(at, "nhl", team, 0)
	require.NoError(t, err)
	var raw struct {
		Events []struct {
			ID           string
			Competitions []struct {
				Status struct {
					Type struct{ State string }
				}
				Competitors []map[string]json.RawMessage
			}
		}
		RequestedSeason struct{ Year int }
	}
	require.NoError(t, json.Unmarshal(body, &raw))
	assert.Equal(t, 2027, raw.RequestedSeason.Year)
	states := map[string]int{}
	for _, e := range raw.Events {
		c := e.Competitions[0]
		states[c.Status.Type.State]++
		for _, comp := range c.Competitors {
			score, ok := comp["score"]
			if c.Status.Type.State == "pre" {
				assert.False(t, ok, "no score before the game (%s)", e.ID)
				continue
			}
			require.True(t, ok, e.ID)
			var obj struct {
				Value        float64
				DisplayValue string
			}
			require.NoError(t, json.Unmarshal(score, &obj), "score is an object: %s", score)
			assert.NotEmpty(t, obj.DisplayValue)
		}
	}
	assert.Positive(t, states["pre"])
	assert.Positive(t, states["post"])

	games, err := espn.ParseSchedule(body, mustLeague(t, "nhl"))
	require.NoError(t, err)
	truth := map[string]simulator.GameTruth{}
	for _, g := range s.TruthAt(at).Games {
		truth[g.ID] = g
	}
	for _, g := range games {
		tg := truth[g.ID]
		assert.True(t, tg.Home.Abbreviation == team || tg.Away.Abbreviation == team)
		if tg.Final != nil {
			assert.Equal(t, game.StatusFinal, g.Status)
			assert.Equal(t, game.Score{Home: tg.Final.Home, Away: tg.Final.Away}, g.Score, g.ID)
			assert.Equal(t, 2027, g.Season)
		}
	}
	other, err := s.TeamScheduleAt(at, "nhl", team, 2019)
	require.NoError(t, err)
	games, err = espn.ParseSchedule(other, mustLeague(t, "nhl"))
	require.NoError(t, err)
	assert.Empty(t, games, "no games in a season that is not simulated")
}

// The service's ESPN client reads the simulator through Start's base URL.
func TestServiceClientAgainstStart(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 1, Speed: 60})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, err := s.Start(ctx)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), base)
	_, err = s.Start(ctx)
	assert.Error(t, err, "a second Start")

	c := espn.NewClient(base, espn.Options{MaxRetries: -1})
	nfl, nhl := mustLeague(t, "nfl"), mustLeague(t, "nhl")
	sb, err := c.ScoreboardDay(ctx, nfl, sunday)
	games := sb.Games
	require.NoError(t, err)
	assert.Len(t, games, 14)
	month, err := c.ScoreboardMonth(ctx, nhl, 2026, time.November)
	require.NoError(t, err)
	assert.NotEmpty(t, month.Games)
	teams, err := c.Teams(ctx, nhl)
	require.NoError(t, err)
	assert.Len(t, teams, 32)
	sched, err := c.TeamSchedule(ctx, nfl, "12", 2026)
	require.NoError(t, err)
	assert.NotEmpty(t, sched)

	// Cancelling the context stops the server.
	cancel()
	require.Eventually(t, func() bool {
		_, err := http.Get(base + "/football/nfl/teams")
		return err != nil
	}, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close twice")
	_, err = s.Start(context.Background())
	assert.ErrorIs(t, err, simulator.ErrClosed, "Start after Close")
}

// The simulated clock runs at Speed from Start; Done turns true when the
// last game is over.
func TestClockAndDone(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 1, Speed: 3600, Days: 1})
	var mu sync.Mutex
	real := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetRealClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return real })
	advance := func(d time.Duration) { mu.Lock(); real = real.Add(d); mu.Unlock() }

	assert.True(t, s.Now().Equal(sunday))
	advance(time.Second)
	assert.True(t, s.Now().Equal(sunday.Add(time.Hour)), "%s", s.Now())
	assert.False(t, s.Done())
	advance(s.OverAt().Sub(s.Now())/3600 + time.Millisecond)
	assert.True(t, s.Done(), "now %s, over %s", s.Now(), s.OverAt())
	tr := s.Truth()
	for _, g := range tr.Games {
		assert.True(t, g.Final != nil || !g.PostponedAt.IsZero(), g.ID)
	}
}

// Faults come at the configured rates over many requests.
func TestFaultRates(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 21, Leagues: []string{"nhl"}, Faults: simulator.Faults{
		ErrorRate: 0.2, TimeoutRate: 0.1, InvalidJSONRate: 0.15, Timeout: time.Millisecond}})
	srv := serve(t, s)
	const n = 800
	counts := map[string]int{}
	for i := 0; i < n; i++ {
		code, body := get(t, srv.URL+"/hockey/nhl/scoreboard?dates=20261129")
		switch {
		case code == http.StatusInternalServerError:
			counts["error"]++
		case code == http.StatusGatewayTimeout:
			counts["timeout"]++
		case code == http.StatusOK && !json.Valid(body):
			counts["invalid"]++
			_, err := espn.ParseScoreboard(body, mustLeague(t, "nhl"))
			assert.Error(t, err, "the service's parser refuses a cut body")
		case code == http.StatusOK:
			counts["ok"]++
		default:
			t.Fatalf("unexpected status %d", code)
		}
	}
	for k, want := range map[string]float64{"error": 0.2, "timeout": 0.1, "invalid": 0.15, "ok": 0.55} {
		assert.InDelta(t, want, float64(counts[k])/n, 0.05, "%s: %d of %d", k, counts[k], n)
	}

	// Faults change at run time.
	require.NoError(t, s.SetFaults(simulator.Faults{}))
	for i := 0; i < 50; i++ {
		code, body := get(t, srv.URL+"/hockey/nhl/scoreboard?dates=20261129")
		require.Equal(t, http.StatusOK, code)
		require.True(t, json.Valid(body))
	}
}

// A held request ends when the client gives up.
func TestTimeoutHoldsUntilTheClientGivesUp(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 1, Faults: simulator.Faults{TimeoutRate: 1}})
	srv := serve(t, s)
	c := &http.Client{Timeout: 50 * time.Millisecond}
	_, err := c.Get(srv.URL + "/football/nfl/scoreboard")
	require.Error(t, err)
	var ne interface{ Timeout() bool }
	require.True(t, errors.As(err, &ne) && ne.Timeout(), "%v", err)

	// With a Timeout the hold ends in a 504.
	require.NoError(t, s.SetFaults(simulator.Faults{TimeoutRate: 1, Timeout: 20 * time.Millisecond}))
	code, _ := get(t, srv.URL+"/football/nfl/scoreboard")
	assert.Equal(t, http.StatusGatewayTimeout, code)
	// srv.Close in the cleanup waits for every handler: it returns only if
	// the held requests have ended.
}

// Close releases requests held by the timeout fault.
func TestCloseReleasesHeldRequests(t *testing.T) {
	logs := &recorder{}
	s, err := simulator.New(simulator.Options{Start: sunday, Seed: 1, Faults: simulator.Faults{TimeoutRate: 1},
		Logger: slog.New(logs)})
	require.NoError(t, err)
	base, err := s.Start(context.Background())
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(base + "/football/nfl/scoreboard")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	require.Eventually(t, func() bool { return logs.has("simulator fault: hold") }, 5*time.Second, 5*time.Millisecond)
	require.NoError(t, s.Close())
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the held request did not end on Close")
	}
}

// recorder is a slog handler that keeps messages.
type recorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, rec.Message)
	return nil
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }
func (r *recorder) has(msg string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.msgs {
		if m == msg {
			return true
		}
	}
	return false
}

// Concurrent requests at a high speed agree with Truth at their moment:
// a score seen is one Truth had by then.
func TestConcurrentRequests(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 9, Speed: 20000, Leagues: []string{"nfl"}})
	srv := serve(t, s)
	l := mustLeague(t, "nfl")
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				resp, err := http.Get(srv.URL + "/football/nfl/scoreboard?dates=20261129")
				if !assert.NoError(t, err) {
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				after := s.Now()
				if !assert.NoError(t, err) {
					return
				}
				games, err := espn.ParseScoreboard(body, l)
				if !assert.NoError(t, err) {
					return
				}
				tr := s.TruthAt(after)
				for _, g := range games {
					for _, tg := range tr.Games {
						if tg.ID != g.ID || g.Score == (game.Score{}) {
							continue
						}
						found := false
						for _, c := range tg.Scores {
							found = found || game.Score{Home: c.Home, Away: c.Away} == g.Score
						}
						assert.True(t, found, "%s shows %v, which Truth never had", g.ID, g.Score)
					}
				}
			}
		}()
	}
	wg.Wait()
}
