// Package historytest gives the tests of history, schedule and backfill
// the same stores to run against and an independent reading of the KC
// schedule capture to check their answers with.
package historytest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/store/sqlite"
)

// Kind opens an empty store of one kind for a test; it is closed (and its
// database dropped) when the test ends.
type Kind struct {
	Name string
	Open func(t testing.TB) store.Store
	// Bench says the kind is worth loading full seasons into in the
	// benchmarks.
	Bench bool
}

// Kinds lists every store kind: the embedded SQLite file and the real
// InfluxDB servers make test starts, 1.8 and 2.7 read with InfluxQL, 3 Core
// with SQL over Flight (each skipped without its server, failed instead
// when CI=true).
func Kinds() []Kind {
	return []Kind{
		{Name: "sqlite", Open: SQLite, Bench: true},
		{Name: "influxdb18", Open: InfluxDB18, Bench: true},
		{Name: "influxdb2", Open: InfluxDB2, Bench: true},
		{Name: "influxdb3", Open: InfluxDB3, Bench: true},
	}
}

// SQLite opens a store file in the test's temporary directory.
func SQLite(t testing.TB) store.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "sports.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// InfluxDB18 opens the store on a database of its own, created with no
// retention limit (the test data is from 2023-2025).
func InfluxDB18(t testing.TB) store.Store {
	t.Helper()
	base := influxtest.URL(t)
	return openInflux(t, influx.Options{URL: base, Database: influxtest.Database1(t, base), QueryLanguage: influx.LanguageInfluxQL})
}

// InfluxDB2 opens the store on a bucket of its own, kept forever.
func InfluxDB2(t testing.TB) store.Store {
	t.Helper()
	srv := influxtest.Shared2(t)
	return openInflux(t, influx.Options{URL: srv.URL, Token: srv.Token, Org: srv.Org,
		Database: influxtest.Bucket2(t, srv, 0), QueryLanguage: influx.LanguageInfluxQL})
}

// InfluxDB3 opens the store on a database of its own, kept forever, with
// the admin token.
func InfluxDB3(t testing.TB) store.Store {
	t.Helper()
	srv := influxtest.Shared3(t)
	return openInflux(t, influx.Options{URL: srv.URL, Token: srv.Token, Database: influxtest.Database3(t, srv, ""),
		QueryLanguage: influx.LanguageSQL})
}

func openInflux(t testing.TB, o influx.Options) store.Store {
	t.Helper()
	s, err := influx.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if s.QueryLanguage() == "" {
		t.Fatalf("the store at %s did not answer", o.URL)
	}
	return s
}

// KCCapture is the real ESPN answer of Kansas City's 2023 schedule.
const KCCapture = "nfl/team-12-kc-schedule-2023-season-final.json"

// CaptureGame is one event of a schedule capture as this package reads it,
// with its own decoding rather than the service's parser.
type CaptureGame struct {
	ID         string
	Season     int
	Start      time.Time
	Home, Away string // abbreviations
	HomeScore  int
	AwayScore  int
	Final      bool
}

// ReadSchedule decodes a team schedule capture.
func ReadSchedule(t testing.TB, rel string) []CaptureGame {
	t.Helper()
	var doc struct {
		Events []struct {
			ID     string `json:"id"`
			Date   string `json:"date"`
			Season struct {
				Year int `json:"year"`
			} `json:"season"`
			Competitions []struct {
				Status struct {
					Type struct {
						Completed bool   `json:"completed"`
						Name      string `json:"name"`
					} `json:"type"`
				} `json:"status"`
				Competitors []struct {
					HomeAway string `json:"homeAway"`
					Team     struct {
						Abbreviation string `json:"abbreviation"`
					} `json:"team"`
					Score struct {
						Value float64 `json:"value"`
					} `json:"score"`
				} `json:"competitors"`
			} `json:"competitions"`
		} `json:"events"`
	}
	if err := json.Unmarshal(espntest.Load(t, rel), &doc); err != nil {
		t.Fatal(err)
	}
	var out []CaptureGame
	for _, e := range doc.Events {
		start, err := time.Parse("2006-01-02T15:04Z", e.Date)
		if err != nil {
			t.Fatal(err)
		}
		c := e.Competitions[0]
		g := CaptureGame{ID: e.ID, Season: e.Season.Year, Start: start,
			Final: c.Status.Type.Completed}
		for _, comp := range c.Competitors {
			if comp.HomeAway == "home" {
				g.Home, g.HomeScore = comp.Team.Abbreviation, int(comp.Score.Value)
			} else {
				g.Away, g.AwayScore = comp.Team.Abbreviation, int(comp.Score.Value)
			}
		}
		out = append(out, g)
	}
	if len(out) == 0 {
		t.Fatalf("%s has no events", rel)
	}
	return out
}

// Record is a team's record over the final games of a capture.
type Record struct {
	Finals, Wins, Losses, Ties, PointsFor, PointsAgainst int
}

// RecordOf counts team's final games in games.
func RecordOf(team string, games []CaptureGame) Record {
	var r Record
	for _, g := range games {
		if !g.Final || (g.Home != team && g.Away != team) {
			continue
		}
		us, them := g.HomeScore, g.AwayScore
		if g.Away == team {
			us, them = them, us
		}
		r.Finals++
		switch {
		case us > them:
			r.Wins++
		case us < them:
			r.Losses++
		default:
			r.Ties++
		}
		r.PointsFor += us
		r.PointsAgainst += them
	}
	return r
}
