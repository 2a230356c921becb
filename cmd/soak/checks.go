package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/simulator"
	"github.com/sports-data/sports-data/internal/tz"
)

// The checks are pure functions of the simulator's truth and of what the
// service stored and delivered, so that they are tested on their own.

// gstate is what the service records of a game at one change.
type gstate struct {
	Status string
	Period int
	Home   int
	Away   int
}

func (s gstate) String() string {
	return fmt.Sprintf("%s P%d %d-%d", s.Status, s.Period, s.Home, s.Away)
}

// tlEntry is one item of GET /api/v1/games/timeline/{id}.
type tlEntry struct {
	Time          time.Time `json:"time"`
	HomeScore     int       `json:"home_score"`
	AwayScore     int       `json:"away_score"`
	Period        int       `json:"period"`
	TimeRemaining string    `json:"time_remaining"`
	Status        string    `json:"status"`
}

type timelineDoc struct {
	GameID     string    `json:"game_id"`
	Timeline   []tlEntry `json:"timeline"`
	FinalScore *score    `json:"final_score"`
}

func (e tlEntry) state() gstate {
	return gstate{Status: e.Status, Period: e.Period, Home: e.HomeScore, Away: e.AwayScore}
}

// apiStatus is the service's word for an ESPN status of the simulator.
func apiStatus(c simulator.StatusChange) string {
	switch c.Name {
	case "STATUS_POSTPONED":
		return "postponed"
	case "STATUS_SUSPENDED":
		return "suspended"
	case "STATUS_CANCELED", "STATUS_CANCELLED":
		return "canceled"
	}
	switch c.State {
	case "in":
		return "live"
	case "post":
		return "final"
	}
	return "scheduled"
}

// truthStates is every state an infinitely fast observer would have
// stored for g, in order: status and period from the status changes,
// scores from the score changes; changes at the same instant make one
// state.
func truthStates(g simulator.GameTruth) []gstate {
	type change struct {
		at     time.Time
		status *simulator.StatusChange
		score  *simulator.ScoreChange
	}
	var cs []change
	for i := range g.Statuses {
		cs = append(cs, change{at: g.Statuses[i].Time, status: &g.Statuses[i]})
	}
	for i := range g.Scores {
		cs = append(cs, change{at: g.Scores[i].Time, score: &g.Scores[i]})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].at.Before(cs[j].at) })
	var out []gstate
	cur := gstate{Status: "scheduled"}
	for i := 0; i < len(cs); {
		j := i
		for ; j < len(cs) && cs[j].at.Equal(cs[i].at); j++ {
			if c := cs[j].status; c != nil {
				cur.Status, cur.Period = apiStatus(*c), c.Period
			}
			if c := cs[j].score; c != nil {
				cur.Home, cur.Away = c.Home, c.Away
			}
		}
		i = j
		if n := len(out); n == 0 || out[n-1] != cur {
			out = append(out, cur)
		}
	}
	return out
}

// checkTimeline compares the stored timeline of one game with the truth:
// no state stored twice in a row, the stored states in the truth's order,
// and the final score. It returns the problems of each kind.
func checkTimeline(g simulator.GameTruth, tl timelineDoc) (dups, order, finals []string) {
	name := gameName(g)
	if len(tl.Timeline) == 0 {
		return nil, []string{name + ": nothing stored"}, nil
	}
	for i := 1; i < len(tl.Timeline); i++ {
		if a, b := tl.Timeline[i-1], tl.Timeline[i]; a.state() == b.state() {
			dups = append(dups, fmt.Sprintf("%s: %s stored twice in a row (%s and %s)", name, b.state(),
				a.Time.Format(time.TimeOnly), b.Time.Format(time.TimeOnly)))
		}
	}
	truth := truthStates(g)
	j := -1
	for i, e := range tl.Timeline {
		if i > 0 && e.state() == tl.Timeline[i-1].state() {
			continue // reported above
		}
		k := j + 1
		for k < len(truth) && truth[k] != e.state() {
			k++
		}
		if k == len(truth) {
			after := "the start"
			if j >= 0 {
				after = truth[j].String()
			}
			order = append(order, fmt.Sprintf("%s: stored %s at %s, which does not follow %s in the simulator's sequence %s",
				name, e.state(), e.Time.Format(time.TimeOnly), after, statesText(truth)))
			break
		}
		j = k
	}
	last := tl.Timeline[len(tl.Timeline)-1]
	switch {
	case g.Final != nil:
		want := score{Home: g.Final.Home, Away: g.Final.Away}
		if tl.FinalScore == nil || *tl.FinalScore != want {
			finals = append(finals, fmt.Sprintf("%s: final score %v, the simulator's is %d-%d", name, tl.FinalScore, want.Home, want.Away))
		}
		if last.Status != "final" {
			finals = append(finals, fmt.Sprintf("%s: last stored status %s, the game is final", name, last.Status))
		}
	case !g.PostponedAt.IsZero() && g.MovedAt.IsZero():
		if last.Status != "postponed" {
			finals = append(finals, fmt.Sprintf("%s: last stored status %s, the game is postponed", name, last.Status))
		}
	}
	return dups, order, finals
}

