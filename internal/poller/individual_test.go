package poller

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
)

// A tennis tournament is one event of 635 matches: the league is polled
// at the live cadence while one match of it is on, and idly once none is
// (its next match a day away), and its players are learned from the poll,
// with no team list asked for.
func TestATournamentsLiveMatchSetsTheCadence(t *testing.T) {
	atp := mustLeagueKey(t, "atp")
	capture := espntest.Load(t, "atp/scoreboard-2025-06-01-roland-garros.json")
	// Derived: the first match of the capture (a final) made live.
	live := bytes.Replace(capture, []byte(`"name":"STATUS_FINAL","state":"post","completed":true`),
		[]byte(`"name":"STATUS_IN_PROGRESS","state":"in","completed":false`), 1)
	for _, c := range []struct {
		name string
		body []byte
		want time.Duration
	}{
		{"a match on", live, time.Second},
		{"none on", capture, time.Minute},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.want == time.Second {
				require.NotEqual(t, capture, c.body, "the derived capture has a live match")
			}
			srv := espntest.NewServer(t)
			srv.ServeBytes("/tennis/atp/scoreboard", c.body)
			dir := teams.NewDirectory("", []league.League{atp}, nil)
			// The day before the capture's next matches.
			now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
			p := New(espn.NewClient(srv.URL, espn.Options{MaxRetries: -1}), state.New("atp"), dir, nil, []league.League{atp},
				Options{LiveInterval: time.Second, IdleInterval: time.Minute, Now: func() time.Time { return now }})
			games := map[string]game.Game{}
			var upcomingAt time.Time
			require.NoError(t, p.refreshTeams(context.Background(), atp), "a league of athletes has no list to fail")
			_, err := p.poll(context.Background(), atp, games, now, &upcomingAt, true)
			require.NoError(t, err)
			assert.Len(t, games, 635)
			assert.Equal(t, c.want, p.interval(p.liveCadence(games, now)))
			for _, u := range srv.Requests() {
				assert.Equal(t, "/tennis/atp/scoreboard", u.Path)
			}
			_, err = dir.Resolve("Dimitrov", "atp")
			assert.NoError(t, err, "the players are learned from the poll")
		})
	}
}
