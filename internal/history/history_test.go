package history_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/store"
	st "github.com/sports-data/sports-data/internal/store/storetest"
	"github.com/sports-data/sports-data/internal/teams"
)

// week1 is the Sunday of week 1 of the NFL 2024 season in these tests.
var week1 = time.Date(2024, 9, 8, 17, 0, 0, 0, time.UTC)

func week(n int) time.Time { return week1.AddDate(0, 0, 7*(n-1)) }

// finalRow is a games row of a game that ended home-away in period.
func finalRow(g st.Game, home, away, period int) store.Point {
	p := st.GamePoint(g, g.Start.Add(4*time.Hour), st.Finished, home, away)
	p.Period = period
	return p
}

// seedKC writes Kansas City's 2024 season with every case a record has to
// get right, one game of another team, one KC game of 2023 and Boston's
// start of the NHL 2025 season:
//
//	101 KC-BAL W 27-20 (home)      102 CIN-KC W 26-25 (away)
//	103 ATL-KC T 22-22 after OT    104 KC-LAC postponed, replayed as 114
//	114 KC-LAC W 17-10 (home)      105 KC-NO postponed, then played under
//	106 KC-DEN canceled                the same id two months later: W 13-10
//	107 LV-KC scheduled            108 KC-TB L 20-23 in overtime (home)
//
// KC 2024: 4-1-1, PF 125, PA 110, home 3-1-0, away 1-0-1, streak W2.
func seedKC(t testing.TB, s store.Store) {
	t.Helper()
	g101 := st.NewGame("nfl", "101", week(1), "KC", "BAL")
	g102 := st.NewGame("nfl", "102", week(2), "CIN", "KC")
	g103 := st.NewGame("nfl", "103", week(3), "ATL", "KC")
	g104 := st.NewGame("nfl", "104", week(4), "KC", "LAC")
	g105 := st.NewGame("nfl", "105", week(5), "KC", "NO")
	g105moved := g105
	g105moved.Start = week(12)
	g106 := st.NewGame("nfl", "106", week(6), "KC", "DEN")
	g107 := st.NewGame("nfl", "107", week(14), "LV", "KC")
	g108 := st.NewGame("nfl", "108", week(8), "KC", "TB")
	g114 := st.NewGame("nfl", "114", week(9), "KC", "LAC")
	g201 := st.NewGame("nfl", "201", week(1), "BUF", "NE")
	g099 := st.NewGame("nfl", "099", time.Date(2023, 12, 10, 18, 0, 0, 0, time.UTC), "KC", "BUF")

	write(t, s,
		finalRow(g101, 27, 20, 4),
		finalRow(g102, 25, 26, 4),
		finalRow(g103, 22, 22, 5),
		st.GamePoint(g104, week(4).Add(-2*time.Hour), st.Postponed, 0, 0),
		st.GamePoint(g105, week(5).Add(-time.Hour), st.Postponed, 0, 0),
		finalRow(g105moved, 13, 10, 4),
		st.GamePoint(g106, week(6).Add(-time.Hour), st.Canceled, 0, 0),
		st.GamePoint(g107, week(1), st.Scheduled, 0, 0),
		finalRow(g108, 20, 23, 5),
		finalRow(g114, 17, 10, 4),
		finalRow(g201, 30, 3, 4),
		finalRow(g099, 20, 17, 4),
	)
	// The timeline of 101: seen on the schedule, kickoff, two scores, final.
	write(t, s,
		st.ScorePoint(g101, week(1).AddDate(0, 0, -6), st.Scheduled, 0, 0, 0),
		st.ScorePoint(g101, week(1).Add(2*time.Minute), st.Live, 0, 0, 1),
		st.ScorePoint(g101, week(1).Add(20*time.Minute), st.Live, 7, 0, 1),
		st.ScorePoint(g101, week(1).Add(65*time.Minute), st.Live, 7, 3, 2),
		st.ScorePoint(g101, week(1).Add(3*time.Hour+12*time.Minute), st.Finished, 27, 20, 4),
	)

	// NHL 2025 (autumn 2024): Boston wins in OT, loses in OT, loses in regulation.
	n301 := st.NewGame("nhl", "301", time.Date(2024, 10, 10, 23, 0, 0, 0, time.UTC), "BOS", "TOR")
	n302 := st.NewGame("nhl", "302", time.Date(2024, 10, 12, 23, 0, 0, 0, time.UTC), "NYR", "BOS")
	n303 := st.NewGame("nhl", "303", time.Date(2024, 10, 14, 23, 0, 0, 0, time.UTC), "BOS", "MTL")
	write(t, s, finalRow(n301, 3, 2, 4), finalRow(n302, 4, 3, 4), finalRow(n303, 2, 5, 3))
	write(t, s,
		st.ScorePoint(n302, n302.Start.Add(5*time.Minute), st.Live, 0, 0, 1),
		st.ScorePoint(n302, n302.Start.Add(150*time.Minute), st.Finished, 4, 3, 4),
	)
}

