package espn

import (
	"encoding/json"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

func mustLeague(t testing.TB, key string) league.League {
	t.Helper()
	l, ok := league.Lookup(key)
	require.True(t, ok, "league %s", key)
	return l
}

// captures lists every capture under testdata/espn, relative to it.
func captures(t testing.TB) []string {
	t.Helper()
	dir := espntest.Dir(t)
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, out)
	return out
}

// kind tells which endpoint a capture came from by its file name.
func kind(rel string) string {
	base := filepath.Base(rel)
	switch {
	case strings.HasPrefix(base, "scoreboard"):
		return "scoreboard"
	case strings.Contains(base, "-schedule"):
		return "schedule"
	case base == "teams.json":
		return "teams"
	case strings.HasPrefix(base, "summary"):
		return "summary"
	case strings.HasPrefix(base, "standings"):
		// Read by package standings, not into games.
		return "standings"
	}
	return "unknown"
}

// mixedSport names the captures that hold several leagues of one sport.
var mixedSport = map[string]string{"soccer": league.Soccer}

func parseCapture(t testing.TB, rel string) []game.Game {
	t.Helper()
	data := espntest.Load(t, rel)
	dir := strings.Split(rel, "/")[0]
	if sport, ok := mixedSport[dir]; ok {
		var games []game.Game
		for key, doc := range espntest.ByLeague(t, data, sport) {
			gs, err := ParseScoreboard(doc, mustLeague(t, key))
			require.NoError(t, err, rel)
			games = append(games, gs...)
		}
		return games
	}
	l := mustLeague(t, dir)
	var (
		games []game.Game
		err   error
	)
	if kind(rel) == "schedule" {
		games, err = ParseSchedule(data, l)
	} else {
		games, err = ParseScoreboard(data, l)
	}
	require.NoError(t, err, rel)
	return games
}

func byID(t testing.TB, games []game.Game, id string) game.Game {
	t.Helper()
	for _, g := range games {
		if g.ID == id {
			return g
		}
	}
	t.Fatalf("game %s not parsed", id)
	return game.Game{}
}

func byTeams(t testing.TB, games []game.Game, away, home string) game.Game {
	t.Helper()
	for _, g := range games {
		if g.AwayTeam.Abbreviation == away && g.HomeTeam.Abbreviation == home {
			return g
		}
	}
	t.Fatalf("game %s @ %s not parsed", away, home)
	return game.Game{}
}

// TestEveryCapture parses every capture with the parser of its endpoint and
// checks the status counts of each capture (testdata/espn/SOURCES.md), plus the invariants every
// parsed game must keep.
func TestEveryCapture(t *testing.T) {
	type counts struct{ scheduled, live, final, postponed int }
	want := map[string]counts{
		"nfl/scoreboard-2022-wk1-sun-live-mixed.json":               {scheduled: 6, live: 8, final: 2},
		"nfl/scoreboard-2023-wk5-all-pre-odds.json":                 {scheduled: 14},
		"nfl/scoreboard-2024-12-15-wk15-all-final.json":             {final: 13},
		"nfl/scoreboard-2025-wk1-all-pre-offseason-default.json":    {scheduled: 16},
		"nfl/scoreboard-2025-superbowl-lix-final-postseason.json":   {final: 1},
		"nfl/team-12-kc-schedule-2023-season-final.json":            {final: 17},
		"nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json":    {scheduled: 2, live: 5, final: 3},
		"nba/scoreboard-2024-12-15-all-final.json":                  {final: 7},
		"mlb/scoreboard-2022-teamtracker-mixed.json":                {scheduled: 11, live: 3, final: 3},
		"mlb/scoreboard-2025-06-04-live-final-postponed.json":       {live: 6, final: 8, postponed: 1},
		"mls/scoreboard-2022-09-17-live-mixed.json":                 {scheduled: 5, live: 4, final: 2},
		"mls/team-clb-schedule-2026-final.json":                     {final: 5},
		"epl/team-367-tot-schedule-fixture-2026-09-29-trimmed.json": {scheduled: 2},
		"ncaaf/scoreboard-2022-09-17-live-mixed.json":               {scheduled: 7, live: 17, final: 1},
		"ncaavbw/scoreboard-2022-09-11-live-mixed.json":             {scheduled: 1, live: 3, final: 2},
		// Ten leagues' day; the English Championship, the WSL and Liga MX
		// are not in the registry: 34 of the 50 games are kept.
		"soccer/scoreboard-2026-03-21-ten-leagues-final.json": {final: 33, postponed: 1},
		"nfl/summary-401547417-final.json":                    {},
		"nhl/summary-401774292-final.json":                    {},
		// Individual sports: a tennis tournament's 635 matches (seven
		// retirements and three walkovers among the finals), a golf
		// tournament and two events before their fields are listed.
		"atp/scoreboard-2025-06-01-roland-garros.json":      {scheduled: 51, final: 584},
		"pga/scoreboard-2025-06-03-final.json":              {final: 1},
		"lpga/scoreboard-2025-06-03-pre.json":               {scheduled: 1},
		"nascar/scoreboard-2026-05-02-pre.json":             {scheduled: 1},
		"epl/scoreboard-2025-05-25-final-details.json":      {final: 10},
		"epl/team-349-bou-schedule-2024-25-2025-06-01.json": {final: 38},
		"nba/scoreboard-2026-05-02-live-lastplay.json":      {live: 1},
		"nba/team-schedule-13-2026-05-03-future-games.json": {scheduled: 7, final: 6},
	}
	seen := 0
	for _, rel := range captures(t) {
		t.Run(rel, func(t *testing.T) {
			if kind(rel) == "standings" {
				return
			}
			if kind(rel) == "teams" {
				l := mustLeague(t, strings.Split(rel, "/")[0])
				teams, err := ParseTeams(espntest.Load(t, rel), l)
				require.NoError(t, err)
				assert.Len(t, teams, 32)
				return
			}
			w, ok := want[rel]
			require.True(t, ok, "capture %s has no expected counts; add it to the table", rel)
			seen++
			games := parseCapture(t, rel)
			var got counts
			for _, g := range games {
				switch g.Status {
				case game.StatusScheduled:
					got.scheduled++
				case game.StatusLive:
					got.live++
				case game.StatusFinal:
					got.final++
				case game.StatusPostponed:
					got.postponed++
				default:
					t.Errorf("game %s: unexpected status %q", g.ID, g.Status)
				}
				l := mustLeague(t, g.LeagueKey())
				if _, mixed := mixedSport[strings.Split(rel, "/")[0]]; !mixed {
					assert.Equal(t, strings.Split(rel, "/")[0], l.Key, g.ID)
				}
				if strings.HasSuffix(rel, "-trimmed.json") {
					// Its author removed the logos (testdata/espn/SOURCES.md).
					g.HomeTeam.Logo, g.AwayTeam.Logo = "https://removed", "https://removed"
				}
				if l.Individual() {
					checkContestInvariants(t, l, g)
				} else {
					checkInvariants(t, l, g)
				}
			}
			assert.Equal(t, w, got)
		})
	}
	assert.Equal(t, len(want), seen, "every capture in the table exists")
}

