package history

import (
	"context"
	"time"

	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

// Forms is every team's form (Statistics.Form) in a league's season, over
// the final games that started before `before` (zero: all of them), by
// team abbreviation. One store read serves the whole league.
func (s *Service) Forms(ctx context.Context, l league.League, season int, before time.Time) (map[string]string, error) {
	d, err := s.games(ctx, l, store.GameQuery{League: l.Key, Season: season})
	if err != nil {
		return nil, err
	}
	games := d.games
	if !before.IsZero() {
		n := 0
		for n < len(games) && games[n].start.Before(before) {
			n++
		}
		games = games[:n]
	}
	teams := map[string]bool{}
	for i := range games {
		teams[games[i].HomeTeam], teams[games[i].AwayTeam] = true, true
	}
	out := make(map[string]string, len(teams))
	for t := range teams {
		if f := TeamStatistics(l, t, nil, games).Form; f != "" {
			out[t] = f
		}
	}
	return out, nil
}
