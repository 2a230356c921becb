package simulator

import (
	"sort"
	"time"
)

// Truth is what happened in the simulation up to At, for checking what a
// client stored against it.
type Truth struct {
	At    time.Time
	Games []GameTruth // by league, then scheduled start, then id
}

// Team names one side of a game.
type Team struct {
	ID           string // ESPN team id
	Abbreviation string
	Name         string
}

// GameTruth is one game (one ESPN event id).
type GameTruth struct {
	League string // "nfl", "nhl"
	ID     string
	Home   Team
	Away   Team
	// Scheduled is the start first announced; Start is when play began
	// (zero until then, and forever for a game never played under its id).
	Scheduled time.Time
	Start     time.Time
	// End is when the game went final; zero until then.
	End time.Time
	// Scenario names the scripted sequence the game plays (the Scenario*
	// constants); empty for a game drawn from the seed.
	Scenario string
	// Tags describe the whole game as planned, including what has not
	// happened yet at At: TagOvertime, TagShootout, TagTie, TagOverturned,
	// TagQuickScores, TagTwiceInARow, TagLateNight, TagPostponed, TagMoved,
	// TagReplay.
	Tags []string
	// Scores is every score state a client polling infinitely fast would
	// see, in order, without the 0-0 before the first score.
	Scores []ScoreChange
	// Statuses is every change of ESPN status name or period, in order.
	Statuses []StatusChange
	// Final is set once the game is final.
	Final *Result
	// PostponedAt is when the game was called off (zero if it never was,
	// or not yet at At).
	PostponedAt time.Time
	// MovedAt is when a postponed game got its new date under the same id
	// (NFL); zero otherwise.
	MovedAt time.Time
	// ReplayOf is, for a replay under a new id (NHL), the postponed game's
	// id; ReplayID is, on the postponed game, the replay's id.
	ReplayOf string
	ReplayID string
}

// ScoreChange is one score state and when it began.
type ScoreChange struct {
	Time   time.Time
	Home   int
	Away   int
	Period int
	Clock  string // the game clock, "7:32" ("0:00" for a shootout)
	Kind   string // "touchdown", "extra point", "two-point conversion", "field goal", "safety", "overturned", "goal", "shootout"
	Text   string // the last-play text shown with it
}

// StatusChange is a change of ESPN status name or period. The first one,
// STATUS_SCHEDULED, has a zero Time unless the game appeared during the
// simulation (a replay under a new id).
type StatusChange struct {
	Time   time.Time
	State  string // "pre", "in", "post"
	Name   string // "STATUS_SCHEDULED", "STATUS_IN_PROGRESS", "STATUS_END_PERIOD", ...
	Period int
}

// Result is a final score.
type Result struct {
	Home   int
	Away   int
	Period int    // 4 or 5 (NFL OT); 3, 4 (OT) or 5 (shootout) NHL
	Detail string // "Final", "Final/OT", "Final/SO"
	Winner string // the winner's abbreviation; empty for a tie
	Tie    bool
	// Shootout is a soccer shoot-out's score; its winner wins the match
	// (game_end's winner) while the match counts as a draw (Tie).
	Shootout       *[2]int
	ShootoutWinner string
}

// Tags of GameTruth.
const (
	TagOvertime    = "overtime"       // final after regulation (Final/OT or Final/SO)
	TagShootout    = "shootout"       // NHL Final/SO
	TagTie         = "tie"            // NFL tie after overtime
	TagOverturned  = "overturned"     // a score goes down
	TagQuickScores = "quick-scores"   // both teams score within 15 simulated seconds
	TagTwiceInARow = "twice-in-a-row" // a team scores two plays in a row (tries aside)
	TagLateNight   = "late-night"     // ends on a later Eastern day than it started
	TagPostponed   = "postponed"      // called off (STATUS_POSTPONED)
	TagMoved       = "moved"          // postponed, then replayed under the same id on a new date
	TagReplay      = "replay"         // the replay of a postponed game under a new id
)

// Record is a team's record over the finals of a Truth: what a store that
// kept every final of the window computes. It leaves out the records ESPN
// shows from before the window.
type Record struct {
	GamesPlayed   int
	Wins          int
	Losses        int
	Ties          int // NFL
	OTLosses      int // NHL: overtime and shootout losses
	PointsFor     int
	PointsAgainst int
}

// RecordOf sums the finals of a team (by abbreviation) in a league.
// Postponed games never count.
func (tr Truth) RecordOf(league, abbreviation string) Record {
	var r Record
	for _, g := range tr.Games {
		if g.League != league || g.Final == nil {
			continue
		}
		var us, them int
		switch abbreviation {
		case g.Home.Abbreviation:
			us, them = g.Final.Home, g.Final.Away
		case g.Away.Abbreviation:
			us, them = g.Final.Away, g.Final.Home
		default:
			continue
		}
		r.GamesPlayed++
		r.PointsFor += us
		r.PointsAgainst += them
		switch {
		case g.Final.Tie:
			r.Ties++
		case g.Final.Winner == abbreviation:
			r.Wins++
		case league == "nhl" && g.Final.Period > 3:
			r.OTLosses++
		default:
			r.Losses++
		}
	}
	return r
}

// Truth is TruthAt(Now()).
func (s *Sim) Truth() Truth { return s.TruthAt(s.Now()) }

