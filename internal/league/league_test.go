package league

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeasonFor(t *testing.T) {
	nfl, _ := Lookup("nfl")
	nhl, _ := Lookup("NHL")
	mlb, _ := Lookup("mlb")
	assert.Equal(t, 2024, nfl.SeasonFor(2025, 2), "a Super Bowl in February belongs to the season before")
	assert.Equal(t, 2025, nfl.SeasonFor(2025, 9))
	assert.Equal(t, 2023, nhl.SeasonFor(2022, 9), "ESPN names NHL seasons by the year they end in")
	assert.Equal(t, 2025, nhl.SeasonFor(2025, 4))
	assert.Equal(t, 2025, mlb.SeasonFor(2025, 6))
}

func TestSeasonWindowHoldsTheSeason(t *testing.T) {
	cases := []struct {
		league string
		season int
		games  []time.Time
	}{
		// Super Bowl LIX (season 2024) on 2025-02-09; KC's 2023 opener on 2023-09-08.
		{"nfl", 2024, []time.Time{time.Date(2024, 9, 5, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 9, 23, 30, 0, 0, time.UTC)}},
		// An NHL preseason game of 2022-09-25 is season 2023; the final in June 2023.
		{"nhl", 2023, []time.Time{time.Date(2022, 9, 25, 0, 0, 0, 0, time.UTC), time.Date(2023, 6, 13, 0, 0, 0, 0, time.UTC)}},
		{"mlb", 2025, []time.Time{time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)}},
	}
	for _, c := range cases {
		l, ok := Lookup(c.league)
		require.True(t, ok)
		from, to := l.SeasonWindow(c.season)
		for _, g := range c.games {
			assert.True(t, !g.Before(from) && g.Before(to), "%s %d: %s outside [%s, %s)", c.league, c.season, g, from, to)
		}
	}
}

func TestParseList(t *testing.T) {
	ls, err := ParseList("nfl, NHL,nfl")
	require.NoError(t, err)
	assert.Len(t, ls, 2)
	_, err = ParseList("xfl")
	require.ErrorContains(t, err, "xfl")
}

func TestRegistryHoldsTeamTrackersLeagues(t *testing.T) {
	// TeamTracker's names of the ESPN leagues it follows, and the LPGA.
	want := []string{"nfl", "ncaaf", "ufl", "mlb", "nba", "wnba", "ncaam", "ncaaw", "nhl", "pwhl",
		"mls", "nwsl", "epl", "liga", "bund", "sera", "lig1", "cl", "cla", "wc", "wwc",
		"ncaavb", "ncaavbw", "afl",
		"atp", "wta", "ufc", "pga", "lpga", "f1", "irl", "nascar"}
	assert.ElementsMatch(t, want, Keys())
	ls, err := ParseList(strings.Join(want, ","))
	require.NoError(t, err)
	assert.Len(t, ls, len(want))
	paths := map[string]string{}
	for _, l := range All() {
		assert.Equal(t, strings.ToUpper(l.Key), l.Name, "the API name is the key in upper case")
		assert.NotEmpty(t, l.Sport, l.Key)
		assert.NotEmpty(t, l.ESPNLeague, l.Key)
		assert.NotEmpty(t, l.PeriodField, l.Key)
		if l.Sport != Racing {
			assert.Positive(t, l.Periods, "%s: a race's laps come with each race", l.Key)
		}
		assert.True(t, l.SeasonStartMonth >= 1 && l.SeasonStartMonth <= 12, l.Key)
		if l.Naming != CalendarYear {
			assert.True(t, l.SeasonEndMonth >= 1 && l.SeasonEndMonth < l.SeasonStartMonth, "%s: a season across new year ends before it starts", l.Key)
		}
		p := l.Sport + "/" + l.ESPNLeague
		assert.Empty(t, paths[p], "%s and %s share %s", paths[p], l.Key, p)
		paths[p] = l.Key
	}
}