var kc2024 = history.Statistics{
	Team: "KC", GamesPlayed: 6, Wins: 4, Losses: 1, Ties: 1, OTLosses: 0,
	WinPercentage: 0.75, PointsFor: 125, PointsAgainst: 110, PointDifferential: 15,
	HomeRecord: "3-1-0", AwayRecord: "1-0-1", Streak: "W2", Form: "WTLWW",
}

// public is what a client sees of a game: its JSON.
func public(t testing.TB, g history.HistoricalGame) history.HistoricalGame {
	t.Helper()
	b, err := json.Marshal(g)
	require.NoError(t, err)
	var out history.HistoricalGame
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func ids(games []history.HistoricalGame) []string {
	out := make([]string, len(games))
	for i, g := range games {
		out[i] = g.GameID
	}
	return out
}

func TestHistoryRecords(t *testing.T) {
	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			s := k.Open(t)
			seedKC(t, s)
			rec := &recordingReader{r: s}
			svc := newService(t, rec, history.Options{})
			ctx := context.Background()

			page, err := svc.History(ctx, history.HistoryQuery{Team: "Chiefs", Season: 2024})
			require.NoError(t, err)
			require.NotNil(t, page.Statistics)
			want := kc2024
			season := 2024
			want.Season = &season
			assert.Equal(t, want, *page.Statistics)
			assert.Equal(t, 9, page.Total)
			assert.Equal(t, []string{"107", "105", "114", "108", "106", "104", "103", "102", "101"}, ids(page.Games), "newest first")
			// The resolved abbreviation, not what was typed, went to the store.
			assert.Equal(t, []store.GameQuery{{League: "nfl", Team: "KC", Season: 2024}}, rec.gamesCalls())

			byID := map[string]history.HistoricalGame{}
			for _, g := range page.Games {
				byID[g.GameID] = public(t, g)
			}
			assert.Equal(t, history.HistoricalGame{
				GameID: "103", League: "NFL", Season: 2024, SeasonType: 2, Week: 1,
				StartTime: "2024-09-22T17:00Z", HomeTeam: "ATL", AwayTeam: "KC",
				HomeTeamName: "Atlanta Falcons", AwayTeamName: "Kansas City Chiefs",
				HomeScore: 22, AwayScore: 22, Status: game.StatusFinal, Period: 5, TimeRemaining: "0:00",
			}, byID["103"])
			assert.Equal(t, game.StatusPostponed, byID["104"].Status)
			assert.Equal(t, game.StatusCanceled, byID["106"].Status)
			assert.Equal(t, game.StatusScheduled, byID["107"].Status)
			assert.Equal(t, "2024-11-24T17:00Z", byID["105"].StartTime, "the replayed game's new start")

			for _, word := range []string{"final", "FINISHED"} {
				page, err = svc.History(ctx, history.HistoryQuery{Team: "KC", League: "nfl", Season: 2024, Status: word})
				require.NoError(t, err)
				assert.Equal(t, []string{"105", "114", "108", "103", "102", "101"}, ids(page.Games), word)
				assert.Equal(t, want, *page.Statistics, "statistics cover the whole selection")
			}
			page, err = svc.History(ctx, history.HistoryQuery{Team: "kc", Season: 2024, Status: "postponed"})
			require.NoError(t, err)
			assert.Equal(t, []string{"104"}, ids(page.Games))

			// Without a season every stored season counts.
			page, err = svc.History(ctx, history.HistoryQuery{Team: "KC"})
			require.NoError(t, err)
			assert.Equal(t, 10, page.Total)
			assert.Nil(t, page.Statistics.Season)
			assert.Equal(t, 5, page.Statistics.Wins)

			sched, err := schedule(ctx, t, svc, "nfl-kc", "", 2024)
			require.NoError(t, err)
			assert.Equal(t, "KC", sched.Team)
			assert.Equal(t, "NFL", sched.League)
			assert.Equal(t, 2024, sched.Season)
			assert.Equal(t, []string{"101", "102", "103", "104", "106", "108", "114", "105", "107"}, ids(sched.Games), "start order")
			assert.Equal(t, want, sched.Statistics)

			bos, err := schedule(ctx, t, svc, "BOS", "nhl", 2025)
			require.NoError(t, err)
			assert.Equal(t, history.Statistics{
				Team: "BOS", Season: bos.Statistics.Season, GamesPlayed: 3, Wins: 1, Losses: 1, OTLosses: 1,
				WinPercentage: 0.333, PointsFor: 3 + 3 + 2, PointsAgainst: 2 + 4 + 5, PointDifferential: -3,
				HomeRecord: "1-1-0", AwayRecord: "0-0-1", Streak: "L1", Form: "WOL",
			}, bos.Statistics)
			require.NotNil(t, bos.Statistics.Season)
			assert.Equal(t, 2025, *bos.Statistics.Season)
		})
	}
}

