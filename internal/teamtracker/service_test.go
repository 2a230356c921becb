package teamtracker

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/nextgames"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
)

// The service's choices are tested on variations of one real ESPN event
// (New Orleans at Atlanta from the NFL capture): the same game moved in time
// and set to each state, as ESPN shows a team's games over a week.

var (
	nfl, _ = league.Lookup("nfl")
	nhl, _ = league.Lookup("nhl")
)

const sourceURL = "http://espn.test/football/nfl/scoreboard?dates=20220911"

var fetchedAt = time.Date(2022, 9, 11, 16, 0, 0, 0, time.UTC)

func baseEvent(t *testing.T) map[string]any {
	t.Helper()
	var doc struct {
		Events []map[string]any `json:"events"`
	}
	require.NoError(t, json.Unmarshal(espntest.Load(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json"), &doc))
	require.Equal(t, "401437650", doc.Events[0]["id"])
	return doc.Events[0]
}

// variant is the event with another id, start and state, parsed by the
// service's ESPN parser and kept with its source as the poller keeps it.
func variant(t *testing.T, id string, start time.Time, espnState string) game.Game {
	t.Helper()
	ev := baseEvent(t)
	date := start.UTC().Format("2006-01-02T15:04Z")
	ev["id"], ev["date"] = id, date
	name := map[string]string{"pre": "STATUS_SCHEDULED", "in": "STATUS_IN_PROGRESS", "post": "STATUS_FINAL"}[espnState]
	comp := ev["competitions"].([]any)[0].(map[string]any)
	comp["id"], comp["date"] = id, date
	for _, st := range []any{ev["status"], comp["status"]} {
		typ := st.(map[string]any)["type"].(map[string]any)
		typ["state"], typ["name"], typ["completed"] = espnState, name, espnState == "post"
	}
	raw, err := json.Marshal(ev)
	require.NoError(t, err)
	const lg = `{"name":"National Football League","logos":[{"href":"https://a.espncdn.com/i/teamlogos/leagues/500/nfl.png"}]}`
	games, err := espn.ParseScoreboard([]byte(`{"leagues":[`+lg+`],"events":[`+string(raw)+`]}`), nfl)
	require.NoError(t, err)
	require.Len(t, games, 1)
	games[0].Source.URL, games[0].Source.FetchedAt = sourceURL, fetchedAt
	return games[0]
}

type fixture struct {
	st   *state.State
	svc  *Service
	now  time.Time
	live bool
}

func newFixture(now time.Time, games ...game.Game) *fixture {
	f := &fixture{st: state.New("nfl"), now: now}
	f.st.Replace("nfl", games, fetchedAt)
	f.svc = New(f.st, []league.League{nfl}, Options{
		Live:     func(k string) bool { return k == "nfl" && f.live },
		Now:      func() time.Time { return f.now },
		Location: time.UTC,
	})
	return f
}

// match is a team as the directory resolves it: the service's team id in
// its league.
func match(l league.League, teamID string) teams.Match {
	return teams.Match{League: l, Team: game.Team{ID: teamID}}
}

func (f *fixture) sensor(t *testing.T, teamID string) Sensor {
	t.Helper()
	s, err := f.svc.Sensor(match(nfl, teamID))
	require.NoError(t, err)
	// Every sensor has exactly TeamTracker's attributes and the
	// service's next_games.
	require.Len(t, s.Attributes, len(AttributeNames)+1)
	for _, n := range AttributeNames {
		require.Contains(t, s.Attributes, n)
	}
	require.Contains(t, s.Attributes, "next_games")
	return s
}

func TestSensorChoosesTheGameLikeTeamTracker(t *testing.T) {
	now := time.Date(2022, 9, 14, 18, 0, 0, 0, time.UTC)
	final := func(ago time.Duration, id string) game.Game { return variant(t, id, now.Add(-ago), "post") }
	next := func(in time.Duration, id string) game.Game { return variant(t, id, now.Add(in), "pre") }
	cases := []struct {
		name  string
		games []game.Game
		state string
		event string
	}{
		{"a live game beats everything", []game.Game{final(3*24*time.Hour, "1"), variant(t, "2", now.Add(-time.Hour), "in"), next(2*time.Hour, "3")}, StateIn, "2"},
		{"a game within 20 minutes beats a later live one", []game.Game{next(10*time.Minute, "1"), variant(t, "2", now.Add(30*time.Minute), "in")}, StatePre, "1"},
		{"an upcoming game within 18 hours beats a final", []game.Game{final(20*time.Hour, "1"), next(17*time.Hour, "2")}, StatePre, "2"},
		{"a final beats an upcoming game more than 18 hours away", []game.Game{final(20*time.Hour, "1"), next(19*time.Hour, "2")}, StatePost, "1"},
		{"the latest final", []game.Game{final(8*24*time.Hour, "1"), final(24*time.Hour, "2")}, StatePost, "2"},
		{"the earliest upcoming game", []game.Game{next(2*24*time.Hour, "1"), next(9*24*time.Hour, "2")}, StatePre, "1"},
		{"a 'final' two days ahead is a postponed game, treated as upcoming", []game.Game{final(-2*24*time.Hour, "1"), next(5*24*time.Hour, "2")}, StatePost, "1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(now, c.games...)
			s := f.sensor(t, "nfl-atl")
			assert.Equal(t, c.state, s.State)
			assert.Equal(t, c.event, mustString(t, s.Attributes["event_id"]))
		})
	}
}

func mustString(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	var s string
	require.NoError(t, json.Unmarshal(raw, &s), "%s is not a string", raw)
	return s
}

func TestSensorSidesAndSourceOfTheGame(t *testing.T) {
	now := time.Date(2022, 9, 11, 17, 30, 0, 0, time.UTC)
	f := newFixture(now, variant(t, "401437650", now.Add(-30*time.Minute), "in"))
	atl, no := f.sensor(t, "nfl-atl"), f.sensor(t, "nfl-no")
	assert.Equal(t, StateIn, atl.State)
	assert.Equal(t, "ATL", atl.Attributes["team_abbr"])
	assert.Equal(t, "NO", atl.Attributes["opponent_abbr"])
	assert.Equal(t, "NO", no.Attributes["team_abbr"])
	assert.Equal(t, "home", mustString(t, atl.Attributes["team_homeaway"]))
	assert.Equal(t, "away", mustString(t, no.Attributes["team_homeaway"]))
	assert.Equal(t, mustString(t, atl.Attributes["team_score"]), mustString(t, no.Attributes["opponent_score"]))
	assert.Equal(t, "0:48 - 4th", mustString(t, atl.Attributes["clock"]))
	assert.Equal(t, "30 minutes ago", atl.Attributes["kickoff_in"])
	assert.Equal(t, sourceURL, atl.Attributes["api_url"])
	assert.Equal(t, "2022-09-11 16:00:00+00:00", atl.Attributes["last_update"])
	assert.Equal(t, "National Football League", mustString(t, atl.Attributes["league_name"]))
	assert.Equal(t, "NFL", atl.Attributes["league"])
	assert.Equal(t, "football", atl.Attributes["sport_path"])
	assert.Equal(t, "nfl", atl.Attributes["league_path"])
	assert.Equal(t, "nfl-atl", atl.Team)
	assert.Equal(t, fetchedAt.Format(time.RFC3339), atl.UpdatedAt)
}

func TestSensorFastRefreshIsTheLeaguesCadence(t *testing.T) {
	now := time.Date(2022, 9, 14, 18, 0, 0, 0, time.UTC)
	f := newFixture(now, variant(t, "1", now.Add(-24*time.Hour), "post"))
	assert.Equal(t, false, f.sensor(t, "nfl-atl").Attributes["private_fast_refresh"])
	f.live = true
	assert.Equal(t, true, f.sensor(t, "nfl-atl").Attributes["private_fast_refresh"])
	assert.Equal(t, true, f.sensor(t, "nfl-kc").Attributes["private_fast_refresh"], "a team without a game in a live league")
}

func TestSensorShowsTheScheduledNextGameBeyondTheScoreboard(t *testing.T) {
	now := time.Date(2022, 9, 14, 18, 0, 0, 0, time.UTC)
	other := variant(t, "9", now.Add(-2*time.Hour), "post")
	f := newFixture(now, other)

	// Nothing in memory for Kansas City: TeamTracker's message names the
	// span of the games it looked through.
	s := f.sensor(t, "nfl-kc")
	assert.Equal(t, StateNotFound, s.State)
	assert.Equal(t, "No competition scheduled for 'KC' between 2022-09-14T16:00Z and 2022-09-14T16:00Z", s.Attributes["api_message"])
	assert.Equal(t, "KC", s.Attributes["team_abbr"])
	assert.Nil(t, s.Attributes["event_id"])

	// The stored schedule knows the next game, ten days out.
	start := now.Add(10 * 24 * time.Hour)
	kc := game.Team{ID: "nfl-kc", Name: "Kansas City Chiefs", ShortName: "Chiefs", Abbreviation: "KC", ESPNID: "12",
		Colors: game.Colors{Primary: "#e31837", Secondary: "#ffb612"}, Record: &game.Record{Wins: 1, Losses: 0}}
	lv := game.Team{ID: "nfl-lv", Name: "Las Vegas Raiders", ShortName: "Raiders", Abbreviation: "LV", ESPNID: "13",
		Colors: game.Colors{Primary: "#000000", Secondary: "#a5acaf"}}
	f.svc.Observe("nfl", []game.Game{
		{ID: "401", League: "NFL", Status: game.StatusScheduled, Start: start, TimeValid: true, HomeTeam: kc, AwayTeam: lv, Venue: "GEHA Field at Arrowhead Stadium", SeasonType: 2},
		{ID: "400", League: "NFL", Status: game.StatusFinal, Start: now.Add(-3 * 24 * time.Hour), HomeTeam: kc, AwayTeam: lv},
	})
	s = f.sensor(t, "nfl-kc")
	assert.Equal(t, StatePre, s.State)
	assert.Equal(t, "401", s.Attributes["event_id"])
	assert.Equal(t, "LV @ KC", s.Attributes["event_name"])
	assert.Equal(t, "in a week", s.Attributes["kickoff_in"], "as TeamTracker words ten days")
	assert.Equal(t, start.Format("2006-01-02T15:04Z"), s.Attributes["date"])
	assert.Equal(t, "home", s.Attributes["team_homeaway"])
	venue := "GEHA Field at Arrowhead Stadium"
	assert.Equal(t, []nextgames.Game{{Date: start.Format(time.RFC3339), League: "NFL", GameID: "401", Opponent: "LV",
		OpponentName: "Las Vegas Raiders", HomeAway: "home", Venue: &venue}}, s.Attributes["next_games"],
		"the next games, from the stored schedule")
	assert.Equal(t, "12", s.Attributes["team_id"])
	assert.Equal(t, "Chiefs", s.Attributes["team_name"])
	assert.Equal(t, []string{"#e31837", "#ffb612"}, s.Attributes["team_colors"])
	assert.Equal(t, "1-0", s.Attributes["team_record"])
	assert.Equal(t, "0", s.Attributes["team_score"])
	assert.Equal(t, "regular-season", s.Attributes["season"])
	sched := f.svc.Scheduled("nfl")
	require.Len(t, sched, 1, "the final is over: only the next game is kept, for game-status too")
	assert.Equal(t, "401", sched[0].ID)
	assert.Empty(t, f.svc.Scheduled("nhl"))

	// A game both on the scoreboard and in the schedule is shown as the
	// scoreboard has it.
	onBoard := variant(t, "401437650", now.Add(-time.Hour), "in")
	f.st.Replace("nfl", []game.Game{onBoard}, now)
	scheduled := onBoard
	scheduled.Status, scheduled.Source = game.StatusScheduled, nil
	f.svc.Observe("nfl", []game.Game{scheduled})
	s = f.sensor(t, "nfl-atl")
	assert.Equal(t, StateIn, s.State)
	assert.Equal(t, "0:48 - 4th", mustString(t, s.Attributes["clock"]))
	assert.Equal(t, sourceURL, s.Attributes["api_url"])
}

func TestSensorOfAnUnfollowedLeagueIsAnError(t *testing.T) {
	f := newFixture(time.Now())
	_, err := f.svc.Sensor(match(nhl, "nhl-bos"))
	assert.ErrorIs(t, err, ErrUnknownLeague)
}

func TestSensorWithoutAPollYet(t *testing.T) {
	svc := New(state.New("nfl"), []league.League{nfl}, Options{})
	s, err := svc.Sensor(match(nfl, "nfl-kc"))
	require.NoError(t, err)
	assert.Equal(t, StateNotFound, s.State)
	assert.Empty(t, s.UpdatedAt)
	assert.Equal(t, DefaultLogo, s.Attributes["league_logo"])
}

// BenchmarkSensor is one sensor answer from memory: a league of 16 games
// (the real NFL Sunday), the team's live game read from ESPN's event as
// the scoreboard's parse decoded it (go test -bench Sensor
// ./internal/teamtracker).
func BenchmarkSensor(b *testing.B) {
	games, err := espn.ParseScoreboard(espntest.Load(b, "nfl/scoreboard-2022-wk1-sun-live-mixed.json"), nfl)
	if err != nil || len(games) != 16 {
		b.Fatalf("%d games, %v", len(games), err)
	}
	for i := range games {
		games[i].Source.URL, games[i].Source.FetchedAt = sourceURL, fetchedAt
	}
	f := newFixture(time.Date(2022, 9, 11, 19, 0, 0, 0, time.UTC), games...)
	b.ReportAllocs()
	for b.Loop() {
		s, err := f.svc.Sensor(match(nfl, "nfl-atl"))
		if err != nil || s.State != StateIn {
			b.Fatalf("%s %v", s.State, err)
		}
	}
}

// BenchmarkSensorTennis is a player's sensor over a tournament of 635
// matches (Roland Garros), every match a game of the league in memory, as
// at every live poll of a Grand Slam (go test -bench SensorTennis
// ./internal/teamtracker).
func BenchmarkSensorTennis(b *testing.B) {
	atp, _ := league.Lookup("atp")
	games, err := espn.ParseScoreboard(espntest.Load(b, "atp/scoreboard-2025-06-01-roland-garros.json"), atp)
	if err != nil || len(games) != 635 {
		b.Fatalf("%d games, %v", len(games), err)
	}
	st := state.New("atp")
	st.Replace("atp", games, fetchedAt)
	svc := New(st, []league.League{atp}, Options{Now: func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }, Location: time.UTC})
	m := teams.Match{League: atp, Team: game.Team{ID: "atp-ethan-quinn", Name: "Ethan Quinn", Abbreviation: "ETHAN-QUINN", Athlete: true}}
	b.ReportAllocs()
	for b.Loop() {
		s, err := svc.Sensor(m)
		if err != nil || s.State != StatePost {
			b.Fatalf("%s %v", s.State, err)
		}
	}
}
