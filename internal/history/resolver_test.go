package history_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store/storetest"
)

// interim resolver until the team directory is available
type tmpResolver struct{}

func newResolver(testing.TB) history.Resolver { return tmpResolver{} }

func (tmpResolver) Resolve(input, leagueKey string) (history.Match, error) {
	var out []history.Match
	for _, k := range []string{"nfl", "nhl"} {
		if leagueKey != "" && leagueKey != k {
			continue
		}
		l, _ := league.Lookup(k)
		for _, t := range storetest.Teams(k) {
			if strings.EqualFold(t.Abbr, input) || strings.EqualFold(k+"-"+t.Abbr, input) || strings.EqualFold(t.Name, input) || strings.HasSuffix(strings.ToLower(t.Name), " "+strings.ToLower(input)) {
				out = append(out, history.Match{League: l, Team: game.Team{Abbreviation: t.Abbr, Name: t.Name, ESPNID: t.ID}})
			}
		}
	}
	switch len(out) {
	case 0:
		return history.Match{}, fmt.Errorf("not found %q", input)
	case 1:
		return out[0], nil
	}
	return history.Match{}, fmt.Errorf("ambiguous %q", input)
}
