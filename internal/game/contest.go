package game

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Individual sports (tennis, MMA, golf, racing) and cricket fit the same
// Game: one game is one contest the followed competitor takes part in.
//
//   - A contest of two (a tennis match, a UFC bout, a cricket match) is a
//     game like any other, its two sides the home and away teams (ESPN's
//     homeAway, else its order); ESPN's event (the tournament, the card)
//     holds many such contests, each its own game with ESPN's competition
//     id.
//   - A contest of many (a golf tournament, a race session) is one game
//     whose Field lists every entrant in ESPN's order; its home and away
//     teams are the first two (the leader and the second, as TeamTracker
//     shows a field), and a competitor takes part when it is in the field.
//
// A competitor that is an athlete (or a doubles pair) is a Team with
// Athlete set: its id is the league's key and its name as a slug
// ("atp-jan-lennard-struff"), the same wherever ESPN names it, as
// TeamTracker follows an athlete by name.

// Contest is where a game of an individual sport (or cricket) sits in
// ESPN's event; nil for team sports.
type Contest struct {
	EventID   string `json:"event_id"`             // the tournament, card or race weekend
	EventName string `json:"event_name,omitempty"` // "Roland Garros", "Azerbaijan GP"
	// Kind is the competition's type: "Men's Singles", "Middleweight",
	// "Race", "Qual", "Twenty20".
	Kind  string `json:"kind,omitempty"`
	Round string `json:"round,omitempty"` // tennis: "Round 2", "Final"
	// Note is how the contest ended where the score does not say it:
	// "retired", "walkover", "no contest", or ESPN's summary of a cricket
	// result ("India won by 3 wkts").
	Note string `json:"note,omitempty"`
	// Winner is ESPN's word on who won a final contest of two ("home",
	// "away"; "" for a draw, a no-contest or before the end), which the
	// score alone cannot say after a retirement or a walkover.
	Winner Side `json:"winner,omitempty"`
	// Decided is true once ESPN named a winner or the contest ended
	// without one; Winner is then read instead of the score.
	Decided bool `json:"-"`
}

// Entrant is one competitor of a contest of many.
type Entrant struct {
	Team Team `json:"team"`
	// Position is the place in ESPN's order, from 1 (ties share ESPN's
	// order, as ESPN lists them).
	Position int `json:"position"`
	// Score is the entrant's score as ESPN writes it: golf's strokes to
	// par ("-14", "E", "+3"); empty in racing.
	Score  string `json:"score,omitempty"`
	Winner bool   `json:"winner,omitempty"`
}

// Cricket is a cricket match beyond its runs: ESPN's score lines, the
// wickets fallen, who bats and where the match stands.
type Cricket struct {
	// HomeLine and AwayLine are ESPN's scores: "155/6",
	// "314 & 145/7 (47 ov, target 145)".
	HomeLine string `json:"home_line"`
	AwayLine string `json:"away_line"`
	// Wickets fallen per side, over every innings.
	Wickets Score `json:"wickets"`
	// Batting is the side batting now; "" between innings and after.
	Batting Side   `json:"batting,omitempty"`
	Summary string `json:"summary,omitempty"` // "Scorchers require 31 runs"
	Class   string `json:"class,omitempty"`   // "Twenty20", "Test"
}

// Involves reports whether teamID takes part in the game: one of its two
// sides, or an entrant of its field.
func (g *Game) Involves(teamID string) bool {
	if g.HomeTeam.ID == teamID || g.AwayTeam.ID == teamID {
		return true
	}
	for i := range g.Field {
		if g.Field[i].Team.ID == teamID {
			return true
		}
	}
	return false
}

// Names reports whether a competitor with the abbreviation abbr (any
// case) takes part in the game.
func (g *Game) Names(abbr string) bool {
	for _, t := range g.Participants() {
		if strings.EqualFold(t.Abbreviation, abbr) {
			return true
		}
	}
	return false
}

