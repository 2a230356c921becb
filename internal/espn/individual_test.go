package espn

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// checkContestInvariants are what every game of an individual sport keeps.
func checkContestInvariants(t *testing.T, l league.League, g game.Game) {
	t.Helper()
	assert.NotEmpty(t, g.ID)
	assert.Equal(t, l.Name, g.League)
	assert.False(t, g.Start.IsZero(), "start of %s (%q) parsed", g.ID, g.StartTime)
	require.NotNil(t, g.Contest, g.ID)
	assert.NotEmpty(t, g.Contest.EventID, g.ID)
	require.NotNil(t, g.Source, g.ID)
	require.NotNil(t, g.Source.Comp(), g.ID)
	assert.Equal(t, g.ID, g.Source.Comp().ID.Text(), "the game keeps its own competition")
	for _, tm := range append(g.Participants(), g.HomeTeam, g.AwayTeam) {
		assert.Equal(t, game.TeamID(l.Key, tm.Abbreviation), tm.ID)
		assert.Equal(t, game.AthleteID(l.Key, tm.Name), tm.ID, "an athlete's id is its name")
		assert.NotEmpty(t, tm.Name)
		assert.Equal(t, game.DefaultColors, tm.Colors)
	}
	if l.Field() {
		for i, e := range g.Field {
			assert.Equal(t, i+1, e.Position, "%s: ESPN's order", g.ID)
		}
		if len(g.Field) > 1 {
			assert.Equal(t, g.Field[0].Team, g.HomeTeam, "the leader is home")
			assert.Equal(t, g.Field[1].Team, g.AwayTeam, "the second is away")
		}
	} else {
		assert.Empty(t, g.Field)
	}
	if g.Status == game.StatusFinal && !(g.HomeTeam.Name == "TBD" && g.AwayTeam.Name == "TBD") {
		assert.True(t, g.Contest.Decided, "%s: ESPN named how it ended", g.ID)
	}
	if g.Status == game.StatusScheduled {
		assert.Zero(t, g.Score, g.ID)
	}
}

func TestTennisMatchesOfATournament(t *testing.T) {
	games := parseCapture(t, "atp/scoreboard-2025-06-01-roland-garros.json")
	require.Len(t, games, 635, "every match of the five draws")

	first := byID(t, games, "158610")
	assert.Equal(t, "atp-yuta-shimizu", first.HomeTeam.ID, "ESPN's homeAway")
	assert.Equal(t, "atp-kimmer-coppejans", first.AwayTeam.ID)
	assert.Equal(t, "KIMMER-COPPEJANS", first.AwayTeam.Abbreviation)
	assert.True(t, first.AwayTeam.Athlete)
	assert.Equal(t, "K. Coppejans", first.AwayTeam.ShortName)
	assert.Equal(t, "2009", first.AwayTeam.ESPNID)
	assert.Equal(t, "https://a.espncdn.com/i/teamlogos/countries/500/bel.png", first.AwayTeam.Logo, "the flag is the logo")
	assert.Equal(t, game.Score{Home: 0, Away: 2}, first.Score, "sets won: 6-3 6-1")
	assert.Equal(t, []game.Score{{Home: 3, Away: 6}, {Home: 1, Away: 6}}, first.Sets, "the games of each set")
	assert.Equal(t, game.Away, first.Winner())
	assert.Equal(t, &game.Contest{EventID: "172-2025", EventName: "Roland Garros", Kind: "Men's Singles", Round: "Qualifying 1st Round", Winner: game.Away, Decided: true}, first.Contest)
	assert.Equal(t, "Paris, France", first.Venue)

	// Dimitrov led two sets to one and retired: Quinn won.
	retired := byID(t, games, "156690")
	assert.Equal(t, "atp-ethan-quinn", retired.HomeTeam.ID)
	assert.Equal(t, game.Score{Home: 1, Away: 2}, retired.Score)
	assert.Equal(t, game.Home, retired.Winner(), "ESPN's winner, not the sets")
	assert.Equal(t, "retired", retired.Contest.Note)

	walkover := byID(t, games, "158635")
	assert.Equal(t, game.StatusFinal, walkover.Status)
	assert.Zero(t, walkover.Score, "not a ball was hit")
	assert.Empty(t, walkover.Sets)
	assert.Equal(t, game.Home, walkover.Winner())
	assert.Equal(t, "walkover", walkover.Contest.Note)

	// Doubles pairs are named from their rosters; a pair is no athlete.
	var pair game.Game
	for _, g := range games {
		if g.Contest.Kind == "Men's Doubles" && g.HomeTeam.Name != "TBD" {
			pair = g
			break
		}
	}
	require.NotEmpty(t, pair.ID)
	assert.Contains(t, pair.HomeTeam.Name, " / ")
	assert.False(t, pair.HomeTeam.Athlete)

	// A draw's players not known yet are TBD, and one id.
	tbd := 0
	for _, g := range games {
		if g.HomeTeam.Name == "TBD" {
			tbd++
			assert.Equal(t, "atp-tbd", g.HomeTeam.ID)
		}
	}
	assert.Positive(t, tbd)
}

