package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/storetest"
)

// The benchmark database: two full seasons of all 32 NFL and 32 NHL teams,
// built once per test binary and removed by TestMain.
var bench struct {
	once   sync.Once
	dir    string
	path   string
	err    error
	points int
	games  map[string][]storetest.Game // league → schedule of the later season
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

func benchStore(b *testing.B) (*Store, map[string][]storetest.Game) {
	b.Helper()
	bench.once.Do(func() {
		bench.dir, bench.err = os.MkdirTemp("", "sports-data-bench-")
		if bench.err != nil {
			return
		}
		bench.path = filepath.Join(bench.dir, "bench.db")
		s, err := Open(bench.path, Options{})
		if err != nil {
			bench.err = err
			return
		}
		defer s.Close()
		bench.games = map[string][]storetest.Game{}
		// ESPN numbers NHL seasons by the year they end.
		for _, spec := range []storetest.SeasonSpec{
			{League: "nfl", Season: 2023}, {League: "nfl", Season: 2024},
			{League: "nhl", Season: 2024}, {League: "nhl", Season: 2025},
		} {
			points := spec.Points()
			bench.points += len(points)
			for i := 0; i < len(points); i += 1000 {
				if err := s.Write(context.Background(), points[i:min(i+1000, len(points))]); err != nil {
					bench.err = err
					return
				}
			}
			bench.games[spec.League] = spec.Schedule()
		}
		bench.err = s.Close()
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	s, err := Open(bench.path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	b.Logf("dataset: %d points written, %d bytes on disk", bench.points, s.Info(context.Background()).Bytes)
	return s, bench.games
}

// BenchmarkGamesTeamSeason reads one team's games of one season, as the
// schedule and history endpoints do (17 NFL rows, 82 NHL rows).
func BenchmarkGamesTeamSeason(b *testing.B) {
	s, _ := benchStore(b)
	for _, c := range []struct {
		league string
		season int
		want   int
	}{{"nfl", 2024, 17}, {"nhl", 2025, 82}} {
		b.Run(c.league, func(b *testing.B) {
			teams := storetest.Teams(c.league)
			ctx := context.Background()
			i := 0
			cpu := cpuTime()
			for b.Loop() {
				team := teams[i%len(teams)].Abbr
				i++
				got, err := s.Games(ctx, store.GameQuery{League: c.league, Team: team, Season: c.season})
				if err != nil {
					b.Fatal(err)
				}
				if len(got) != c.want {
					b.Fatalf("%s %s: %d games, want %d", c.league, team, len(got), c.want)
				}
			}
			reportCPU(b, cpu, i)
			b.ReportMetric(float64(c.want), "rows/op")
		})
	}
}

// BenchmarkTimeline reads every score point of one game.
func BenchmarkTimeline(b *testing.B) {
	s, games := benchStore(b)
	for _, league := range []string{"nfl", "nhl"} {
		b.Run(league, func(b *testing.B) {
			schedule := games[league]
			ctx := context.Background()
			i, rows := 0, 0
			cpu := cpuTime()
			for b.Loop() {
				g := schedule[(i*37)%len(schedule)]
				i++
				got, err := s.Timeline(ctx, league, g.ID)
				if err != nil {
					b.Fatal(err)
				}
				if len(got) == 0 {
					b.Fatalf("no timeline for %s %s", league, g.ID)
				}
				rows += len(got)
			}
			reportCPU(b, cpu, i)
			b.ReportMetric(float64(rows)/float64(i), "rows/op")
		})
	}
}

func reportCPU(b *testing.B, start time.Duration, ops int) {
	if used := cpuTime() - start; used > 0 && ops > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(ops), "cpu-ns/op")
	}
}

// TestTeamSeasonFileBytes measures what one simulated 17-game NFL
// team-season costs on disk: the file holding only that team's games, and
// a whole league season divided among its teams.
func TestTeamSeasonFileBytes(t *testing.T) {
	size := func(points []store.Point) int64 {
		path := filepath.Join(t.TempDir(), "size.db")
		s, err := Open(path, Options{})
		require.NoError(t, err)
		mustWrite(t, s, points)
		open := s.Info(t.Context()).Bytes
		require.NoError(t, s.Close()) // checkpoints the WAL into the file
		fi, err := os.Stat(path)
		require.NoError(t, err)
		require.LessOrEqual(t, fi.Size(), open, "the WAL holds at most what the file gets")
		return fi.Size()
	}
	season := storetest.SeasonSpec{League: "nfl", Season: 2024}.Points()
	var ne []store.Point
	scores := 0
	ids := map[string]bool{}
	for _, p := range season {
		if p.HomeTeam == "NE" || p.AwayTeam == "NE" {
			ne = append(ne, p)
			ids[p.GameID] = true
			if p.Series == store.SeriesScores {
				scores++
			}
		}
	}
	require.Len(t, ids, 17)

	empty := size(nil)
	team := size(ne)
	league := size(season)
	require.Greater(t, team, empty)
	require.Greater(t, league, team)
	require.Less(t, team-empty, int64(1<<20), "a team-season stays far below a megabyte")
	t.Logf("empty database: %d bytes", empty)
	t.Logf("one 17-game NFL team-season (%d score points, %d games rows written): file %d bytes, %d bytes above empty",
		scores, len(ne)-scores, team, team-empty)
	t.Logf("whole NFL season (272 games, %d points): file %d bytes, %d bytes per 17 games (a sixteenth)",
		len(season), league, (league-empty)/16)
}

// BenchmarkInfo is what /health asks of the store on every request.
func BenchmarkInfo(b *testing.B) {
	s := openTemp(b, Options{})
	b.ReportAllocs()
	for b.Loop() {
		s.Info(b.Context())
	}
}