func TestHistoryWithoutTeamCoversEnabledLeagues(t *testing.T) {
	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			s := k.Open(t)
			seedKC(t, s)
			svc := newService(t, s, history.Options{})
			ctx := context.Background()

			page, err := svc.History(ctx, history.HistoryQuery{Team: "  "})
			require.NoError(t, err)
			assert.Equal(t, 14, page.Total) // 11 NFL games + 3 NHL games
			assert.Nil(t, page.Statistics)
			leaguesSeen := map[string]int{}
			for i, g := range page.Games {
				leaguesSeen[g.League]++
				if i > 0 {
					assert.LessOrEqual(t, g.StartTime, page.Games[i-1].StartTime, "leagues merged newest first")
				}
			}
			assert.Equal(t, map[string]int{"NFL": 11, "NHL": 3}, leaguesSeen)
			assert.Equal(t, []string{"107", "105", "114", "108", "303", "106", "302", "301"}, ids(page.Games)[:8])

			page, err = svc.History(ctx, history.HistoryQuery{League: "NHL"})
			require.NoError(t, err)
			assert.Equal(t, []string{"303", "302", "301"}, ids(page.Games))

			page, err = svc.History(ctx, history.HistoryQuery{League: "nfl", Season: 2024, Status: "finished"})
			require.NoError(t, err)
			assert.Equal(t, []string{"105", "114", "108", "103", "102", "201", "101"}, ids(page.Games))

			// A league the service does not follow is refused, not empty.
			svcNFL := newService(t, s, history.Options{Leagues: leagues(t, "nfl")})
			_, err = svcNFL.History(ctx, history.HistoryQuery{League: "nhl"})
			var inv *history.InvalidError
			require.ErrorAs(t, err, &inv)
			assert.Equal(t, "league", inv.Param)
			page, err = svcNFL.History(ctx, history.HistoryQuery{})
			require.NoError(t, err)
			assert.Equal(t, 11, page.Total)
		})
	}
}