func statesText(ss []gstate) string {
	parts := make([]string, 0, len(ss))
	for _, s := range ss {
		parts = append(parts, s.String())
	}
	text := strings.Join(parts, ", ")
	if len(text) > 600 {
		text = text[:600] + "…"
	}
	return "[" + text + "]"
}

func gameName(g simulator.GameTruth) string {
	return fmt.Sprintf("%s %s %s-%s", strings.ToUpper(g.League), g.ID, g.Home.Abbreviation, g.Away.Abbreviation)
}

// firstAccepted is, per event id, the first delivery a receiver answered
// with a 2xx, in the order they were answered.
func firstAccepted(ds []delivery) []delivery {
	seen := map[string]bool{}
	var out []delivery
	for _, d := range ds {
		if d.Status >= 200 && d.Status < 300 && !seen[d.EventID] {
			seen[d.EventID] = true
			out = append(out, d)
		}
	}
	return out
}

// checkOnce reports event ids a receiver accepted more than once. A second
// copy is tolerated (and counted in tolerated) when the first was accepted
// within a second before the service was killed: the delivered log is
// written right after the receiver's answer, and a kill in between is the
// documented case of a redelivery after a crash.
func checkOnce(ds []delivery, kills []time.Time) (problems []string, tolerated int) {
	first := map[string]time.Time{}
	for _, d := range ds {
		if d.Status < 200 || d.Status >= 300 {
			continue
		}
		at, ok := first[d.EventID]
		if !ok {
			first[d.EventID] = d.At
			continue
		}
		excused := false
		for _, k := range kills {
			if !at.After(k) && k.Sub(at) <= time.Second && d.At.After(k) {
				excused = true
			}
		}
		if excused {
			tolerated++
			continue
		}
		problems = append(problems, fmt.Sprintf("%s: %s %s (game %s) accepted again at %s, first at %s", d.Hook, d.Event,
			d.EventID, d.Payload.GameID, d.At.Format("15:04:05.000"), at.Format("15:04:05.000")))
	}
	return problems, tolerated
}

// checkChain follows one game's events as one webhook received them:
// game_start first, each score_change continuing from the score of the one
// before it to a later state of the truth, game_end last with the final
// score; a final game must have its game_end and a started game its
// game_start. lateFinal says that the service first saw the game final
// more than an hour after it ended: its end is then not sent, by design.
func checkChain(g simulator.GameTruth, evs []payload, lateFinal bool) []string {
	name := gameName(g)
	scores := []score{{}}
	for _, s := range g.Scores {
		if n := scores[len(scores)-1]; n.Home != s.Home || n.Away != s.Away {
			scores = append(scores, score{Home: s.Home, Away: s.Away})
		}
	}
	var problems []string
	cur, idx := score{}, 0
	started, ended := false, false
	for _, e := range evs {
		if ended {
			problems = append(problems, fmt.Sprintf("%s: %s after game_end", name, e.Event))
			continue
		}
		switch e.Event {
		case "game_start":
			if started || idx > 0 {
				problems = append(problems, fmt.Sprintf("%s: game_start after the game had started", name))
			}
			started = true
		case "score_change":
			if e.PreviousScore != cur {
				problems = append(problems, fmt.Sprintf("%s: score_change from %d-%d, but the last score delivered was %d-%d",
					name, e.PreviousScore.Home, e.PreviousScore.Away, cur.Home, cur.Away))
			}
			k := idx + 1
			for k < len(scores) && scores[k] != e.Score {
				k++
			}
			if k == len(scores) {
				problems = append(problems, fmt.Sprintf("%s: score_change to %d-%d, which does not follow %d-%d in the simulator's scores",
					name, e.Score.Home, e.Score.Away, scores[idx].Home, scores[idx].Away))
				return problems
			}
			cur, idx = e.Score, k
		case "game_end":
			ended = true
			switch {
			case g.Final == nil:
				problems = append(problems, fmt.Sprintf("%s: game_end, but the game is not final", name))
			case e.Score != (score{Home: g.Final.Home, Away: g.Final.Away}):
				problems = append(problems, fmt.Sprintf("%s: game_end at %d-%d, final is %d-%d", name, e.Score.Home, e.Score.Away, g.Final.Home, g.Final.Away))
			case cur != e.Score:
				problems = append(problems, fmt.Sprintf("%s: game_end at %d-%d, but the last score delivered was %d-%d", name, e.Score.Home, e.Score.Away, cur.Home, cur.Away))
			case g.Final.Shootout != nil && (e.Shootout == nil || *e.Shootout != (score{Home: g.Final.Shootout[0], Away: g.Final.Shootout[1]}) || e.Winner != g.Final.ShootoutWinner):
				problems = append(problems, fmt.Sprintf("%s: game_end of a match won %d-%d on penalties by %s says winner %q, shoot-out %v",
					name, g.Final.Shootout[0], g.Final.Shootout[1], g.Final.ShootoutWinner, e.Winner, e.Shootout))
			case g.Final.Shootout == nil && g.Final.Tie && e.Winner != "tie":
				problems = append(problems, fmt.Sprintf("%s: game_end of a draw says winner %q", name, e.Winner))
			}
		default:
			problems = append(problems, fmt.Sprintf("%s: unexpected event %q", name, e.Event))
		}
	}
	if g.Final != nil && !ended && !lateFinal {
		problems = append(problems, fmt.Sprintf("%s: final %d-%d, but no game_end was delivered", name, g.Final.Home, g.Final.Away))
	}
	if !g.Start.IsZero() && !started {
		problems = append(problems, fmt.Sprintf("%s: played, but no game_start was delivered", name))
	}
	return problems
}