// TruthAt is what had happened at simulated time t. Games not yet
// announced at t (replays) are left out.
func (s *Sim) TruthAt(t time.Time) Truth {
	out := Truth{At: t}
	for _, lg := range s.leagues {
		plans := append([]*gamePlan(nil), s.plans[lg.reg.Key]...)
		sort.SliceStable(plans, func(i, j int) bool {
			if !plans[i].scheduled.Equal(plans[j].scheduled) {
				return plans[i].scheduled.Before(plans[j].scheduled)
			}
			return plans[i].id < plans[j].id
		})
		for _, p := range plans {
			if p.listedAt(t) {
				out.Games = append(out.Games, p.truthAt(t))
			}
		}
	}
	return out
}

func teamRef(t *team) Team {
	return Team{ID: t.id, Abbreviation: t.abbr, Name: t.displayName}
}

func (p *gamePlan) truthAt(t time.Time) GameTruth {
	g := GameTruth{League: p.lg.reg.Key, ID: p.id, Home: teamRef(p.home), Away: teamRef(p.away),
		Scheduled: p.scheduled, Scenario: p.scenario, Tags: p.tags(), ReplayOf: p.replayOf, ReplayID: p.replayID}
	if !p.neverPlayed() && !t.Before(p.start) {
		g.Start = p.start
	}
	if !p.postponedAt.IsZero() && !t.Before(p.postponedAt) {
		g.PostponedAt = p.postponedAt
	}
	if !p.movedAt.IsZero() && !t.Before(p.movedAt) {
		g.MovedAt = p.movedAt
	}
	for _, e := range p.events {
		if e.at.After(t) {
			break
		}
		g.Scores = append(g.Scores, ScoreChange{Time: e.at, Home: e.home, Away: e.away, Period: e.period, Clock: p.eventClock(e), Kind: e.kind, Text: e.text})
	}
	for _, c := range p.statusChanges() {
		if c.Time.After(t) {
			break
		}
		g.Statuses = append(g.Statuses, c)
	}
	if !p.neverPlayed() && !t.Before(p.end) {
		f := p.final
		r := &Result{Home: f.home, Away: f.away, Period: f.period, Detail: f.detail, Tie: f.tie}
		if !f.tie {
			r.Winner = p.sideTeam(f.winner).abbr
		}
		if f.pens {
			r.Shootout = &[2]int{f.pensHome, f.pensAway}
			r.ShootoutWinner = p.sideTeam(f.winner).abbr
		}
		g.Final = r
		g.End = p.end
	}
	return g
}

// statusChanges lists every change of status name or period over the
// whole game.
func (p *gamePlan) statusChanges() []StatusChange {
	var out []StatusChange
	add := func(at time.Time, st statusType, period int) {
		if n := len(out); n > 0 && out[n-1].Name == st.name && out[n-1].Period == period {
			return
		}
		out = append(out, StatusChange{Time: at, State: string(st.state), Name: st.name, Period: period})
	}
	add(p.listedFrom, statusType{name: "STATUS_SCHEDULED", state: phasePre}, 0)
	if !p.postponedAt.IsZero() {
		add(p.postponedAt, statusType{name: "STATUS_POSTPONED", state: phasePost}, 0)
		if !p.movedAt.IsZero() {
			add(p.movedAt, statusType{name: "STATUS_SCHEDULED", state: phasePre}, 0)
		}
	}
	if p.neverPlayed() {
		return out
	}
	for i := range p.segments {
		sg := &p.segments[i]
		add(sg.from, p.liveStatus(sg, sg.clockAt(sg.from)), sg.period)
	}
	add(p.end, p.stateAt(p.end).status, p.final.period)
	return out
}

// tags describes the planned game.
func (p *gamePlan) tags() []string {
	var tags []string
	reg := p.lg.reg.Periods
	if !p.neverPlayed() {
		if p.final.period > reg {
			tags = append(tags, TagOvertime)
		}
		if p.final.detail == "Final/SO" || p.final.pens {
			tags = append(tags, TagShootout)
		}
		if p.final.tie {
			tags = append(tags, TagTie)
		}
	}
	var down, quick, twice bool
	var plays []scoreEvent
	for i, e := range p.events {
		if e.points < 0 {
			down = true
		}
		if i > 0 && e.side != p.events[i-1].side && e.points > 0 && p.events[i-1].points > 0 && e.at.Sub(p.events[i-1].at) <= 15*time.Second {
			quick = true
		}
		switch e.kind {
		case kindExtraPoint, kindTwoPoint:
		case kindOverturned:
			if n := len(plays); n > 0 {
				plays = plays[:n-1]
			}
		default:
			if n := len(plays); n > 0 && plays[n-1].side == e.side {
				twice = true
			}
			plays = append(plays, e)
		}
	}
	if down {
		tags = append(tags, TagOverturned)
	}
	if quick {
		tags = append(tags, TagQuickScores)
	}
	if twice {
		tags = append(tags, TagTwiceInARow)
	}
	if !p.neverPlayed() && dayOf(p.end).After(dayOf(p.start)) {
		tags = append(tags, TagLateNight)
	}
	if !p.postponedAt.IsZero() {
		tags = append(tags, TagPostponed)
	}
	if !p.movedAt.IsZero() {
		tags = append(tags, TagMoved)
	}
	if p.replayOf != "" {
		tags = append(tags, TagReplay)
	}
	return tags
}
