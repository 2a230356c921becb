package espn

import (
	"strconv"
	"strings"

	"github.com/sports-data/sports-data/internal/espnjson"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// sportExtras fills the parts of a game that belong to its sport: soccer's
// clock, extra time, shoot-out and shots; baseball's half-inning, count
// and bases; volleyball's set scores; college rankings.
func sportExtras(l league.League, g *game.Game, st *espnjson.Status, comp *espnjson.Competition, home, away *espnjson.Competitor) {
	if l.College {
		g.HomeTeam.Rank = rank(home)
		g.AwayTeam.Rank = rank(away)
	}
	switch {
	case l.Draws():
		g.Soccer = soccer(g, st, home, away, l.Periods)
	case l.Innings():
		g.Baseball = baseball(g, st, comp.Situation)
	case l.Sets():
		g.Sets = sets(home, away)
	}
}

// rank reads a poll rank; ESPN's 99 (and anything off the poll) is none.
func rank(c *espnjson.Competitor) *int {
	if c.CuratedRank == nil {
		return nil
	}
	n := c.CuratedRank.Current.Number()
	if !n.OK || n.V < 1 || n.V > 50 {
		return nil
	}
	r := n.Int()
	return &r
}

// soccer reads ESPN's minute clock ("45'+2'"), extra time (periods past
// the two halves, or a status that says so) and the shoot-out score, which
// ESPN sends beside the score as shootoutScore.
func soccer(g *game.Game, st *espnjson.Status, home, away *espnjson.Competitor, periods int) *game.Soccer {
	s := &game.Soccer{}
	if g.Status == game.StatusLive || g.Status == game.StatusFinal {
		s.Minute, s.AddedTime = minuteClock(st.DisplayClock.Text())
	}
	name := strings.ToUpper(st.Type.Name)
	shootout := strings.Contains(name, "PEN") || strings.Contains(name, "SHOOTOUT")
	hs, as := home.ShootoutScore.Number(), away.ShootoutScore.Number()
	if hs.OK && as.OK && (shootout || hs.V+as.V > 0) {
		s.Shootout = &game.Score{Home: hs.Int(), Away: as.Int()}
	}
	s.ExtraTime = (periods > 0 && st.Period.Number().Int() > periods) || s.Shootout != nil || shootout ||
		strings.Contains(name, "AET") || strings.Contains(name, "EXTRA")
	s.Shots = stat(home, away, "totalShots")
	s.ShotsOnTarget = stat(home, away, "shotsOnTarget")
	return s
}

// minuteClock reads "45'", "90'+8'" or "120'+1'"; zeros when unreadable.
func minuteClock(c string) (minute, added int) {
	c = strings.TrimSpace(c)
	base, extra, _ := strings.Cut(c, "+")
	minute, _ = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(base), "'")))
	added, _ = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(extra), "'")))
	if minute < 0 || minute > 200 || added < 0 || added > 60 {
		return 0, 0
	}
	return minute, added
}

// stat pairs one team statistic of both sides; nil unless both have it.
func stat(home, away *espnjson.Competitor, name string) *game.Score {
	h, okH := statValue(home, name)
	a, okA := statValue(away, name)
	if !okH || !okA {
		return nil
	}
	return &game.Score{Home: h, Away: a}
}

func statValue(c *espnjson.Competitor, name string) (int, bool) {
	for _, s := range c.Statistics {
		if s.Name == name {
			n := s.DisplayValue.Number()
			return n.Int(), n.OK
		}
	}
	return 0, false
}

// baseball reads the half-inning from ESPN's detail ("Top 9th", "Bot 5th",
// "Mid 7th", "End 3rd") and the count and bases from the situation.
func baseball(g *game.Game, st *espnjson.Status, sit *espnjson.Situation) *game.Baseball {
	if g.Status != game.StatusLive {
		return nil
	}
	b := &game.Baseball{Half: half(firstNonEmpty(st.Type.ShortDetail.String(), st.Type.Detail.String()))}
	if sit != nil {
		b.Outs, b.Balls, b.Strikes = sit.Outs.Number().Int(), sit.Balls.Number().Int(), sit.Strikes.Number().Int()
		b.OnFirst, b.OnSecond, b.OnThird = sit.OnFirst.Bool(), sit.OnSecond.Bool(), sit.OnThird.Bool()
	}
	return b
}

func half(detail string) string {
	word, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(detail)), " ")
	switch word {
	case "top":
		return "top"
	case "bot", "bottom":
		return "bottom"
	case "mid", "middle":
		return "middle"
	case "end":
		return "end"
	}
	return ""
}

// sets pairs the points of each set from the linescores; a live match's
// last entry is the set being played.
func sets(home, away *espnjson.Competitor) []game.Score {
	n := min(len(home.Linescores), len(away.Linescores))
	if n == 0 {
		return nil
	}
	out := make([]game.Score, n)
	for i := range n {
		out[i] = game.Score{Home: home.Linescores[i].Value.Number().Int(), Away: away.Linescores[i].Value.Number().Int()}
	}
	return out
}
