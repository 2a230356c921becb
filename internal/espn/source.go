package espn

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// sourceDoc splits a scoreboard answer into its events without reading them.
type sourceDoc struct {
	Leagues []json.RawMessage `json:"leagues"`
	Events  []json.RawMessage `json:"events"`
}

// eventIDs are the two places a game's id can be (the parser takes the
// event's, then the first competition's).
type eventIDs struct {
	ID           flexString `json:"id"`
	Competitions []struct {
		ID flexString `json:"id"`
	} `json:"competitions"`
}

// parseScoreboardWithSource is ParseScoreboard that also keeps each game's
// event as ESPN sent it, for the views that show ESPN's own fields.
func parseScoreboardWithSource(data []byte, l league.League) ([]game.Game, error) {
	games, err := ParseScoreboard(data, l)
	if err != nil || len(games) == 0 {
		return games, err
	}
	body, err := objectBody(data)
	if err != nil {
		return games, nil
	}
	var doc sourceDoc
	// A type error leaves what could be read; the games are already
	// parsed, so a source that cannot be read is only left out.
	_ = json.Unmarshal(body, &doc)
	var leagueRaw json.RawMessage
	if len(doc.Leagues) > 0 {
		leagueRaw = doc.Leagues[0]
	}
	byID := make(map[string]json.RawMessage, len(doc.Events))
	for _, ev := range doc.Events {
		var ids eventIDs
		_ = json.Unmarshal(ev, &ids)
		id := strings.TrimSpace(string(ids.ID))
		if id == "" && len(ids.Competitions) > 0 {
			id = strings.TrimSpace(string(ids.Competitions[0].ID))
		}
		if _, dup := byID[id]; id != "" && !dup {
			byID[id] = ev
		}
	}
	for i := range games {
		if ev, ok := byID[games[i].ID]; ok {
			games[i].Source = &game.Source{Event: ev, League: leagueRaw}
		}
	}
	return games, nil
}

// stampSource records which request returned the games and when.
func stampSource(games []game.Game, url string, at time.Time) {
	for i := range games {
		if s := games[i].Source; s != nil {
			s.URL, s.FetchedAt = url, at
		}
	}
}