// Participants are the game's competitors: its field, or its two sides.
func (g *Game) Participants() []Team {
	if len(g.Field) > 0 {
		out := make([]Team, len(g.Field))
		for i := range g.Field {
			out[i] = g.Field[i].Team
		}
		return out
	}
	return []Team{g.HomeTeam, g.AwayTeam}
}

// Entry is teamID's entrant in the game's field; nil when it has none.
func (g *Game) Entry(teamID string) *Entrant {
	for i := range g.Field {
		if g.Field[i].Team.ID == teamID {
			return &g.Field[i]
		}
	}
	return nil
}

// Podium is the ids of the first three of a field, in order, joined by
// commas: what changes when a place in the top three changes hands; ""
// without a field.
func (g *Game) Podium() string {
	var b strings.Builder
	for i := 0; i < len(g.Field) && i < 3; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(g.Field[i].Team.ID)
	}
	return b.String()
}

// Entries are a contest of many seen from each entrant, as storage keeps
// it: per entrant a game of two, the entrant at home against the leader
// (the leader against the second), the scores theirs (golf's strokes to
// par, racing's places; zero before the start), its id the contest's and
// the entrant's ("401505955-max-verstappen"). An athlete's history is
// then every race and tournament with the place. A contest of two, or a
// field not listed yet, has none.
func (g *Game) Entries() []Game {
	if len(g.Field) == 0 {
		return nil
	}
	out := make([]Game, 0, len(g.Field))
	lk := g.LeagueKey()
	for i := range g.Field {
		e := &g.Field[i]
		s := g.SeenFrom(e.Team.ID)
		x := *g
		x.ID = g.ID + "-" + strings.TrimPrefix(e.Team.ID, lk+"-")
		x.HomeTeam, x.AwayTeam = s.Us, s.Them
		x.Score = Score{Home: s.Ours, Away: s.Theirs}
		if g.Status == StatusScheduled {
			x.Score = Score{}
		}
		x.Field, x.Source, x.Details = nil, nil, nil
		out = append(out, x)
	}
	return out
}

// AthleteKey is the part of an athlete's team id that names it: the name
// in lower case ASCII, words joined by hyphens ("Sergio Pérez" is
// "sergio-perez", "M. Fucsovics / F. Marozsan" "m-fucsovics-f-marozsan").
// It is empty for a name with no letter or digit.
func AthleteKey(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(FoldAccents(name)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '.':
			// "O'Connor" is oconnor, as the resolver reads names.
			if r == '.' {
				dash = true
			}
		default:
			dash = true
		}
	}
	key := b.String()
	if len(key) > 60 {
		key = strings.TrimRight(key[:60], "-")
	}
	return key
}

// FoldAccents is name without its accents ("Sergio Pérez" is "Sergio
// Perez"), as people type names ESPN writes with them.
func FoldAccents(name string) string {
	if ascii(name) {
		return name
	}
	// A transformer keeps state: one per call, never shared.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if f, _, err := transform.String(t, name); err == nil {
		return f
	}
	return name
}

// AthleteID is the team id of the athlete (or doubles pair) ESPN names
// name in league leagueKey; every placeholder ("TBD") is "<league>-tbd".
func AthleteID(leagueKey, name string) string {
	key := AthleteKey(name)
	if IsPlaceholder(name) || key == "" {
		key = "tbd"
	}
	return TeamID(leagueKey, key)
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// IsPlaceholder reports whether a competitor's name stands for one not
// known yet (a draw's "TBD").
func IsPlaceholder(name string) bool {
	n := strings.ToUpper(strings.TrimSpace(name))
	return n == "" || n == "TBD" || strings.Trim(strings.ReplaceAll(n, "TBD", ""), " /") == ""
}

// ToPar reads golf's strokes to par: "-14", "+3", "E" (even).
func ToPar(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "E") {
		return 0, true
	}
	n, err := strconv.Atoi(strings.TrimPrefix(s, "+"))
	return n, err == nil
}
