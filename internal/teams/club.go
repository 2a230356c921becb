package teams

import (
	"sort"
	"strings"

	"github.com/sports-data/sports-data/internal/league"
)

// A soccer club is one team across competitions: ESPN gives it one id in
// every league and cup it plays in (its uid has no league part, "s:600~t:359"),
// so Arsenal in the Premier League and in the Champions League is team 359
// in both. The service follows such a club once: a name that fits it in
// several followed competitions resolves to the first of LEAGUES that has
// it, and every view of the team (sensor, game status, calendar, schedule,
// events) takes its games in each of them (Club).

// clubSport reports whether a league's teams are clubs with one ESPN id
// across its sport's competitions.
func clubSport(l league.League) bool { return l.Sport == league.Soccer }

// Club is m's team in every followed competition of its sport that lists
// the club (by ESPN id), m first, then by the order of LEAGUES. Only m for
// a team of a sport whose ids are per league, or without an ESPN id.
func (d *Directory) Club(m Match) []Match {
	out := []Match{m}
	if !clubSport(m.League) || m.Team.ESPNID == "" {
		return out
	}
	s := d.snap.Load()
	for key, lt := range s.leagues {
		if key == m.League.Key || !clubSport(lt.league) {
			continue
		}
		if i, ok := lt.byESPN[m.Team.ESPNID]; ok {
			out = append(out, Match{League: lt.league, Team: lt.teams[i]})
		}
	}
	sort.SliceStable(out[1:], func(i, j int) bool { return d.before(out[1+i].League.Key, out[1+j].League.Key) })
	return out
}

// SameClub reports whether two teams of followed leagues (league key and
// abbreviation) are one club.
func (d *Directory) SameClub(leagueA, abbrA, leagueB, abbrB string) bool {
	s := d.snap.Load()
	a, b := s.leagues[leagueA], s.leagues[leagueB]
	if a == nil || b == nil || !clubSport(a.league) || !clubSport(b.league) {
		return false
	}
	ia, okA := a.byAbbr[strings.ToLower(strings.TrimSpace(abbrA))]
	ib, okB := b.byAbbr[strings.ToLower(strings.TrimSpace(abbrB))]
	return okA && okB && a.teams[ia].ESPNID != "" && a.teams[ia].ESPNID == b.teams[ib].ESPNID
}

// oneClub keeps one hit per club among a lookup's hits: the one of the
// first league in LEAGUES. Hits of other teams stay as they are.
func (d *Directory) oneClub(hits []ref) []ref {
	if len(hits) < 2 {
		return hits
	}
	kept := make([]ref, 0, len(hits))
	at := map[string]int{}
	for _, h := range hits {
		t := h.lt.teams[h.i]
		if !clubSport(h.lt.league) || t.ESPNID == "" {
			kept = append(kept, h)
			continue
		}
		if i, ok := at[t.ESPNID]; ok {
			if d.before(h.lt.league.Key, kept[i].lt.league.Key) {
				kept[i] = h
			}
			continue
		}
		at[t.ESPNID] = len(kept)
		kept = append(kept, h)
	}
	return kept
}

// before orders league keys by their place in LEAGUES, then by key.
func (d *Directory) before(a, b string) bool {
	oa, okA := d.order[a]
	ob, okB := d.order[b]
	switch {
	case okA && okB && oa != ob:
		return oa < ob
	case okA != okB:
		return okA
	}
	return a < b
}
