package standings

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/recorder"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/writer"
	"github.com/sports-data/sports-data/internal/teams"
)

func mustLeague(t testing.TB, key string) league.League {
	t.Helper()
	l, ok := league.Lookup(key)
	require.True(t, ok, key)
	return l
}

// stand is a standings service over a real store (through the batch
// writer) and a real ESPN client asking the stand-in srv.
type stand struct {
	svc   *Service
	st    store.Store
	w     *writer.Writer
	hist  *history.Service
	clock *fakeclock.Clock
	srv   *espntest.Server
}

func newStand(t *testing.T, open func(testing.TB) store.Store, now time.Time, leagues ...league.League) *stand {
	t.Helper()
	s := &stand{st: open(t), clock: fakeclock.New(now), srv: espntest.NewServer(t)}
	s.hist = history.New(s.st, nil, history.Options{Leagues: leagues, Now: s.clock.Now})
	w, err := writer.New(s.hist.WriteThrough(s.st), writer.Options{SpoolDir: filepath.Join(t.TempDir(), "spool"), FlushInterval: time.Hour})
	require.NoError(t, err)
	s.w = w
	t.Cleanup(func() { _ = w.Close(context.Background()) })
	client := espn.NewClient(s.srv.URL, espn.Options{Now: s.clock.Now, MaxRetries: -1})
	s.svc = New(client, w, s.st, leagues, Options{Now: s.clock.Now})
	return s
}

// flush writes what the writer holds.
func (s *stand) flush(t *testing.T) {
	t.Helper()
	require.NoError(t, s.w.Flush(t.Context()))
}

func (s *stand) refresh(t *testing.T) {
	t.Helper()
	s.svc.refreshDue(t.Context())
	s.flush(t)
}

// storedRows counts the rows of the newest stored table of a league.
func storedRows(t *testing.T, st store.Store, leagueKey string) int {
	t.Helper()
	pts, err := st.Standings(t.Context(), leagueKey, time.Time{}, time.Time{})
	require.NoError(t, err)
	return len(pts)
}

// A league's table is asked for at start, kept, stored once while ESPN
// answers the same table, stored again when it changes; a past date gets
// the table of then, today the current one, before the first none.
func TestTablesAreKeptStoredAndAskedForPastDates(t *testing.T) {
	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			nba := mustLeague(t, "nba")
			first := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
			s := newStand(t, k.Open, first, nba)
			s.srv.ServeFixture(t, "/basketball/nba/standings", "nba/standings-2024-25-2025-06-01.json")
			s.svc.load(t.Context())
			s.refresh(t)
			cur, ok := s.svc.Current("nba")
			require.True(t, ok)
			assert.Equal(t, 2025, cur.Season)
			assert.Equal(t, 30, storedRows(t, s.st, "nba"))

			// The same table a day later: nothing new is stored.
			s.clock.Add(25 * time.Hour)
			s.refresh(t)
			assert.Len(t, s.srv.Requests(), 2)
			pts, err := s.st.Standings(t.Context(), "nba", first.Add(time.Hour), time.Time{})
			require.NoError(t, err)
			assert.Empty(t, pts, "the unchanged table was not stored again")

			// A season later ESPN answers another table.
			s.clock.Set(time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC))
			s.srv.ServeFixture(t, "/basketball/nba/standings", "nba/standings-2025-26-2026-05-03.json")
			s.refresh(t)
			now, err := s.svc.Table(t.Context(), Query{League: nba}, nil)
			require.NoError(t, err)
			assert.Equal(t, 2026, now.Season)
			then, err := s.svc.Table(t.Context(), Query{League: nba, Date: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)}, nil)
			require.NoError(t, err)
			assert.Equal(t, 2025, then.Season, "months later, the table of then")
			assert.Equal(t, first, then.TakenAt)
			okc := then.Groups[1].Entries[0]
			assert.Equal(t, [4]any{"West", "OKC", 68, 14}, [4]any{then.Groups[1].Abbreviation, okc.Team, okc.Wins, okc.Losses})
			_, err = s.svc.Table(t.Context(), Query{League: nba, Date: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}, nil)
			assert.ErrorIs(t, err, ErrNoTable, "before the first table")

			// A restarted service has the current table from the store and
			// does not ask ESPN for it again within the day.
			again := New(espn.NewClient(s.srv.URL, espn.Options{}), s.w, s.st, []league.League{nba}, Options{Now: s.clock.Now})
			again.load(t.Context())
			cur, ok = again.Current("nba")
			require.True(t, ok)
			assert.Equal(t, 2026, cur.Season)
			asked := len(s.srv.Requests())
			again.refreshDue(t.Context())
			assert.Len(t, s.srv.Requests(), asked)
		})
	}
}