func checkInvariants(t *testing.T, l league.League, g game.Game) {
	t.Helper()
	assert.NotEmpty(t, g.ID)
	assert.Equal(t, l.Name, g.League)
	assert.NotEmpty(t, g.StartTime, g.ID)
	assert.False(t, g.Start.IsZero(), "start of %s (%q) parsed", g.ID, g.StartTime)
	assert.Equal(t, g.StartTime[:10], g.Start.Format("2006-01-02"), g.ID)
	assert.Positive(t, g.Period.Total, g.ID)
	assert.Positive(t, g.Season, g.ID)
	assert.Positive(t, g.SeasonType, g.ID)
	for _, tm := range []game.Team{g.HomeTeam, g.AwayTeam} {
		assert.Equal(t, game.TeamID(l.Key, tm.Abbreviation), tm.ID)
		assert.True(t, strings.HasPrefix(tm.ID, l.Key+"-"), tm.ID)
		assert.NotEmpty(t, tm.Name)
		assert.NotEmpty(t, tm.ESPNID)
		assert.Regexp(t, `^#[0-9a-fA-F]{6}$`, tm.Colors.Primary)
		assert.Regexp(t, `^#[0-9a-fA-F]{6}$`, tm.Colors.Secondary)
		assert.True(t, strings.HasPrefix(tm.Logo, "https://"), "logo of %s: %q", tm.ID, tm.Logo)
	}
	assert.NotEqual(t, g.HomeTeam.ID, g.AwayTeam.ID)
	switch g.Status {
	case game.StatusScheduled, game.StatusPostponed, game.StatusCanceled:
		assert.Zero(t, g.Period.Current, g.ID)
		assert.Empty(t, g.Period.TimeRemaining, g.ID)
		assert.Zero(t, g.Score, g.ID)
	case game.StatusFinal:
		assert.Equal(t, "0:00", g.Period.TimeRemaining, g.ID)
		if !l.Sets() {
			// A volleyball match ends when a side has won three sets.
			assert.GreaterOrEqual(t, g.Period.Current, g.Period.Total, g.ID)
		}
	case game.StatusLive:
		assert.Positive(t, g.Period.Current, g.ID)
		assert.NotEmpty(t, g.Period.TimeRemaining, g.ID)
	}
	if g.Details != nil && g.Details.Odds != nil {
		assert.Equal(t, game.StatusScheduled, g.Status, "odds only before the game")
	}
	// The JSON contract: colors always present, record null or an object.
	b, err := json.Marshal(g)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, side := range []string{"home_team", "away_team"} {
		team := m[side].(map[string]any)
		assert.Contains(t, team, "colors")
		assert.Contains(t, team, "record")
	}
}

