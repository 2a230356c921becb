// Package recorder turns the game snapshots of every poll into the points
// that persist them: a score point when a game's status, score or period
// changes, and a rewrite of the game's row when its schedule or result
// changes. Nothing is written for a poll that saw nothing new.
package recorder

import (
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/gamepoint"
	"github.com/sports-data/sports-data/internal/store"
)

// Enqueuer takes points for writing without waiting for the store.
type Enqueuer interface {
	Enqueue(points ...store.Point)
}

const (
	// forgetOver is how long a game that is over stays known after it was
	// last seen: longer than a season, because the team schedule shows
	// every final of the season at each refresh, and a refresh after a
	// gap of days must not find them new.
	forgetOver = 400 * 24 * time.Hour
	// forgetAny bounds games that vanish from every source before they
	// are over (a game moved out of the polled days).
	forgetAny = 30 * 24 * time.Hour
	// sweepEvery is how often the known games are checked for forgetting.
	sweepEvery = time.Hour
)

// Recorder remembers the last recorded state of every game it knows and
// writes only what changed. It is safe for concurrent use by several
// league pollers.
type Recorder struct {
	w   Enqueuer
	now func() time.Time
	log *slog.Logger

	mu        sync.Mutex
	games     map[gameKey]*known
	lastSweep time.Time
}

type gameKey struct{ league, id string }

// known is what was last recorded for one game.
type known struct {
	score    scoreState
	hasScore bool
	row      rowState
	hasRow   bool
	seen     time.Time
	// sched is the game's schedule history, carried on its row.
	sched schedule
}

// schedule is how often the game's schedule changed and when it last did
// (or when the game was first seen).
type schedule struct {
	version   int
	changedAt time.Time
}

// scoreState is what makes a score point: the clock alone does not.
type scoreState struct {
	status     string // storage word
	home, away int
	period     int
}

// rowState is what makes a games row rewrite: the schedule and the result.
type rowState struct {
	start              int64 // unix ns of the scheduled start
	status             string
	home, away         int
	period             int
	venue              string
	broadcasts         string
	homeTeam, awayTeam string
	homeID, awayID     string
	homeName, awayName string
}

// New makes a recorder that enqueues points on w; now is the clock of
// observation times (time.Now in production).
func New(w Enqueuer, now func() time.Time, logger *slog.Logger) *Recorder {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Recorder{w: w, now: now, log: logger, games: map[gameKey]*known{}}
}

func leagueOf(leagueKey string) string { return strings.ToLower(strings.TrimSpace(leagueKey)) }

// Observe records what changed in games since they were last seen. It is
// called after every successful poll of a league with every game the poll
// saw; a game listed twice counts once (the first listing).
//
// A contest of many (a golf tournament, a race session) is recorded as its
// entries (game.Game.Entries): a game per entrant, so that an athlete's
// history holds its place in each.
func (r *Recorder) Observe(leagueKey string, games []game.Game) {
	games = withEntries(games)
	lk := leagueOf(leagueKey)
	now := r.now()
	var out []store.Point

	r.mu.Lock()
	defer r.mu.Unlock()
	done := make(map[string]bool, len(games))
	for i := range games {
		g := &games[i]
		if g.ID == "" {
			r.log.Warn("game without an id not recorded", "league", lk,
				"home", g.HomeTeam.Abbreviation, "away", g.AwayTeam.Abbreviation)
			continue
		}
		if done[g.ID] {
			continue
		}
		done[g.ID] = true

		k := gameKey{lk, g.ID}
		e := r.games[k]
		if e == nil {
			e = &known{}
			r.games[k] = e
		}
		e.seen = now

		if sc := scoreOf(g); !e.hasScore || sc != e.score {
			e.score, e.hasScore = sc, true
			out = append(out, scorePoint(lk, g, now))
		}
		if g.Start.IsZero() {
			r.log.Debug("game without a start time: score points only", "league", lk, "game", g.ID)
			continue
		}
		row := rowOf(g)
		if e.hasRow {
			row.keepKnown(e.row)
		}
		if !e.hasRow || row != e.row {
			switch {
			case !e.hasRow && e.sched.changedAt.IsZero():
				e.sched = schedule{changedAt: now}
			case e.hasRow && row.rescheduled(e.row):
				e.sched = schedule{version: e.sched.version + 1, changedAt: now}
			}
			e.row, e.hasRow = row, true
			out = append(out, gamesPoint(lk, g, row, e.sched, now))
		}
	}
	r.sweep(now)
	// Enqueued under the lock, so that two polls of one league cannot
	// reach the writer in the opposite order of their observations.
	if len(out) > 0 {
		r.w.Enqueue(out...)
	}
}

// withEntries is games with every contest of many replaced by its
// entries; games holding none are returned as they are.
func withEntries(games []game.Game) []game.Game {
	fields := false
	for i := range games {
		if len(games[i].Field) > 0 {
			fields = true
			break
		}
	}
	if !fields {
		return games
	}
	out := make([]game.Game, 0, len(games))
	for i := range games {
		if len(games[i].Field) == 0 {
			out = append(out, games[i])
			continue
		}
		out = append(out, games[i].Entries()...)
	}
	return out
}