func TestGolfTournamentIsOneGameOfTheField(t *testing.T) {
	games := parseCapture(t, "pga/scoreboard-2025-06-03-final.json")
	require.Len(t, games, 1)
	g := games[0]
	require.Len(t, g.Field, 72)
	assert.Equal(t, "pga-scottie-scheffler", g.HomeTeam.ID, "the leader")
	assert.Equal(t, "pga-ben-griffin", g.AwayTeam.ID, "the second")
	assert.Equal(t, game.Score{Home: -10, Away: -6}, g.Score, "strokes to par")
	assert.Equal(t, "-10", g.Field[0].Score)
	assert.Equal(t, "+15", g.Field[71].Score)
	assert.Equal(t, game.Home, g.Winner(), "the first of the order won, whatever the lower number says")
	assert.True(t, g.Involves("pga-brian-campbell"), "the last of the field takes part")
	assert.False(t, g.Involves("pga-tiger-woods"))
	e := g.Entry("pga-sepp-straka")
	require.NotNil(t, e)
	assert.Equal(t, 3, e.Position)
	assert.Equal(t, "pga-scottie-scheffler,pga-ben-griffin,pga-sepp-straka", g.Podium())
	assert.Equal(t, 4, g.Period.Current)
	assert.Equal(t, "the Memorial Tournament pres. by Workday", g.Contest.EventName)
}

func TestContestsBeforeTheFieldIsKnown(t *testing.T) {
	for _, rel := range []string{"lpga/scoreboard-2025-06-03-pre.json", "nascar/scoreboard-2026-05-02-pre.json"} {
		games := parseCapture(t, rel)
		require.Len(t, games, 1, rel)
		g := games[0]
		assert.Equal(t, game.StatusScheduled, g.Status)
		assert.Empty(t, g.Field)
		assert.Equal(t, "TBD", g.HomeTeam.Name, "placeholders, never an empty team")
		assert.Empty(t, g.Podium())
	}
}

// allJSON is TeamTracker's suite's scoreboard: the only MMA, Formula 1 and
// cricket events here.
func allJSON(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(filepath.Dir(espntest.Dir(t)), "teamtracker", "all.json"))
	require.NoError(t, err)
	return b
}

func TestUFCBoutsOfACard(t *testing.T) {
	games, err := ParseScoreboard(allJSON(t), mustLeague(t, "ufc"))
	require.NoError(t, err)
	card := map[string]game.Game{}
	for _, g := range games {
		if g.Contest != nil && g.Contest.EventID == "600023847" {
			card[g.ID] = g
			checkContestInvariants(t, mustLeague(t, "ufc"), g)
		}
	}
	require.Len(t, card, 13, "every bout of the card")
	dec := card["401508992"]
	assert.Equal(t, "ufc-bryan-battle", dec.HomeTeam.ID, "order 1 is home")
	assert.Equal(t, "ufc-rinat-fakhretdinov", dec.AwayTeam.ID)
	assert.Equal(t, game.Score{Away: 3}, dec.Score, "three judges' cards")
	assert.Equal(t, "Welterweight", dec.Contest.Kind)
	assert.Equal(t, "20-1-0", recordString(dec.AwayTeam.Record))

	ko := card["401508991"]
	assert.Equal(t, game.Score{Away: 1}, ko.Score, "a finish: 1-0 to the winner")
	assert.Equal(t, game.Away, ko.Winner())
	assert.Equal(t, 1, ko.Period.Current, "in the first round")

	live := card["401505365"]
	assert.Equal(t, game.StatusLive, live.Status)
	assert.Zero(t, live.Score)
	assert.Equal(t, 1, live.Period.Current)
	assert.Equal(t, 3, live.Period.Total)
}

