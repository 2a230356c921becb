package espn

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// TeamFixtures fetches a soccer club's coming matches in every
// competition: ESPN's team schedule lists a soccer club's past games only,
// and its fixtures are answered by the site.web.api host, at
// soccer/all/teams/{id}/schedule?fixture=true (docs/espn.md). l is the
// league the club is followed in; its requests are counted there. Only
// soccer has this form.
func (c *Client) TeamFixtures(ctx context.Context, l league.League, espnTeamID string) ([]game.Game, error) {
	id := strings.TrimSpace(espnTeamID)
	if l.Sport != league.Soccer {
		return nil, fmt.Errorf("espn: %s is not a soccer league: fixtures are soccer's", l.Key)
	}
	if !validTeamRef(id) {
		return nil, fmt.Errorf("espn: invalid team id %q", espnTeamID)
	}
	u := c.web.base + "/" + league.Soccer + "/all/teams/" + id + "/schedule?fixture=true"
	return fetchURL(c, ctx, l, c.web, u, ParseFixtures)
}

// fixtureLeague is where a fixture's event names its competition.
type fixtureLeague struct {
	UID    string `json:"uid"`
	League *struct {
		ID   flexString `json:"id"`
		Slug string     `json:"slug"`
	} `json:"league"`
}

// ParseFixtures reads a club's fixtures answer: a team schedule (docs/espn.md,
// Team schedules) whose events span competitions, each naming its own in
// "league" ({id, slug}; the only capture has one league and two events,
// so the reading is tolerant). An event goes to the registry league its
// competition is; an event that names none goes to l, the club's league;
// events of competitions outside the registry are left out.
func ParseFixtures(data []byte, l league.League) ([]game.Game, error) {
	doc, err := decodeEvents(data)
	if err != nil {
		return nil, err
	}
	body, _ := objectBody(data)
	var side struct {
		Events []fixtureLeague `json:"events"`
	}
	// Type errors leave what could be read; an event without a readable
	// league goes to l.
	_ = json.Unmarshal(body, &side)
	var top topLevel
	if doc.RequestedSeason != nil {
		top.season = *doc.RequestedSeason
	}
	games := make([]game.Game, 0, len(doc.Events))
	for i := range doc.Events {
		el := l
		if i < len(side.Events) {
			var ok bool
			if el, ok = fixtureCompetition(side.Events[i], l); !ok {
				continue
			}
		}
		if g, ok := buildGame(el, &doc.Events[i], top); ok {
			games = append(games, g)
		}
	}
	return games, nil
}

// fixtureCompetition is the registry league of a fixture: by the slug of its
// "league", else that league's id, else the "l:" part of its uid; the
// club's own league when the event names none.
func fixtureCompetition(f fixtureLeague, club league.League) (league.League, bool) {
	var slug, id string
	if f.League != nil {
		slug, id = strings.TrimSpace(f.League.Slug), strings.TrimSpace(string(f.League.ID))
	}
	if id == "" {
		id = uidPart(f.UID, "l")
	}
	switch {
	case slug != "":
		if l, ok := league.ByESPN(club.Sport, slug, ""); ok {
			return l, true
		}
		if id == "" {
			return league.League{}, false
		}
		fallthrough
	case id != "":
		return league.ByESPN(club.Sport, "", id)
	}
	return club, true
}
