package store

import (
	"errors"
	"testing"
	"time"
)

func TestGameQueryMatches(t *testing.T) {
	start := time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC)
	row := Point{Series: SeriesGames, League: "nfl", Time: start, GameID: "1", Season: 2026,
		HomeTeam: "NE", AwayTeam: "BUF", Status: "scheduled"}
	cases := []struct {
		name string
		q    GameQuery
		want bool
	}{
		{"any", GameQuery{League: "nfl"}, true},
		{"home team", GameQuery{Team: "NE"}, true},
		{"away team", GameQuery{Team: "BUF"}, true},
		{"other team", GameQuery{Team: "KC"}, false},
		{"team is exact", GameQuery{Team: "ne"}, false},
		{"season", GameQuery{Season: 2026}, true},
		{"other season", GameQuery{Season: 2025}, false},
		{"status", GameQuery{Status: "scheduled"}, true},
		{"other status", GameQuery{Status: "finished"}, false},
		{"from is inclusive", GameQuery{From: start}, true},
		{"after from", GameQuery{From: start.Add(time.Nanosecond)}, false},
		{"to is exclusive", GameQuery{To: start}, false},
		{"before to", GameQuery{To: start.Add(time.Nanosecond)}, true},
		{"all at once", GameQuery{Team: "BUF", Season: 2026, Status: "scheduled", From: start, To: start.Add(time.Hour)}, true},
	}
	for _, c := range cases {
		if got := c.q.Matches(row); got != c.want {
			t.Errorf("%s: Matches = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestValidateNamesTheFirstBadPoint(t *testing.T) {
	at := time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC)
	good := Point{Series: SeriesScores, League: "nfl", Time: at, GameID: "1", HomeTeam: "NE", AwayTeam: "BUF", Status: "live"}
	if err := Validate([]Point{good, good}); err != nil {
		t.Fatalf("good points: %v", err)
	}
	bad := map[string]func(p *Point){
		"series":        func(p *Point) { p.Series = "plays" },
		"league case":   func(p *Point) { p.League = "NFL" },
		"league quote":  func(p *Point) { p.League = `nfl"` },
		"league length": func(p *Point) { p.League = "abcdefghijklmnopqrstuvwxyzabcdefg" },
		"game id":       func(p *Point) { p.GameID = "" },
		"no time":       func(p *Point) { p.Time = time.Time{} },
		"time too late": func(p *Point) { p.Time = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) },
		"observed_at":   func(p *Point) { p.ObservedAt = time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC) },
		"line break":    func(p *Point) { p.HomeTeam = "NE\nfoo value=1" },
	}
	for name, edit := range bad {
		p := good
		edit(&p)
		err := Validate([]Point{good, p})
		var ip *InvalidPointError
		if !errors.As(err, &ip) || ip.Index != 1 || !errors.Is(err, ErrInvalidPoint) {
			t.Errorf("%s: Validate = %v, want an InvalidPointError for point 1", name, err)
		}
	}
}
