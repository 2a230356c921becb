package espn

import (
	"bytes"
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

// eventID is the game id of one event as the parser takes it: the event's
// "id", else its first competition's. ESPN writes "id" first, so reading
// stops there instead of decoding the whole event.
func eventID(ev json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(ev))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return ""
		}
		if key == "id" {
			var id flexString
			if dec.Decode(&id) == nil && strings.TrimSpace(string(id)) != "" {
				return strings.TrimSpace(string(id))
			}
			continue
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return ""
		}
	}
	var ids eventIDs
	_ = json.Unmarshal(ev, &ids)
	if len(ids.Competitions) > 0 {
		return strings.TrimSpace(string(ids.Competitions[0].ID))
	}
	return ""
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
		id := eventID(ev)
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
