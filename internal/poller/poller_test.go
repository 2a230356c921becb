package poller

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/state"
)

type recordingObserver struct {
	mu    sync.Mutex
	polls [][]game.Game
}

func (r *recordingObserver) Observe(_ string, games []game.Game) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.polls = append(r.polls, games)
}

func (r *recordingObserver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.polls)
}

func nfl(t *testing.T) league.League {
	l, ok := league.Lookup("nfl")
	require.True(t, ok)
	return l
}

type harness struct {
	srv    *espntest.Server
	st     *state.State
	p      *Poller
	obs    *recordingObserver
	cancel context.CancelFunc
	done   chan struct{}
}

func start(t *testing.T, now func() time.Time) *harness {
	t.Helper()
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, "/football/nfl/scoreboard", "nfl/scoreboard-2022-wk1-sun-live-mixed.json")
	client := espn.NewClient(srv.URL, espn.Options{MaxRetries: 1, BaseBackoff: time.Millisecond,
		HTTPClient: &http.Client{Timeout: 2 * time.Second}})
	st := state.New("nfl")
	obs := &recordingObserver{}
	p := New(client, st, nil, []Observer{obs}, []league.League{nfl(t)}, Options{
		LiveInterval: 20 * time.Millisecond, IdleInterval: 20 * time.Millisecond, Now: now,
	})
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{srv: srv, st: st, p: p, obs: obs, cancel: cancel, done: make(chan struct{})}
	go func() {
		p.Run(ctx)
		close(h.done)
	}()
	t.Cleanup(h.stop)
	return h
}

func (h *harness) stop() {
	h.cancel()
	<-h.done
}

func liveCount(gs []game.Game) int {
	n := 0
	for _, g := range gs {
		if g.Status == game.StatusLive {
			n++
		}
	}
	return n
}

func TestPollPublishesTheCapturedScoreboard(t *testing.T) {
	h := start(t, time.Now)
	require.Eventually(t, func() bool { return len(h.st.All()) == 16 }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, 8, liveCount(h.st.All()), "the capture has 8 games in progress")
	require.Eventually(t, func() bool { return h.obs.count() >= 2 }, 5*time.Second, 10*time.Millisecond)

	st := h.p.Status()
	require.Len(t, st, 1)
	assert.True(t, st[0].OK())
	assert.Zero(t, h.srv.RangeRequests(), "the poller must never ask ESPN for a date range")
	var days, months int
	for _, u := range h.srv.Requests() {
		if u.Path != "/football/nfl/scoreboard" {
			continue
		}
		switch d := u.Query().Get("dates"); len(d) {
		case 8:
			days++
		case 6:
			months++
			assert.Equal(t, "500", u.Query().Get("limit"), "a month without limit stops at 100 events, above 500 at 25")
		default:
			t.Errorf("unexpected scoreboard query %q", u.RawQuery)
		}
	}
	assert.Positive(t, days)
	assert.Positive(t, months)
}