// Finals bring the next table forward: not those of the first poll (they
// are old), each new one to AfterFinal from then.
func TestAFinalBringsTheTableForward(t *testing.T) {
	nfl := mustLeague(t, "nfl")
	clock := fakeclock.New(time.Date(2024, 12, 15, 18, 0, 0, 0, time.UTC))
	svc := New(nil, nil, nil, []league.League{nfl}, Options{Now: clock.Now})
	svc.due["nfl"] = clock.Now().Add(20 * time.Hour)
	games, err := espn.ParseScoreboard(espntest.Load(t, "nfl/scoreboard-2024-12-15-wk15-all-final.json"), nfl)
	require.NoError(t, err)
	svc.Observe("nfl", games[:5])
	assert.Equal(t, clock.Now().Add(20*time.Hour), svc.due["nfl"], "the first poll's finals are old news")
	clock.Add(time.Minute)
	svc.Observe("nfl", games[:6])
	assert.Equal(t, clock.Now().Add(10*time.Minute), svc.due["nfl"])
	clock.Add(time.Minute)
	svc.Observe("nfl", games[:6])
	assert.Equal(t, clock.Now().Add(9*time.Minute), svc.due["nfl"], "nothing new: the refresh stays due")
}

// A refused request waits, longer each time, never more than a day.
func TestAFailedRefreshIsTriedAgainLater(t *testing.T) {
	nhl := mustLeague(t, "nhl")
	s := newStand(t, historytest.SQLite, time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC), nhl)
	s.svc.load(t.Context())
	s.svc.refreshDue(t.Context()) // 404: nothing served
	assert.Equal(t, s.clock.Now().Add(15*time.Minute), s.svc.due["nhl"])
	s.clock.Add(16 * time.Minute)
	s.svc.refreshDue(t.Context())
	assert.Equal(t, s.clock.Now().Add(30*time.Minute), s.svc.due["nhl"])
	_, ok := s.svc.Current("nhl")
	assert.False(t, ok)
}

// The check a table is worth: AFC Bournemouth's line in ESPN's final
// 2024-25 Premier League table agrees with the season record the service
// computes from the club's 38 stored games (its ESPN schedule, stored by
// the recorder) on every store kind.
func TestTheTableAgreesWithTheSeasonRecord(t *testing.T) {
	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			epl := mustLeague(t, "epl")
			s := newStand(t, k.Open, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), epl)
			s.srv.ServeFixture(t, "/soccer/eng.1/standings", "epl/standings-2024-25-2025-06-01.json")
			s.svc.load(t.Context())
			s.refresh(t)

			sched, err := espn.ParseSchedule(espntest.Load(t, "epl/team-349-bou-schedule-2024-25-2025-06-01.json"), epl)
			require.NoError(t, err)
			require.Len(t, sched, 38)
			recorder.New(s.w, s.clock.Now, nil).Observe("epl", sched)
			s.flush(t)

			bou := game.Team{ID: "epl-bou", Abbreviation: "BOU", Name: "AFC Bournemouth", ESPNID: "349"}
			m := teams.Match{League: epl, Team: bou}
			rec, err := s.hist.Schedule(t.Context(), m, 2024)
			require.NoError(t, err)
			ts, ok := s.svc.Team(m)
			require.True(t, ok)
			st := rec.Statistics
			assert.Equal(t, 38, st.GamesPlayed)
			assert.Equal(t, [4]int{15, 11, 12, 56}, [4]int{ts.Wins, ts.Ties, ts.Losses, *ts.Points}, "ESPN's table")
			assert.Equal(t, [4]int{ts.Wins, ts.Ties, ts.Losses, ts.GamesPlayed}, [4]int{st.Wins, st.Ties, st.Losses, st.GamesPlayed}, "the stored season agrees")
			assert.Equal(t, *ts.Points, *st.Points)
			assert.Equal(t, *ts.GoalDifference, *st.GoalDifference)
			assert.Equal(t, [2]int{ts.PointsFor, ts.PointsAgainst}, [2]int{st.PointsFor, st.PointsAgainst})
			assert.Equal(t, 9, ts.Position)

			// The route's table carries the form the stored results give.
			a, err := s.svc.Table(t.Context(), Query{League: epl, Group: "2024-2025"}, s.hist.Forms)
			require.NoError(t, err)
			require.Len(t, a.Groups, 1)
			for _, e := range a.Groups[0].Entries {
				if e.Team == "BOU" {
					assert.Equal(t, st.Form, e.Form)
					assert.Len(t, e.Form, 5)
				}
			}
		})
	}
}