func TestNFL2022LiveCapture(t *testing.T) {
	games := parseCapture(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json")

	// HOU/IND tied 20-20 with 1:01 left in the 4th, IND driving.
	g := byID(t, games, "401437637")
	assert.Equal(t, game.StatusLive, g.Status)
	assert.Equal(t, "HOU", g.HomeTeam.Abbreviation)
	assert.Equal(t, "nfl-hou", g.HomeTeam.ID)
	assert.Equal(t, "Houston Texans", g.HomeTeam.Name)
	assert.Equal(t, "IND", g.AwayTeam.Abbreviation)
	assert.Equal(t, game.Score{Home: 20, Away: 20}, g.Score)
	assert.Equal(t, game.Period{Current: 4, Total: 4, TimeRemaining: "1:01"}, g.Period)
	assert.Equal(t, "1:01 - 4th", g.StatusDetail)
	assert.Equal(t, "2022-09-11T17:00Z", g.StartTime)
	assert.Equal(t, time.Date(2022, 9, 11, 17, 0, 0, 0, time.UTC), g.Start)
	assert.True(t, g.TimeValid)
	assert.Equal(t, 2022, g.Season)
	assert.Equal(t, 2, g.SeasonType)
	assert.Equal(t, 1, g.Week, "no events[].week in this capture: top-level week")
	assert.Equal(t, "NRG Stadium", g.Venue)
	assert.Equal(t, []string{"CBS"}, g.Broadcasts)
	assert.Equal(t, game.Colors{Primary: "#00133F", Secondary: "#a71930"}, g.HomeTeam.Colors)
	assert.Equal(t, "https://a.espncdn.com/i/teamlogos/nfl/500/scoreboard/hou.png", g.HomeTeam.Logo)
	require.NotNil(t, g.HomeTeam.Record)
	assert.Equal(t, 0, g.HomeTeam.Record.Wins)
	require.NotNil(t, g.HomeTeam.Record.Ties, "two-part record in a league with ties")
	assert.Equal(t, 0, *g.HomeTeam.Record.Ties)
	assert.Nil(t, g.HomeTeam.Record.OTLosses)
	require.NotNil(t, g.Details)
	assert.Equal(t, "IND", g.Details.Possession, `possession "11" is IND's team id`)
	assert.Equal(t, "1st & 10 at IND 23", g.Details.DownDistanceText)
	assert.Contains(t, g.Details.LastPlay, "D.Patmon pass short left to M.Pittman")
	require.NotNil(t, g.Details.HomeWinPct)
	require.NotNil(t, g.Details.AwayWinPct)
	assert.InDelta(t, 0.4336, *g.Details.HomeWinPct, 1e-9)
	assert.InDelta(t, 0.5664, *g.Details.AwayWinPct, 1e-9)
	assert.Equal(t, "Houston", g.Details.VenueCity)
	assert.Nil(t, g.Details.Odds, "no odds once the game is on")

	// PIT leading at CIN with 0:16 left.
	g = byTeams(t, games, "PIT", "CIN")
	assert.Equal(t, game.StatusLive, g.Status)
	assert.Equal(t, game.Score{Home: 14, Away: 20}, g.Score)
	assert.Equal(t, game.Period{Current: 4, Total: 4, TimeRemaining: "0:16"}, g.Period)

	// Pre game that ESPN shows at period 1 / 15:00: still scheduled, no clock.
	g = byTeams(t, games, "NYG", "TEN")
	assert.Equal(t, game.StatusScheduled, g.Status)
	assert.Equal(t, game.Period{Current: 0, Total: 4, TimeRemaining: ""}, g.Period)
	assert.Equal(t, "9/11 - 4:25 PM EDT", g.StatusDetail)
	require.NotNil(t, g.Details)
	require.NotNil(t, g.Details.Odds)
	assert.Equal(t, "Caesars Sportsbook (New Jersey)", g.Details.Odds.Provider)
	assert.Equal(t, "TEN -5.5", g.Details.Odds.Details)
	require.NotNil(t, g.Details.Odds.OverUnder)
	assert.InDelta(t, 44.0, *g.Details.Odds.OverUnder, 1e-9)
	assert.Nil(t, g.Details.Odds.Spread, "the 2022 odds have no spread")
	assert.Empty(t, g.Details.Possession)

	// Final from the morning window.
	g = byTeams(t, games, "NE", "MIA")
	assert.Equal(t, game.StatusFinal, g.Status)
	assert.Equal(t, game.Score{Home: 20, Away: 7}, g.Score)
	assert.Equal(t, game.Period{Current: 4, Total: 4, TimeRemaining: "0:00"}, g.Period)
	require.NotNil(t, g.HomeTeam.Record)
	assert.Equal(t, 1, g.HomeTeam.Record.Wins)
	assert.Equal(t, 0, g.HomeTeam.Record.Losses)
	assert.Equal(t, 1, g.AwayTeam.Record.Losses)
	assert.False(t, g.Overtime())
}

func TestNHLOvertimeFinals(t *testing.T) {
	games := parseCapture(t, "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json")
	ot := 0
	for _, g := range games {
		if g.StatusDetail != "Final/OT" {
			continue
		}
		ot++
		assert.Equal(t, game.StatusFinal, g.Status)
		assert.Equal(t, 4, g.Period.Current)
		assert.Equal(t, 3, g.Period.Total)
		assert.True(t, g.Overtime())
		assert.Equal(t, "0:00", g.Period.TimeRemaining)
		assert.Equal(t, 1, abs(g.Score.Home-g.Score.Away), "an OT final is decided by one goal")
		assert.Nil(t, g.HomeTeam.Record, `the preseason finals carry only a "ytd" record`)
	}
	assert.Equal(t, 3, ot)

	g := byTeams(t, games, "ANA", "ARI")
	assert.Equal(t, game.StatusLive, g.Status)
	assert.Equal(t, game.Period{Current: 3, Total: 3, TimeRemaining: "9:03"}, g.Period)
	assert.Equal(t, 2023, g.Season, "preseason of the 2022-23 season")
	assert.Equal(t, 1, g.SeasonType)
	assert.Zero(t, g.Week, "the NHL has no weeks")
	assert.Empty(t, g.Broadcasts)
	require.NotNil(t, g.HomeTeam.Record)
	assert.Equal(t, 0, g.HomeTeam.Record.Wins)
	assert.Equal(t, 1, g.HomeTeam.Record.Losses)
	require.NotNil(t, g.HomeTeam.Record.OTLosses)
	assert.Equal(t, 0, *g.HomeTeam.Record.OTLosses)
	assert.Nil(t, g.HomeTeam.Record.Ties, "the NHL counts OT losses, not ties")
	require.NotNil(t, g.Details)
	assert.NotEmpty(t, g.Details.LastPlay, "NHL situation has only lastPlay")
	assert.Empty(t, g.Details.Possession)
	assert.Empty(t, g.Details.DownDistanceText)

	// "0-0-1": one overtime loss in the preseason so far.
	g = byTeams(t, games, "PIT", "CBJ")
	require.NotNil(t, g.HomeTeam.Record)
	require.NotNil(t, g.HomeTeam.Record.OTLosses)
	assert.Equal(t, 1, *g.HomeTeam.Record.OTLosses)
	assert.Equal(t, 0, g.HomeTeam.Record.Losses)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestMLBPostponedAndInnings(t *testing.T) {
	games := parseCapture(t, "mlb/scoreboard-2025-06-04-live-final-postponed.json")
	g := byID(t, games, "401695827")
	assert.Equal(t, "KC", g.AwayTeam.Abbreviation)
	assert.Equal(t, "STL", g.HomeTeam.Abbreviation)
	assert.Equal(t, game.StatusPostponed, g.Status, "post + completed:false + STATUS_POSTPONED")
	assert.Equal(t, "Postponed", g.StatusDetail)
	assert.Equal(t, game.Period{Current: 0, Total: 9, TimeRemaining: ""}, g.Period, "ESPN's period 1 is meaningless here")
	assert.True(t, g.Status.Over())

	g = byTeams(t, games, "MIN", "ATH")
	assert.Equal(t, game.StatusLive, g.Status)
	assert.Equal(t, "End 3rd", g.StatusDetail, "end of an inning is still live")
	assert.Equal(t, 3, g.Period.Current)
}

func TestNBAFinalClock(t *testing.T) {
	games := parseCapture(t, "nba/scoreboard-2024-12-15-all-final.json")
	require.Len(t, games, 7)
	for _, g := range games {
		assert.Equal(t, "0:00", g.Period.TimeRemaining, `ESPN's "0.0" is a final clock`)
		assert.Equal(t, 2025, g.Season, "event season, not leagues[0].season")
		assert.Equal(t, 2, g.SeasonType, "leagues[0].season says postseason; the events say regular")
	}
}

func TestNFLDatesCaptureFloatClock(t *testing.T) {
	// ?dates= answers lack top-level season and week, and carry float clocks.
	games := parseCapture(t, "nfl/scoreboard-2024-12-15-wk15-all-final.json")
	require.Len(t, games, 13)
	for _, g := range games {
		assert.Equal(t, 2024, g.Season)
		assert.Equal(t, 2, g.SeasonType)
		assert.Equal(t, 15, g.Week)
		assert.Equal(t, game.StatusFinal, g.Status)
		assert.Positive(t, g.Score.Home+g.Score.Away)
	}
}

func TestSuperBowlLIX(t *testing.T) {
	games := parseCapture(t, "nfl/scoreboard-2025-superbowl-lix-final-postseason.json")
	require.Len(t, games, 1)
	g := games[0]
	assert.Equal(t, 2024, g.Season, "season year, not the calendar year of the game")
	assert.Equal(t, 3, g.SeasonType)
	assert.Equal(t, 5, g.Week)
	assert.Equal(t, game.StatusFinal, g.Status)
	assert.Equal(t, 2025, g.Start.Year())
	require.NotNil(t, g.Details)
	assert.Equal(t, "Super Bowl LIX", g.Details.Headline)
	assert.ElementsMatch(t, []string{"KC", "PHI"}, []string{g.HomeTeam.Abbreviation, g.AwayTeam.Abbreviation})
}

func TestNFL2025OffseasonOdds(t *testing.T) {
	games := parseCapture(t, "nfl/scoreboard-2025-wk1-all-pre-offseason-default.json")
	g := byTeams(t, games, "DAL", "PHI")
	require.NotNil(t, g.Details)
	require.NotNil(t, g.Details.Odds)
	assert.Equal(t, "ESPN BET", g.Details.Odds.Provider)
	assert.Equal(t, "PHI -7", g.Details.Odds.Details)
	require.NotNil(t, g.Details.Odds.Spread)
	assert.InDelta(t, -7.0, *g.Details.Odds.Spread, 1e-9)
	assert.InDelta(t, 46.5, *g.Details.Odds.OverUnder, 1e-9)
	for _, g := range games {
		assert.Nil(t, g.HomeTeam.Record, "no records in the off-season: null, not 0-0")
		assert.Nil(t, g.AwayTeam.Record)
		assert.Equal(t, 2025, g.Season)
		assert.Equal(t, 1, g.Week)
	}
	multi := false
	for _, g := range games {
		if len(g.Broadcasts) > 1 {
			multi = true
		}
	}
	assert.True(t, multi, "some games are on several networks")
}

// TestKCSchedule2023 checks every score against an independent reading of
// the capture, since the schedule endpoint's score is an object.
func TestKCSchedule2023(t *testing.T) {
	rel := "nfl/team-12-kc-schedule-2023-season-final.json"
	games := parseCapture(t, rel)
	require.Len(t, games, 17)

	var doc struct {
		Events []struct {
			ID           string
			Competitions []struct {
				Competitors []struct {
					HomeAway string
					Score    struct{ DisplayValue string }
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(espntest.Load(t, rel), &doc))
	want := map[string]game.Score{}
	for _, e := range doc.Events {
		var s game.Score
		for _, c := range e.Competitions[0].Competitors {
			n, err := strconv.Atoi(c.Score.DisplayValue)
			require.NoError(t, err)
			if c.HomeAway == "home" {
				s.Home = n
			} else {
				s.Away = n
			}
		}
		want[e.ID] = s
	}

	weeks := map[int]bool{}
	for _, g := range games {
		assert.Equal(t, game.StatusFinal, g.Status)
		assert.Equal(t, want[g.ID], g.Score, g.ID)
		assert.Positive(t, g.Score.Home+g.Score.Away, g.ID)
		assert.True(t, g.HomeTeam.Abbreviation == "KC" || g.AwayTeam.Abbreviation == "KC")
		assert.Equal(t, 2023, g.Season, "requested season, not the top-level off season 2024")
		assert.Equal(t, 2, g.SeasonType, "from seasonType.type")
		assert.Equal(t, 4, g.Period.Total, "no format in the schedule: the registry's periods")
		weeks[g.Week] = true
	}
	assert.Len(t, weeks, 17, "one game per week number")
	assert.False(t, weeks[10], "week 10 was KC's bye")

	g := byID(t, games, "401547353")
	assert.Equal(t, game.Score{Home: 20, Away: 21}, g.Score)
	assert.Equal(t, "DET", g.AwayTeam.Abbreviation)
	assert.Equal(t, 1, g.Week)
	assert.Equal(t, []string{"NBC"}, g.Broadcasts, "schedule broadcasts use media.shortName")
	assert.Equal(t, "https://a.espncdn.com/i/teamlogos/nfl/500/kc.png", g.HomeTeam.Logo, "logos[0].href")
	assert.Equal(t, "GEHA Field at Arrowhead Stadium", g.Venue)
	require.NotNil(t, g.HomeTeam.Record, "record[] with type total")
	assert.Equal(t, 0, g.HomeTeam.Record.Wins)
	assert.Equal(t, 1, g.HomeTeam.Record.Losses)
	require.NotNil(t, g.HomeTeam.Record.Ties)
	assert.Equal(t, 0, *g.HomeTeam.Record.Ties)
}

func TestParseTeamsCaptures(t *testing.T) {
	nfl, err := ParseTeams(espntest.Load(t, "nfl/teams.json"), mustLeague(t, "nfl"))
	require.NoError(t, err)
	require.Len(t, nfl, 32)
	var ari game.Team
	for _, tm := range nfl {
		if tm.Abbreviation == "ARI" {
			ari = tm
		}
	}
	assert.Equal(t, game.Team{
		ID: "nfl-ari", Name: "Arizona Cardinals", Abbreviation: "ARI",
		Logo:   "https://a.espncdn.com/i/teamlogos/nfl/500/ari.png",
		Colors: game.Colors{Primary: "#a40227", Secondary: "#ffffff"},
		ESPNID: "22", ShortName: "Cardinals", Location: "Arizona",
	}, ari)

	nhl, err := ParseTeams(espntest.Load(t, "nhl/teams.json"), mustLeague(t, "nhl"))
	require.NoError(t, err)
	require.Len(t, nhl, 32)
	abbrs := map[string]game.Team{}
	for _, tm := range nhl {
		abbrs[tm.Abbreviation] = tm
	}
	require.Contains(t, abbrs, "UTAH")
	assert.Equal(t, "nhl-utah", abbrs["UTAH"].ID)
	assert.Equal(t, "Utah Hockey Club", abbrs["UTAH"].Name)
	assert.NotContains(t, abbrs, "ARI", "the Coyotes moved to Utah")
	for _, tm := range nhl {
		assert.NotContains(t, tm.Name, "Arizona")
	}
}

// mutate applies a change to a capture's decoded JSON and re-encodes it;
// tests built this way are derived from captures, not captured.
func mutate(t testing.TB, rel string, f func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(espntest.Load(t, rel), &doc))
	f(doc)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	return b
}

func events(doc map[string]any) []any { return doc["events"].([]any) }

func competition(ev any) map[string]any {
	return ev.(map[string]any)["competitions"].([]any)[0].(map[string]any)
}

func competitors(ev any) []any { return competition(ev)["competitors"].([]any) }

func TestDerivedMissingWeek(t *testing.T) {
	// Derived: the 2022 wk1 capture without its top-level week as well.
	const rel = "nfl/scoreboard-2022-wk1-sun-live-mixed.json"
	data := mutate(t, rel, func(doc map[string]any) { delete(doc, "week") })
	games, err := ParseScoreboard(data, mustLeague(t, "nfl"))
	require.NoError(t, err)
	require.Len(t, games, 16)
	for _, g := range games {
		assert.Zero(t, g.Week)
	}
	// Derived: one event with its own week wins over the top level.
	data = mutate(t, rel, func(doc map[string]any) {
		events(doc)[0].(map[string]any)["week"] = map[string]any{"number": 2}
	})
	games, err = ParseScoreboard(data, mustLeague(t, "nfl"))
	require.NoError(t, err)
	assert.Equal(t, 2, games[0].Week)
	assert.Equal(t, 1, games[1].Week)
}

func TestDerivedNHLRecordWithOTLosses(t *testing.T) {
	// Derived: the NHL capture with a full-season W-L-OTL summary.
	data := mutate(t, "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json", func(doc map[string]any) {
		c := competitors(events(doc)[0])[0].(map[string]any)
		c["records"] = []any{map[string]any{"name": "overall", "type": "total", "summary": "52-24-6"}}
	})
	games, err := ParseScoreboard(data, mustLeague(t, "nhl"))
	require.NoError(t, err)
	r := games[0].HomeTeam.Record
	require.NotNil(t, r)
	assert.Equal(t, 52, r.Wins)
	assert.Equal(t, 24, r.Losses)
	require.NotNil(t, r.OTLosses)
	assert.Equal(t, 6, *r.OTLosses)
	assert.Nil(t, r.Ties)

	b, err := json.Marshal(games[0].HomeTeam.Record)
	require.NoError(t, err)
	assert.JSONEq(t, `{"wins":52,"losses":24,"ot_losses":6}`, string(b))
}

func TestParseRecord(t *testing.T) {
	i := func(n int) *int { return &n }
	tests := []struct {
		in   string
		otl  bool
		want *game.Record
	}{
		{"7-2", false, &game.Record{Wins: 7, Losses: 2, Ties: i(0)}},
		{"7-2-1", false, &game.Record{Wins: 7, Losses: 2, Ties: i(1)}},
		{"52-24-6", true, &game.Record{Wins: 52, Losses: 24, OTLosses: i(6)}},
		{"40-30", true, &game.Record{Wins: 40, Losses: 30, OTLosses: i(0)}},
		{" 3 - 1 ", false, &game.Record{Wins: 3, Losses: 1, Ties: i(0)}},
		{"", false, nil},
		{"7", false, nil},
		{"7-2-1-1", true, nil},
		{"a-b", false, nil},
		{"7--2", false, nil},
		{"-1-2", false, nil},
		{"99999999999999999999-1", false, nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, parseRecord(tt.in, tt.otl), "%q", tt.in)
	}
}

func TestDerivedCompetitorOrder(t *testing.T) {
	// Derived: away listed first. Selection is by homeAway, not by index.
	const rel = "nfl/scoreboard-2022-wk1-sun-live-mixed.json"
	data := mutate(t, rel, func(doc map[string]any) {
		for _, ev := range events(doc) {
			cs := competitors(ev)
			cs[0], cs[1] = cs[1], cs[0]
		}
	})
	swapped, err := ParseScoreboard(data, mustLeague(t, "nfl"))
	require.NoError(t, err)
	original := parseCapture(t, rel)
	// The games are the same; their events (Source) are in the order sent.
	for i := range swapped {
		swapped[i].Source, original[i].Source = nil, nil
	}
	assert.Equal(t, original, swapped)
}

func TestDerivedSkippedEvents(t *testing.T) {
	// Derived: broken events are dropped, the rest of the scoreboard stays.
	const rel = "nfl/scoreboard-2022-wk1-sun-live-mixed.json"
	data := mutate(t, rel, func(doc map[string]any) {
		evs := events(doc)
		delete(evs[0].(map[string]any), "id")
		delete(competition(evs[0]), "id")
		comp := competition(evs[1])
		comp["competitors"] = competitors(evs[1])[:1]
		competitors(evs[2])[0].(map[string]any)["team"] = "PIT"
		evs[3].(map[string]any)["competitions"] = []any{}
		competitors(evs[4])[1].(map[string]any)["homeAway"] = "home"
		evs[5].(map[string]any)["competitions"] = "nope"
	})
	games, err := ParseScoreboard(data, mustLeague(t, "nfl"))
	require.NoError(t, err)
	assert.Len(t, games, 10)
}

func TestDerivedTypeDrift(t *testing.T) {
	// Derived: fields in other JSON types than captured still read, and a
	// field of an unusable type costs only that field.
	const rel = "nfl/scoreboard-2022-wk1-sun-live-mixed.json"
	data := mutate(t, rel, func(doc map[string]any) {
		ev := events(doc)[8].(map[string]any) // IND @ HOU
		comp := competition(ev)
		st := comp["status"].(map[string]any)
		st["period"] = "4"
		st["clock"] = 61.0
		cs := competitors(ev)
		cs[0].(map[string]any)["score"] = 20                                                  // number
		cs[1].(map[string]any)["score"] = map[string]any{"value": 20.0, "displayValue": "20"} // object
		cs[0].(map[string]any)["team"].(map[string]any)["id"] = 34                            // number id
		comp["situation"].(map[string]any)["possession"] = 11                                 // number id
		comp["venue"] = "NRG"                                                                 // wrong type
		comp["broadcasts"] = []any{map[string]any{"names": []any{"CBS", 7, nil}}, "ESPN"}     // mixed
		ev["season"] = map[string]any{"year": "2022", "type": 2.0}
		comp["timeValid"] = false
	})
	games, err := ParseScoreboard(data, mustLeague(t, "nfl"))
	require.NoError(t, err)
	require.Len(t, games, 16)
	g := byID(t, games, "401437637")
	assert.Equal(t, game.Score{Home: 20, Away: 20}, g.Score)
	assert.Equal(t, 4, g.Period.Current)
	assert.Equal(t, "34", g.HomeTeam.ESPNID)
	assert.Equal(t, "IND", g.Details.Possession)
	assert.Empty(t, g.Venue)
	assert.Equal(t, []string{"CBS", "7"}, g.Broadcasts)
	assert.Equal(t, 2022, g.Season)
	assert.False(t, g.TimeValid)
}

func TestClassify(t *testing.T) {
	tests := []struct {
		state     string
		completed bool
		name      string
		want      game.Status
	}{
		{"pre", false, "STATUS_SCHEDULED", game.StatusScheduled},
		{"pre", false, "STATUS_POSTPONED", game.StatusPostponed},
		{"pre", false, "STATUS_CANCELED", game.StatusCanceled},
		{"pre", false, "STATUS_DELAYED", game.StatusScheduled},
		{"in", false, "STATUS_IN_PROGRESS", game.StatusLive},
		{"in", false, "STATUS_HALFTIME", game.StatusLive},
		{"in", false, "STATUS_END_PERIOD", game.StatusLive},
		{"in", false, "STATUS_RAIN_DELAY", game.StatusLive},
		{"in", false, "STATUS_SOMETHING_NEW", game.StatusLive},
		{"post", true, "STATUS_FINAL", game.StatusFinal},
		{"post", true, "STATUS_FINAL_OT", game.StatusFinal},
		{"post", false, "STATUS_POSTPONED", game.StatusPostponed},
		{"post", false, "STATUS_SUSPENDED", game.StatusSuspended},
		{"post", false, "STATUS_CANCELED", game.StatusCanceled},
		{"post", false, "STATUS_CANCELLED", game.StatusCanceled},
		{"post", false, "STATUS_FORFEIT", game.StatusPostponed},
		{"post", false, "", game.StatusPostponed},
		{"POST", true, "", game.StatusFinal},
		{"", true, "", game.StatusFinal},
		{"", false, "STATUS_FINAL", game.StatusFinal},
		{"", false, "STATUS_HALFTIME", game.StatusLive},
		{"", false, "STATUS_SUSPENDED", game.StatusSuspended},
		{"", false, "", game.StatusScheduled},
		{"weird", false, "STATUS_SCHEDULED", game.StatusScheduled},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classify(tt.state, tt.completed, tt.name), "%s/%v/%s", tt.state, tt.completed, tt.name)
	}
}

func TestDerivedSuspendedAndHalftime(t *testing.T) {
	// Derived from the MLB capture: a live game turned suspended in the 7th,
	// and (from the NFL capture) a game at halftime.
	data := mutate(t, "mlb/scoreboard-2025-06-04-live-final-postponed.json", func(doc map[string]any) {
		for _, ev := range events(doc) {
			st := competition(ev)["status"].(map[string]any)
			typ := st["type"].(map[string]any)
			if typ["state"] == "in" {
				typ["state"], typ["completed"], typ["name"], typ["shortDetail"] = "post", false, "STATUS_SUSPENDED", "Suspended"
				st["period"] = 7.0
				break
			}
		}
	})
	games, err := ParseScoreboard(data, mustLeague(t, "mlb"))
	require.NoError(t, err)
	n := 0
	for _, g := range games {
		if g.Status == game.StatusSuspended {
			n++
			assert.Equal(t, 7, g.Period.Current)
			assert.Equal(t, "Suspended", g.StatusDetail)
		}
	}
	assert.Equal(t, 1, n)

	data = mutate(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json", func(doc map[string]any) {
		st := competition(events(doc)[8])["status"].(map[string]any)
		st["period"], st["displayClock"] = 2.0, "0:00"
		typ := st["type"].(map[string]any)
		typ["name"], typ["shortDetail"] = "STATUS_HALFTIME", "Halftime"
	})
	games, err = ParseScoreboard(data, mustLeague(t, "nfl"))
	require.NoError(t, err)
	g := byID(t, games, "401437637")
	assert.Equal(t, game.StatusLive, g.Status)
	assert.Equal(t, game.Period{Current: 2, Total: 4, TimeRemaining: "0:00"}, g.Period)
	assert.Equal(t, "Halftime", g.StatusDetail)
}

func TestParseTime(t *testing.T) {
	want := time.Date(2022, 11, 20, 18, 0, 0, 0, time.UTC)
	assert.Equal(t, want, parseTime("2022-11-20T18:00Z"))
	assert.Equal(t, want, parseTime("2022-11-20T18:00:00Z"))
	assert.Equal(t, want, parseTime("2022-11-20T13:00:00-05:00"))
	assert.Equal(t, want.Add(500*time.Millisecond), parseTime("2022-11-20T18:00:00.5Z"))
	assert.True(t, parseTime("TBD").IsZero())
	assert.True(t, parseTime("").IsZero())
}

func TestColor(t *testing.T) {
	assert.Equal(t, "#a71930", color("a71930", "#000000"))
	assert.Equal(t, "#231F20", color("#231F20", "#000000"))
	assert.Equal(t, "#fff", color("fff", "#000000"))
	assert.Equal(t, "#000000", color("", "#000000"))
	assert.Equal(t, "#FFFFFF", color("red;}", "#FFFFFF"))
	assert.Equal(t, "#FFFFFF", color("gggggg", "#FFFFFF"))
}

func TestDerivedMissingColorsAndLogo(t *testing.T) {
	// Derived: a team without colours gets the defaults, never empty keys.
	data := mutate(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json", func(doc map[string]any) {
		tm := competitors(events(doc)[0])[0].(map[string]any)["team"].(map[string]any)
		delete(tm, "color")
		delete(tm, "alternateColor")
		delete(tm, "logo")
	})
	games, err := ParseScoreboard(data, mustLeague(t, "nfl"))
	require.NoError(t, err)
	assert.Equal(t, game.DefaultColors, games[0].HomeTeam.Colors)
	assert.Empty(t, games[0].HomeTeam.Logo)
}

func TestGarbageBodies(t *testing.T) {
	nfl := mustLeague(t, "nfl")
	for _, body := range []string{"", "   \n", "\xef\xbb\xbf"} {
		_, err := ParseScoreboard([]byte(body), nfl)
		assert.ErrorIs(t, err, ErrEmptyBody, "%q", body)
		_, err = ParseTeams([]byte(body), nfl)
		assert.ErrorIs(t, err, ErrEmptyBody, "%q", body)
		_, err = ParseSchedule([]byte(body), nfl)
		assert.ErrorIs(t, err, ErrEmptyBody, "%q", body)
	}
	for _, body := range []string{
		"<html>502 Bad Gateway</html>", "[]", "null", `"events"`, "42",
		`{"events": [`, `{"events": {}}`, `{"events": "none"}`, `{"events": [1,2]`, `{"a":1}x`,
	} {
		_, err := ParseScoreboard([]byte(body), nfl)
		assert.ErrorIs(t, err, ErrInvalidJSON, "%q", body)
		_, err = ParseSchedule([]byte(body), nfl)
		assert.ErrorIs(t, err, ErrInvalidJSON, "%q", body)
	}
	for _, body := range []string{`{}`, `{"events": []}`, `{"events": null}`, `{"events": [1, "x", null, {}]}`} {
		games, err := ParseScoreboard([]byte(body), nfl)
		assert.NoError(t, err, body)
		assert.Empty(t, games, body)
	}
	// A teams document must have the sports/leagues wrapper.
	for _, body := range []string{`{}`, `{"sports": []}`, `{"sports": [{"leagues": []}]}`, `{"sports": "x"}`} {
		_, err := ParseTeams([]byte(body), nfl)
		assert.ErrorIs(t, err, ErrInvalidJSON, body)
	}
	teams, err := ParseTeams([]byte(`{"sports":[{"leagues":[{"teams":[{"team":{"abbreviation":"NE","displayName":"New England Patriots","id":"17"}},{"team":{"displayName":"No Abbr"}},{"team":{"abbreviation":"AFC","isAllStar":true}}]}]}]}`), nfl)
	require.NoError(t, err)
	require.Len(t, teams, 1)
	assert.Equal(t, game.DefaultColors, teams[0].Colors)
}

func TestDetailsOnlyWhenSomething(t *testing.T) {
	games, err := ParseScoreboard([]byte(`{"events":[{"id":"1","date":"2025-01-01T18:00Z","competitions":[{"status":{"type":{"state":"pre"}},
		"competitors":[{"homeAway":"home","team":{"abbreviation":"A","id":"1"}},{"homeAway":"away","team":{"abbreviation":"B","id":"2"}}]}]}]}`), mustLeague(t, "nfl"))
	require.NoError(t, err)
	require.Len(t, games, 1)
	assert.Nil(t, games[0].Details)
	assert.Nil(t, games[0].HomeTeam.Record, "no records: null")
	assert.True(t, games[0].TimeValid, "timeValid defaults to true")
	assert.Equal(t, game.Score{}, games[0].Score, "absent score reads 0")
}

func TestAllCapturesCovered(t *testing.T) {
	// Every capture is one the tests know how to read.
	for _, rel := range captures(t) {
		assert.NotEqual(t, "unknown", kind(rel), rel)
	}
	assert.True(t, slices.Contains(captures(t), "nfl/teams.json"))
}

func BenchmarkParseScoreboardNFL(b *testing.B) {
	data := espntest.Load(b, "nfl/scoreboard-2022-wk1-sun-live-mixed.json")
	l := mustLeague(b, "nfl")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		games, err := ParseScoreboard(data, l)
		if err != nil || len(games) != 16 {
			b.Fatalf("got %d games, %v", len(games), err)
		}
	}
}