func recordString(r *game.Record) string {
	if r == nil {
		return ""
	}
	s := []string{itoa(r.Wins), itoa(r.Losses)}
	if r.Ties != nil {
		s = append(s, itoa(*r.Ties))
	}
	return strings.Join(s, "-")
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestMMADrawAndNoContest(t *testing.T) {
	bout := func(state, name string, cards [2][]int, winner [2]string) string {
		comp := func(i int) string {
			ls := ""
			if cards[i] != nil {
				vals := make([]string, len(cards[i]))
				for k, v := range cards[i] {
					vals[k] = `{"value":` + itoa(v) + `}`
				}
				ls = `,"linescores":[{"linescores":[` + strings.Join(vals, ",") + `]}]`
			}
			w := ""
			if winner[i] != "" {
				w = `,"winner":` + winner[i]
			}
			return `{"id":"` + itoa(i+1) + `","type":"athlete","order":` + itoa(i+1) + `,"athlete":{"displayName":"Fighter ` + itoa(i+1) + `"}` + ls + w + `}`
		}
		return `{"events":[{"id":"1","date":"2025-01-01T00:00Z","competitions":[{"id":"9","date":"2025-01-01T00:00Z",
			"status":{"period":3,"type":{"state":"` + state + `","completed":true,"name":"` + name + `"}},
			"competitors":[` + comp(0) + `,` + comp(1) + `]}]}]}`
	}
	ufc := mustLeague(t, "ufc")
	parse := func(body string) game.Game {
		games, err := ParseScoreboard([]byte(body), ufc)
		require.NoError(t, err)
		require.Len(t, games, 1)
		return games[0]
	}
	draw := parse(bout("post", "STATUS_FINAL", [2][]int{{29, 28, 28}, {28, 29, 28}}, [2]string{"false", "false"}))
	assert.Equal(t, game.Score{Home: 1, Away: 1}, draw.Score)
	assert.Equal(t, game.Level, draw.Winner())
	assert.Equal(t, "draw", draw.Contest.Note)

	nc := parse(bout("post", "STATUS_FINAL", [2][]int{nil, nil}, [2]string{"false", "false"}))
	assert.Zero(t, nc.Score)
	assert.Equal(t, game.Level, nc.Winner())
	assert.Equal(t, "no contest", nc.Contest.Note)

	split := parse(bout("post", "STATUS_FINAL", [2][]int{{29, 28, 29}, {28, 29, 28}}, [2]string{"true", "false"}))
	assert.Equal(t, game.Score{Home: 2, Away: 1}, split.Score, "a split decision")
	assert.Equal(t, game.Home, split.Winner())
	assert.Empty(t, split.Contest.Note)
}

func TestFormulaOneSessionsOfARaceWeekend(t *testing.T) {
	f1 := mustLeague(t, "f1")
	games, err := ParseScoreboard(allJSON(t), f1)
	require.NoError(t, err)
	weekend := map[string]game.Game{}
	for _, g := range games {
		if g.Contest != nil && g.Contest.EventID == "600026751" {
			weekend[g.Contest.Kind] = g
			checkContestInvariants(t, f1, g)
		}
	}
	assert.Len(t, weekend, 5, "FP1, qualifying, a session without a name, the sprint qualifying and the race")
	sq := weekend["SQ"]
	assert.Equal(t, game.StatusLive, sq.Status)
	require.Len(t, sq.Field, 20)
	assert.Equal(t, "f1-cherles-leclerc", sq.HomeTeam.ID, "leading")
	assert.Equal(t, game.Score{Home: 1, Away: 2}, sq.Score, "places")
	e := sq.Entry("f1-max-verstappen")
	require.NotNil(t, e)
	assert.Equal(t, 4, e.Position)
	assert.Equal(t, "Baku City Circuit", sq.Venue, "the circuit")
	race := weekend["Race"]
	assert.Equal(t, game.StatusScheduled, race.Status)
	require.Len(t, race.Field, 20, "the grid, without places yet")
	assert.Equal(t, 4, race.Entry("f1-carlos-saintz").Position, "the list's order")
}

func TestCricketMatches(t *testing.T) {
	bbl, err := league.Custom("cricket/8044")
	require.NoError(t, err)
	games, err := ParseScoreboard(allJSON(t), bbl)
	require.NoError(t, err)
	test := byID(t, games, "1340849")
	assert.Equal(t, game.StatusFinal, test.Status, "ESPN's cricket answers mark no completion")
	assert.Equal(t, "cricket8044-ind", test.AwayTeam.ID)
	assert.Equal(t, game.Score{Home: 458, Away: 459}, test.Score, "runs of both innings")
	assert.Equal(t, game.Away, test.Winner())
	require.NotNil(t, test.Cricket)
	assert.Equal(t, "314 & 145/7 (47 ov, target 145)", test.Cricket.AwayLine)
	assert.Equal(t, game.Score{Home: 20, Away: 17}, test.Cricket.Wickets)
	assert.Equal(t, "Test", test.Cricket.Class)
	assert.Equal(t, "India won by 3 wkts", test.Contest.Note)

	live := byID(t, games, "1324647")
	assert.Equal(t, game.StatusLive, live.Status)
	assert.Equal(t, game.Score{Home: 155, Away: 125}, live.Score)
	assert.Equal(t, game.Away, live.Cricket.Batting)
	assert.Equal(t, "Scorchers require 31 runs", live.Cricket.Summary)
	assert.Equal(t, game.Score{Home: 6, Away: 3}, live.Cricket.Wickets)
}
