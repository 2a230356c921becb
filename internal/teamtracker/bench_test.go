package teamtracker

import (
	gocontext "context"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/nextgames"
	"github.com/sports-data/sports-data/internal/standings"
	"github.com/sports-data/sports-data/internal/teams"
)

// BenchmarkSensorWithNextGamesAndStanding is the sensor as a followed team
// has it: a full scoreboard in memory (the 2022 week 1 capture), a stored
// season of 17 games still to come (derived from the Chiefs' 2023
// schedule, moved a year on) and the league's table (the NFL's captured
// 2024 table, through the standings service), so next_games and the
// standing_* attributes are built on every answer.
func BenchmarkSensorWithNextGamesAndStanding(b *testing.B) {
	games, err := espn.ParseScoreboard(espntest.Load(b, "nfl/scoreboard-2022-wk1-sun-live-mixed.json"), nfl)
	if err != nil {
		b.Fatal(err)
	}
	for i := range games {
		games[i].Source.URL, games[i].Source.FetchedAt = sourceURL, fetchedAt
	}
	season, err := espn.ParseSchedule(espntest.Load(b, "nfl/team-12-kc-schedule-2023-season-final.json"), nfl)
	if err != nil || len(season) != 17 {
		b.Fatalf("%d games, %v", len(season), err)
	}
	for i := range season {
		season[i].Status, season[i].Score = game.StatusScheduled, game.Score{}
		season[i].Start = season[i].Start.AddDate(0, 0, -365)
	}
	now := time.Date(2022, 9, 1, 12, 0, 0, 0, time.UTC)

	srv := espntest.NewServer(b)
	srv.ServeFixture(b, "/football/nfl/standings", "nfl/standings-2024-season-2025-05-11.json")
	tables := standings.New(espn.NewClient(srv.URL, espn.Options{}), nil, nil, []league.League{nfl}, standings.Options{})
	ctx, cancel := gocontext.WithCancel(gocontext.Background())
	done := make(chan struct{})
	go func() { defer close(done); tables.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-done })
	for {
		if _, ok := tables.Current("nfl"); ok {
			break
		}
		time.Sleep(time.Millisecond)
	}

	f := newFixture(now, games...)
	f.svc.o.Standing = tables.SensorAttributes
	f.svc.Observe("nfl", season)
	m := teams.Match{League: nfl, Team: game.Team{ID: "nfl-kc", Abbreviation: "KC", ESPNID: "12"}}
	b.ReportAllocs()
	for b.Loop() {
		s, err := f.svc.Sensor(m)
		if err != nil || s.State != StatePre || len(s.Attributes["next_games"].([]nextgames.Game)) != 5 || s.Attributes["standing_position"] != 1 {
			b.Fatalf("%s %v %v", s.State, err, s.Attributes["standing_position"])
		}
	}
}
