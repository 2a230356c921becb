package poller

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
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

// turns runs a league's loop turn by turn against srv at a fixed moment,
// through the real client, with agent as its User-Agent ("" for the
// service's own).
type turns struct {
	p        *Poller
	ll       *leagueLoop
	log      *logbuf.Buffer
	degraded []bool
}

func newTurns(t *testing.T, srv *espntest.Server, l league.League, now time.Time, agent string) *turns {
	tr := &turns{ll: newLeagueLoop(l), log: &logbuf.Buffer{}}
	client := espn.NewClient(srv.URL, espn.Options{MaxRetries: -1, UserAgent: agent})
	tr.p = New(client, state.New(l.Key), nil, nil, []league.League{l}, Options{
		Now: func() time.Time { return now }, Logger: tr.log.Logger(slog.LevelInfo),
		OnDegraded: func(_ string, d bool) { tr.degraded = append(tr.degraded, d) },
	})
	require.Equal(t, noAnswerYet, tr.p.Status()[0].Degraded, "before the first poll")
	return tr
}

func (tr *turns) step(t *testing.T) LeagueStatus {
	t.Helper()
	_, ok := tr.p.step(context.Background(), tr.ll)
	require.True(t, ok)
	return tr.p.Status()[0]
}

var saturday = time.Date(2026, 12, 5, 10, 0, 0, 0, tz.Eastern)

// ESPN refusing the agent (403) is said as such, with what to do, in the
// league's status and in the log, not as a generic failure.
func TestARefusedAgentIsSaidAsSuch(t *testing.T) {
	srv := espntest.NewServer(t)
	cal := espntest.NewCalendar(t, smallCapture, saturday, 3, 4, nil)
	srv.Handle("/hockey/nhl/scoreboard", cal.ServeHTTP)
	safari := "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15"
	tr := newTurns(t, srv, mustLeagueKey(t, "nhl"), saturday, safari)
	st := tr.step(t)
	assert.False(t, st.OK())
	assert.Equal(t, http.StatusForbidden, st.LastAnswerStatus)
	assert.Zero(t, st.LastAnswerEvents)
	assert.True(t, strings.HasPrefix(st.Degraded, "ESPN refused this User-Agent"), st.Degraded)
	assert.Contains(t, st.Degraded, "ESPN_USER_AGENT")
	assert.True(t, strings.HasPrefix(st.LastError, "ESPN refused this User-Agent"), st.LastError)
	logged := tr.log.String()
	assert.Contains(t, logged, `msg="ESPN refused this User-Agent; set ESPN_USER_AGENT`)
	assert.NotContains(t, logged, "ESPN polls failing")
	assert.Equal(t, []bool{true}, tr.degraded)
}

// Answers that stop reading degrade the league: events that no longer
// read as games (a poll that "succeeds" with nothing), and a body that is
// not a scoreboard at all.
func TestAnswersThatStopReadingDegrade(t *testing.T) {
	srv := espntest.NewServer(t)
	var body atomic.Value
	body.Store(`{"events":[{"id":"1","contests":[]},{"id":"2","contests":[]}]}`)
	srv.Handle("/hockey/nhl/scoreboard", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(body.Load().(string)))
	})
	tr := newTurns(t, srv, mustLeagueKey(t, "nhl"), saturday, "")
	st := tr.step(t)
	assert.True(t, st.OK(), "ESPN answered 200 with valid JSON")
	assert.Equal(t, http.StatusOK, st.LastAnswerStatus)
	assert.Equal(t, 2, st.LastAnswerEvents)
	assert.Contains(t, st.Degraded, "has 2 events and none reads as a game")
	assert.Contains(t, tr.log.String(), "ESPN's answers look wrong; the league is degraded")

	body.Store(`<html>maintenance</html>`)
	st = tr.step(t)
	assert.False(t, st.OK())
	assert.Equal(t, http.StatusOK, st.LastAnswerStatus, "ESPN answered; what it said does not read")
	assert.Contains(t, st.Degraded, "no longer reads")

	body.Store(`{"events":[]}`)
	st = tr.step(t)
	assert.True(t, st.OK())
	assert.Empty(t, st.Degraded, "an empty day with nothing known on it is a day off")
	assert.Equal(t, []bool{true, true, false}, tr.degraded)
}

