package influx_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/store/storetest"
)

// Benchmarks against the real InfluxDB 1.8 (SPORTS_DATA_TEST_INFLUXDB_URL):
//
//	go test -run '^$' -bench . -benchtime 3s ./internal/store/influx/
//
// BenchmarkTeamSeasonStorage starts its own influxd and measures once:
//
//	go test -run '^$' -bench TeamSeasonStorage -benchtime 1x ./internal/store/influx/

var (
	writePoolOnce sync.Once
	writePool     []store.Point
)

// writeBenchPoints are distinct points (ten NFL seasons and two NHL ones)
// in the order a poller observes them.
func writeBenchPoints() []store.Point {
	writePoolOnce.Do(func() {
		for season := 2015; season <= 2024; season++ {
			writePool = append(writePool, storetest.SeasonSpec{League: "nfl", Season: season}.Points()...)
		}
		for season := 2024; season <= 2025; season++ {
			writePool = append(writePool, storetest.SeasonSpec{League: "nhl", Season: season}.Points()...)
		}
	})
	return writePool
}

// BenchmarkWrite compares Write (influxdb3-go, gzip from 1000 bytes) with a
// plain POST of the same line protocol to 1.8's /write, in the batch sizes
// of the batch writer (100) and of a backfill (5000).
func BenchmarkWrite(b *testing.B) {
	base := influxtest.URL(b)
	pool := writeBenchPoints()
	lines := make([][]byte, len(pool))
	for i, p := range pool {
		lp, err := influx.LineProtocol(p)
		require.NoError(b, err)
		lines[i] = lp
	}
	ctx := context.Background()
	for _, size := range []int{100, 5000} {
		b.Run(fmt.Sprintf("store/batch=%d", size), func(b *testing.B) {
			s := openStore(b, influx.Options{URL: base, Database: freshDatabase(b, base), RetentionDays: 0})
			require.NoError(b, s.Write(ctx, pool[:1]))
			written, next := 0, 0
			b.ResetTimer()
			for range b.N {
				if next+size > len(pool) {
					next = 0
				}
				if err := s.Write(ctx, pool[next:next+size]); err != nil {
					b.Fatal(err)
				}
				next += size
				written += size
			}
			b.ReportMetric(float64(written)/b.Elapsed().Seconds(), "points/s")
		})
		b.Run(fmt.Sprintf("raw/batch=%d", size), func(b *testing.B) {
			db := freshDatabase(b, base)
			seriesValues(b, influxQL(b, base, "", "", `CREATE DATABASE "`+db+`"`))
			client := &http.Client{}
			written, next := 0, 0
			var body bytes.Buffer
			b.ResetTimer()
			for range b.N {
				if next+size > len(lines) {
					next = 0
				}
				body.Reset()
				for _, l := range lines[next : next+size] {
					body.Write(l)
				}
				resp, err := client.Post(base+"/write?db="+db+"&precision=ns", "text/plain", &body)
				if err != nil {
					b.Fatal(err)
				}
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusNoContent {
					b.Fatalf("HTTP %d", resp.StatusCode)
				}
				next += size
				written += size
			}
			b.ReportMetric(float64(written)/b.Elapsed().Seconds(), "points/s")
		})
	}
}

// BenchmarkWriteInterleaved times store and raw writes of the same batch
// one after the other in every iteration, so that both see the same load
// on a shared machine; it reports both rates and their ratio.
func BenchmarkWriteInterleaved(b *testing.B) {
	base := influxtest.URL(b)
	pool := writeBenchPoints()
	lines := make([][]byte, len(pool))
	for i, p := range pool {
		lp, err := influx.LineProtocol(p)
		require.NoError(b, err)
		lines[i] = lp
	}
	ctx := context.Background()
	for _, size := range []int{100, 5000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			s := openStore(b, influx.Options{URL: base, Database: freshDatabase(b, base), RetentionDays: 0})
			require.NoError(b, s.Write(ctx, pool[:1]))
			rawDB := freshDatabase(b, base)
			seriesValues(b, influxQL(b, base, "", "", `CREATE DATABASE "`+rawDB+`"`))
			client := &http.Client{}
			var storeTime, rawTime time.Duration
			written, next := 0, 0
			var body bytes.Buffer
			b.ResetTimer()
			for range b.N {
				if next+size > len(pool) {
					next = 0
				}
				start := time.Now()
				if err := s.Write(ctx, pool[next:next+size]); err != nil {
					b.Fatal(err)
				}
				storeTime += time.Since(start)

				body.Reset()
				for _, l := range lines[next : next+size] {
					body.Write(l)
				}
				start = time.Now()
				resp, err := client.Post(base+"/write?db="+rawDB+"&precision=ns", "text/plain", &body)
				if err != nil {
					b.Fatal(err)
				}
				_ = resp.Body.Close()
				rawTime += time.Since(start)
				if resp.StatusCode != http.StatusNoContent {
					b.Fatalf("HTTP %d", resp.StatusCode)
				}
				next += size
				written += size
			}
			storeRate := float64(written) / storeTime.Seconds()
			rawRate := float64(written) / rawTime.Seconds()
			b.ReportMetric(storeRate, "store-points/s")
			b.ReportMetric(rawRate, "raw-points/s")
			b.ReportMetric(storeRate/rawRate, "store/raw")
		})
	}
}