func TestTimeline(t *testing.T) {
	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			s := k.Open(t)
			seedKC(t, s)
			svc := newService(t, s, history.Options{})
			ctx := context.Background()

			tl, err := svc.Timeline(ctx, "101", "nfl")
			require.NoError(t, err)
			assert.Equal(t, "101", tl.GameID)
			assert.Equal(t, "NFL", tl.League)
			assert.Equal(t, "KC", tl.HomeTeam)
			assert.Equal(t, "BAL", tl.AwayTeam)
			var statuses []game.Status
			var scores [][2]int
			for _, e := range tl.Timeline {
				statuses = append(statuses, e.Status)
				scores = append(scores, [2]int{e.HomeScore, e.AwayScore})
			}
			assert.Equal(t, []game.Status{"scheduled", "live", "live", "live", "final"}, statuses)
			assert.Equal(t, [][2]int{{0, 0}, {0, 0}, {7, 0}, {7, 3}, {27, 20}}, scores)
			assert.Equal(t, week(1).Add(20*time.Minute), tl.Timeline[2].Time)
			assert.Equal(t, 2, tl.Timeline[3].Period)
			require.NotNil(t, tl.FinalScore)
			assert.Equal(t, game.Score{Home: 27, Away: 20}, *tl.FinalScore)
			require.NotNil(t, tl.DurationMinutes)
			assert.Equal(t, 190, *tl.DurationMinutes) // first live (kickoff + 2 min) to final

			// Without a league every enabled league is searched.
			tl, err = svc.Timeline(ctx, "302", "")
			require.NoError(t, err)
			assert.Equal(t, "NHL", tl.League)
			assert.Equal(t, "BOS", tl.AwayTeam)
			assert.Len(t, tl.Timeline, 2)

			b, err := json.Marshal(tl)
			require.NoError(t, err)
			var decoded map[string]any
			require.NoError(t, json.Unmarshal(b, &decoded))
			for _, key := range []string{"game_id", "league", "home_team", "away_team", "timeline", "final_score", "duration_minutes"} {
				assert.Contains(t, decoded, key)
			}
			item := decoded["timeline"].([]any)[0].(map[string]any)
			for _, key := range []string{"time", "home_score", "away_score", "period", "time_remaining", "status"} {
				assert.Contains(t, item, key)
			}

			_, err = svc.Timeline(ctx, "999999", "")
			assert.ErrorIs(t, err, history.ErrNotFound)
			assert.EqualError(t, err, "game 999999 not found")
			_, err = svc.Timeline(ctx, "302", "nfl") // exists, but in the other league
			assert.ErrorIs(t, err, history.ErrNotFound)
		})
	}
}