// A day that comes back empty while the month lists games on it degrades
// the league until the day lists them again (derived: ESPN's day and
// month answers disagreeing is the kind of change seen in 2026).
func TestAnEmptyGameDayDegrades(t *testing.T) {
	srv := espntest.NewServer(t)
	cal := espntest.NewCalendar(t, smallCapture, time.Date(2026, 12, 1, 12, 0, 0, 0, tz.Eastern), 31, 6, nil)
	var emptyDays atomic.Bool
	emptyDays.Store(true)
	srv.Handle("/hockey/nhl/scoreboard", func(w http.ResponseWriter, r *http.Request) {
		if emptyDays.Load() && len(r.URL.Query().Get("dates")) == 8 {
			_, _ = w.Write([]byte(`{"events":[]}`))
			return
		}
		cal.ServeHTTP(w, r)
	})
	tr := newTurns(t, srv, mustLeagueKey(t, "nhl"), saturday, "")
	st := tr.step(t)
	assert.True(t, st.OK())
	assert.Zero(t, st.LastAnswerEvents)
	assert.Equal(t, "ESPN's scoreboard of 2026-12-04 is empty, but its month lists 6 games that day", st.Degraded,
		"yesterday is asked first on the first poll")

	emptyDays.Store(false)
	st = tr.step(t)
	assert.Empty(t, st.Degraded)
	assert.Equal(t, 6, st.LastAnswerEvents)
	logged := tr.log.String()
	assert.Equal(t, 1, strings.Count(logged, "the league is degraded"))
	assert.Contains(t, logged, "ESPN's answers read as expected again")
}

// A request ESPN refuses (400, as it answers a form it no longer serves)
// degrades the league with the status and ESPN's words.
func TestARefusedRequestDegrades(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.Handle("/hockey/nhl/scoreboard", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"code":400,"message":"Failed to get events endpoint."}`))
	})
	tr := newTurns(t, srv, mustLeagueKey(t, "nhl"), saturday, "")
	st := tr.step(t)
	assert.False(t, st.OK())
	assert.Equal(t, http.StatusBadRequest, st.LastAnswerStatus)
	assert.Contains(t, st.Degraded, "ESPN refused the scoreboard request of month 2026-12 (HTTP 400)")
	assert.Contains(t, st.Degraded, "Failed to get events endpoint.")
	assert.False(t, st.LastAnswerAt.IsZero())
}

// A game after midnight Eastern may sit on the previous day's scoreboard:
// a day whose only game starts then is not a game day for the check.
func TestScheduledOnLeavesOutGamesAfterMidnight(t *testing.T) {
	day := time.Date(2026, 12, 6, 12, 0, 0, 0, tz.Eastern)
	games := map[string]game.Game{
		"hawaii":    {ID: "hawaii", Status: game.StatusScheduled, Start: time.Date(2026, 12, 6, 0, 30, 0, 0, tz.Eastern)},
		"postponed": {ID: "postponed", Status: game.StatusPostponed, Start: time.Date(2026, 12, 6, 13, 0, 0, 0, tz.Eastern)},
		"other day": {ID: "other day", Status: game.StatusScheduled, Start: time.Date(2026, 12, 7, 13, 0, 0, 0, tz.Eastern)},
	}
	assert.Zero(t, scheduledOn(games, day, tz.Eastern))
	games["noon"] = game.Game{ID: "noon", Status: game.StatusFinal, Start: time.Date(2026, 12, 6, 17, 0, 0, 0, time.UTC)}
	assert.Equal(t, 1, scheduledOn(games, day, tz.Eastern))
}