// Seed primes the recorder with what the store holds, so that a restart
// writes nothing for games that did not change while the service was
// down. latest holds, per game, the latest score point and/or the games
// row; when a game has both, the score point decides its score state.
func (r *Recorder) Seed(leagueKey string, latest []store.Point) {
	lk := leagueOf(leagueKey)
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()

	// Which point set each state, so the newest wins whatever the order.
	scoreAt := map[gameKey]time.Time{}
	rowAt := map[gameKey]time.Time{}
	for i := range latest {
		p := &latest[i]
		if p.GameID == "" || (p.League != "" && leagueOf(p.League) != lk) {
			continue
		}
		k := gameKey{lk, p.GameID}
		e := r.games[k]
		if e == nil {
			e = &known{}
			r.games[k] = e
		}
		e.seen = now
		switch p.Series {
		case store.SeriesScores:
			if t, ok := scoreAt[k]; ok && !p.Time.After(t) {
				continue
			}
			scoreAt[k] = p.Time
			e.score, e.hasScore = scoreOfPoint(lk, p), true
		case store.SeriesGames:
			if t, ok := rowAt[k]; ok && !p.ObservedAt.After(t) {
				continue
			}
			rowAt[k] = p.ObservedAt
			e.row, e.hasRow = rowOfPoint(lk, p), true
			e.sched = schedule{version: p.ScheduleVersion, changedAt: p.ScheduleChangedAt}
			if e.sched.changedAt.IsZero() {
				// A row of an earlier release: its schedule as of its writing.
				e.sched.changedAt = p.ObservedAt
			}
			// A finished game has no score point among the unfinished
			// ones; its row carries the same state.
			if _, fromScores := scoreAt[k]; !fromScores {
				e.score, e.hasScore = scoreOfPoint(lk, p), true
			}
		}
	}
	r.log.Debug("recorder seeded", "league", lk, "points", len(latest))
}

// Known reports how many games the recorder remembers.
func (r *Recorder) Known() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.games)
}

// sweep forgets games nothing has shown for a while.
func (r *Recorder) sweep(now time.Time) {
	if now.Sub(r.lastSweep) < sweepEvery {
		return
	}
	r.lastSweep = now
	for k, e := range r.games {
		limit := forgetAny
		if over(e.score.status) {
			limit = forgetOver
		}
		if now.Sub(e.seen) > limit {
			delete(r.games, k)
		}
	}
}

func over(storageWord string) bool {
	s, ok := game.ParseStatus(storageWord)
	return ok && s.Over()
}

func scoreOf(g *game.Game) scoreState {
	return scoreState{status: g.Status.StorageWord(), home: g.Score.Home, away: g.Score.Away, period: g.Period.Current}
}

func scoreOfPoint(lk string, p *store.Point) scoreState {
	g, _ := gamepoint.Game(lk, *p)
	return scoreOf(&g)
}

func rowOf(g *game.Game) rowState {
	return rowState{
		start:      g.Start.UnixNano(),
		status:     g.Status.StorageWord(),
		home:       g.Score.Home,
		away:       g.Score.Away,
		period:     g.Period.Current,
		venue:      g.Venue,
		broadcasts: strings.Join(g.Broadcasts, ", "),
		homeTeam:   strings.ToUpper(g.HomeTeam.Abbreviation),
		awayTeam:   strings.ToUpper(g.AwayTeam.Abbreviation),
		homeID:     g.HomeTeam.ESPNID,
		awayID:     g.AwayTeam.ESPNID,
		homeName:   g.HomeTeam.Name,
		awayName:   g.AwayTeam.Name,
	}
}

// rowOfPoint is the row state of a stored games row, read back as the
// game it stores (package gamepoint).
func rowOfPoint(lk string, p *store.Point) rowState {
	g, _ := gamepoint.Game(lk, *p)
	g.Start = p.Time // a score point seeds no start; a row's time is its start
	return rowOf(&g)
}

// keepKnown fills what this observation lacks from the row last recorded:
// a source that leaves out the venue or a team name (a team schedule, a
// sparser answer) is not a change, and must not blank the stored row.
func (s *rowState) keepKnown(prev rowState) {
	fill := func(cur *string, old string) {
		if *cur == "" {
			*cur = old
		}
	}
	fill(&s.venue, prev.venue)
	fill(&s.broadcasts, prev.broadcasts)
	fill(&s.homeID, prev.homeID)
	fill(&s.awayID, prev.awayID)
	fill(&s.homeName, prev.homeName)
	fill(&s.awayName, prev.awayName)
}

func scorePoint(lk string, g *game.Game, now time.Time) store.Point {
	return gamepoint.Score(lk, g, now)
}

// rescheduled reports whether s changes the schedule of the row before:
// another start, another venue (both known), or the game called off
// (postponed, canceled) or back on. Results and clocks are no schedule.
func (s rowState) rescheduled(prev rowState) bool {
	off := func(status string) bool {
		return status == game.StatusPostponed.StorageWord() || status == game.StatusCanceled.StorageWord()
	}
	return s.start != prev.start || (s.venue != prev.venue && prev.venue != "") || off(s.status) != off(prev.status)
}

// gamesPoint is the games row of g with what the recorder kept of the
// row before (see keepKnown) and the game's schedule history.
func gamesPoint(lk string, g *game.Game, row rowState, sched schedule, now time.Time) store.Point {
	p := gamepoint.Row(lk, g, now)
	p.HomeTeamID, p.AwayTeamID = row.homeID, row.awayID
	p.HomeTeamName, p.AwayTeamName = row.homeName, row.awayName
	p.Venue, p.Broadcasts = row.venue, row.broadcasts
	p.ScheduleVersion, p.ScheduleChangedAt = sched.version, sched.changedAt
	return p
}