func TestTimelineOfAGameInProgress(t *testing.T) {
	s := openSQLite(t)
	g := st.NewGame("nfl", "501", week(3), "KC", "ATL")
	write(t, s,
		st.ScorePoint(g, week(3), st.Live, 0, 0, 1),
		st.ScorePoint(g, week(3).Add(30*time.Minute), st.Live, 0, 7, 2),
	)
	tl, err := newService(t, s, history.Options{}).Timeline(context.Background(), "501", "NFL")
	require.NoError(t, err)
	assert.Nil(t, tl.FinalScore)
	assert.Nil(t, tl.DurationMinutes)
	b, err := json.Marshal(tl)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"final_score":null`)
	assert.Contains(t, string(b), `"duration_minutes":null`)
}

func TestPagination(t *testing.T) {
	s := openSQLite(t)
	// 8 teams, 5 rounds of 4 games: 20 games.
	write(t, s, st.SeasonSpec{League: "nfl", Season: 2024, Teams: st.TeamsByAbbr("nfl", "KC", "BUF", "NE", "MIA", "NYJ", "BAL", "CIN", "PIT"), Games: 5}.Points()...)
	svc := newService(t, s, history.Options{})
	ctx := context.Background()

	all, err := svc.History(ctx, history.HistoryQuery{League: "nfl", PageSize: 1000})
	require.NoError(t, err)
	require.Equal(t, 20, all.Total)
	require.Len(t, all.Games, 20)
	assert.Equal(t, 1, all.TotalPages)
	assert.Equal(t, 1000, all.PageSize)
	for i := 1; i < len(all.Games); i++ {
		assert.False(t, all.Games[i].StartTime > all.Games[i-1].StartTime, "newest first")
	}

	var seen []string
	for p := 1; p <= 3; p++ {
		page, err := svc.History(ctx, history.HistoryQuery{League: "nfl", Page: p, PageSize: 7})
		require.NoError(t, err)
		assert.Equal(t, 20, page.Total)
		assert.Equal(t, 3, page.TotalPages)
		assert.Equal(t, p, page.Page)
		if p < 3 {
			assert.Len(t, page.Games, 7)
		} else {
			assert.Len(t, page.Games, 6, "the last page holds the rest")
		}
		seen = append(seen, ids(page.Games)...)
	}
	assert.Equal(t, ids(all.Games), seen, "pages cover the list once, in order")

	past, err := svc.History(ctx, history.HistoryQuery{League: "nfl", Page: 4, PageSize: 7})
	require.NoError(t, err)
	assert.Empty(t, past.Games)
	assert.NotNil(t, past.Games, "an empty page encodes as []")
	assert.Equal(t, 20, past.Total)
	assert.Equal(t, 3, past.TotalPages)
	b, _ := json.Marshal(past)
	assert.Contains(t, string(b), `"games":[]`)

	huge, err := svc.History(ctx, history.HistoryQuery{League: "nfl", Page: 1 << 60, PageSize: 1000})
	require.NoError(t, err)
	assert.Empty(t, huge.Games)

	one, err := svc.History(ctx, history.HistoryQuery{League: "nfl", Page: 20, PageSize: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{all.Games[19].GameID}, ids(one.Games))
	assert.Equal(t, 20, one.TotalPages)

	def, err := svc.History(ctx, history.HistoryQuery{League: "nfl"})
	require.NoError(t, err)
	assert.Equal(t, 100, def.PageSize)
	assert.Equal(t, 1, def.Page)

	for _, size := range []int{-1, 1001} {
		_, err := svc.History(ctx, history.HistoryQuery{League: "nfl", PageSize: size})
		var inv *history.InvalidError
		require.ErrorAs(t, err, &inv, "page_size %d", size)
		assert.Equal(t, "page_size", inv.Param)
	}
	_, err = svc.History(ctx, history.HistoryQuery{Page: -3})
	assert.ErrorIs(t, err, history.ErrInvalid)
}

func TestParseHistoryQuery(t *testing.T) {
	q, err := history.ParseHistoryQuery(url.Values{
		"team": {" KC "}, "sport": {"NFL"}, "status": {"finished"}, "season": {"2024"},
		"page": {"2"}, "page_size": {"1000"}, "unknown": {"ignored"},
	})
	require.NoError(t, err)
	assert.Equal(t, history.HistoryQuery{Team: "KC", League: "NFL", Status: "finished", Season: 2024, Page: 2, PageSize: 1000}, q)

	q, err = history.ParseHistoryQuery(url.Values{})
	require.NoError(t, err)
	assert.Equal(t, history.HistoryQuery{}, q)

	bad := []struct {
		values url.Values
		param  string
	}{
		{url.Values{"page_size": {"0"}}, "page_size"},
		{url.Values{"page_size": {"1001"}}, "page_size"},
		{url.Values{"page_size": {""}}, "page_size"},
		{url.Values{"page_size": {"ten"}}, "page_size"},
		{url.Values{"page": {"0"}}, "page"},
		{url.Values{"page": {"-1"}}, "page"},
		{url.Values{"page": {"1; DROP TABLE nfl_games"}}, "page"},
		{url.Values{"season": {"2024 OR 1=1"}}, "season"},
		{url.Values{"season": {"1899"}}, "season"},
		{url.Values{"season": {"2101"}}, "season"},
		{url.Values{"season": {"99999999999999999999"}}, "season"},
		{url.Values{"league": {"nfl"}, "sport": {"nhl"}}, "sport"},
	}
	for _, c := range bad {
		_, err := history.ParseHistoryQuery(c.values)
		var inv *history.InvalidError
		if assert.ErrorAs(t, err, &inv, "%v", c.values) {
			assert.Equal(t, c.param, inv.Param, "%v", c.values)
			assert.ErrorIs(t, err, history.ErrInvalid)
			assert.NotEmpty(t, inv.Message)
		}
	}
	s, err := history.ParseSeason("")
	require.NoError(t, err)
	assert.Equal(t, 0, s)
}

// Hostile input must end in a clean error before any read.
func TestHostileParametersReachNoStore(t *testing.T) {
	s := openSQLite(t)
	seedKC(t, s)
	rec := &recordingReader{r: s}
	svc := newService(t, rec, history.Options{})
	ctx := context.Background()

	hostile := []url.Values{
		{"team": {"NE' OR 1=1 --"}},
		{"team": {`"; DROP TABLE nfl_games; --`}},
		{"team": {"KC\x00"}},
		{"team": {string(make([]byte, 5000))}},
		{"league": {"nfl_scores;"}},
		{"league": {"nfl' OR '1'='1"}},
		{"sport": {"nhl_games"}},
		{"league": {"nba"}}, // known to the registry, not followed here
		{"status": {"final' OR '1'='1"}},
		{"status": {"finished; DELETE FROM nfl_games"}},
		{"season": {"2024 OR 1=1"}},
		{"season": {"2024; DROP TABLE nfl_games"}},
		{"team": {"KC"}, "league": {"nfl;--"}},
		{"page": {"1 OR 1=1"}},
	}
	for _, v := range hostile {
		q, err := history.ParseHistoryQuery(v)
		if err == nil {
			_, err = svc.History(ctx, q)
		}
		require.Error(t, err, "%q", v)
		assert.NotContains(t, err.Error(), "sql", "%q", v)
	}
	for _, team := range []string{"NE' OR 1=1 --", `"; DROP`, "KC' --"} {
		_, err := schedule(ctx, t, svc, team, "", 2024)
		require.Error(t, err, team)
	}
	_, err := schedule(ctx, t, svc, "KC", "", 1800)
	assert.ErrorIs(t, err, history.ErrInvalid)
	for _, id := range []string{"1 OR 1=1", "101'; --", "../101", ""} {
		_, err := svc.Timeline(ctx, id, "")
		assert.ErrorIs(t, err, history.ErrInvalid, "%q", id)
	}
	_, err = svc.Timeline(ctx, "101", "nfl_scores;")
	assert.ErrorIs(t, err, history.ErrInvalid)

	assert.Zero(t, rec.calls(), "nothing reached the store: %v %v", rec.gamesCalls(), rec.timelineCalls())

	// And the store is intact.
	page, err := svc.History(ctx, history.HistoryQuery{Team: "KC", Season: 2024})
	require.NoError(t, err)
	assert.Equal(t, 9, page.Total)
}

