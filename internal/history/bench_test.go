package history_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/store"
	st "github.com/sports-data/sports-data/internal/store/storetest"
)

// twoSeasons is two full regular seasons of all 32 NFL and all 32 NHL
// teams (NFL 2023 and 2024, NHL 2024 and 2025) as a poller would have
// written them: games rows and every observed change.
var twoSeasons = sync.OnceValue(func() []store.Point {
	var out []store.Point
	for _, spec := range []st.SeasonSpec{
		{League: "nfl", Season: 2023}, {League: "nfl", Season: 2024},
		{League: "nhl", Season: 2024}, {League: "nhl", Season: 2025},
	} {
		out = append(out, spec.Points()...)
	}
	return out
})

func loadTwoSeasons(b *testing.B, s store.Store) {
	b.Helper()
	points := twoSeasons()
	ctx := context.Background()
	for i := 0; i < len(points); i += 5000 {
		require.NoError(b, s.Write(ctx, points[i:min(i+5000, len(points))]))
	}
}

// benchGame is a finished NFL 2024 game of KC's.
func benchGame(b *testing.B, s store.Store) string {
	b.Helper()
	games, err := s.Games(context.Background(), store.GameQuery{League: "nfl", Team: "KC", Season: 2024, Status: "finished"})
	require.NoError(b, err)
	require.NotEmpty(b, games)
	return games[len(games)/2].GameID
}

func benchHistory(b *testing.B, open func(testing.TB) store.Store) {
	s := open(b)
	loadTwoSeasons(b, s)
	ctx := context.Background()
	queries := map[string]history.HistoryQuery{
		"nfl": {Team: "KC", Season: 2024},
		"nhl": {Team: "BOS", Season: 2025},
	}
	for _, name := range []string{"nfl", "nhl"} {
		q := queries[name]
		b.Run(name, func(b *testing.B) {
			svc := newService(b, s, history.Options{})
			for b.Loop() {
				page, err := svc.History(ctx, q)
				if err != nil || page.Statistics.GamesPlayed == 0 {
					b.Fatal(err, page)
				}
			}
		})
	}
}

func benchTimeline(b *testing.B, open func(testing.TB) store.Store) {
	s := open(b)
	loadTwoSeasons(b, s)
	ctx := context.Background()
	id := benchGame(b, s)
	svc := newService(b, s, history.Options{})
	for b.Loop() {
		tl, err := svc.Timeline(ctx, id, "")
		if err != nil || tl.FinalScore == nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHistoryTeamSeason(b *testing.B) {
	for _, k := range historytest.Kinds() {
		if k.Bench {
			b.Run(k.Name, func(b *testing.B) { benchHistory(b, k.Open) })
		}
	}
}

func BenchmarkTimeline(b *testing.B) {
	for _, k := range historytest.Kinds() {
		if k.Bench {
			b.Run(k.Name, func(b *testing.B) { benchTimeline(b, k.Open) })
		}
	}
}
