package influx

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/sports-data/sports-data/internal/store"
)

// Standings returns the rows of the newest table of league taken in
// [from, to), by group and position. Every row of the range is read and
// the newest table chosen in Go: InfluxQL cannot select the rows of the
// largest time, and a league's tables are a few dozen rows a day.
func (s *Store) Standings(ctx context.Context, leagueKey string, from, to time.Time) ([]store.Point, error) {
	m, err := measurement(leagueKey, store.SeriesStandings)
	if err != nil {
		return nil, err
	}
	if from.IsZero() || from.Before(sqlEarliest) {
		from = sqlEarliest
	}
	if to.IsZero() || to.After(sqlLatest) {
		to = sqlLatest
	}
	if !from.Before(to) {
		return []store.Point{}, nil
	}
	rows, err := s.query(ctx, m, nil, "", map[string]any{}, span{from: from, to: to})
	if err != nil {
		return nil, err
	}
	var newest time.Time
	type key struct {
		team string
		at   int64
	}
	latest := map[key]store.Point{}
	versions := map[key]int64{}
	for _, r := range rows {
		p, err := rowToStanding(r, leagueKey)
		if err != nil {
			return nil, err
		}
		if p.Time.After(newest) {
			newest = p.Time
		}
		// On InfluxDB 3 a table taken again at the same time is rows of
		// their own: the newest version stands for each.
		k, v := key{p.Standing.TeamID, p.Time.UnixNano()}, rowVersion(r)
		if _, ok := latest[k]; !ok || v >= versions[k] {
			latest[k], versions[k] = p, v
		}
	}
	out := []store.Point{}
	for _, p := range latest {
		if p.Time.Equal(newest) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Standing, out[j].Standing
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Position != b.Position {
			return a.Position < b.Position
		}
		return a.TeamID < b.TeamID
	})
	return out, nil
}

// rowToStanding reads a standings row; missing columns read as zero.
func rowToStanding(r row, leagueKey string) (store.Point, error) {
	e := &store.Standing{}
	p := store.Point{Series: store.SeriesStandings, League: leagueKey, Standing: e}
	ns, ok := r["time"].(int64)
	if !ok {
		return p, fmt.Errorf("influx: %s_standings row without a time: %v", leagueKey, r["time"])
	}
	p.Time = time.Unix(0, ns).UTC()
	var err error
	str := func(name string) string {
		v, _ := r[name].(string)
		return v
	}
	num := func(name string) int {
		if err != nil {
			return 0
		}
		var n int
		n, err = intValue(r[name], name)
		return n
	}
	float := func(name string) float64 {
		switch x := r[name].(type) {
		case float64:
			return x
		case int64:
			return float64(x)
		}
		return 0
	}
	e.TeamID, p.Season = str("team_id"), num("season")
	e.Team, e.TeamName = str("team"), str("team_name")
	e.Group, e.GroupAbbr = str("group_name"), str("group_abbr")
	e.Position, e.GamesPlayed = num("position"), num("games_played")
	e.Wins, e.Losses, e.Ties, e.OTLosses = num("wins"), num("losses"), num("ties"), num("ot_losses")
	e.Points, e.WinPercent, e.GamesBehind = float("points"), float("win_percent"), float("games_behind")
	e.PointsFor, e.PointsAgainst = num("points_for"), num("points_against")
	e.Streak, e.Clincher, e.Note, e.Summary = str("streak"), str("clincher"), str("note"), str("summary")
	if err != nil {
		return p, fmt.Errorf("influx: %s_standings row of team %s: %w", leagueKey, e.TeamID, err)
	}
	if e.TeamID == "" {
		return p, fmt.Errorf("influx: %s_standings row without a team id", leagueKey)
	}
	return p, nil
}
