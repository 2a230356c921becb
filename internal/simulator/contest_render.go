package simulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/espnrules"
)

// The answers of the leagues of athletes, in the shapes of the captures
// docs/espn.md describes (Individual sports): a tennis tournament's
// matches in groupings, a card's bouts and a race weekend's sessions as
// competitions, every competitor an athlete with a flag.

type obj = map[string]any

// contestScoreboard answers a scoreboard request of a league of athletes
// as ESPN does (package espnrules): a day (the event when its contest
// falls on that Eastern day), a month, or no dates (today); 400 for a
// range; the events cut to the request's limit.
func (s *Sim) contestScoreboard(p *contestPlan, now time.Time, q url.Values) (int, []byte) {
	dates := q.Get("dates")
	listed := false
	switch {
	case dates == "":
		listed = sameEasternDay(p.start, now) || sameEasternDay(p.end, now)
	case espnrules.IsRange(dates):
		return http.StatusBadRequest, bodyRange
	case len(dates) == 8 && digits(dates):
		d, err := time.ParseInLocation("20060102", dates, eastern)
		if err != nil {
			return http.StatusBadRequest, bodyRange
		}
		listed = sameEasternDay(p.start, d) || sameEasternDay(p.end, d)
	case len(dates) == 6 && digits(dates):
		m, err := time.ParseInLocation("200601", dates, eastern)
		if err != nil {
			return http.StatusBadRequest, bodyRange
		}
		e := p.start.In(eastern)
		listed = e.Year() == m.Year() && e.Month() == m.Month()
	default:
		return http.StatusBadRequest, bodyRange
	}
	events := []any{}
	if listed && espnrules.Events(q.Get("limit"), 1) > 0 {
		events = append(events, p.eventJSON(now))
	}
	return http.StatusOK, encode(obj{
		markerKey: true, "x-sports-data-note": markerNote,
		"leagues": []any{p.leagueJSON()}, "events": events,
	})
}

func sameEasternDay(a, b time.Time) bool {
	ay, am, ad := a.In(eastern).Date()
	by, bm, bd := b.In(eastern).Date()
	return ay == by && am == bm && ad == bd
}

// ContestScoreboardAt is the day scoreboard of a league of athletes at
// simulated time t (no faults), for tests.
func (s *Sim) ContestScoreboardAt(t time.Time, league string) ([]byte, error) {
	p := s.contests[league]
	if p == nil {
		return nil, fmt.Errorf("simulator: league %q is not simulated here", league)
	}
	_, body := s.contestScoreboard(p, t, url.Values{"dates": {t.In(eastern).Format("20060102")}})
	return body, nil
}

func (p *contestPlan) leagueJSON() obj {
	l := p.lg
	return obj{"id": p.lg.reg.ESPNID, "uid": l.uidPrefix, "name": l.name, "abbreviation": l.abbr, "slug": l.reg.ESPNLeague,
		"season": obj{"year": p.start.Year(), "type": obj{"id": "2", "type": 2, "name": "Regular Season", "abbreviation": "reg"}}}
}

// statusJSON is ESPN's status of the frame.
func (p *contestPlan) statusJSON(f *frame) obj {
	typ := obj{"id": "1", "name": "STATUS_SCHEDULED", "state": "pre", "completed": false, "description": "Scheduled",
		"detail": preDetail(p.start), "shortDetail": preShortDetail(p.start)}
	switch f.state {
	case "in":
		detail, short := "In Progress", "In Progress"
		switch p.lg.reg.Key {
		case "atp":
			detail, short = ordinal(f.period)+" Set", ordinal(f.period)
		case "ufc":
			short = fmt.Sprintf("R%d, %s", f.period, f.clock)
		}
		typ = obj{"id": "2", "name": "STATUS_IN_PROGRESS", "state": "in", "completed": false, "description": "In Progress",
			"detail": detail, "shortDetail": short}
	case "post":
		typ = obj{"id": "3", "name": "STATUS_FINAL", "state": "post", "completed": true, "description": "Final",
			"detail": "Final", "shortDetail": "Final"}
	}
	st := obj{"period": f.period, "type": typ}
	if p.lg.reg.Key != "atp" {
		clock := f.clock
		if clock == "" {
			clock = "0:00"
		}
		st["clock"], st["displayClock"] = 0, clock
	}
	return st
}

func (p *contestPlan) athleteJSON(i int) obj {
	a := p.athletes[i]
	return obj{"displayName": a.DisplayName, "shortName": a.ShortName, "fullName": a.DisplayName,
		"flag": obj{"href": a.Flag, "alt": a.FlagAlt, "rel": []string{"country-flag"}}}
}

