package ha

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/kickoff"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
)

type fixture struct {
	asker
	st  *state.State
	now time.Time
	nfl league.League
}

// asker resolves a team the way the HTTP edge does (the directory), then
// asks the service.
type asker struct {
	svc *Service
	dir *teams.Directory
}

func (a asker) status(input, leagueKey string) (*Status, error) {
	m, err := a.dir.Resolve(input, leagueKey)
	if err != nil {
		return nil, err
	}
	return a.svc.GameStatus(m), nil
}

func (a asker) context(input, leagueKey string) (*Context, error) {
	m, err := a.dir.Resolve(input, leagueKey)
	if err != nil {
		return nil, err
	}
	return a.svc.GameContext(m), nil
}

// newFixture loads the real NFL and NHL team lists and the 2022 week 1
// NFL capture (16 games: 8 live, 6 pre, 2 final).
func newFixture(t *testing.T) *fixture {
	nfl, _ := league.Lookup("nfl")
	nhl, _ := league.Lookup("nhl")
	dir := teams.NewDirectory(t.TempDir(), []league.League{nfl, nhl}, nil)
	for _, l := range []league.League{nfl, nhl} {
		ts, err := espn.ParseTeams(espntest.Load(t, l.Key+"/teams.json"), l)
		require.NoError(t, err)
		require.NoError(t, dir.Set(l, ts))
	}
	games, err := espn.ParseScoreboard(espntest.Load(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json"), nfl)
	require.NoError(t, err)
	st := state.New("nfl", "nhl")
	// The capture was taken during the late 4th quarter of the 1 pm games
	// of 2022-09-11.
	now := time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC)
	st.Replace("nfl", games, now)
	f := &fixture{st: st, nfl: nfl, now: now}
	f.asker = asker{svc: New(st, Options{Now: func() time.Time { return f.now }}), dir: dir}
	return f
}

// first is the first game of the capture in a status.
func (f *fixture) first(t *testing.T, status game.Status) game.Game {
	for _, g := range f.st.All() {
		if g.Status == status {
			return g
		}
	}
	t.Fatalf("no %s game", status)
	return game.Game{}
}

func (f *fixture) find(t *testing.T, abbr string) game.Game {
	for _, g := range f.st.All() {
		if g.HomeTeam.Abbreviation == abbr || g.AwayTeam.Abbreviation == abbr {
			return g
		}
	}
	t.Fatalf("no game for %s", abbr)
	return game.Game{}
}

func TestLiveTeam(t *testing.T) {
	f := newFixture(t)
	g := f.find(t, "HOU")
	require.Equal(t, game.StatusLive, g.Status)
	for _, input := range []string{"HOU", "nfl-hou", "Texans", "houston texans"} {
		s, err := f.status(input, "")
		require.NoError(t, err, input)
		assert.Equal(t, "live", s.Status)
		assert.Equal(t, "IN", s.State)
		assert.True(t, s.IsLive)
		assert.Equal(t, "HOU", s.Team)
		assert.Equal(t, "NFL", s.League)
		require.NotNil(t, s.GameID)
		assert.Equal(t, g.ID, *s.GameID)
		require.NotNil(t, s.Opponent)
		assert.Equal(t, "IND", *s.Opponent)
		assert.Nil(t, s.MinutesUntilStart)
		require.NotNil(t, s.TeamScore)
		home := g.HomeTeam.Abbreviation == "HOU"
		want := g.Score.Away
		if home {
			want = g.Score.Home
		}
		assert.Equal(t, want, *s.TeamScore)
		assert.Equal(t, g.Period.Current, *s.Period)
		assert.Equal(t, g.Period.TimeRemaining, *s.Clock)
	}
}

func TestUpcomingTeamCountsMinutes(t *testing.T) {
	f := newFixture(t)
	pre := f.first(t, game.StatusScheduled)
	f.now = pre.Start.Add(-90 * time.Minute)
	s, err := f.status(pre.HomeTeam.Abbreviation, "nfl")
	require.NoError(t, err)
	assert.Equal(t, "upcoming", s.Status)
	assert.Equal(t, "PRE", s.State)
	assert.False(t, s.IsLive)
	require.NotNil(t, s.MinutesUntilStart)
	assert.Equal(t, 90, *s.MinutesUntilStart)
	assert.Equal(t, pre.StartTime, *s.StartTime)

	// Beyond the 24 h window the team has nothing to show.
	f.now = pre.Start.Add(-25 * time.Hour)
	s, err = f.status(pre.HomeTeam.Abbreviation, "nfl")
	require.NoError(t, err)
	assert.Equal(t, "none", s.Status)
	assert.Equal(t, "NOT_FOUND", s.State)
	assert.Nil(t, s.GameID)
}

func TestRecentFinalThenNothing(t *testing.T) {
	f := newFixture(t)
	fin := f.first(t, game.StatusFinal)
	// Seen final three hours after its start: it just ended.
	f.now = fin.Start.Add(3 * time.Hour)
	f.svc.Observe("nfl", []game.Game{fin})
	s, err := f.status(fin.AwayTeam.Abbreviation, "nfl")
	require.NoError(t, err)
	assert.Equal(t, "final", s.Status)
	assert.Equal(t, "POST", s.State)
	require.NotNil(t, s.Result)
	f.now = f.now.Add(5 * time.Hour)
	s, err = f.status(fin.AwayTeam.Abbreviation, "nfl")
	require.NoError(t, err)
	assert.Equal(t, "none", s.Status, "a final older than the 4 h window is not shown")

	// A game found final long after its start (the service was down) is
	// not "recent" just because it was seen now.
	f2 := newFixture(t)
	f2.svc.Observe("nfl", []game.Game{fin})
	s, err = f2.status(fin.AwayTeam.Abbreviation, "nfl")
	require.NoError(t, err)
	assert.Equal(t, "none", s.Status, "a final older than the 4 h window is not shown")
}

// TestTheGameThatMattersNow: a team with a live game and a later game, or a
// postponed game and its replay, shows the live one, then the next one.
func TestTheGameThatMattersNow(t *testing.T) {
	f := newFixture(t)
	live := f.find(t, "HOU")
	// Derived: a second HOU game the next day and a postponed one today.
	next := live
	next.ID, next.Status = "9000001", game.StatusScheduled
	next.Start = f.now.Add(20 * time.Hour)
	next.StartTime = next.Start.UTC().Format("2006-01-02T15:04Z")
	postponed := live
	postponed.ID, postponed.Status = "9000002", game.StatusPostponed
	games := append([]game.Game{}, f.st.League("nfl").Games...)
	f.st.Replace("nfl", append(games, next, postponed), f.now)

	s, err := f.status("HOU", "")
	require.NoError(t, err)
	assert.Equal(t, live.ID, *s.GameID, "live first")

	live.Status = game.StatusFinal
	var rest []game.Game
	for _, g := range f.st.League("nfl").Games {
		if g.ID == live.ID {
			g = live
		}
		rest = append(rest, g)
	}
	f.st.Replace("nfl", rest, f.now)
	s, err = f.status("HOU", "")
	require.NoError(t, err)
	assert.Equal(t, "upcoming", s.Status, "then the next game within the window, not the postponed one")
	assert.Equal(t, next.ID, *s.GameID)
}

func TestUnknownAndAmbiguousTeams(t *testing.T) {
	f := newFixture(t)
	_, err := f.status("Jets", "")
	var amb *teams.AmbiguousError
	require.ErrorAs(t, err, &amb)
	s, err := f.status("Jets", "nhl")
	require.NoError(t, err)
	assert.Equal(t, "WPG", s.Team)
	_, err = f.status("Patriotz", "")
	var nf *teams.NotFoundError
	require.ErrorAs(t, err, &nf)
}

func TestContextAttributes(t *testing.T) {
	f := newFixture(t)
	g := f.find(t, "HOU")
	c, err := f.context("HOU", "")
	require.NoError(t, err)
	assert.Equal(t, "live", c.Status)
	require.NotNil(t, c.CurrentGame)
	assert.Equal(t, g.ID, c.CurrentGame.ID)
	assert.Len(t, c.TeamColors, 2)
	assert.NotEmpty(t, c.TeamLogo)
	if g.Details != nil && g.Details.Possession != "" {
		require.NotNil(t, c.Possession)
		assert.Contains(t, []string{"HOU", "IND"}, *c.Possession, "possession is an abbreviation, not ESPN's team id")
	}
	if len(g.Broadcasts) > 0 {
		require.NotNil(t, c.TVNetwork)
	}
}

// game-context's kickoff_in is the TeamTracker sensor's phrase, also for a
// start ESPN has not shown yet.
func TestContextKickoffInIsTheSensorsPhrase(t *testing.T) {
	f := newFixture(t)
	pre := f.first(t, game.StatusScheduled)
	for _, c := range []struct {
		before time.Duration
		want   string
	}{
		{90 * time.Second, "in a minute"},
		{45 * time.Minute, "in 45 minutes"},
		{3 * time.Hour, "in 3 hours"},
		{-10 * time.Minute, "10 minutes ago"},
	} {
		f.now = pre.Start.Add(-c.before)
		ctx, err := f.context(pre.HomeTeam.Abbreviation, "nfl")
		require.NoError(t, err)
		require.NotNil(t, ctx.KickoffIn, c.before)
		assert.Equal(t, c.want, *ctx.KickoffIn, c.before)
		assert.Equal(t, kickoff.Phrase(pre.Start, f.now), *ctx.KickoffIn)
	}
}

// A team's next game beyond the scoreboard's days comes from the stored
// schedule (a soccer club's fixtures, a team schedule): game-context
// names it, and game-status calls it upcoming once it is within
// HA_UPCOMING_WINDOW. A game on the scoreboard wins over its scheduled
// copy.
func TestNextGameFromTheStoredSchedule(t *testing.T) {
	f := newFixture(t)
	kc := f.find(t, "KC")
	require.Equal(t, game.StatusScheduled, kc.Status, "KC plays at 4:25 pm in the capture")
	later := kc
	later.ID = "401999999"
	later.Start = f.now.Add(10 * 24 * time.Hour)
	later.StartTime = later.Start.UTC().Format("2006-01-02T15:04Z")
	moved := kc // the schedule's older copy, still two days later
	moved.Start = kc.Start.Add(48 * time.Hour)
	moved.StartTime = moved.Start.UTC().Format("2006-01-02T15:04Z")
	scheduled := func(k string) []game.Game {
		if k != "nfl" {
			return nil
		}
		return []game.Game{moved, later}
	}
	games := f.st.League("nfl").Games
	f.st.Replace("nfl", nil, f.now) // a bye week: nothing on the scoreboard
	wide := asker{dir: f.dir, svc: New(f.st, Options{Now: func() time.Time { return f.now }, Scheduled: func(string) []game.Game { return []game.Game{later} },
		UpcomingWindow: 14 * 24 * time.Hour})}
	ctx, err := wide.context("KC", "nfl")
	require.NoError(t, err)
	require.NotNil(t, ctx.NextGame)
	assert.Equal(t, later.ID, ctx.NextGame.ID)
	s, err := wide.status("KC", "nfl")
	require.NoError(t, err)
	assert.Equal(t, "upcoming", s.Status)
	require.NotNil(t, s.MinutesUntilStart)
	assert.Equal(t, 10*24*60, *s.MinutesUntilStart)

	narrow := asker{dir: f.dir, svc: New(f.st, Options{Now: func() time.Time { return f.now }, Scheduled: scheduled})}
	s, err = narrow.status("KC", "nfl")
	require.NoError(t, err)
	assert.Equal(t, "none", s.Status, "two and ten days are beyond the default window of 24 hours")

	// On the scoreboard, the game is the scoreboard's, not the schedule's
	// older copy.
	f.st.Replace("nfl", games, f.now)
	s, err = narrow.status("KC", "nfl")
	require.NoError(t, err)
	assert.Equal(t, "upcoming", s.Status)
	require.NotNil(t, s.StartTime)
	assert.Equal(t, kc.StartTime, *s.StartTime)
}
