package espn

import (
	"github.com/sports-data/sports-data/internal/espnrules"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// pageLimit is the limit sent where one is: the largest ESPN answers
// completely.
const pageLimit = espnrules.MaxLimit

// Scoreboard is one scoreboard answer: its games and what is needed to
// tell whether ESPN left events out.
type Scoreboard struct {
	Games []game.Game
	// Events is how many events ESPN sent, whether or not each could be
	// read as a game: more events than games means some did not parse.
	Events int
	// Limit is the limit the request carried; 0 when it carried none.
	Limit int
	// URL is the request (without the base URL's credentials).
	URL string
}

// Truncated reports whether ESPN may have left events out of the answer:
// it holds as many events as the request allowed (100 without a limit),
// or exactly the 25 that ESPN answers to a limit it does not honour. An
// answer that really holds 25 events is taken for a cut one too; asking
// its days one by one costs a few requests, missing games costs a
// schedule.
func (s Scoreboard) Truncated() bool {
	if s.Limit <= 0 {
		return s.Events >= espnrules.DefaultEvents
	}
	return s.Events >= s.Limit || s.Events == espnrules.CutEvents && s.Limit > espnrules.CutEvents
}

// parseScoreboardAnswer reads a scoreboard answer's games (each with its
// event as ESPN sent it) and counts its events, in one decode.
func parseScoreboardAnswer(data []byte, l league.League) (Scoreboard, error) {
	games, events, err := parseScoreboard(data, l)
	if err != nil {
		return Scoreboard{}, err
	}
	return Scoreboard{Games: games, Events: events}, nil
}
