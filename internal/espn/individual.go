package espn

import (
	"strings"

	"github.com/sports-data/sports-data/internal/espnjson"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// The games of an individual sport's event (docs/espn.md, Individual
// sports; the model in game/contest.go): one game per competition, a
// tennis match or a UFC bout between two sides, a golf tournament or a
// race session over its whole field.

// buildContests turns one event of an individual sport into its games,
// in ESPN's order; each keeps its own competition in its Source.
func buildContests(l league.League, ev *espnjson.Event, top topLevel, lg *espnjson.League) []game.Game {
	contests := ev.Contests()
	out := make([]game.Game, 0, len(contests))
	for _, comp := range contests {
		g, ok := buildContest(l, ev, comp, top)
		if !ok {
			continue
		}
		g.Source = &game.Source{Event: ev, Competition: comp, League: lg}
		out = append(out, g)
	}
	return out
}

// statusOf is a competition's status, else its event's (ESPN gives one or
// the other), else an empty one; never nil.
func statusOf(ev *espnjson.Event, comp *espnjson.Competition) *espnjson.Status {
	switch {
	case comp.Status != nil:
		return comp.Status
	case ev.Status != nil:
		return ev.Status
	}
	return &espnjson.Status{}
}

// timeValidOf is ESPN's timeValid of the competition, else of its event;
// true when neither says.
func timeValidOf(ev *espnjson.Event, comp *espnjson.Competition) bool {
	switch {
	case comp.TimeValid != nil:
		return *comp.TimeValid
	case ev.TimeValid != nil:
		return *ev.TimeValid
	}
	return true
}

// buildContest is one competition of an event as a game.
func buildContest(l league.League, ev *espnjson.Event, comp *espnjson.Competition, top topLevel) (game.Game, bool) {
	id := strings.TrimSpace(comp.ID.Text())
	if id == "" {
		return game.Game{}, false
	}
	st := statusOf(ev, comp)
	status := classify(st.Type.State, st.Type.Completed, st.Type.Name)
	g := game.Game{
		ID:           id,
		League:       l.Name,
		Status:       status,
		StatusDetail: st.Type.ShortDetail.String(),
		Broadcasts:   broadcasts(comp.Broadcasts),
		Contest:      contestOf(ev, comp),
	}
	g.StartTime = comp.Date.Text()
	if g.StartTime == "" {
		g.StartTime = ev.Date.Text()
	}
	g.Start = parseTime(g.StartTime)
	g.TimeValid = timeValidOf(ev, comp)
	switch {
	case comp.Venue != nil:
		g.Venue = comp.Venue.FullName.String()
	case ev.Circuit != nil:
		g.Venue = ev.Circuit.FullName.String()
	}
	g.Period = period(status, st, comp, l)
	g.Season, g.SeasonType, g.Week = seasonOf(ev, top)
	if l.Field() {
		return field(l, &g, comp), true
	}
	return pair(l, &g, st, comp)
}

// contestOf places a competition in its event.
func contestOf(ev *espnjson.Event, comp *espnjson.Competition) *game.Contest {
	c := &game.Contest{EventID: strings.TrimSpace(ev.ID.Text()), EventName: firstNonEmpty(ev.ShortName.String(), ev.Name.String())}
	if t := comp.Type; t != nil {
		c.Kind = firstNonEmpty(t.Text.String(), t.Abbreviation.String())
	}
	if r := comp.Round; r != nil {
		c.Round = r.DisplayName.String()
	}
	return c
}

// pair is a contest of two: a tennis match (players or doubles pairs) or a
// UFC bout. Home and away are ESPN's homeAway where both sides have one,
// else its order (1 is home), else the list's.
func pair(l league.League, g *game.Game, st *espnjson.Status, comp *espnjson.Competition) (game.Game, bool) {
	if len(comp.Competitors) < 2 {
		return game.Game{}, false
	}
	home, away := sides(comp.Competitors)
	var ok bool
	if g.HomeTeam, ok = competitorTeam(l, home); !ok {
		return game.Game{}, false
	}
	if g.AwayTeam, ok = competitorTeam(l, away); !ok {
		return game.Game{}, false
	}
	final := g.Status == game.StatusFinal
	switch l.Sport {
	case league.Tennis:
		g.Sets = sets(home, away)
		g.Score = setsWon(home, away, final)
	case league.MMA:
		g.Score = cardsWon(home, away, final)
	}
	if final {
		decide(l, g, st, home, away)
	}
	return *g, true
}

// sides picks home and away of a contest of two.
func sides(cs []espnjson.Competitor) (home, away *espnjson.Competitor) {
	for i := range cs {
		switch strings.ToLower(strings.TrimSpace(cs[i].HomeAway.String())) {
		case "home":
			if home == nil {
				home = &cs[i]
			}
		case "away":
			if away == nil {
				away = &cs[i]
			}
		}
	}
	if home != nil && away != nil && home != away {
		return home, away
	}
	home, away = &cs[0], &cs[1]
	if home.Order.Number().Int() == 2 && away.Order.Number().Int() == 1 {
		home, away = away, home
	}
	return home, away
}

// competitorTeam is a competitor as a Team: its athlete or doubles pair,
// named by its name, or its team where it is one (cricket).
func competitorTeam(l league.League, c *espnjson.Competitor) (game.Team, bool) {
	a := c.Athlete
	if a == nil {
		a = c.Roster
	}
	if a == nil {
		if c.Team != nil && strings.TrimSpace(c.Team.Abbreviation) != "" {
			return buildTeam(l, c.Team, competitorRecord(c, l))
		}
		return game.Team{}, false
	}
	name := strings.TrimSpace(a.DisplayName.String())
	id := game.AthleteID(l.Key, name)
	if id == game.TeamID(l.Key, "tbd") {
		name = "TBD"
	}
	t := game.Team{
		ID:           id,
		Name:         name,
		Abbreviation: strings.ToUpper(strings.TrimPrefix(id, l.Key+"-")),
		Colors:       game.DefaultColors,
		Record:       competitorRecord(c, l),
		ESPNID:       strings.TrimSpace(c.ID.Text()),
		ShortName:    firstNonEmpty(a.ShortName.String(), a.ShortDisplayName.String(), name),
		// A doubles pair is named as an athlete is, but TeamTracker finds
		// it by a pattern of its whole name only.
		Athlete: c.Athlete != nil,
	}
	if a.Flag != nil {
		t.Logo = a.Flag.Href.String()
	}
	return t, true
}

// won reads a competitor's winner flag: true, or "true" as some answers
// write it.
func won(v espnjson.Value) bool { return v.Bool() || v.String() == "true" }

// setsWon counts the sets each side won: a set ESPN marks won, else, for
// every set but the one being played (all of them once the match is
// final), the side with more games.
func setsWon(home, away *espnjson.Competitor, final bool) game.Score {
	var s game.Score
	n := min(len(home.Linescores), len(away.Linescores))
	for i := range n {
		h, a := &home.Linescores[i], &away.Linescores[i]
		switch {
		case won(h.Winner):
			s.Home++
		case won(a.Winner):
			s.Away++
		case i < n-1 || final:
			hv, av := h.Value.Number().Int(), a.Value.Number().Int()
			if hv > av {
				s.Home++
			} else if av > hv {
				s.Away++
			}
		}
	}
	return s
}

// cardsWon counts the judges' cards each fighter won (ESPN's last
// linescore holds one total per judge); a bout that ended inside the
// distance has none, and its winner scores 1–0.
func cardsWon(home, away *espnjson.Competitor, final bool) game.Score {
	var s game.Score
	if !final {
		return s
	}
	cards := func(c *espnjson.Competitor) []int {
		if len(c.Linescores) == 0 {
			return nil
		}
		last := c.Linescores[len(c.Linescores)-1].Linescores
		out := make([]int, len(last))
		for i := range last {
			out[i] = last[i].Value.Number().Int()
		}
		return out
	}
	hc, ac := cards(home), cards(away)
	for i := 0; i < min(len(hc), len(ac)); i++ {
		if hc[i] > ac[i] {
			s.Home++
		} else if ac[i] > hc[i] {
			s.Away++
		}
	}
	if s == (game.Score{}) {
		switch {
		case won(home.Winner):
			s.Home = 1
		case won(away.Winner):
			s.Away = 1
		}
	}
	return s
}

// decide records ESPN's word on a final contest of two: the winner it
// marks, and how it ended where the score cannot say (a retirement, a
// walkover; a draw or no-contest in MMA).
func decide(l league.League, g *game.Game, st *espnjson.Status, home, away *espnjson.Competitor) {
	c := g.Contest
	if c == nil {
		c = &game.Contest{}
		g.Contest = c
	}
	switch {
	case won(home.Winner):
		c.Winner, c.Decided = game.Home, true
	case won(away.Winner):
		c.Winner, c.Decided = game.Away, true
	}
	switch name := strings.ToUpper(st.Type.Name); {
	case strings.Contains(name, "RETIRED"):
		c.Note = "retired"
	case strings.Contains(name, "WALKOVER"):
		c.Note = "walkover"
	case strings.Contains(name, "NO_CONTEST"):
		c.Note, c.Decided = "no contest", true
	case strings.Contains(name, "DRAW"):
		c.Note, c.Decided = "draw", true
	}
	if c.Decided {
		return
	}
	// A finished bout without a winner: level cards are a draw, no cards
	// at all a no-contest.
	if l.Sport == league.MMA {
		c.Decided = true
		if g.Score.Home == g.Score.Away && g.Score.Home > 0 {
			c.Note = "draw"
		} else if g.Score == (game.Score{}) {
			c.Note = "no contest"
		}
	}
}

// field is a contest of many: every competitor in ESPN's order, the first
// two as home and away. The score is strokes to par in golf (ESPN's
// score), the place in racing.
func field(l league.League, g *game.Game, comp *espnjson.Competition) game.Game {
	for i := range comp.Competitors {
		c := &comp.Competitors[i]
		t, ok := competitorTeam(l, c)
		if !ok {
			continue
		}
		pos := c.Order.Number().Int()
		if pos <= 0 {
			pos = len(g.Field) + 1
		}
		g.Field = append(g.Field, game.Entrant{Team: t, Position: pos, Score: c.Score.Text(), Winner: won(c.Winner)})
	}
	placeholder := game.Team{ID: game.TeamID(l.Key, "tbd"), Name: "TBD", Abbreviation: "TBD", Colors: game.DefaultColors, Athlete: true}
	g.HomeTeam, g.AwayTeam = placeholder, placeholder
	score := func(e *game.Entrant) int {
		if l.Sport == league.Golf {
			n, _ := game.ToPar(e.Score)
			return n
		}
		return e.Position
	}
	if len(g.Field) > 0 {
		g.HomeTeam, g.Score.Home = g.Field[0].Team, score(&g.Field[0])
	}
	if len(g.Field) > 1 {
		g.AwayTeam, g.Score.Away = g.Field[1].Team, score(&g.Field[1])
	}
	if g.Status == game.StatusScheduled {
		// A grid or a tee sheet is no standing yet.
		g.Score = game.Score{}
	}
	if g.Status == game.StatusFinal && len(g.Field) > 0 {
		// The first of the order won, whatever golf's or racing's score
		// says (the lower number).
		g.Contest.Winner, g.Contest.Decided = game.Home, true
	}
	return *g
}

// cricket fills a cricket match's score lines, runs and wickets from its
// innings, and ESPN's summary of where it stands.
func cricket(l league.League, g *game.Game, st *espnjson.Status, comp *espnjson.Competition, ev *espnjson.Event, home, away *espnjson.Competitor) {
	c := &game.Cricket{HomeLine: home.Score.Text(), AwayLine: away.Score.Text(), Summary: st.Summary.String()}
	if comp.Class != nil {
		c.Class = comp.Class.GeneralClassCard.String()
	}
	innings := func(x *espnjson.Competitor) (runs, wickets int, batting, ok bool) {
		for i := range x.Linescores {
			ls := &x.Linescores[i]
			if r := ls.Runs.Number(); r.OK {
				runs += r.Int()
				ok = true
			}
			wickets += ls.Wickets.Number().Int()
		}
		if n := len(x.Linescores); n > 0 {
			batting = won(x.Linescores[n-1].IsBatting)
		}
		return runs, wickets, batting, ok
	}
	hr, hw, hb, hok := innings(home)
	ar, aw, ab, aok := innings(away)
	if hok {
		g.Score.Home = hr
	}
	if aok {
		g.Score.Away = ar
	}
	c.Wickets = game.Score{Home: hw, Away: aw}
	if g.Status == game.StatusLive {
		switch {
		case hb:
			c.Batting = game.Home
		case ab:
			c.Batting = game.Away
		}
	}
	g.Cricket = c
	g.Contest = contestOf(ev, comp)
	g.Contest.Kind = c.Class
	if g.Status == game.StatusFinal {
		decide(l, g, st, home, away)
		if !g.Contest.Decided {
			// No winner named: a draw or no result.
			g.Contest.Decided = true
		}
		g.Contest.Note = c.Summary
	}
}

// cricketStatus is a cricket match's status: ESPN's cricket answers name
// no status and mark no completion, so a "post" match is over (final),
// not postponed.
func cricketStatus(st *espnjson.Status, status game.Status) game.Status {
	if status == game.StatusPostponed && strings.EqualFold(strings.TrimSpace(st.Type.State), "post") && st.Type.Name == "" {
		return game.StatusFinal
	}
	return status
}
