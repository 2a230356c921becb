package backfill

import (
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// Match is one resolved team.
type Match struct {
	League league.League
	Team   game.Team
}
