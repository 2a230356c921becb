package history_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/recorder"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/teams"
)

// collect is an Enqueuer that keeps what the recorder writes.
type collect struct{ points []store.Point }

func (c *collect) Enqueue(points ...store.Point) { c.points = append(c.points, points...) }

// A race weekend goes through the recorder into each store kind; a
// driver's history lists each session with the place, and its record
// counts a win only where it was first.
func TestHistoryOfADriver(t *testing.T) {
	all, err := os.ReadFile(filepath.Join(filepath.Dir(espntest.Dir(t)), "teamtracker", "all.json"))
	require.NoError(t, err)
	f1, _ := league.Lookup("f1")
	games, err := espn.ParseScoreboard(all, f1)
	require.NoError(t, err)
	var weekend = games[:0:0]
	for _, g := range games {
		if g.Contest != nil && g.Contest.EventID == "600026751" {
			weekend = append(weekend, g)
		}
	}
	require.Len(t, weekend, 5)
	out := &collect{}
	recorder.New(out, func() time.Time { return time.Date(2023, 4, 30, 18, 0, 0, 0, time.UTC) }, nil).Observe("f1", weekend)
	stored := map[string]bool{}
	for _, p := range out.points {
		stored[p.GameID] = true
	}
	assert.True(t, stored["401511286-max-verstappen"], "an entry per driver and session")
	assert.False(t, stored["401511286"], "no row of the session itself")

	dir := teams.NewDirectory("", []league.League{f1}, nil)
	dir.Observe("f1", weekend)
	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			s := k.Open(t)
			write(t, s, out.points...)
			svc := history.New(s, dir, history.Options{Leagues: []league.League{f1}})
			page, err := svc.History(context.Background(), history.HistoryQuery{Team: "Leclerc", League: "f1", Season: 2023})
			require.NoError(t, err)
			require.Len(t, page.Games, 5, "every session of the weekend, once: %v", ids(page.Games))
			for _, g := range page.Games {
				assert.Equal(t, "CHERLES-LECLERC", g.HomeTeam, g.GameID)
			}
			require.NotNil(t, page.Statistics)
			// First in qualifying and the unnamed session, second in FP1;
			// the sprint qualifying is live and the race not started.
			assert.Equal(t, 2, page.Statistics.Wins)
			assert.Equal(t, 1, page.Statistics.Losses)
		})
	}
}
