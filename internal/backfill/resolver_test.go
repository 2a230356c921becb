package backfill_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sports-data/sports-data/internal/backfill"
	"github.com/sports-data/sports-data/internal/history"
)

// interim resolver until the team directory is available
type tmpResolver struct{ t testing.TB }

func newResolver(t testing.TB) backfill.Resolver { return tmpResolver{t} }

func (r tmpResolver) Resolve(input, leagueKey string) (backfill.Match, error) {
	for _, tm := range nflTeams(r.t) {
		if strings.EqualFold(tm.Abbreviation, input) || strings.EqualFold(tm.Name, input) {
			return backfill.Match{League: nfl(r.t), Team: tm}, nil
		}
	}
	return backfill.Match{}, fmt.Errorf("not found %q", input)
}

type historyResolver struct{ r backfill.Resolver }

func (h historyResolver) Resolve(input, leagueKey string) (history.Match, error) {
	m, err := h.r.Resolve(input, leagueKey)
	return history.Match{League: m.League, Team: m.Team}, err
}