// checkPrefix reports whether got (event ids in order) is the beginning of
// want.
func checkPrefix(got, want []string) string {
	if len(got) > len(want) {
		return fmt.Sprintf("%d events, more than the %d of the reference webhook", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Sprintf("event %d is %s, the reference webhook's is %s", i+1, got[i], want[i])
		}
	}
	return ""
}

// record is the part of the history statistics the truth decides.
type record struct {
	GamesPlayed   int `json:"games_played"`
	Wins          int `json:"wins"`
	Losses        int `json:"losses"`
	Ties          int `json:"ties"`
	OTLosses      int `json:"ot_losses"`
	PointsFor     int `json:"points_for"`
	PointsAgainst int `json:"points_against"`
}

// seasonOf is the season of a game as ESPN numbers it.
func seasonOf(g simulator.GameTruth) int {
	l, _ := league.Lookup(g.League)
	at := g.Scheduled.In(eastern)
	return l.SeasonFor(at.Year(), int(at.Month()))
}

// recordsFromTruth is every team's record per season over the truth's
// finals, keyed "league/ABBR/season".
func recordsFromTruth(tr simulator.Truth) map[string]record {
	out := map[string]record{}
	for _, g := range tr.Games {
		season := seasonOf(g)
		for _, t := range []simulator.Team{g.Home, g.Away} {
			k := fmt.Sprintf("%s/%s/%d", g.League, t.Abbreviation, season)
			if _, ok := out[k]; !ok {
				out[k] = record{}
			}
		}
		if g.Final == nil {
			continue
		}
		for _, side := range []struct {
			t        simulator.Team
			us, them int
		}{{g.Home, g.Final.Home, g.Final.Away}, {g.Away, g.Final.Away, g.Final.Home}} {
			k := fmt.Sprintf("%s/%s/%d", g.League, side.t.Abbreviation, season)
			r := out[k]
			r.GamesPlayed++
			r.PointsFor += side.us
			r.PointsAgainst += side.them
			switch {
			case g.Final.Tie:
				r.Ties++
			case g.Final.Winner == side.t.Abbreviation:
				r.Wins++
			case g.League == "nhl" && g.Final.Period > 3:
				r.OTLosses++
			default:
				r.Losses++
			}
			out[k] = r
		}
	}
	return out
}

var eastern = tz.Eastern

// teamRef names a team by league and abbreviation: an abbreviation alone
// is not a team (DAL is the NFL's Cowboys and the NHL's Stars).
type teamRef struct {
	League       string // registry key, "nfl"
	Abbreviation string
}

func (t teamRef) String() string { return t.League + "/" + t.Abbreviation }

// events lists, in order, the ids of the deliveries about the team's games.
func (t teamRef) events(ds []delivery) []string {
	var out []string
	for _, d := range ds {
		if strings.EqualFold(d.Payload.League, t.League) && (d.Payload.HomeTeam == t.Abbreviation || d.Payload.AwayTeam == t.Abbreviation) {
			out = append(out, d.EventID)
		}
	}
	return out
}
