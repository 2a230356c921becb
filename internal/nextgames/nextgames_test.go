package nextgames

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
)

func schedule(t *testing.T, key, rel string) []*game.Game {
	t.Helper()
	l, ok := league.Lookup(key)
	require.True(t, ok)
	games, err := espn.ParseSchedule(espntest.Load(t, rel), l)
	require.NoError(t, err)
	out := make([]*game.Game, len(games))
	for i := range games {
		out[i] = &games[i]
	}
	return out
}

// The Lakers' captured schedule (2025-26 playoffs): the next five of its
// seven coming games, days ahead, with venue and TV where ESPN has them
// and a time ESPN has not fixed marked so.
func TestTheNextFiveFromARealSchedule(t *testing.T) {
	games := schedule(t, "nba", "nba/team-schedule-13-2026-05-03-future-games.json")
	now := time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC)
	got := Of(games, TeamIDs("nba-lal"), now, Count)
	require.Len(t, got, 5)
	ids := make([]string, len(got))
	for i, g := range got {
		ids[i] = g.GameID
	}
	assert.Equal(t, []string{"401871326", "401871327", "401871328", "401871329", "401871330"}, ids)
	venue, tv := "Paycom Center", "NBC, Peacock"
	assert.Equal(t, Game{Date: "2026-05-06T00:30:00Z", League: "NBA", GameID: "401871326", Opponent: "OKC",
		OpponentName: "Oklahoma City Thunder", HomeAway: "away", Venue: &venue, TV: &tv}, got[0])
	assert.Equal(t, "home", got[2].HomeAway)
	assert.True(t, got[4].TimeTBD, "ESPN's placeholder time")
	assert.Nil(t, got[4].TV, "no broadcaster yet: null")

	b, err := json.Marshal(got[4])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"tv":null`)
	_, err = time.Parse(time.RFC3339, got[4].Date)
	assert.NoError(t, err)

	// Weeks later only the last ones are left; the other team sees them
	// from its own side.
	late := Of(games, TeamIDs("nba-okc"), time.Date(2026, 5, 14, 0, 0, 0, 0, time.UTC), Count)
	require.Len(t, late, 2)
	assert.Equal(t, "away", late[0].HomeAway)
	assert.Equal(t, "LAL", late[0].Opponent)
	assert.Empty(t, Of(games, TeamIDs("nba-lal"), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Count))
}

// Across the end of a month, from a season's schedule (derived: the
// Chiefs' 2023 schedule, every game set back to scheduled), with a game
// that begun an hour ago and ESPN has not started yet still listed, and
// one three and a half hours past its start not.
func TestAcrossTheEndOfAMonth(t *testing.T) {
	games := schedule(t, "nfl", "nfl/team-12-kc-schedule-2023-season-final.json")
	for i := range games {
		games[i].Status = game.StatusScheduled
	}
	// An hour after the opener's kick-off; a Sunday night game in New
	// York is Monday in UTC (2023-10-02).
	now := time.Date(2023, 9, 8, 1, 20, 0, 0, time.UTC)
	got := Of(games, TeamIDs("nfl-kc"), now, Count)
	require.Len(t, got, 5)
	var dates []string
	for _, g := range got {
		dates = append(dates, g.Date[:10])
	}
	assert.Equal(t, []string{"2023-09-08", "2023-09-17", "2023-09-24", "2023-10-02", "2023-10-08"}, dates)
	got = Of(games, TeamIDs("nfl-kc"), now.Add(150*time.Minute), Count)
	assert.Equal(t, "2023-09-17", got[0].Date[:10])

	// A live, final, postponed game or another team's is no next game.
	games[1].Status = game.StatusPostponed
	got = Of(games, TeamIDs("nfl-kc"), now, 2)
	assert.Equal(t, "2023-09-24", got[1].Date[:10])
	assert.Empty(t, Of(games, TeamIDs("nfl-sea"), now, Count))
}
