package schedule_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/recorder"
	"github.com/sports-data/sports-data/internal/schedule"
	"github.com/sports-data/sports-data/internal/store/writer"
	"github.com/sports-data/sports-data/internal/teams"
)

const kcCapture = historytest.KCCapture

func lookup(t testing.TB, key string) league.League {
	t.Helper()
	l, ok := league.Lookup(key)
	require.True(t, ok)
	return l
}

func parsedTeams(t testing.TB, key string) []game.Team {
	t.Helper()
	teams, err := espn.ParseTeams(espntest.Load(t, key+"/teams.json"), lookup(t, key))
	require.NoError(t, err)
	require.Len(t, teams, 32)
	return teams
}

// withEvents is the KC capture with its events replaced (edit may change
// them); derived data, not as ESPN sent it.
func withEvents(t testing.TB, edit func(events []any) []any) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(espntest.Load(t, kcCapture), &doc))
	doc["events"] = edit(doc["events"].([]any))
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	return b
}

// serveAll answers KC's schedule with the capture and every other team's,
// in both leagues, with an empty season derived from it.
func serveAll(t testing.TB, srv *espntest.Server) {
	t.Helper()
	empty := withEvents(t, func([]any) []any { return []any{} })
	for _, key := range []string{"nfl", "nhl"} {
		l := lookup(t, key)
		for _, tm := range parsedTeams(t, key) {
			srv.ServeBytes(path(l, tm.ESPNID), empty)
		}
	}
	srv.ServeFixture(t, path(lookup(t, "nfl"), "12"), kcCapture)
}

func path(l league.League, id string) string {
	return fmt.Sprintf("/%s/%s/teams/%s/schedule", l.Sport, l.ESPNLeague, id)
}

// observed records what the refresher hands over.
type observed struct {
	mu    sync.Mutex
	calls map[string]int // league/team id of the first game → calls
	games map[string]game.Game
	n     atomic.Int64
	hook  func()
}

func newObserved() *observed {
	return &observed{calls: map[string]int{}, games: map[string]game.Game{}}
}

func (o *observed) Observe(leagueKey string, games []game.Game) {
	o.mu.Lock()
	for _, g := range games {
		o.games[leagueKey+"/"+g.ID] = g
	}
	o.calls[leagueKey]++
	hook := o.hook
	o.mu.Unlock()
	o.n.Add(1)
	if hook != nil {
		hook()
	}
}

func (o *observed) snapshot() map[string]game.Game {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make(map[string]game.Game, len(o.games))
	for k, v := range o.games {
		out[k] = v
	}
	return out
}

func teamsOf(t testing.TB) func(string) []game.Team {
	byLeague := map[string][]game.Team{"nfl": parsedTeams(t, "nfl"), "nhl": parsedTeams(t, "nhl")}
	return func(k string) []game.Team { return byLeague[k] }
}

func client(srv *espntest.Server) *espn.Client {
	return espn.NewClient(srv.URL, espn.Options{MaxRetries: -1})
}

func requestsByPath(srv *espntest.Server) map[string]int {
	out := map[string]int{}
	for _, u := range srv.Requests() {
		out[u.Path]++
	}
	return out
}

func run(ctx context.Context, r *schedule.Refresher) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

func season2023(league.League) int { return 2023 }

func TestRunSpreadsTheTeamsOverTime(t *testing.T) {
	srv := espntest.NewServer(t)
	serveAll(t, srv)
	obs := newObserved()
	r := schedule.NewRefresher(client(srv), teamsOf(t), obs, []league.League{lookup(t, "nfl"), lookup(t, "nhl")},
		schedule.Options{Every: 24 * time.Hour, Spread: 6 * time.Hour, Season: season2023})
	stop := run(context.Background(), r)
	require.Eventually(t, func() bool { return len(srv.Requests()) >= 1 }, 5*time.Second, time.Millisecond)
	// 64 teams over 6 hours: the next request is due in about 5.6 minutes.
	stop()
	assert.Len(t, srv.Requests(), 1, "one team at a time, not 64 requests at once")
	assert.Zero(t, srv.RangeRequests())
}

func TestRunRefreshesEveryTeamEveryCycle(t *testing.T) {
	srv := espntest.NewServer(t)
	serveAll(t, srv)
	obs := newObserved()
	nfl, nhl := lookup(t, "nfl"), lookup(t, "nhl")
	seasons := map[string]int{"nfl": 2023, "nhl": 2024}
	r := schedule.NewRefresher(client(srv), teamsOf(t), obs, []league.League{nfl, nhl}, schedule.Options{
		Every: 100 * time.Millisecond, Spread: 32 * time.Millisecond,
		Season: func(l league.League) int { return seasons[l.Key] },
	})
	stop := run(context.Background(), r)
	require.Eventually(t, func() bool {
		for _, n := range requestsByPath(srv) {
			if n < 2 {
				return false
			}
		}
		return len(requestsByPath(srv)) == 64
	}, 20*time.Second, 5*time.Millisecond, "every team twice: two cycles")
	stop()

	for _, u := range srv.Requests() {
		want := "2023"
		if strings.HasPrefix(u.Path, "/hockey/") {
			want = "2024"
		}
		assert.Equal(t, want, u.Query().Get("season"), u.String())
	}
	// KC's 17 games reached the observer; the empty seasons added nothing.
	games := obs.snapshot()
	assert.Len(t, games, 17)
	assert.Equal(t, "KC", games["nfl/401547353"].HomeTeam.Abbreviation)
}

