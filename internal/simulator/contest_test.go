package simulator_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/simulator"
)

// contestAt parses a league of athletes' day scoreboard at simulated time
// at with the service's own parser: its one contest.
func contestAt(t testing.TB, s *simulator.Sim, at time.Time, key string) game.Game {
	t.Helper()
	b, err := s.ContestScoreboardAt(at, key)
	require.NoError(t, err)
	games, err := espn.ParseScoreboard(b, mustLeague(t, key))
	require.NoError(t, err, "%s at %s", key, at)
	require.Len(t, games, 1, "%s at %s", key, at)
	return games[0]
}

// Each contest, read minute by minute through the service's parser,
// shows what the simulator's truth says: the start, every set won, round
// finished or change in the first three at its time, and the winner.
func TestContestsPlayAsTheirTruthSays(t *testing.T) {
	s := newSim(t, simulator.Options{Leagues: []string{"atp", "ufc", "f1"}, Seed: 7})
	truths := s.Contests()
	require.Len(t, truths, 3)
	for _, tr := range truths {
		t.Run(tr.League, func(t *testing.T) {
			require.NotEmpty(t, tr.Changes, "something to report")
			before := contestAt(t, s, tr.Start.Add(-time.Minute), tr.League)
			assert.Equal(t, game.StatusScheduled, before.Status)
			assert.Equal(t, tr.ID, before.ID)

			prev := before
			var seen []string
			for at := tr.Start; !at.After(tr.End); at = at.Add(20 * time.Second) {
				g := contestAt(t, s, at, tr.League)
				assert.NotEqual(t, game.StatusScheduled, g.Status, "under way at %s", at)
				switch tr.League {
				case "atp":
					if g.Score != prev.Score {
						seen = append(seen, "set")
					}
				case "ufc":
					if g.Status == game.StatusLive && g.Period.Current > prev.Period.Current && prev.Status == game.StatusLive {
						seen = append(seen, "round")
					}
				case "f1":
					if prev.Status == game.StatusLive && g.Podium() != prev.Podium() {
						seen = append(seen, "podium")
					}
				}
				prev = g
			}
			var want []string
			for _, c := range tr.Changes {
				want = append(want, c.Kind)
			}
			assert.Equal(t, want, seen)
			final := contestAt(t, s, tr.End, tr.League)
			assert.Equal(t, game.StatusFinal, final.Status)
			won := final.HomeTeam
			if final.Winner() == game.Away {
				won = final.AwayTeam
			}
			assert.Equal(t, tr.Winner, won.Name, "ESPN's winner is the truth's")
			assert.Equal(t, game.AthleteID(tr.League, tr.Winner), won.ID)
		})
	}
}

// The leagues of athletes are served as ESPN serves them today: a range
// is 400, a refused agent 403, a day and a month are answered.
func TestContestsAnswerByESPNsRules(t *testing.T) {
	s := newSim(t, simulator.Options{Leagues: []string{"atp"}, Seed: 1})
	base, err := s.Start(context.Background())
	require.NoError(t, err)
	get := func(path, ua string) int {
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		require.NoError(t, err)
		req.Header.Set("User-Agent", ua)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	day := sunday.Format("20060102")
	assert.Equal(t, 200, get("/tennis/atp/scoreboard?dates="+day, "sports-data/test"))
	assert.Equal(t, 200, get("/tennis/atp/scoreboard?dates="+day[:6]+"&limit=500", "sports-data/test"))
	assert.Equal(t, 400, get("/tennis/atp/scoreboard?dates="+day+"-"+day, "sports-data/test"))
	assert.Equal(t, 403, get("/tennis/atp/scoreboard?dates="+day, "Mozilla/5.0 Safari/605"))
	assert.Equal(t, 404, get("/tennis/wta/scoreboard?dates="+day, "sports-data/test"))
}