// Every question reads the store (answers are kept by the HTTP layer until
// Version moves): a write is seen at once.
func TestEveryQuestionReadsTheStore(t *testing.T) {
	s := openSQLite(t)
	seedKC(t, s)
	rec := &recordingReader{r: s}
	svc := newService(t, rec, history.Options{})
	ctx := context.Background()
	kc := history.HistoryQuery{Team: "KC", Season: 2024}
	first, err := svc.History(ctx, kc)
	require.NoError(t, err)
	again, err := svc.History(ctx, history.HistoryQuery{Team: "nfl-kc", Season: 2024, Page: 1, PageSize: 100})
	require.NoError(t, err)
	assert.Equal(t, first, again, "the same normalised question, the same answer")
	assert.Len(t, rec.gamesCalls(), 2)

	g := st.NewGame("nfl", "115", week(15), "KC", "HOU")
	write(t, s, finalRow(g, 27, 19, 4))
	fresh, err := svc.History(ctx, kc)
	require.NoError(t, err)
	assert.Equal(t, 10, fresh.Total)
	assert.Equal(t, 5, fresh.Statistics.Wins)
	assert.Equal(t, "W3", fresh.Statistics.Streak)

	// Unknown games are not remembered: they may be written any moment.
	_, err = svc.Timeline(ctx, "777", "nfl")
	require.ErrorIs(t, err, history.ErrNotFound)
	_, err = svc.Timeline(ctx, "777", "nfl")
	require.ErrorIs(t, err, history.ErrNotFound)
	assert.Len(t, rec.timelineCalls(), 2)
}