func TestLookupAliasesAndESPNPaths(t *testing.T) {
	for alias, key := range map[string]string{"UCL": "cl", "ncaavbm": "ncaavb", " EPL ": "epl", "Lig1": "lig1"} {
		l, ok := Lookup(alias)
		require.True(t, ok, alias)
		assert.Equal(t, key, l.Key)
	}
	_, ok := Lookup("")
	assert.False(t, ok)
	l, ok := ByESPN("soccer", "eng.1", "")
	require.True(t, ok)
	assert.Equal(t, "epl", l.Key)
	l, ok = ByESPN("soccer", "", "8301")
	require.True(t, ok)
	assert.Equal(t, "nwsl", l.Key)
	_, ok = ByESPN("football", "", "8301")
	assert.False(t, ok, "ESPN league ids are looked up within a sport")
}

func TestSportRulesOfTheRegistry(t *testing.T) {
	cases := []struct {
		key                  string
		periods              int
		draws, sets, innings bool
	}{
		{"nba", 4, false, false, false},
		{"ncaam", 2, false, false, false},
		{"ncaaw", 4, false, false, false},
		{"mlb", 9, false, false, true},
		{"epl", 2, true, false, false},
		{"ncaavbw", 5, false, true, false},
		{"nhl", 3, false, false, false},
		{"atp", 5, false, true, false},
		{"ufc", 3, false, false, false},
	}
	for _, c := range cases {
		l, ok := Lookup(c.key)
		require.True(t, ok)
		assert.Equal(t, c.periods, l.Periods, c.key)
		assert.Equal(t, c.draws, l.Draws(), c.key)
		assert.Equal(t, c.sets, l.Sets(), c.key)
		assert.Equal(t, c.innings, l.Innings(), c.key)
	}
}

func TestSeasonsOfTheNewLeagues(t *testing.T) {
	cases := []struct {
		league     string
		year, mon  int
		season     int
		windowHold []time.Time
	}{
		// The EPL's 2025-26 season is ESPN's 2025 (soccer capture of 2026-03-21).
		{"epl", 2026, 3, 2025, []time.Time{time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 24, 0, 0, 0, 0, time.UTC)}},
		{"epl", 2025, 8, 2025, nil},
		// The MLS team schedule of 2026 is season 2026, MLS Cup in December.
		{"mls", 2026, 3, 2026, []time.Time{time.Date(2026, 2, 21, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}},
		// NCAA basketball is named by the year of March Madness.
		{"ncaam", 2025, 11, 2026, []time.Time{time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC)}},
		{"ncaaf", 2023, 1, 2022, []time.Time{time.Date(2022, 8, 27, 0, 0, 0, 0, time.UTC), time.Date(2023, 1, 9, 0, 0, 0, 0, time.UTC)}},
		{"ncaavbw", 2022, 9, 2022, []time.Time{time.Date(2022, 8, 26, 0, 0, 0, 0, time.UTC), time.Date(2022, 12, 17, 0, 0, 0, 0, time.UTC)}},
	}
	for _, c := range cases {
		l, ok := Lookup(c.league)
		require.True(t, ok)
		assert.Equal(t, c.season, l.SeasonFor(c.year, c.mon), "%s %d-%02d", c.league, c.year, c.mon)
		from, to := l.SeasonWindow(c.season)
		for _, g := range c.windowHold {
			assert.True(t, !g.Before(from) && g.Before(to), "%s %d: %s outside [%s, %s)", c.league, c.season, g, from, to)
		}
	}
}

func TestREADMEListsEveryLeague(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(b)
	_, table, ok := strings.Cut(readme, "### Leagues")
	require.True(t, ok, "README has a Leagues section")
	table, _, _ = strings.Cut(table, "\n#")
	for _, l := range All() {
		assert.Contains(t, table, "| `"+l.Key+"` | `"+l.Sport+"/"+l.ESPNLeague+"` |", "README's league table row of %s", l.Key)
		for _, a := range l.Aliases {
			assert.Contains(t, table, "`"+a+"` alias", l.Key)
		}
	}
}

