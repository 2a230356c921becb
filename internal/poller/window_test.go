package poller

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/logbuf"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/tz"
)

const (
	nhlCapture = "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json"
	// smallCapture has events a tenth of the NHL's size: derived months of
	// hundreds of games stay quick where the sport does not matter.
	smallCapture = "ncaavbw/scoreboard-2022-09-11-live-mixed.json"
)

// windowRun is the first turn of a league's loop against a stand-in, at
// a fixed moment, through the real client and poller.
type windowRun struct {
	srv       *espntest.Server
	st        *state.State
	p         *Poller
	status    LeagueStatus
	truncated int
	log       *logbuf.Buffer
}

func pollWindow(t *testing.T, l league.League, now time.Time, handler http.HandlerFunc) *windowRun {
	t.Helper()
	r := &windowRun{srv: espntest.NewServer(t), st: state.New(l.Key), log: &logbuf.Buffer{}}
	r.srv.Handle("/"+l.Sport+"/"+l.ESPNLeague+"/scoreboard", handler)
	client := espn.NewClient(r.srv.URL, espn.Options{MaxRetries: -1})
	r.p = New(client, r.st, nil, nil, []league.League{l}, Options{
		Now: func() time.Time { return now }, Logger: r.log.Logger(slog.LevelInfo),
		OnTruncated: func(string) { r.truncated++ },
	})
	_, ok := r.p.step(context.Background(), newLeagueLoop(l))
	require.True(t, ok)
	r.status = r.p.Status()[0]
	require.True(t, r.status.OK(), r.status.LastError)
	return r
}

// upcoming counts the scheduled games the state lists within hours of
// now, as GET /api/v1/games/upcoming does.
func (r *windowRun) upcoming(now time.Time, hours int) int {
	n := 0
	until := now.Add(time.Duration(hours) * time.Hour)
	for _, g := range r.st.All() {
		if g.Status == game.StatusScheduled && !g.Start.Before(now) && !g.Start.After(until) {
			n++
		}
	}
	return n
}

func (r *windowRun) requests(kind int) []string {
	var out []string
	for _, u := range r.srv.Requests() {
		if len(u.Query().Get("dates")) == kind {
			out = append(out, u.RawQuery)
		}
	}
	return out
}

func mustLeagueKey(t *testing.T, key string) league.League {
	l, ok := league.Lookup(key)
	require.True(t, ok, key)
	return l
}

// A dense NHL schedule, 12 games every day of December and January
// (derived from the real NHL capture), under ESPN's rules of today: the
// upcoming week lists every game scheduled in it. Before the month was
// asked with limit=500, ESPN's answer to limit=1000 held 25 events, and
// only the day's own games were listed (README, ESPN).
func TestUpcomingWindowIsCompleteForADenseLeague(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, tz.Eastern)
	cal := espntest.NewCalendar(t, nhlCapture, time.Date(2026, 12, 1, 12, 0, 0, 0, tz.Eastern), 62, 12, nil)
	r := pollWindow(t, mustLeagueKey(t, "nhl"), now, cal.ServeHTTP)

	scheduled := cal.Between(now, now.Add(168*time.Hour))
	listed := r.upcoming(now, 168)
	t.Logf("upcoming 168 h: %d games listed of %d scheduled; requests: %d months %v, %d days",
		listed, scheduled, len(r.requests(6)), r.requests(6), len(r.requests(8)))
	assert.Equal(t, 84, scheduled, "7 days × 12 games")
	assert.Equal(t, scheduled, listed)
	assert.Equal(t, []string{"dates=202612&limit=500"}, r.requests(6), "372 events: one complete answer")
	assert.Zero(t, r.truncated)
	assert.Zero(t, r.status.TruncatedAnswers)
	assert.Equal(t, http.StatusOK, r.status.LastAnswerStatus)
	assert.Equal(t, 12, r.status.LastAnswerEvents, "today's scoreboard, asked last")
	assert.Empty(t, r.status.Degraded)
}

// A league denser than ESPN's 500 a month (20 games a day, as college
// basketball plays): the month comes back cut, so the window's days are
// asked one by one, within the same poll, and the window is complete.
// One warning says so, and each cut answer is counted.
func TestACutMonthIsFilledDayByDay(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, tz.Eastern)
	cal := espntest.NewCalendar(t, smallCapture, time.Date(2026, 12, 1, 12, 0, 0, 0, tz.Eastern), 31, 20, nil)
	r := pollWindow(t, mustLeagueKey(t, "nhl"), now, cal.ServeHTTP)

	scheduled := cal.Between(now, now.Add(168*time.Hour))
	listed := r.upcoming(now, 168)
	t.Logf("upcoming 168 h: %d games listed of %d scheduled; %d day requests", listed, scheduled, len(r.requests(8)))
	assert.Equal(t, 140, scheduled)
	assert.Equal(t, scheduled, listed)
	// December 6-12 filled, then yesterday (the first poll) and today.
	assert.Equal(t, []string{"dates=20261206", "dates=20261207", "dates=20261208", "dates=20261209",
		"dates=20261210", "dates=20261211", "dates=20261212", "dates=20261204", "dates=20261205"}, r.requests(8))
	assert.Equal(t, 1, r.truncated, "the month's answer")
	assert.EqualValues(t, 1, r.status.TruncatedAnswers)
	assert.False(t, r.status.LastTruncatedAt.IsZero())
	assert.Equal(t, 1, strings.Count(r.log.String(), "ESPN cut a month's scoreboard short"))
	assert.Empty(t, r.status.Degraded, "the window is complete: nothing to worry about")
}

// If ESPN tightens its rule again and answers 25 events to limit=500 too
// (derived: no report of this), the 25 give the cut away and the window
// is still complete.
func TestTwentyFiveEventsToLimit500AreFilledToo(t *testing.T) {
	now := time.Date(2026, 12, 29, 10, 0, 0, 0, tz.Eastern)
	cal := espntest.NewCalendar(t, smallCapture, time.Date(2026, 12, 1, 12, 0, 0, 0, tz.Eastern), 62, 12, nil)
	tighter := func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("limit") != "500" {
			cal.ServeHTTP(w, r)
			return
		}
		rec := &bodyCut{ResponseWriter: w, keep: 25}
		cal.ServeHTTP(rec, r)
	}
	r := pollWindow(t, mustLeagueKey(t, "nhl"), now, tighter)
	scheduled := cal.Between(now, now.Add(168*time.Hour))
	assert.Equal(t, 84, scheduled)
	assert.Equal(t, scheduled, r.upcoming(now, 168))
	assert.Equal(t, []string{"dates=202612&limit=500", "dates=202701&limit=500"}, r.requests(6))
	assert.Equal(t, 2, r.truncated, "both months")
	assert.Equal(t, 1, strings.Count(r.log.String(), "ESPN cut"), "one warning a league and day")
}

// bodyCut keeps the first keep events of a JSON scoreboard answer.
type bodyCut struct {
	http.ResponseWriter
	keep int
}

func (b *bodyCut) Write(p []byte) (int, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(p, &doc); err != nil {
		return 0, err
	}
	var events []json.RawMessage
	if err := json.Unmarshal(doc["events"], &events); err != nil {
		return 0, err
	}
	doc["events"], _ = json.Marshal(events[:min(b.keep, len(events))])
	out, _ := json.Marshal(doc)
	_, err := b.ResponseWriter.Write(out)
	return len(p), err
}