func TestConcurrentMissesShareOneRead(t *testing.T) {
	s := openSQLite(t)
	seedKC(t, s)
	rec := &recordingReader{r: s, gate: make(chan struct{}), arrived: make(chan struct{}, 100)}
	svc := newService(t, rec, history.Options{})
	ctx := context.Background()

	const callers = 20
	var wg sync.WaitGroup
	pages := make([]*history.HistoryPage, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			pages[i], errs[i] = svc.History(ctx, history.HistoryQuery{Team: "KC", Season: 2024})
		})
	}
	<-rec.arrived // one read is under way, held at the gate
	require.Eventually(t, func() bool { return svc.JoinedReads() == callers-1 }, 5*time.Second, time.Millisecond,
		"every other caller waits on the read under way")
	close(rec.gate)
	wg.Wait()
	for i := range callers {
		require.NoError(t, errs[i])
		assert.Equal(t, 9, pages[i].Total)
	}
	assert.Len(t, rec.gamesCalls(), 1)
}

func TestQueryTimeout(t *testing.T) {
	s := openSQLite(t)
	seedKC(t, s)
	// The gate never opens: every read blocks until its context ends.
	rec := &recordingReader{r: s, gate: make(chan struct{})}
	svc := newService(t, rec, history.Options{QueryTimeout: 50 * time.Millisecond})
	ctx := context.Background()

	_, err := svc.History(ctx, history.HistoryQuery{Team: "KC", Season: 2024})
	require.ErrorIs(t, err, history.ErrTimeout)
	assert.EqualError(t, err, "query took longer than 0.05 s")
	_, err = svc.Timeline(ctx, "101", "")
	require.ErrorIs(t, err, history.ErrTimeout)
	_, err = schedule(ctx, t, svc, "KC", "", 2024)
	require.ErrorIs(t, err, history.ErrTimeout)

	// The default limit reads as the API documents it.
	rec5 := &recordingReader{r: s, gate: make(chan struct{})}
	svc5 := newService(t, rec5, history.Options{})
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = svc5.History(short, history.HistoryQuery{Team: "KC"})
	require.ErrorIs(t, err, context.DeadlineExceeded, "the caller's own deadline ends its wait")
	assert.False(t, errors.Is(err, history.ErrTimeout))

	// Nothing timed out is cached: an answering store is asked again.
	close(rec.gate)
	page, err := svc.History(ctx, history.HistoryQuery{Team: "KC", Season: 2024})
	require.NoError(t, err)
	assert.Equal(t, 9, page.Total)
}

