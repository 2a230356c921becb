package simulator

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// standingsPrefix is where ESPN answers a league's standings: /apis/v2,
// beside the site API (docs/espn.md, Standings). Under the site API's own
// path ESPN answers a link only, and so does the simulator.
const standingsPrefix = "/apis/v2/sports"

// groups.json is derived from the standings captures
// (testdata/espn/{nfl,nhl}/standings-*.json): each conference's name and
// its teams' ESPN ids (TestStandingsGroupsComeFromCaptures checks it).
// Leagues it does not list (MLS: no standings were captured) are one
// table under the league's name.
//
//go:embed data/groups.json
var groupsJSON []byte

type standingsGroups map[string]struct {
	Name         string `json:"name"`
	Abbreviation string `json:"abbreviation"`
	Groups       []struct {
		Name         string   `json:"name"`
		Abbreviation string   `json:"abbreviation"`
		Teams        []string `json:"teams"`
	} `json:"groups"`
}

// siteStandings is ESPN's answer to the site API's standings path.
func (s *Sim) siteStandings(lg *leagueSpec) (int, []byte) {
	return http.StatusOK, encode(map[string]any{"fullViewLink": map[string]any{
		"text": "Full Standings", "href": "https://www.espn.com/" + lg.slug + "/standings"}})
}

// standings is the league's table at time now in ESPN's form: every
// team's record of the record book (the same records the scoreboards and
// team schedules show), ranked by points where the league counts them
// (NHL, MLS), else by win percentage.
func (s *Sim) standings(lg *leagueSpec, now time.Time) (int, []byte) {
	var all standingsGroups
	if err := json.Unmarshal(groupsJSON, &all); err != nil {
		return http.StatusInternalServerError, bodyError
	}
	book := s.books[lg.reg.Key]
	season := lg.reg.SeasonFor(now.In(eastern).Year(), int(now.In(eastern).Month()))
	type member struct {
		t *team
		r rec
	}
	byID := map[string]*team{}
	for _, t := range lg.teams {
		byID[t.id] = t
	}
	type group struct {
		name, abbr string
		members    []member
	}
	var groups []group
	if g, ok := all[lg.reg.Key]; ok {
		for _, gr := range g.Groups {
			out := group{name: gr.Name, abbr: gr.Abbreviation}
			for _, id := range gr.Teams {
				if t := byID[id]; t != nil {
					out.members = append(out.members, member{t, book.at(t, now)})
				}
			}
			groups = append(groups, out)
		}
	} else {
		out := group{name: lg.fullName, abbr: lg.reg.Name}
		for _, t := range lg.teams {
			out.members = append(out.members, member{t, book.at(t, now)})
		}
		groups = append(groups, out)
	}
	children := make([]any, 0, len(groups))
	for _, g := range groups {
		sort.SliceStable(g.members, func(i, j int) bool {
			a, b := g.members[i].r, g.members[j].r
			if pa, pb := lg.points(a), lg.points(b); pa != pb {
				return pa > pb
			}
			if wa, wb := winPct(a), winPct(b); wa != wb {
				return wa > wb
			}
			return g.members[i].t.id < g.members[j].t.id
		})
		entries := make([]any, 0, len(g.members))
		for i, m := range g.members {
			entries = append(entries, map[string]any{"team": m.t.standingsTeam(), "stats": lg.stats(book, m.r, g.members[0].r, i+1)})
		}
		children = append(children, map[string]any{"name": g.name, "abbreviation": g.abbr,
			"standings": map[string]any{"season": season, "seasonType": 2, "entries": entries}})
	}
	return http.StatusOK, encode(map[string]any{"name": lg.fullName, "abbreviation": lg.reg.Name, "children": children})
}

// points are a record's table points where the league counts them: 2 a
// win and 1 an overtime loss (NHL), 3 a win and 1 a draw (soccer); 0
// elsewhere.
func (lg *leagueSpec) points(r rec) int {
	switch {
	case lg.soccer():
		return 3*r.w + r.third
	case !lg.nfl():
		return 2*r.w + r.third
	}
	return 0
}

func winPct(r rec) float64 {
	gp := r.w + r.l + r.third
	if gp == 0 {
		return 0
	}
	return (float64(r.w) + float64(r.third)/2) / float64(gp)
}

// stats is one entry's stats[] as ESPN names them.
func (lg *leagueSpec) stats(book *recordBook, r, leader rec, position int) []any {
	stat := func(name string, v float64, display string) map[string]any {
		return map[string]any{"name": name, "type": name, "value": v, "displayValue": display}
	}
	n := func(name string, v int) map[string]any { return stat(name, float64(v), strconv.Itoa(v)) }
	gp := r.w + r.l + r.third
	out := []any{n("wins", r.w), n("losses", r.l), n("gamesPlayed", gp)}
	seed := "playoffSeed"
	switch {
	case lg.soccer():
		out = append(out, n("ties", r.third), n("points", lg.points(r)))
		seed = "rank"
	case lg.nfl():
		gb := float64((leader.w-r.w)+(r.l-leader.l)) / 2
		out = append(out, n("ties", r.third), stat("winPercent", winPct(r), fmt.Sprintf("%.3f", winPct(r))),
			stat("gamesBehind", gb, strconv.FormatFloat(gb, 'f', -1, 64)))
	default:
		out = append(out, n("otLosses", r.third), n("points", lg.points(r)))
	}
	out = append(out, n(seed, position),
		map[string]any{"name": "overall", "type": "total", "displayValue": book.total(r)})
	return out
}

// standingsTeam is the team object of a standings entry.
func (t *team) standingsTeam() map[string]any {
	return map[string]any{"id": t.id, "uid": t.uid, "location": t.location, "name": t.name,
		"abbreviation": t.abbr, "displayName": t.displayName, "shortDisplayName": t.shortDisplayName,
		"isActive": true, "logos": t.logos}
}
