package espn

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/sports-data/sports-data/internal/espnjson"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// siteAPIPath and standingsAPIPath: ESPN answers a league's standings
// under /apis/v2/sports, on the same host as the site API; under the site
// API's own path it answers only a link (docs/espn.md, Standings).
const (
	siteAPIPath      = "/apis/site/v2/sports"
	standingsAPIPath = "/apis/v2/sports"
)

// ErrNoTable is an answer that holds no table: ESPN's site API path
// answers a link to its web page instead.
var ErrNoTable = errors.New("the answer holds no standings table")

// standingsHost is where a league's standings are asked: ESPN's base with
// /apis/v2/sports for /apis/site/v2/sports; any other base (a stand-in)
// serves them itself.
func (c *Client) standingsHost() host {
	h := c.api
	if strings.HasSuffix(h.base, siteAPIPath) {
		h.base = strings.TrimSuffix(h.base, siteAPIPath) + standingsAPIPath
	}
	return h
}

// Standings fetches a league's standings: one request for the whole
// league, whatever its number of teams.
func (c *Client) Standings(ctx context.Context, l league.League) (game.Table, error) {
	h := c.standingsHost()
	u := h.base + "/" + l.Sport + "/" + l.ESPNLeague + "/standings"
	t, err := fetchURL(c, ctx, l, h, u, ParseStandings)
	if err == nil {
		t.TakenAt = c.now().UTC()
	}
	return t, err
}

// ParseStandings reads a standings answer: every group holding a table
// (a conference, a soccer league's season) gives its entries, each with
// the group's name. An entry's position is ESPN's rank (soccer), else its
// playoff seed, else its place in ESPN's list. Entries without a team id
// are left out.
func ParseStandings(data []byte, l league.League) (game.Table, error) {
	body, err := objectBody(data)
	if err != nil {
		return game.Table{}, err
	}
	var doc espnjson.StandingsGroup
	if err := json.Unmarshal(body, &doc); err != nil && !isTypeError(err) {
		return game.Table{}, invalidJSON("standings document", err)
	}
	t := game.Table{League: l.Key}
	var walk func(g *espnjson.StandingsGroup, depth int)
	walk = func(g *espnjson.StandingsGroup, depth int) {
		if depth > 4 {
			return
		}
		if g.Standings != nil && len(g.Standings.Entries) > 0 {
			if t.Season == 0 {
				t.Season = g.Standings.Season.Int()
			}
			t.Entries = append(t.Entries, groupEntries(g)...)
		}
		for i := range g.Children {
			walk(&g.Children[i], depth+1)
		}
	}
	walk(&doc, 0)
	if len(t.Entries) == 0 {
		return game.Table{}, ErrNoTable
	}
	return t, nil
}

// groupEntries reads one group's table, by position.
func groupEntries(g *espnjson.StandingsGroup) []game.Standing {
	var out []game.Standing
	for i := range g.Standings.Entries {
		e := &g.Standings.Entries[i]
		if e.Team == nil || strings.TrimSpace(e.Team.ID.Text()) == "" {
			continue
		}
		s := entry(e)
		s.Group, s.GroupAbbr = strings.TrimSpace(g.Name.Text()), strings.TrimSpace(g.Abbreviation.Text())
		if s.Position == 0 {
			s.Position = len(out) + 1
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Position < out[j].Position })
	return out
}

// entry reads one team's line from its stats, by ESPN's names.
func entry(e *espnjson.StandingsEntry) game.Standing {
	s := game.Standing{
		TeamID:   strings.TrimSpace(e.Team.ID.Text()),
		Team:     strings.ToUpper(strings.TrimSpace(e.Team.Abbreviation)),
		TeamName: strings.TrimSpace(e.Team.DisplayName.Text()),
	}
	num := map[string]espnjson.Number{}
	text := map[string]string{}
	for _, st := range e.Stats {
		if st.Name != "" {
			num[st.Name] = st.Value
			text[st.Name] = st.DisplayValue.Text()
		}
		if st.Type == "total" {
			s.Summary = st.DisplayValue.Text()
		}
	}
	s.Wins, s.Losses, s.Ties = num["wins"].Int(), num["losses"].Int(), num["ties"].Int()
	s.OTLosses = num["otLosses"].Int()
	if !num["otLosses"].OK {
		s.OTLosses = num["overtimeLosses"].Int()
	}
	s.GamesPlayed = num["gamesPlayed"].Int()
	if !num["gamesPlayed"].OK {
		s.GamesPlayed = s.Wins + s.Losses + s.Ties + s.OTLosses
	}
	s.Points = num["points"].V
	s.PointsFor, s.PointsAgainst = num["pointsFor"].Int(), num["pointsAgainst"].Int()
	s.WinPercent, s.GamesBehind = num["winPercent"].V, num["gamesBehind"].V
	s.Streak, s.Clincher = strings.TrimSpace(text["streak"]), strings.TrimSpace(text["clincher"])
	switch {
	case num["rank"].OK && num["rank"].V >= 1:
		s.Position = num["rank"].Int()
	case num["playoffSeed"].OK && num["playoffSeed"].V >= 1:
		s.Position = num["playoffSeed"].Int()
	}
	if e.Note != nil {
		s.Note = strings.TrimSpace(e.Note.Description.Text())
	}
	return s
}
