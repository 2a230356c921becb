package espn

import (
	"context"
	"fmt"
	"strings"

	"github.com/sports-data/sports-data/internal/espnjson"
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
	var top topLevel
	if doc.RequestedSeason != nil {
		top.season = *doc.RequestedSeason
	}
	games := make([]game.Game, 0, len(doc.Events))
	for i := range doc.Events {
		el, ok := fixtureCompetition(&doc.Events[i], l)
		if !ok {
			continue
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
func fixtureCompetition(e *espnjson.Event, club league.League) (league.League, bool) {
	var slug, id string
	if e.League != nil {
		slug, id = strings.TrimSpace(e.League.Slug.Text()), strings.TrimSpace(e.League.ID.Text())
	}
	if id == "" {
		id = uidPart(e.UID.Text(), "l")
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

// uidPart is the value of key in an ESPN uid ("s:600~l:700~e:1": "l" is
// "700").
func uidPart(uid, key string) string {
	for _, part := range strings.Split(uid, "~") {
		if k, v, ok := strings.Cut(part, ":"); ok && k == key {
			return v
		}
	}
	return ""
}
