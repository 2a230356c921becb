package espn

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
)

func TestScoreboardKeepsEachEventAsSent(t *testing.T) {
	srv := espntest.NewServer(t)
	srv.ServeFixture(t, "/football/nfl/scoreboard", "nfl/scoreboard-2022-wk1-sun-live-mixed.json")
	at := time.Date(2022, 9, 11, 20, 0, 0, 0, time.UTC)
	c := NewClient(srv.URL, Options{Now: func() time.Time { return at }})
	sb, err := c.ScoreboardDay(t.Context(), mustLeague(t, "nfl"), at)
	games := sb.Games
	require.NoError(t, err)
	require.Len(t, games, 16)
	for _, g := range games {
		require.NotNil(t, g.Source, g.ID)
		var ev struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal(g.Source.Event, &ev))
		assert.Equal(t, g.ID, ev.ID, "each game keeps its own event")
		assert.Equal(t, srv.URL+"/football/nfl/scoreboard?dates=20220911", g.Source.URL)
		assert.Equal(t, at, g.Source.FetchedAt)
		var lg struct {
			Abbreviation string `json:"abbreviation"`
		}
		require.NoError(t, json.Unmarshal(g.Source.League, &lg))
		assert.Equal(t, "NFL", lg.Abbreviation)
	}
}

// BenchmarkParseScoreboardWithSource is the parse of a real scoreboard that
// also keeps each game's event (go test -bench ScoreboardWithSource), beside
// BenchmarkParseScoreboardNFL without it.
func BenchmarkParseScoreboardWithSource(b *testing.B) {
	data := espntest.Load(b, "nfl/scoreboard-2022-wk1-sun-live-mixed.json")
	l := mustLeague(b, "nfl")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		games, err := parseScoreboardWithSource(data, l)
		if err != nil || len(games) != 16 || games[15].Source == nil {
			b.Fatalf("got %d games, %v", len(games), err)
		}
	}
}