func TestRunRetriesFailedTeamsAndEmptyLeagues(t *testing.T) {
	srv := espntest.NewServer(t)
	serveAll(t, srv)
	nfl := lookup(t, "nfl")
	var failures atomic.Int64
	srv.Handle(path(nfl, "12"), func(w http.ResponseWriter, r *http.Request) {
		if failures.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(espntest.Load(t, kcCapture))
	})
	// The team directory is still loading during the first few looks,
	// more of them than failed teams are retried.
	all := teamsOf(t)
	var asked atomic.Int64
	teams := func(k string) []game.Team {
		if asked.Add(1) <= 4 {
			return nil
		}
		return all(k)
	}
	obs := newObserved()
	r := schedule.NewRefresher(client(srv), teams, obs, []league.League{nfl}, schedule.Options{
		Every: time.Hour, Spread: 10 * time.Millisecond, Retry: 10 * time.Millisecond, Season: season2023,
	})
	stop := run(context.Background(), r)
	defer stop()
	require.Eventually(t, func() bool { return len(obs.snapshot()) == 17 }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, int64(2), failures.Load(), "KC failed once and was tried again in the same cycle")
}

func TestRefreshTeamLeavesLiveAndPastScheduledGamesToThePoller(t *testing.T) {
	// Derived from the KC capture: event 0 is in progress, event 1 is
	// still "scheduled" although its start has passed, event 2 belongs to
	// another season, event 3 is scheduled in the future.
	body := withEvents(t, func(events []any) []any {
		status := func(i int) map[string]any {
			return events[i].(map[string]any)["competitions"].([]any)[0].(map[string]any)["status"].(map[string]any)
		}
		st := status(0)
		st["type"] = map[string]any{"id": "2", "name": "STATUS_IN_PROGRESS", "state": "in", "completed": false, "description": "In Progress", "detail": "4:12 - 2nd", "shortDetail": "4:12 - 2nd"}
		st["period"] = 2
		st = status(1)
		st["type"] = map[string]any{"id": "1", "name": "STATUS_SCHEDULED", "state": "pre", "completed": false, "description": "Scheduled", "detail": "TBD", "shortDetail": "TBD"}
		events[2].(map[string]any)["season"].(map[string]any)["year"] = 2022
		status(3)["type"] = map[string]any{"id": "1", "name": "STATUS_SCHEDULED", "state": "pre", "completed": false, "description": "Scheduled", "detail": "Sun", "shortDetail": "Sun"}
		events[3].(map[string]any)["date"] = "2030-10-02T00:20Z"
		return events
	})
	srv := espntest.NewServer(t)
	nfl := lookup(t, "nfl")
	srv.ServeBytes(path(nfl, "12"), body)
	obs := newObserved()
	r := schedule.NewRefresher(client(srv), func(string) []game.Team { return nil }, obs, []league.League{nfl}, schedule.Options{})
	kc := game.Team{Abbreviation: "KC", ESPNID: "12"}

	n, err := r.RefreshTeam(context.Background(), nfl, kc, 2023)
	require.NoError(t, err)
	assert.Equal(t, 14, n)
	games := obs.snapshot()
	assert.Len(t, games, 14)
	for _, id := range []string{"401547353", "401547413", "401547438"} {
		assert.NotContains(t, games, "nfl/"+id)
	}
	assert.Equal(t, game.StatusScheduled, games["nfl/401547455"].Status)

	_, err = r.RefreshTeam(context.Background(), nfl, game.Team{Abbreviation: "XX"}, 2023)
	assert.ErrorContains(t, err, "no ESPN id")
	srv.Handle(path(nfl, "12"), func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no", http.StatusInternalServerError)
	})
	_, err = r.RefreshTeam(context.Background(), nfl, kc, 2023)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "schedule nfl KC 2023")
}

func directory(t testing.TB) *teams.Directory {
	t.Helper()
	ls := []league.League{lookup(t, "nfl"), lookup(t, "nhl")}
	d := teams.NewDirectory("", ls, nil)
	for _, l := range ls {
		require.NoError(t, d.Set(l, parsedTeams(t, l.Key)))
	}
	return d
}

