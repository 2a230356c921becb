package espn

import (
	"strings"

	"github.com/sports-data/sports-data/internal/espnjson"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// scoringPlays reads the scoring plays ESPN's answer describes
// (docs/espn.md, Scoring plays): a soccer match's goals from the
// competition's details (its shoot-out kicks left out, they are no goals),
// elsewhere the live situation's last play when it scored (scoreValue
// above 0). Nothing is made up: a play ESPN does not describe is not there.
func scoringPlays(l league.League, comp *espnjson.Competition, home, away game.Team) []game.ScoringPlay {
	team := func(p *espnjson.Play) string {
		if p.Team == nil {
			return ""
		}
		switch id := strings.TrimSpace(p.Team.ID.Text()); {
		case id == "":
		case id == home.ESPNID:
			return home.Abbreviation
		case id == away.ESPNID:
			return away.Abbreviation
		}
		return ""
	}
	if l.Draws() {
		var out []game.ScoringPlay
		for i := range comp.Details {
			d := &comp.Details[i]
			if !d.ScoringPlay.Bool() || d.Shootout.Bool() {
				continue
			}
			sp := play(d, team(d))
			sp.Minute, _ = minuteClock(sp.Clock)
			sp.OwnGoal, sp.Penalty = d.OwnGoal.Bool(), d.PenaltyKick.Bool()
			out = append(out, sp)
		}
		return out
	}
	if s := comp.Situation; s != nil && s.LastPlay != nil && s.LastPlay.ScoreValue.V > 0 {
		return []game.ScoringPlay{play(s.LastPlay, team(s.LastPlay))}
	}
	return nil
}

// play is what every scoring play carries.
func play(p *espnjson.Play, team string) game.ScoringPlay {
	sp := game.ScoringPlay{Team: team, Text: strings.TrimSpace(p.Text.String()), Points: p.ScoreValue.Int()}
	if p.Type != nil && p.Type.Text != nil {
		sp.Type = strings.TrimSpace(*p.Type.Text)
	}
	if p.Clock != nil && p.Clock.DisplayValue != nil {
		sp.Clock = strings.TrimSpace(*p.Clock.DisplayValue)
	}
	for _, a := range p.AthletesInvolved {
		if a.DisplayName != nil && strings.TrimSpace(*a.DisplayName) != "" {
			sp.Scorer = strings.TrimSpace(*a.DisplayName)
			break
		}
	}
	return sp
}
