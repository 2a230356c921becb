package backfill_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/backfill"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

// after2023 is a day on which the 2023 season is well within the default
// retention of 730 days.
var after2023 = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func options(t testing.TB, o backfill.Options) backfill.Options {
	o.League = nfl(t)
	if o.Season == 0 {
		o.Season = 2023
	}
	if o.Now == nil {
		o.Now = func() time.Time { return after2023 }
	}
	if o.RetentionDays == 0 {
		o.RetentionDays = 730
	}
	return o
}

func teamsOf(t testing.TB) func(string) []game.Team {
	teams := nflTeams(t)
	return func(leagueKey string) []game.Team {
		if leagueKey == "nfl" {
			return teams
		}
		return nil
	}
}

// The acceptance case: KC's real 2023 schedule, backfilled for --team KC,
// answers history and schedule questions with the record the capture
// shows, on every store kind.
func TestBackfillTeamThenHistoryMatchesTheCapture(t *testing.T) {
	capture := historytest.ReadSchedule(t, kcCapture)
	want := historytest.RecordOf("KC", capture)
	require.Equal(t, 17, want.Finals)
	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			srv := espntest.NewServer(t)
			srv.ServeFixture(t, schedulePath("12"), kcCapture)
			s := k.Open(t)
			ctx := context.Background()

			var out bytes.Buffer
			res, err := backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), s,
				options(t, backfill.Options{Team: "kc", Progress: &out, StateDir: t.TempDir()}))
			require.NoError(t, err)
			assert.Equal(t, backfill.Result{Teams: 1, Games: len(capture), Points: len(capture) + want.Finals}, res)
			assert.Equal(t, []string{"12"}, scheduleRequests(srv))
			assert.Equal(t, "nfl 2023: 1/1 teams, 17 games\n", out.String())

			svc := history.New(s, newResolver(t), history.Options{Leagues: []league.League{nfl(t)}})
			kc, err := newResolver(t).Resolve("KC", "nfl")
			require.NoError(t, err)
			sched, err := svc.Schedule(ctx, kc, 2023)
			require.NoError(t, err)
			assert.Len(t, sched.Games, len(capture))
			st := sched.Statistics
			assert.Equal(t, want.Wins, st.Wins)
			assert.Equal(t, want.Losses, st.Losses)
			assert.Equal(t, want.Ties, st.Ties)
			assert.Equal(t, want.PointsFor, st.PointsFor)
			assert.Equal(t, want.PointsAgainst, st.PointsAgainst)
			assert.Equal(t, want.Finals, st.GamesPlayed)

			page, err := svc.History(ctx, history.HistoryQuery{Team: "Chiefs", Season: 2023, Status: "final"})
			require.NoError(t, err)
			assert.Equal(t, want.Finals, page.Total)
			assert.Equal(t, st, *page.Statistics)

			// Every game, as the capture has it.
			byID := map[string]history.HistoricalGame{}
			for _, g := range sched.Games {
				byID[g.GameID] = g
			}
			for _, g := range capture {
				got, ok := byID[g.ID]
				if assert.True(t, ok, g.ID) {
					assert.Equal(t, g.Start.Format("2006-01-02T15:04Z"), got.StartTime, g.ID)
					assert.Equal(t, [2]string{g.Home, g.Away}, [2]string{got.HomeTeam, got.AwayTeam}, g.ID)
					assert.Equal(t, [2]int{g.HomeScore, g.AwayScore}, [2]int{got.HomeScore, got.AwayScore}, g.ID)
				}
			}

			// The final point sits at the documented, deterministic time.
			tl, err := svc.Timeline(ctx, capture[0].ID, "nfl")
			require.NoError(t, err)
			require.Len(t, tl.Timeline, 1)
			assert.Equal(t, capture[0].Start.Add(backfill.FinalPointOffset), tl.Timeline[0].Time)
			assert.Equal(t, game.StatusFinal, tl.Timeline[0].Status)
			assert.Equal(t, game.Score{Home: capture[0].HomeScore, Away: capture[0].AwayScore}, *tl.FinalScore)

			// Twice stores nothing twice.
			_, err = backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{Team: "KC"}))
			require.NoError(t, err)
			games, timelines := rows(t, s)
			assert.Len(t, games, len(capture))
			for id, tl := range timelines {
				assert.Len(t, tl, 1, id)
			}
		})
	}
}

