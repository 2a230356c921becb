package events

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
)

// Payload is the JSON body of an event: what a webhook receives and what
// MQTT's event entity carries. Team-relative fields (team, opponent,
// team_score, score_change, …) are seen from one team; without a team
// the game is seen from the home team, except that score_change is the
// total of points added by both sides.
type Payload struct {
	Event     string `json:"event"`
	EventType string `json:"event_type"`
	EventID   string `json:"event_id"`
	// WebhookID is set by webhook delivery; empty elsewhere.
	WebhookID     string     `json:"webhook_id"`
	League        string     `json:"league"`
	GameID        string     `json:"game_id"`
	Team          string     `json:"team"`
	Opponent      string     `json:"opponent"`
	HomeTeam      string     `json:"home_team"`
	AwayTeam      string     `json:"away_team"`
	HomeTeamName  string     `json:"home_team_name"`
	AwayTeamName  string     `json:"away_team_name"`
	Score         game.Score `json:"score"`
	PreviousScore game.Score `json:"previous_score"`
	HomeDiff      int        `json:"home_diff"`
	AwayDiff      int        `json:"away_diff"`
	// ScoreChange is the points the webhook's team gained (negative when a
	// score was taken back, 0 when only the opponent scored).
	ScoreChange         int `json:"score_change"`
	OpponentScoreChange int `json:"opponent_score_change"`
	// ScoringTeam is the abbreviation of the side whose score went up,
	// "both" when both did, null when neither did.
	ScoringTeam   *string `json:"scoring_team"`
	TeamScore     int     `json:"team_score"`
	OpponentScore int     `json:"opponent_score"`
	Status        string  `json:"status"`
	Period        int     `json:"period"`
	Clock         string  `json:"clock"`
	StatusDetail  string  `json:"status_detail"`
	Timestamp     string  `json:"timestamp"`
	// OccurredAt is when the service observed the change, to the
	// millisecond; the same on every attempt, so that an automation can
	// skip an event delivered late (after a Home Assistant restart).
	OccurredAt string `json:"occurred_at"`
	// Winner (abbreviation or "tie") and Result (win, loss, tie; team
	// webhooks only) are set on game_end.
	Winner string `json:"winner,omitempty"`
	Result string `json:"result,omitempty"`
	// Shootout is a soccer match's penalty shoot-out score (game_end of a
	// match decided on penalties only).
	Shootout *game.Score `json:"shootout,omitempty"`

	// Individual sports and cricket only. Contest places the match, bout
	// or session in its event (and says how it ended: "retired",
	// "walkover", "no contest", a cricket result). In a field (golf,
	// racing) Podium is the first three, in order, and Position the
	// team's place; the score is the leader's and the second's (golf's
	// strokes to par, racing's places) and team_score the team's.
	Contest  *game.Contest `json:"contest,omitempty"`
	Podium   []string      `json:"podium,omitempty"`
	Position int           `json:"position,omitempty"`
	// Wickets are a cricket match's wickets fallen on each side.
	Wickets *game.Score `json:"wickets,omitempty"`
	// ScoringPlays are the plays that made a score_change, oldest first,
	// and ScoringPlay the newest of them, when ESPN's answer describes
	// them (see scoringPlays); absent otherwise.
	ScoringPlays []game.ScoringPlay `json:"scoring_plays,omitempty"`
	ScoringPlay  *game.ScoringPlay  `json:"scoring_play,omitempty"`
}

// JSON is the payload exactly as a delivery's body encodes it.
func (p Payload) JSON() []byte { return encode(p) }

// occurredLayout is RFC 3339 in UTC with milliseconds.
const occurredLayout = "2006-01-02T15:04:05.000Z07:00"

// Payload is the event seen from team (an abbreviation; "" for none), as
// of when it was observed.
func (ev Event) Payload(team string) Payload {
	g := ev.Game
	observed := ev.Observed
	home, away := strings.ToUpper(g.HomeTeam.Abbreviation), strings.ToUpper(g.AwayTeam.Abbreviation)
	p := Payload{
		Event:         ev.Type,
		EventType:     ev.Type,
		EventID:       ev.ID,
		League:        strings.ToUpper(ev.League),
		GameID:        g.ID,
		HomeTeam:      home,
		AwayTeam:      away,
		HomeTeamName:  g.HomeTeam.Name,
		AwayTeamName:  g.AwayTeam.Name,
		Score:         g.Score,
		PreviousScore: ev.Previous,
		HomeDiff:      g.Score.Home - ev.Previous.Home,
		AwayDiff:      g.Score.Away - ev.Previous.Away,
		Status:        string(g.Status),
		Period:        g.Period.Current,
		Clock:         g.Period.TimeRemaining,
		StatusDetail:  g.StatusDetail,
		Timestamp:     observed.UTC().Format(time.RFC3339),
		OccurredAt:    observed.UTC().Format(occurredLayout),
	}
	switch {
	case p.HomeDiff > 0 && p.AwayDiff > 0:
		p.ScoringTeam = ptr("both")
	case p.HomeDiff > 0:
		p.ScoringTeam = ptr(home)
	case p.AwayDiff > 0:
		p.ScoringTeam = ptr(away)
	}
	seen := g.SeenFrom(game.TeamID(ev.League, team))
	p.Team, p.Opponent = strings.ToUpper(seen.Us.Abbreviation), strings.ToUpper(seen.Them.Abbreviation)
	p.TeamScore, p.OpponentScore = seen.Ours, seen.Theirs
	p.ScoreChange, p.OpponentScoreChange = p.HomeDiff, p.AwayDiff
	if !seen.Home {
		p.ScoreChange, p.OpponentScoreChange = p.AwayDiff, p.HomeDiff
	}
	if team == "" {
		p.ScoreChange = p.HomeDiff + p.AwayDiff
	} else {
		p.Position = seen.Position
	}
	if ev.Type == ScoreChange {
		if plays := ev.scoringPlays(); len(plays) > 0 {
			p.ScoringPlays, p.ScoringPlay = plays, &plays[len(plays)-1]
		}
	}
	if ev.Type == GameEnd {
		// The winner counts a soccer shoot-out; a level score without one
		// is a tie (a draw).
		switch g.Winner() {
		case game.Home:
			p.Winner = home
		case game.Away:
			p.Winner = away
		default:
			p.Winner = "tie"
		}
		if g.Soccer != nil {
			p.Shootout = g.Soccer.Shootout
		}
		if team != "" {
			p.Result = g.Outcome(seen)
		}
	}
	individual(&p, &g)
	return p
}

// individual adds what a contest of an individual sport or of cricket
// says beyond the score.
func individual(p *Payload, g *game.Game) {
	p.Contest = g.Contest
	for i := 0; i < len(g.Field) && i < 3; i++ {
		p.Podium = append(p.Podium, strings.ToUpper(g.Field[i].Team.Abbreviation))
	}
	if g.Cricket != nil {
		w := g.Cricket.Wickets
		p.Wickets = &w
	}
}

// encode produces the exact bytes that are signed and sent. HTML escaping is
// off so that "A&M" stays readable; the output is still valid JSON.
func encode(p Payload) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		// Payload has only strings, ints and pointers to them.
		panic("events: encoding payload: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func ptr[T any](v T) *T { return &v }
