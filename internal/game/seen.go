package game

// Seen is a game seen from one of its competitors: its side, the
// opponent and both scores. In a contest of two the opponent is the other
// side; in a field it is the leader, or the second when the competitor
// leads (as TeamTracker shows a field), and a score is golf's strokes to
// par or racing's place.
type Seen struct {
	Us, Them     Team
	Ours, Theirs int
	// Home is true when Us is the home side (in a field: the leader).
	Home bool
	// Position is Us's place in a field; 0 in a contest of two.
	Position int
}

// SeenFrom is the game seen from teamID; a team that takes no part sees
// it from the home side, as the API always has.
func (g *Game) SeenFrom(teamID string) Seen {
	if e := g.Entry(teamID); e != nil {
		s := Seen{Us: e.Team, Ours: entrantScore(e), Position: e.Position, Them: g.HomeTeam, Theirs: g.Score.Home}
		if g.HomeTeam.ID == teamID {
			s.Home, s.Them, s.Theirs = true, g.AwayTeam, g.Score.Away
		}
		return s
	}
	if g.AwayTeam.ID == teamID && g.HomeTeam.ID != teamID {
		return Seen{Us: g.AwayTeam, Them: g.HomeTeam, Ours: g.Score.Away, Theirs: g.Score.Home}
	}
	return Seen{Us: g.HomeTeam, Them: g.AwayTeam, Ours: g.Score.Home, Theirs: g.Score.Away, Home: true}
}

// entrantScore is an entrant's score as the game's score counts it: golf's
// strokes to par, else the place.
func entrantScore(e *Entrant) int {
	if n, ok := ToPar(e.Score); ok {
		return n
	}
	return e.Position
}

// Outcome is the result of a final game for the side seen: "win",
// "loss" or "tie" (a draw, a no-contest); in a field only its winner wins.
func (g *Game) Outcome(s Seen) string {
	ours := Away
	if s.Home {
		ours = Home
	}
	if len(g.Field) > 0 && s.Position > 1 {
		return "loss"
	}
	switch g.Winner() {
	case Level:
		return "tie"
	case ours:
		return "win"
	}
	return "loss"
}