func TestBackfillTwiceStoresEverythingOnce(t *testing.T) {
	srv := espntest.NewServer(t)
	teams := nflTeams(t)
	serveLeague(t, srv, teams)
	s := openSQLite(t)
	ctx := context.Background()
	dir := t.TempDir()

	first, err := backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{StateDir: dir}))
	require.NoError(t, err)
	// A game is in both teams' schedules: 17 games, each written once.
	assert.Equal(t, backfill.Result{Teams: 32, Games: 17, Points: 34}, first)
	assert.Len(t, scheduleRequests(srv), 32)
	games1, tl1 := rows(t, s)
	require.Len(t, games1, 17)
	for id, tl := range tl1 {
		assert.Len(t, tl, 1, id)
	}
	_, err = os.Stat(filepath.Join(dir, "backfill-nfl-2023.json"))
	assert.ErrorIs(t, err, os.ErrNotExist, "a finished season leaves no resume state")

	second, err := backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{StateDir: dir}))
	require.NoError(t, err)
	assert.Equal(t, 32, second.Teams, "a finished season is loaded again on request")
	assert.Equal(t, 17, second.Games)
	assert.Equal(t, 17, second.Points, "games rows are rewritten in place; no second final point")
	games2, tl2 := rows(t, s)
	assert.Len(t, games2, len(games1))
	for id, tl := range tl2 {
		assert.Equal(t, tl1[id], tl, id)
	}
}

func TestBackfillLeavesLiveRecordedFinalsAlone(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, schedulePath("12"), kcCapture)
	s := openSQLite(t)
	ctx := context.Background()
	capture := historytest.ReadSchedule(t, kcCapture)
	watched := capture[2]
	// The service watched this game and stored its end when it happened.
	live := store.Point{Series: store.SeriesScores, League: "nfl", Time: watched.Start.Add(3*time.Hour + 7*time.Minute),
		GameID: watched.ID, Season: 2023, SeasonType: 2, Week: 3, HomeTeam: watched.Home, AwayTeam: watched.Away,
		Status: "finished", HomeScore: watched.HomeScore, AwayScore: watched.AwayScore, Period: 4}
	// This one was watched into a long fourth quarter, then the service
	// stopped.
	partly := capture[5]
	late := store.Point{Series: store.SeriesScores, League: "nfl", Time: partly.Start.Add(3*time.Hour + 45*time.Minute),
		GameID: partly.ID, Season: 2023, SeasonType: 2, Week: 6, HomeTeam: partly.Home, AwayTeam: partly.Away,
		Status: "live", HomeScore: partly.HomeScore, AwayScore: partly.AwayScore, Period: 4, TimeRemaining: "0:40"}
	require.NoError(t, s.Write(ctx, []store.Point{live, late}))

	res, err := backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{Team: "KC"}))
	require.NoError(t, err)
	assert.Equal(t, 17+16, res.Points)
	tl, err := s.Timeline(ctx, "nfl", watched.ID)
	require.NoError(t, err)
	require.Len(t, tl, 1)
	assert.True(t, tl[0].Time.Equal(live.Time))

	tl, err = s.Timeline(ctx, "nfl", partly.ID)
	require.NoError(t, err)
	require.Len(t, tl, 2)
	assert.Equal(t, "finished", tl[1].Status)
	assert.True(t, tl[1].Time.Equal(late.Time.Add(time.Minute)), "the final comes after what was seen: %v", tl[1].Time)

	// A rerun adds nothing to either.
	res, err = backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{Team: "KC"}))
	require.NoError(t, err)
	assert.Equal(t, 17, res.Points)
	tl, err = s.Timeline(ctx, "nfl", partly.ID)
	require.NoError(t, err)
	assert.Len(t, tl, 2)
}