// twoSeasons is a store holding the NFL 2023 and 2024 seasons, written in
// batches of 5000.
func twoSeasons(b *testing.B) (*influx.Store, []storetest.Game) {
	b.Helper()
	base := influxtest.URL(b)
	s := openStore(b, influx.Options{URL: base, Database: freshDatabase(b, base), RetentionDays: 0})
	var pts []store.Point
	var games []storetest.Game
	for _, season := range []int{2023, 2024} {
		spec := storetest.SeasonSpec{League: "nfl", Season: season}
		pts = append(pts, spec.Points()...)
		games = append(games, spec.Schedule()...)
	}
	for i := 0; i < len(pts); i += 5000 {
		require.NoError(b, s.Write(context.Background(), pts[i:min(i+5000, len(pts))]))
	}
	return s, games
}

func BenchmarkGamesTeamSeason(b *testing.B) {
	s, _ := twoSeasons(b)
	teams := storetest.Teams("nfl")
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		got, err := s.Games(ctx, store.GameQuery{League: "nfl", Team: teams[i%len(teams)].Abbr, Season: 2024})
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != 17 {
			b.Fatalf("%d games", len(got))
		}
	}
	b.ReportMetric(17, "rows/op")
}

func BenchmarkTimeline(b *testing.B) {
	s, games := twoSeasons(b)
	ctx := context.Background()
	rows := 0
	b.ResetTimer()
	for i := range b.N {
		got, err := s.Timeline(ctx, "nfl", games[i%len(games)].ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) < 4 {
			b.Fatalf("%d points", len(got))
		}
		rows += len(got)
	}
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}

// BenchmarkTeamSeasonStorage measures what one team's 17-game NFL season
// takes on disk in InfluxDB 1.8. A private influxd that snapshots its cache
// and fully compacts a shard after one cold second gets the season (in
// batches of 100, as the batch writer sends them) into a fresh database.
// Once the WAL is empty and the shard is one TSM file, it reports:
//
//   - shard-bytes: the shard directory (TSM file and fields.idx), du -b;
//   - db-bytes and db-allocated-bytes: the whole database directory, which
//     adds the series file, eight 4 MiB segments preallocated sparsely per
//     database whatever it holds (apparent size, and blocks in use);
//   - wal-bytes: the WAL before the snapshot; lp-bytes: line protocol sent.
func BenchmarkTeamSeasonStorage(b *testing.B) {
	srv := startInfluxd(b, false, `  cache-snapshot-write-cold-duration = "1s"
  compact-full-write-cold-duration = "1s"`)
	var team []store.Point
	for _, p := range (storetest.SeasonSpec{League: "nfl", Season: 2024}).Points() {
		if p.HomeTeam == "NE" || p.AwayTeam == "NE" {
			team = append(team, p)
		}
	}
	ctx := context.Background()
	for range b.N {
		db := randomName("teamseason_")
		s := openStore(b, influx.Options{URL: srv.url, Database: db, RetentionDays: 0})
		for i := 0; i < len(team); i += 100 {
			require.NoError(b, s.Write(ctx, team[i:min(i+100, len(team))]))
		}
		wal := dirUsage(b, filepath.Join(srv.walDir, db))
		shardDir := filepath.Join(srv.dataDir, db, influx.RetentionPolicy)
		var last usage
		require.Eventually(b, func() bool {
			u := dirUsage(b, shardDir)
			done := dirUsage(b, filepath.Join(srv.walDir, db)).bytes == 0 && u.tsmFiles == 1 && u == last
			last = u
			return done
		}, 60*time.Second, 500*time.Millisecond, "no snapshot and compaction")
		whole := dirUsage(b, filepath.Join(srv.dataDir, db))
		b.ReportMetric(float64(len(team)), "points")
		b.ReportMetric(float64(s.Info(ctx).Bytes), "lp-bytes")
		b.ReportMetric(float64(wal.bytes), "wal-bytes")
		b.ReportMetric(float64(last.bytes), "shard-bytes")
		b.ReportMetric(float64(whole.bytes), "db-bytes")
		b.ReportMetric(float64(whole.allocated), "db-allocated-bytes")
	}
}
