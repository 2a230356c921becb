package espn

import (
	"time"

	"github.com/sports-data/sports-data/internal/game"
)

// stampSource records which request returned the games and when.
func stampSource(games []game.Game, url string, at time.Time) {
	for i := range games {
		if s := games[i].Source; s != nil {
			s.URL, s.FetchedAt = url, at
		}
	}
}