func TestBackfillResumesAfterInterruption(t *testing.T) {
	srv := espntest.NewServer(t)
	teams := nflTeams(t)
	serveLeague(t, srv, teams)
	s := openSQLite(t)
	dir := t.TempDir()

	// The fifth schedule request interrupts the command (Ctrl-C).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	seen := 0
	fifth := teams[4].ESPNID
	srv.Handle(schedulePath(fifth), func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen++
		mu.Unlock()
		cancel()
		<-r.Context().Done()
	})
	var out bytes.Buffer
	res, err := backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{StateDir: dir, Progress: &out}))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "rerun the same command to continue")
	assert.Equal(t, 4, res.Teams)

	var state struct {
		League    string   `json:"league"`
		Season    int      `json:"season"`
		TeamsDone []string `json:"teams_done"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "backfill-nfl-2023.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &state))
	assert.Equal(t, "nfl", state.League)
	assert.Equal(t, 2023, state.Season)
	var done []string
	for _, tm := range teams[:4] {
		done = append(done, tm.Abbreviation)
	}
	assert.ElementsMatch(t, done, state.TeamsDone)

	// The rerun asks only for the teams not done.
	serveLeague(t, srv, teams)
	before := len(scheduleRequests(srv))
	out.Reset()
	res, err = backfill.Run(context.Background(), newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{StateDir: dir, Progress: &out}))
	require.NoError(t, err)
	assert.Equal(t, 28, res.Teams)
	requested := scheduleRequests(srv)[before:]
	assert.Len(t, requested, 28)
	for _, tm := range teams[:4] {
		assert.NotContains(t, requested, tm.ESPNID)
	}
	assert.True(t, strings.HasPrefix(out.String(), "resuming nfl 2023: 4 of 32 teams were done before\n"), out.String())
	assert.Contains(t, out.String(), "nfl 2023: 32/32 teams, ")

	// The interrupted and resumed load stored what one run stores.
	games, timelines := rows(t, s)
	assert.Len(t, games, 17)
	for id, tl := range timelines {
		assert.Len(t, tl, 1, id)
	}
	_, err = os.Stat(filepath.Join(dir, "backfill-nfl-2023.json"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestBackfillStopsOnESPNErrorsAndResumes(t *testing.T) {
	srv := espntest.NewServer(t)
	teams := nflTeams(t)
	serveLeague(t, srv, teams)
	srv.Handle(schedulePath(teams[10].ESPNID), failWith(http.StatusInternalServerError))
	s := &countingSink{Store: openSQLite(t)}
	dir := t.TempDir()

	res, err := backfill.Run(context.Background(), newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{StateDir: dir}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "stopped at "+teams[10].Abbreviation+" after 10 of 32 teams")
	assert.Equal(t, 10, res.Teams)

	serveLeague(t, srv, teams)
	res, err = backfill.Run(context.Background(), newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{StateDir: dir}))
	require.NoError(t, err)
	assert.Equal(t, 22, res.Teams)
	games, _ := rows(t, s)
	assert.Len(t, games, 17)
}

func TestBackfillRefusesSeasonsBeyondRetention(t *testing.T) {
	srv := espntest.NewServer(t)
	serveLeague(t, srv, nflTeams(t))
	s := &countingSink{Store: openSQLite(t)}
	now := func() time.Time { return time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC) }

	_, err := backfill.Run(context.Background(), newClient(srv), teamsOf(t), newResolver(t), s,
		options(t, backfill.Options{Season: 2019, Now: now, RetentionDays: 730}))
	var re *backfill.RetentionError
	require.ErrorAs(t, err, &re)
	assert.EqualError(t, err, "season 2019 is older than the retention of 730 days (INFLUXDB_RETENTION_DAYS)")
	// The 2023 season ended (at the latest) in August 2024: also too old.
	_, err = backfill.Run(context.Background(), newClient(srv), teamsOf(t), newResolver(t), s,
		options(t, backfill.Options{Season: 2023, Now: now, RetentionDays: 730, Team: "KC"}))
	require.ErrorAs(t, err, &re)
	assert.Empty(t, srv.Requests(), "refused before any request")
	assert.Zero(t, s.writes)
}

func TestBackfillSkipsGamesOlderThanRetention(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, schedulePath("12"), kcCapture)
	s := openSQLite(t)
	now := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	cutoff := now.Add(-730 * 24 * time.Hour)
	var keep int
	for _, g := range historytest.ReadSchedule(t, kcCapture) {
		if !g.Start.Before(cutoff) {
			keep++
		}
	}
	require.Positive(t, keep)
	require.Less(t, keep, 17)

	var out bytes.Buffer
	res, err := backfill.Run(context.Background(), newClient(srv), teamsOf(t), newResolver(t), s,
		options(t, backfill.Options{Team: "KC", Now: func() time.Time { return now }, Progress: &out}))
	require.NoError(t, err)
	assert.Equal(t, keep, res.Games)
	games, _ := rows(t, s)
	assert.Len(t, games, keep)
	assert.Contains(t, out.String(), fmt.Sprintf("nfl 2023: skipped %d games older than the retention of 730 days (INFLUXDB_RETENTION_DAYS)\n", 17-keep))
}

func TestBackfillSkipsGamesOfOtherSeasons(t *testing.T) {
	// Derived from the KC capture: the first event is moved to the 2022 season.
	var doc map[string]any
	require.NoError(t, json.Unmarshal(espntest.Load(t, kcCapture), &doc))
	first := doc["events"].([]any)[0].(map[string]any)
	first["season"].(map[string]any)["year"] = 2022
	body, err := json.Marshal(doc)
	require.NoError(t, err)

	srv := espntest.NewServer(t)
	srv.ServeBytes(schedulePath("12"), body)
	s := openSQLite(t)
	res, err := backfill.Run(context.Background(), newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{Team: "KC"}))
	require.NoError(t, err)
	assert.Equal(t, 16, res.Games)
	games, _ := rows(t, s)
	for _, g := range games {
		assert.NotEqual(t, first["id"], g.GameID)
		assert.Equal(t, 2023, g.Season)
	}
}

func TestBackfillProgressOnATerminal(t *testing.T) {
	srv := espntest.NewServer(t)
	teams := nflTeams(t)
	serveLeague(t, srv, teams)
	var out bytes.Buffer
	_, err := backfill.Run(context.Background(), newClient(srv), teamsOf(t), newResolver(t), openSQLite(t),
		options(t, backfill.Options{Progress: &out, IsTerminal: true}))
	require.NoError(t, err)
	text := out.String()
	assert.Equal(t, 33, strings.Count(text, "\r"), "drawn once at the start and once per team")
	assert.Equal(t, 1, strings.Count(text, "\n"), "one line, ended once")
	assert.True(t, strings.HasSuffix(text, "\n"))
	last := text[strings.LastIndex(text, "\r")+1:]
	assert.Contains(t, last, "nfl 2023 [##############################] 32/32 teams, 17 games")
}

func TestBackfillRejectsBadOptions(t *testing.T) {
	srv := espntest.NewServer(t)
	s := openSQLite(t)
	ctx := context.Background()
	_, err := backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), s, backfill.Options{Season: 2023})
	assert.ErrorIs(t, err, backfill.ErrInvalid)
	_, err = backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{Season: 1850}))
	assert.ErrorIs(t, err, backfill.ErrInvalid)
	_, errDirect := newResolver(t).Resolve("Nowhere", "nfl")
	_, err = backfill.Run(ctx, newClient(srv), teamsOf(t), newResolver(t), s, options(t, backfill.Options{Team: "Nowhere"}))
	assert.Equal(t, errDirect, err, "resolver errors pass through")
	_, err = backfill.Run(ctx, newClient(srv), func(string) []game.Team { return nil }, newResolver(t), s, options(t, backfill.Options{}))
	assert.ErrorContains(t, err, "no teams known")
	assert.Empty(t, srv.Requests())
}
