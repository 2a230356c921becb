package poller

import (
	"context"
	"time"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// pollFetch is what one poll's scoreboard requests brought back so far:
// the answers in the order asked, the first error and the games, merged
// into the league's view as they come.
type pollFetch struct {
	p     *Poller
	ctx   context.Context
	l     league.League
	games map[string]game.Game
	// fresh holds the games of the day scoreboards just fetched.
	fresh    map[string]bool
	seen     []game.Game
	answers  []answer
	firstErr error
}

// keep records one answer and merges its games into the view.
func (f *pollFetch) keep(sb espn.Scoreboard, err error, month bool, day time.Time) answer {
	a := newAnswer(sb, err, month, day, f.p.o.Now())
	f.answers = append(f.answers, a)
	if err != nil {
		if f.firstErr == nil {
			f.firstErr = err
		}
		return a
	}
	for _, g := range sb.Games {
		f.games[g.ID] = g
		if !month {
			f.fresh[g.ID] = true
		}
	}
	f.seen = append(f.seen, sb.Games...)
	return a
}

// day asks for one Eastern day's scoreboard.
func (f *pollFetch) day(d time.Time) answer {
	sb, err := f.p.f.ScoreboardDay(f.ctx, f.l, d)
	return f.keep(sb, err, false, d)
}

// months asks for every month the upcoming window spans, and for the
// window's days of a month ESPN cut short. It reports whether every
// request succeeded.
func (f *pollFetch) months(now, today time.Time) bool {
	p := f.p
	ok := true
	for _, m := range p.months(now) {
		sb, err := p.f.ScoreboardMonth(f.ctx, f.l, m.year, m.month)
		a := f.keep(sb, err, true, time.Date(m.year, m.month, 1, 12, 0, 0, 0, p.eastern))
		ok = ok && err == nil
		if !a.cut {
			continue
		}
		// ESPN left events out: ask the window's days of that month
		// one by one (the poll asks for today in any case).
		for _, d := range p.windowDays(now, m) {
			if !sameDay(d, today) {
				ok = f.day(d).err == nil && ok
			}
		}
	}
	return ok
}

type yearMonth struct {
	year  int
	month time.Month
}

// months lists the calendar months (US Eastern) that the next Horizon spans.
func (p *Poller) months(now time.Time) []yearMonth {
	start := now.In(p.eastern)
	end := now.Add(p.o.Horizon).In(p.eastern)
	var out []yearMonth
	for y, m := start.Year(), start.Month(); ; {
		out = append(out, yearMonth{y, m})
		if y == end.Year() && m == end.Month() || len(out) > 12 {
			return out
		}
		m++
		if m > 12 {
			m, y = 1, y+1
		}
	}
}

// windowDays lists the Eastern days of month m (noon of each) that the
// next Horizon covers.
func (p *Poller) windowDays(now time.Time, m yearMonth) []time.Time {
	start := now.In(p.eastern)
	end := now.Add(p.o.Horizon).In(p.eastern)
	var out []time.Time
	for d := time.Date(start.Year(), start.Month(), start.Day(), 12, 0, 0, 0, p.eastern); !d.After(end) || sameDay(d, end); d = d.AddDate(0, 0, 1) {
		if d.Year() == m.year && d.Month() == m.month {
			out = append(out, d)
		}
	}
	return out
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// unfinishedOn reports whether a game of the given Eastern day is not over:
// late games cross midnight and must be followed until they end.
func (p *Poller) unfinishedOn(games map[string]game.Game, day time.Time, now time.Time) bool {
	y, m, d := day.Date()
	for _, g := range games {
		if g.Start.IsZero() || g.Status.Over() {
			continue
		}
		gy, gm, gd := g.Start.In(p.eastern).Date()
		if gy == y && gm == m && gd == d {
			return true
		}
	}
	return false
}