// The acceptance case: a schedule refresh of the real KC 2023 capture,
// through the recorder and the batch writer into each store kind, answers
// history and schedule questions with the record the capture shows.
func TestRefreshThenHistoryMatchesTheCapture(t *testing.T) {
	capture := historytest.ReadSchedule(t, historytest.KCCapture)
	want := historytest.RecordOf("KC", capture)
	require.Equal(t, 17, want.Finals)
	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			ctx := context.Background()
			srv := espntest.NewServer(t)
			serveAll(t, srv)
			s := k.Open(t)
			w, err := writer.New(s, writer.Options{SpoolDir: t.TempDir()})
			require.NoError(t, err)
			t.Cleanup(func() { _ = w.Close(context.Background()) })
			dir := directory(t)
			nfl := lookup(t, "nfl")
			r := schedule.NewRefresher(client(srv), dir.Teams, recorder.New(w, nil, nil), []league.League{nfl},
				schedule.Options{Every: time.Hour, Spread: 32 * time.Millisecond, Season: season2023})
			svc := history.New(s, dir, history.Options{Leagues: []league.League{nfl}})

			stop := run(ctx, r)
			require.Eventually(t, func() bool { return len(srv.Requests()) == 32 }, 20*time.Second, 5*time.Millisecond)
			stop()
			require.NoError(t, w.Flush(ctx))

			kc, err := dir.Resolve("KC", "")
			require.NoError(t, err)
			sched, err := svc.Schedule(ctx, kc, 2023)
			require.NoError(t, err)
			assert.Len(t, sched.Games, len(capture))
			st := sched.Statistics
			assert.Equal(t, want.Finals, st.GamesPlayed)
			assert.Equal(t, want.Wins, st.Wins)
			assert.Equal(t, want.Losses, st.Losses)
			assert.Equal(t, want.Ties, st.Ties)
			assert.Equal(t, want.PointsFor, st.PointsFor)
			assert.Equal(t, want.PointsAgainst, st.PointsAgainst)
			page, err := svc.History(ctx, history.HistoryQuery{Team: "Kansas City Chiefs", League: "NFL", Season: 2023})
			require.NoError(t, err)
			assert.Equal(t, len(capture), page.Total)
			assert.Equal(t, st, *page.Statistics)

			// Refreshing again changes nothing: the change-only path writes
			// nothing for games it has seen as they are.
			written := w.Stats().PointsWritten
			n, err := r.RefreshTeam(ctx, nfl, kc.Team, 2023)
			require.NoError(t, err)
			assert.Equal(t, 17, n)
			require.NoError(t, w.Flush(ctx))
			assert.Equal(t, written, w.Stats().PointsWritten)
		})
	}
}

// A team ESPN answers 503 for is tried again within the cycle; one it
// answers 404 for is not, since that will not change within minutes.
func TestRunRetriesOnlyWhatMayPass(t *testing.T) {
	srv := espntest.NewServer(t)
	serveAll(t, srv)
	nfl := lookup(t, "nfl")
	all := teamsOf(t)("nfl")
	gone, busy := all[0], all[len(all)-1] // gone is asked before busy in every pass
	srv.Handle(path(nfl, gone.ESPNID), func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"code":404,"message":"team not found"}`, http.StatusNotFound)
	})
	srv.Handle(path(nfl, busy.ESPNID), func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	obs := newObserved()
	r := schedule.NewRefresher(client(srv), teamsOf(t), obs, []league.League{nfl}, schedule.Options{
		Every: time.Hour, Spread: 10 * time.Millisecond, Retry: 10 * time.Millisecond, Season: season2023,
	})
	stop := run(context.Background(), r)
	defer stop()
	require.Eventually(t, func() bool { return requestsByPath(srv)[path(nfl, busy.ESPNID)] == 3 },
		10*time.Second, 5*time.Millisecond, "503: the first try and two retries")
	assert.Equal(t, 1, requestsByPath(srv)[path(nfl, gone.ESPNID)], "404: not retried in the cycle")
}

// Athletes have no season schedule at ESPN: a league of them is never
// asked for one, however many athletes the directory has learned.
func TestRunAsksNoScheduleOfAthletes(t *testing.T) {
	srv := espntest.NewServer(t)
	serveAll(t, srv)
	obs := newObserved()
	nfl, atp := lookup(t, "nfl"), lookup(t, "atp")
	nflTeams := teamsOf(t)
	athletes := func(key string) []game.Team {
		if key == "atp" {
			return []game.Team{{ID: "atp-jan-lennard-struff", Abbreviation: "JAN-LENNARD-STRUFF", ESPNID: "2337", Athlete: true}}
		}
		return nflTeams(key)
	}
	r := schedule.NewRefresher(client(srv), athletes, obs, []league.League{nfl, atp}, schedule.Options{
		Every: 100 * time.Millisecond, Spread: 32 * time.Millisecond,
		Season: func(league.League) int { return 2023 },
	})
	stop := run(context.Background(), r)
	require.Eventually(t, func() bool {
		for _, n := range requestsByPath(srv) {
			if n < 2 {
				return false
			}
		}
		return len(requestsByPath(srv)) == 32
	}, 20*time.Second, 5*time.Millisecond, "every NFL team twice")
	stop()
	for _, u := range srv.Requests() {
		assert.True(t, strings.HasPrefix(u.Path, "/football/nfl/"), u.Path)
	}
}
