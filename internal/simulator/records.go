package simulator

import (
	"fmt"
	"sort"
	"time"
)

// rec is a season record split as ESPN lists it: total, home and road.
// third counts ties (NFL) or overtime losses (NHL).
type rec struct {
	w, l, third         int
	homeW, homeL, homeT int
	roadW, roadL, roadT int
}

func (r rec) add(o rec) rec {
	return rec{
		w: r.w + o.w, l: r.l + o.l, third: r.third + o.third,
		homeW: r.homeW + o.homeW, homeL: r.homeL + o.homeL, homeT: r.homeT + o.homeT,
		roadW: r.roadW + o.roadW, roadL: r.roadL + o.roadL, roadT: r.roadT + o.roadT,
	}
}

// summary is ESPN's "7-4", "7-3-1" (NFL with a tie) or "12-6-2" (NHL).
func summary(w, l, third int, otl bool) string {
	if otl || third > 0 {
		return fmt.Sprintf("%d-%d-%d", w, l, third)
	}
	return fmt.Sprintf("%d-%d", w, l)
}

// recordBook holds each team's record before the window and the change
// each final of the window brings, in time order.
type recordBook struct {
	otl   bool
	wdl   bool // soccer: wins, draws, losses
	base  map[*team]rec
	steps map[*team][]recStep
}

type recStep struct {
	at    time.Time
	total rec // the record after this final
}

// newRecordBook draws plausible records for the games already played this
// season (NFL: one a week before this one; NHL: about one every other day
// since mid-October) and adds the window's finals.
func newRecordBook(lg *leagueSpec, plans []*gamePlan, seed int64, first time.Time) *recordBook {
	b := &recordBook{otl: !lg.nfl() && !lg.soccer(), wdl: lg.soccer(), base: map[*team]rec{}, steps: map[*team][]recStep{}}
	season := lg.reg.SeasonFor(first.In(eastern).Year(), int(first.In(eastern).Month()))
	played := 0
	switch {
	case lg.nfl():
		played = nflWeek(first, season) - 1
	case lg.soccer():
		// About one match a week since the first of March.
		opening := time.Date(season, time.March, 1, 0, 0, 0, 0, eastern)
		if d := first.Sub(opening).Hours() / 24; d > 0 {
			played = min(int(d/7), 34)
		}
	default:
		opening := time.Date(season-1, time.October, 10, 0, 0, 0, 0, eastern)
		if d := first.Sub(opening).Hours() / 24; d > 0 {
			played = int(d * 0.48)
		}
		if played > 82 {
			played = 82
		}
	}
	for _, t := range lg.teams {
		r := rngFor(seed, lg.reg.Key, "record", t.abbr)
		var x rec
		for i := 0; i < played; i++ {
			atHome := i%2 == 0
			switch f := r.Float64(); {
			case f < t.strength*0.9+0.05:
				x.w++
				if atHome {
					x.homeW++
				} else {
					x.roadW++
				}
			case !lg.nfl() && f < t.strength*0.9+0.17:
				x.third++
				if atHome {
					x.homeT++
				} else {
					x.roadT++
				}
			default:
				x.l++
				if atHome {
					x.homeL++
				} else {
					x.roadL++
				}
			}
		}
		b.base[t] = x
	}
	finals := make([]*gamePlan, 0, len(plans))
	for _, p := range plans {
		if !p.neverPlayed() {
			finals = append(finals, p)
		}
	}
	sort.SliceStable(finals, func(i, j int) bool { return finals[i].end.Before(finals[j].end) })
	cur := map[*team]rec{}
	for t, r := range b.base {
		cur[t] = r
	}
	for _, p := range finals {
		hd, ad := resultDelta(p)
		cur[p.home] = cur[p.home].add(hd)
		cur[p.away] = cur[p.away].add(ad)
		b.steps[p.home] = append(b.steps[p.home], recStep{at: p.end, total: cur[p.home]})
		b.steps[p.away] = append(b.steps[p.away], recStep{at: p.end, total: cur[p.away]})
	}
	return b
}

// resultDelta is what a final adds to the home and the away record.
func resultDelta(p *gamePlan) (h, a rec) {
	f := p.final
	switch {
	case f.tie:
		h.third, h.homeT = 1, 1
		a.third, a.roadT = 1, 1
	case f.winner == home:
		h.w, h.homeW = 1, 1
		if f.otLoss {
			a.third, a.roadT = 1, 1
		} else {
			a.l, a.roadL = 1, 1
		}
	default:
		a.w, a.roadW = 1, 1
		if f.otLoss {
			h.third, h.homeT = 1, 1
		} else {
			h.l, h.homeL = 1, 1
		}
	}
	return h, a
}

// at is a team's record at time t: every final up to t counted.
func (b *recordBook) at(t *team, when time.Time) rec {
	steps := b.steps[t]
	i := sort.Search(len(steps), func(i int) bool { return steps[i].at.After(when) })
	if i == 0 {
		return b.base[t]
	}
	return steps[i-1].total
}

func (b *recordBook) total(r rec) string { return b.summary(r.w, r.l, r.third) }
func (b *recordBook) home(r rec) string  { return b.summary(r.homeW, r.homeL, r.homeT) }
func (b *recordBook) road(r rec) string  { return b.summary(r.roadW, r.roadL, r.roadT) }

// summary is the league's form: soccer writes wins, draws, losses.
func (b *recordBook) summary(w, l, third int) string {
	if b.wdl {
		return fmt.Sprintf("%d-%d-%d", w, third, l)
	}
	return summary(w, l, third, b.otl)
}