func TestPollKeepsLastGoodDataWhenESPNFails(t *testing.T) {
	h := start(t, time.Now)
	require.Eventually(t, func() bool { return len(h.st.All()) == 16 }, 5*time.Second, 10*time.Millisecond)

	failures := map[string]http.HandlerFunc{
		"500": func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		},
		"invalid JSON": func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"events": [`))
		},
		"empty body": func(w http.ResponseWriter, _ *http.Request) {},
		"400": func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, `{"code":400}`, http.StatusBadRequest)
		},
	}
	for name, fail := range failures {
		t.Run(name, func(t *testing.T) {
			h.srv.Handle("/football/nfl/scoreboard", fail)
			before := h.p.Status()[0].Polls
			require.Eventually(t, func() bool {
				s := h.p.Status()[0]
				return s.Polls > before+1 && s.ConsecutiveFailures > 0
			}, 5*time.Second, 10*time.Millisecond)
			s := h.p.Status()[0]
			assert.False(t, s.OK())
			assert.NotEmpty(t, s.LastError)
			assert.Len(t, h.st.All(), 16, "the last good games stay published")
			assert.Equal(t, 8, liveCount(h.st.All()))
		})
	}
	h.srv.ServeFixture(t, "/football/nfl/scoreboard", "nfl/scoreboard-2022-wk1-sun-live-mixed.json")
	require.Eventually(t, func() bool { return h.p.Status()[0].OK() }, 5*time.Second, 10*time.Millisecond)
}

func TestPollTimesOutOnAHangingESPN(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	h := start(t, time.Now)
	require.Eventually(t, func() bool { return len(h.st.All()) == 16 }, 5*time.Second, 10*time.Millisecond)
	h.srv.Handle("/football/nfl/scoreboard", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	require.Eventually(t, func() bool { return h.p.Status()[0].ConsecutiveFailures > 0 }, 10*time.Second, 20*time.Millisecond)
	assert.Len(t, h.st.All(), 16)
}

func TestRunStopsOnCancel(t *testing.T) {
	h := start(t, time.Now)
	require.Eventually(t, func() bool { return h.obs.count() > 0 }, 5*time.Second, 10*time.Millisecond)
	h.cancel()
	select {
	case <-h.done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestIntervalFollowsTheGames(t *testing.T) {
	now := time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)
	p := New(nil, state.New("nfl"), nil, nil, nil, Options{LiveInterval: time.Second, IdleInterval: time.Minute})
	at := func(d time.Duration, s game.Status) map[string]game.Game {
		return map[string]game.Game{"1": {ID: "1", Status: s, Start: now.Add(d), TimeValid: true}}
	}
	cases := []struct {
		name  string
		games map[string]game.Game
		want  time.Duration
	}{
		{"no games", map[string]game.Game{}, time.Minute},
		{"live", at(-time.Hour, game.StatusLive), time.Second},
		{"starts in 19 minutes", at(19*time.Minute, game.StatusScheduled), time.Second},
		{"starts in 2 hours", at(2*time.Hour, game.StatusScheduled), time.Minute},
		{"start passed, not begun", at(-10*time.Minute, game.StatusScheduled), time.Second},
		{"final", at(-3*time.Hour, game.StatusFinal), time.Minute},
		{"postponed today", at(-time.Hour, game.StatusPostponed), time.Minute},
		{"scheduled long ago (stale)", at(-5*time.Hour, game.StatusScheduled), time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, p.interval(p.liveCadence(c.games, now)))
		})
	}
	tbd := at(5*time.Minute, game.StatusScheduled)
	g := tbd["1"]
	g.TimeValid = false
	tbd["1"] = g
	assert.Equal(t, time.Minute, p.interval(p.liveCadence(tbd, now)), "a TBD placeholder time is not a kick-off")
}

func TestMonthsCoverTheHorizon(t *testing.T) {
	p := New(nil, state.New("nfl"), nil, nil, nil, Options{})
	got := p.months(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	assert.Equal(t, []yearMonth{{2026, time.November}, {2026, time.December}}, got)
	got = p.months(time.Date(2026, 12, 29, 18, 0, 0, 0, time.UTC))
	assert.Equal(t, []yearMonth{{2026, time.December}, {2027, time.January}}, got)
	got = p.months(time.Date(2026, 11, 3, 18, 0, 0, 0, time.UTC))
	assert.Equal(t, []yearMonth{{2026, time.November}}, got)
}

func TestYesterdayIsPolledWhileItsGamesAreUnfinished(t *testing.T) {
	p := New(nil, state.New("nfl"), nil, nil, nil, Options{})
	loc := p.eastern
	yesterday := time.Date(2026, 11, 27, 0, 0, 0, 0, loc)
	late := game.Game{ID: "1", Status: game.StatusLive, Start: time.Date(2026, 11, 27, 22, 15, 0, 0, loc)}
	games := map[string]game.Game{"1": late}
	assert.True(t, p.unfinishedOn(games, yesterday, time.Now()))
	late.Status = game.StatusFinal
	games["1"] = late
	assert.False(t, p.unfinishedOn(games, yesterday, time.Now()))
}

// monthOnly answers the month with an old final and every day with nothing.
type monthOnly struct{ old game.Game }

func (m monthOnly) ScoreboardDay(context.Context, league.League, time.Time) (espn.Scoreboard, error) {
	return espn.Scoreboard{}, nil
}

func (m monthOnly) ScoreboardMonth(context.Context, league.League, int, time.Month) (espn.Scoreboard, error) {
	return espn.Scoreboard{Games: []game.Game{m.old}, Events: 1, Limit: 500}, nil
}

func (m monthOnly) Teams(context.Context, league.League) ([]game.Team, error) { return nil, nil }

// TestObserversGetPrunedGamesAsFetched: a final of three days ago on the
// month's scoreboard is pruned from the merged view in the same poll; the
// observers must still get it whole, never an empty game.
func TestObserversGetPrunedGamesAsFetched(t *testing.T) {
	now := time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)
	old := game.Game{ID: "401", League: "NFL", Status: game.StatusFinal, Start: now.Add(-72 * time.Hour), TimeValid: true}
	obs := &recordingObserver{}
	p := New(monthOnly{old}, state.New("nfl"), nil, []Observer{obs}, []league.League{nfl(t)}, Options{Now: func() time.Time { return now }})
	games := map[string]game.Game{}
	var upcomingAt time.Time
	_, err := p.poll(context.Background(), nfl(t), games, now, &upcomingAt, true)
	require.NoError(t, err)
	require.Equal(t, 1, obs.count())
	require.Len(t, obs.polls[0], 1)
	assert.Equal(t, "401", obs.polls[0][0].ID)
	assert.Equal(t, game.StatusFinal, obs.polls[0][0].Status)
	assert.Empty(t, games, "the old final is not kept in the merged view")
}