func TestDefaultSeasonFollowsTheLeagueCalendar(t *testing.T) {
	s := openSQLite(t)
	seedKC(t, s)
	rec := &recordingReader{r: s}
	// 2025-01-20: still the NFL's 2024 season, and the NHL's 2025.
	clock := fakeclock.New(time.Date(2025, 1, 20, 12, 0, 0, 0, time.UTC))
	svc := newService(t, rec, history.Options{Now: clock.Now})
	kc, err := schedule(context.Background(), t, svc, "KC", "", 0)
	require.NoError(t, err)
	assert.Equal(t, 2024, kc.Season)
	assert.Equal(t, 6, kc.Statistics.GamesPlayed)
	bos, err := schedule(context.Background(), t, svc, "BOS", "", 0)
	require.NoError(t, err)
	assert.Equal(t, 2025, bos.Season)
	assert.Equal(t, 3, bos.Statistics.GamesPlayed)
}

func TestResolverErrorsPassThrough(t *testing.T) {
	s := openSQLite(t)
	seedKC(t, s)
	rec := &recordingReader{r: s}
	svc := newService(t, rec, history.Options{})
	ctx := context.Background()

	_, errDirect := newResolver(t).Resolve("Nowhere Team", "")
	var nf *teams.NotFoundError
	require.ErrorAs(t, errDirect, &nf)
	_, err := svc.History(ctx, history.HistoryQuery{Team: "Nowhere Team"})
	assert.Equal(t, errDirect, err)
	_, err = schedule(ctx, t, svc, "Nowhere Team", "", 0)
	assert.Equal(t, errDirect, err)
	_, err = svc.History(ctx, history.HistoryQuery{Team: "NE' OR 1=1 --"})
	assert.ErrorAs(t, err, &nf)

	// "Panthers" plays in both leagues: the caller must choose.
	_, err = svc.History(ctx, history.HistoryQuery{Team: "Panthers"})
	var amb *teams.AmbiguousError
	require.ErrorAs(t, err, &amb)
	assert.Len(t, amb.Candidates, 2)
	_, err = schedule(ctx, t, svc, "panthers", "", 2024)
	require.ErrorAs(t, err, &amb)
	assert.Zero(t, rec.calls())

	// A league decides it.
	page, err := svc.History(ctx, history.HistoryQuery{Team: "Panthers", League: "nfl", Season: 2024})
	require.NoError(t, err)
	assert.Equal(t, "CAR", page.Statistics.Team)
	assert.Equal(t, []store.GameQuery{{League: "nfl", Team: "CAR", Season: 2024}}, rec.gamesCalls())
}

func TestEmptyAnswersEncodeAsEmptyLists(t *testing.T) {
	s := openSQLite(t)
	svc := newService(t, s, history.Options{})
	ctx := context.Background()
	sched, err := schedule(ctx, t, svc, "nfl-buf", "", 2030)
	require.NoError(t, err)
	assert.Equal(t, history.Statistics{Team: "BUF", Season: sched.Statistics.Season, HomeRecord: "0-0", AwayRecord: "0-0"}, sched.Statistics)
	b, err := json.Marshal(sched)
	require.NoError(t, err)
	assert.JSONEq(t, `{"team":"BUF","team_name":"Buffalo Bills","league":"NFL","season":2030,"games":[],
		"statistics":{"team":"BUF","season":2030,"games_played":0,"wins":0,"losses":0,"ties":0,"ot_losses":0,
		"win_percentage":0,"points_for":0,"points_against":0,"point_differential":0,
		"home_record":"0-0","away_record":"0-0","streak":""}}`, string(b))

	page, err := svc.History(ctx, history.HistoryQuery{Team: "BOS", Season: 2025})
	require.NoError(t, err)
	b, err = json.Marshal(page)
	require.NoError(t, err)
	assert.JSONEq(t, `{"games":[],"total":0,"page":1,"page_size":100,"total_pages":0,
		"statistics":{"team":"BOS","season":2025,"games_played":0,"wins":0,"losses":0,"ties":0,"ot_losses":0,
		"win_percentage":0,"points_for":0,"points_against":0,"point_differential":0,
		"home_record":"0-0-0","away_record":"0-0-0","streak":""}}`, string(b))
}