// competitors are the competition's competitors at the frame.
func (p *contestPlan) competitors(f *frame) []any {
	out := []any{}
	switch p.lg.reg.Key {
	case "f1":
		for pos, i := range f.order {
			sport, _, _ := strings.Cut(p.lg.uidPrefix, "~")
			c := obj{"id": p.athletes[i].ID, "uid": sport + "~a:" + p.athletes[i].ID, "type": "athlete",
				"winner": f.state == "post" && f.winner == i, "athlete": p.athleteJSON(i), "statistics": []any{}}
			if f.state != "pre" {
				c["order"] = pos + 1
			}
			out = append(out, c)
		}
	default:
		for i := range p.athletes {
			c := obj{"id": p.athletes[i].ID, "uid": p.lg.uidPrefix + "~a:" + p.athletes[i].ID, "type": "athlete",
				"order": i + 1, "athlete": p.athleteJSON(i)}
			if p.lg.reg.Key == "atp" {
				c["homeAway"] = []string{"home", "away"}[i]
				c["linescores"], c["statistics"] = p.tennisLines(f, i), []any{}
			} else {
				c["records"] = []any{obj{"name": "overall", "abbreviation": "TOT", "type": "total", "summary": p.athletes[i].Record}}
				if f.state == "post" {
					cards := []any{}
					for _, v := range f.lines[i] {
						cards = append(cards, obj{"value": v})
					}
					c["linescores"] = []any{obj{"linescores": cards}}
				}
			}
			if f.state == "post" || p.lg.reg.Key == "ufc" {
				c["winner"] = f.state == "post" && f.winner == i
			}
			out = append(out, c)
		}
	}
	return out
}

// tennisLines are competitor i's games of each set, with the set's winner
// once it is over and the tie-break's points of a 7-6 set.
func (p *contestPlan) tennisLines(f *frame, i int) []any {
	out := []any{}
	if f.state == "pre" {
		return out
	}
	for s, games := range f.lines[i] {
		ls := obj{"value": espnInt(games)}
		if f.setWinner[s] >= 0 {
			ls["winner"] = f.setWinner[s] == i
		}
		if tb := f.tiebreak[i][s]; tb > 0 || f.tiebreak[1-i][s] > 0 {
			ls["tiebreak"] = tb
		}
		out = append(out, ls)
	}
	return out
}

// eventJSON is the contest's event at t.
func (p *contestPlan) eventJSON(t time.Time) obj {
	f := p.frameAt(t)
	l := p.lg
	comp := obj{
		"id": p.id, "uid": l.uidPrefix + "~e:" + p.eventID + "~c:" + p.id,
		"date": espnDate(p.start), "startDate": espnDate(p.start), "timeValid": true,
		"status": p.statusJSON(f), "competitors": p.competitors(f),
		"format":     obj{"regulation": obj{"periods": p.regPeriod}},
		"broadcasts": []any{obj{"market": "national", "names": []string{"ESPN+"}}},
	}
	ev := obj{
		"id": p.eventID, "uid": l.uidPrefix + "~e:" + p.eventID, "date": espnDate(p.start), "endDate": espnDate(p.end),
		"name": p.name, "shortName": p.short,
		"season": obj{"year": p.start.Year(), "type": 2, "slug": "regular-season"},
		"status": p.statusJSON(f),
		"links":  []any{obj{"rel": []string{"summary", "desktop", "event"}, "href": "https://www.espn.com/" + l.reg.ESPNLeague + "/simulated/_/id/" + p.eventID}},
	}
	switch l.reg.Key {
	case "atp":
		comp["venue"] = obj{"fullName": "Simulated City", "court": "Court 1"}
		comp["type"] = obj{"id": "1", "text": p.kind, "slug": "mens-singles"}
		comp["round"] = obj{"id": "7", "displayName": "Final"}
		ev["groupings"] = []any{obj{"grouping": obj{"id": "1", "slug": "mens-singles", "displayName": p.kind}, "competitions": []any{comp}}}
		ev["venue"] = obj{"displayName": "Simulated City"}
	case "ufc":
		comp["venue"] = obj{"id": "0", "fullName": "Simulated Arena", "address": obj{"city": "Las Vegas", "state": "NV", "country": "USA"}}
		comp["type"] = obj{"id": "972", "abbreviation": p.kind}
		ev["competitions"] = []any{comp}
	case "f1":
		comp["type"] = obj{"id": "3", "abbreviation": p.kind}
		ev["circuit"] = obj{"id": "0", "fullName": "Simulated Circuit", "address": obj{"city": "Simulated City", "country": "Nowhere"}}
		ev["competitions"] = []any{comp}
	}
	return ev
}

// contestPath finds the contest of an ESPN path, "tennis/atp".
func (s *Sim) contestPath(path string) *contestPlan {
	for _, p := range s.contests {
		if p.lg.reg.Sport+"/"+p.lg.reg.ESPNLeague == path {
			return p
		}
	}
	return nil
}