func TestGameLengthBySport(t *testing.T) {
	for key, want := range map[string]time.Duration{
		"nfl": 3*time.Hour + 30*time.Minute, "ncaaf": 3*time.Hour + 30*time.Minute,
		"nhl": 2*time.Hour + 40*time.Minute, "nba": 2*time.Hour + 30*time.Minute,
		"mlb": 3*time.Hour + 10*time.Minute, "epl": 2 * time.Hour,
		"ncaavbw": 3 * time.Hour, "afl": 3 * time.Hour,
	} {
		l, ok := Lookup(key)
		require.True(t, ok, key)
		assert.Equal(t, want, l.GameLength(), key)
	}
}

func TestIndividualSportsAndTheirNeeds(t *testing.T) {
	cases := []struct {
		key                      string
		individual, field, teams bool
		tt                       string
	}{
		{"nfl", false, false, true, "NFL"},
		{"ncaaf", false, false, true, "NCAAF"},
		{"atp", true, false, false, "ATP"},
		{"wta", true, false, false, "WTA"},
		{"ufc", true, false, false, "UFC"},
		{"pga", true, true, false, "PGA"},
		{"lpga", true, true, false, "LPGA"},
		{"f1", true, true, false, "F1"},
		{"irl", true, true, false, "IRL"},
		{"nascar", true, true, false, "NASCAR"},
	}
	for _, c := range cases {
		l, ok := Lookup(c.key)
		require.True(t, ok, c.key)
		assert.Equal(t, c.individual, l.Individual(), c.key)
		assert.Equal(t, c.field, l.Field(), c.key)
		assert.Equal(t, c.teams, l.TeamList(), c.key)
		assert.Equal(t, c.individual || l.College, l.Learns(), c.key)
		assert.Equal(t, c.tt, l.TeamTrackerID(), c.key)
	}
	nascar, _ := Lookup("nascar")
	assert.Equal(t, "racing/nascar-premier", nascar.Sport+"/"+nascar.ESPNLeague, "TeamTracker's path of NASCAR")
}

func TestCustomLeagues(t *testing.T) {
	ls, err := ParseList("nfl, cricket/8044, bbl2=cricket/8045, soccer/eng.2")
	require.NoError(t, err)
	require.Len(t, ls, 4)
	bbl := ls[1]
	assert.Equal(t, "cricket8044", bbl.Key)
	assert.Equal(t, "CRICKET8044", bbl.Name)
	assert.Equal(t, "cricket", bbl.Sport)
	assert.Equal(t, "8044", bbl.ESPNLeague)
	assert.True(t, bbl.Custom)
	assert.Equal(t, "XXX", bbl.TeamTrackerID(), "TeamTracker's league id of a custom league")
	assert.False(t, bbl.TeamList())
	assert.True(t, bbl.Learns())
	assert.Equal(t, 2, bbl.Periods, "two innings a side")
	assert.Equal(t, "bbl2", ls[2].Key)
	eng2 := ls[3]
	assert.Equal(t, "soccereng2", eng2.Key)
	assert.True(t, eng2.Draws(), "a custom soccer league has soccer's rules")
	assert.True(t, eng2.TeamList())
	assert.Equal(t, 2*time.Hour, eng2.GameLength())

	// Lookup knows them from now on, as every part of the service asks.
	l, ok := Lookup("CRICKET8044")
	require.True(t, ok)
	assert.Equal(t, bbl, l)

	// The paths of a registry league are that league.
	ls, err = ParseList("football/nfl")
	require.NoError(t, err)
	assert.Equal(t, "nfl", ls[0].Key)

	for spec, why := range map[string]string{
		"cricket":                           "unknown league",
		"cricket/":                          "want sport/league",
		"/8044":                             "want sport/league",
		"cricket/80 44":                     "want sport/league",
		"cricket/../teams":                  "want sport/league",
		"nfl=cricket/8044":                  "names the league nfl",
		"ucl=cricket/8044":                  "names the league cl",
		"bbl2=cricket/9999":                 "names cricket/8045 already",
		"9x=cricket/8044":                   "must be a letter",
		"x=football/nfl":                    "is the league \"nfl\"",
		"bbl-x=cricket/8044":                "must be a letter",
		"cricket/8044/scoreboard":           "want sport/league",
		"soccer/" + strings.Repeat("x", 41): "want sport/league",
	} {
		_, err := ParseList(spec)
		assert.ErrorContains(t, err, why, spec)
	}
}
