package teamtracker

import (
	"fmt"
	"strconv"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/kickoff"
)

// fromGame builds the sensor of a game known only from its parsed form: a
// game of the stored schedule beyond the scoreboard's days. It has what
// the schedule says (teams, time, place, records); in-game values are null.
func fromGame(g *game.Game, teamID string, c context) view {
	a := newAttributes()
	a["league"], a["sport"] = c.league, c.sport
	a["sport_path"], a["league_path"] = c.sport, c.leaguePath
	state := StatePre
	switch {
	case g.Status == game.StatusLive:
		state = StateIn
	case g.Status.Over():
		state = StatePost
	}
	team, opp := g.AwayTeam, g.HomeTeam
	teamSide, oppSide := "away", "home"
	teamScore, oppScore := g.Score.Away, g.Score.Home
	if g.HomeTeam.ID == teamID {
		team, opp = opp, team
		teamSide, oppSide = oppSide, teamSide
		teamScore, oppScore = oppScore, teamScore
	}
	a["event_id"] = g.ID
	a["event_name"] = g.AwayTeam.Abbreviation + " @ " + g.HomeTeam.Abbreviation
	if !g.Start.IsZero() {
		a["date"] = g.Start.UTC().Format("2006-01-02T15:04Z")
		a["kickoff_in"] = kickoff.Phrase(g.Start, c.now)
	}
	switch g.SeasonType {
	case 1:
		a["season"] = "preseason"
	case 2:
		a["season"] = "regular-season"
	case 3:
		a["season"] = "post-season"
	}
	if g.Venue != "" {
		a["venue"] = g.Venue
	}
	if d := g.Details; d != nil && d.VenueCity != "" {
		a["location"] = d.VenueCity
	}
	if len(g.Broadcasts) > 0 {
		a["tv_network"] = g.Broadcasts[0]
	}
	side := func(prefix string, t game.Team, homeAway string, score int) {
		a[prefix+"_abbr"] = t.Abbreviation
		if t.ESPNID != "" {
			a[prefix+"_id"] = t.ESPNID
		}
		a[prefix+"_name"] = t.ShortName
		a[prefix+"_long_name"] = t.Name
		a[prefix+"_homeaway"] = homeAway
		a[prefix+"_logo"] = DefaultLogo
		if t.Logo != "" {
			a[prefix+"_logo"] = t.Logo
		}
		a[prefix+"_colors"] = []string{t.Colors.Primary, t.Colors.Secondary}
		a[prefix+"_score"] = strconv.Itoa(score)
		if r := t.Record; r != nil {
			s := fmt.Sprintf("%d-%d", r.Wins, r.Losses)
			switch {
			case r.Ties != nil && *r.Ties > 0:
				s += fmt.Sprintf("-%d", *r.Ties)
			case r.OTLosses != nil:
				s += fmt.Sprintf("-%d", *r.OTLosses)
			}
			a[prefix+"_record"] = s
		}
	}
	side("team", team, teamSide, teamScore)
	side("opponent", opp, oppSide, oppScore)
	a["quarter"] = g.Period.Current
	if g.StatusDetail != "" {
		a["clock"] = g.StatusDetail
	}
	a["private_fast_refresh"] = state == StateIn ||
		state == StatePre && !g.Start.IsZero() && kickoff.Soon(g.Start, c.now)
	return view{state: state, date: g.Start, attrs: a}
}