// What the route answers around the table: a group by name or
// abbreviation, an unknown group with the groups there are, the sport's
// columns.
func TestGroupsAndColumns(t *testing.T) {
	nfl, nhl := mustLeague(t, "nfl"), mustLeague(t, "nhl")
	s := newStand(t, historytest.SQLite, time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC), nfl, nhl)
	s.srv.ServeFixture(t, "/football/nfl/standings", "nfl/standings-2024-season-2025-05-11.json")
	s.srv.ServeFixture(t, "/hockey/nhl/standings", "nhl/standings-2025-26-2026-05-03.json")
	s.svc.load(t.Context())
	s.refresh(t)

	for _, g := range []string{"AFC", "american football conference"} {
		a, err := s.svc.Table(t.Context(), Query{League: nfl, Group: g}, nil)
		require.NoError(t, err)
		require.Len(t, a.Groups, 1)
		kc := a.Groups[0].Entries[0]
		assert.Equal(t, "KC", kc.Team)
		assert.Equal(t, "nfl-kc", kc.TeamID)
		assert.Nil(t, kc.Points, "the NFL ranks by wins")
		require.NotNil(t, kc.GamesBehind)
		assert.Equal(t, 0.0, *kc.GamesBehind)
		assert.Equal(t, 0.882, *kc.WinPercent)
	}
	_, err := s.svc.Table(t.Context(), Query{League: nfl, Group: "AFC East"}, nil)
	require.ErrorIs(t, err, ErrNoGroup)
	assert.Contains(t, err.Error(), "AFC, NFC")

	a, err := s.svc.Table(t.Context(), Query{League: nhl}, nil)
	require.NoError(t, err)
	car := a.Groups[0].Entries[0]
	assert.Equal(t, 113, *car.Points)
	assert.Equal(t, 7, *car.OTLosses)
	assert.Nil(t, car.GamesBehind)

	attrs := s.svc.SensorAttributes(teams.Match{League: nhl, Team: game.Team{Abbreviation: "CAR", ESPNID: "7"}})
	assert.Equal(t, map[string]any{"standing_position": 1, "standing_group": "Eastern Conference",
		"standing_record": "53-22-7, 113 PTS", "standing_points": 113}, attrs)
	attrs = s.svc.SensorAttributes(teams.Match{League: nfl, Team: game.Team{Abbreviation: "BUF", ESPNID: "2"}})
	assert.Equal(t, map[string]any{"standing_position": 2, "standing_group": "American Football Conference",
		"standing_record": "13-4", "standing_games_back": 2.0, "standing_win_percent": 0.765}, attrs)
	assert.Nil(t, s.svc.SensorAttributes(teams.Match{League: nfl, Team: game.Team{Abbreviation: "XX", ESPNID: "999"}}))

	// Storage off: the current table answers, a past one cannot.
	off := New(nil, nil, nil, []league.League{nfl}, Options{Now: s.clock.Now})
	_, err = off.Table(t.Context(), Query{League: nfl, Date: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, nil)
	assert.True(t, errors.Is(err, ErrNoHistory))
}
