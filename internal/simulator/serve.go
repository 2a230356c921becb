package simulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/espnrules"
)

// ESPN's error bodies. The 400 is what ESPN has answered to date ranges
// since September 2026 (docs/espn.md, Requests).
var (
	bodyRange    = espnrules.RangeBody
	bodyError    = []byte(`{"code":500,"message":"Internal Server Error"}`)
	bodyTimeout  = []byte(`{"code":504,"message":"Gateway Timeout"}`)
	bodyNotFound = []byte(`{"code":404,"message":"Not Found"}`)
)

const apiPrefix = "/apis/site/v2/sports"

func (s *Sim) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, []byte(`{"code":405,"message":"Method Not Allowed"}`))
		return
	}
	// ESPN refuses browser-like and empty agents before anything else.
	if espnrules.AgentRefused(r.UserAgent()) {
		writeJSON(w, http.StatusForbidden, espnrules.ForbiddenBody)
		return
	}
	// Paths come with ESPN's prefixes or, as a stand-in serving every
	// host and path the service asks, without: standings there are the
	// table, under the site API's prefix a link only, as ESPN answers.
	path, tables := strings.CutPrefix(r.URL.Path, standingsPrefix+"/")
	site := false
	if !tables {
		path, site = strings.CutPrefix(r.URL.Path, apiPrefix)
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 3 {
		writeJSON(w, http.StatusNotFound, bodyNotFound)
		return
	}
	lg := s.byPath[parts[0]+"/"+parts[1]]
	var produce func(now time.Time) (int, []byte)
	switch rest := parts[2:]; {
	case parts[0]+"/"+parts[1] == "soccer/all" && len(rest) == 3 && rest[0] == "teams" && rest[2] == "schedule":
		ref, fixture := rest[1], r.URL.Query().Get("fixture") == "true"
		produce = func(now time.Time) (int, []byte) { return s.fixtures(ref, fixture, now) }
	case lg == nil && s.contestPath(parts[0]+"/"+parts[1]) != nil && len(rest) == 1 && rest[0] == "scoreboard":
		c, q := s.contestPath(parts[0]+"/"+parts[1]), r.URL.Query()
		produce = func(now time.Time) (int, []byte) { return s.contestScoreboard(c, now, q) }
	case lg == nil:
		writeJSON(w, http.StatusNotFound, bodyNotFound)
		return
	case len(rest) == 1 && rest[0] == "standings" && site:
		produce = func(time.Time) (int, []byte) { return s.siteStandings(lg) }
	case len(rest) == 1 && rest[0] == "standings":
		produce = func(now time.Time) (int, []byte) { return s.standings(lg, now) }
	case tables:
		writeJSON(w, http.StatusNotFound, bodyNotFound)
		return
	case len(rest) == 1 && rest[0] == "scoreboard":
		q := r.URL.Query()
		produce = func(now time.Time) (int, []byte) { return s.scoreboard(lg, now, q) }
	case len(rest) == 1 && rest[0] == "teams":
		produce = func(time.Time) (int, []byte) { return http.StatusOK, s.teams[lg.reg.Key] }
	case len(rest) == 3 && rest[0] == "teams" && rest[2] == "schedule":
		ref, season := rest[1], r.URL.Query().Get("season")
		produce = func(now time.Time) (int, []byte) { return s.teamSchedule(lg, ref, season, now) }
	default:
		writeJSON(w, http.StatusNotFound, bodyNotFound)
		return
	}

	f, hold := s.drawFault()
	switch f {
	case faultError:
		s.log.Debug("simulator fault: 500", "path", r.URL.RequestURI())
		writeJSON(w, http.StatusInternalServerError, bodyError)
		return
	case faultTimeout:
		s.log.Debug("simulator fault: hold", "path", r.URL.RequestURI(), "timeout", hold)
		var timeout <-chan time.Time
		if hold > 0 {
			t := time.NewTimer(hold)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		case <-timeout:
		}
		writeJSON(w, http.StatusGatewayTimeout, bodyTimeout)
		return
	}
	status, body := produce(s.Now())
	if f == faultInvalidJSON {
		s.log.Debug("simulator fault: truncated body", "path", r.URL.RequestURI())
		body = body[:len(body)/2]
		status = http.StatusOK
	}
	writeJSON(w, status, body)
}

// SimulatedHeader is set on every answer, errors included, whose bodies
// must stay byte for byte ESPN's.
const SimulatedHeader = "X-Sports-Data-Simulated"

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set(SimulatedHeader, "true")
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// scoreboard answers ESPN's scoreboard forms: no dates (the current
// Eastern day, with top-level season and week/day as ESPN adds them),
// dates=YYYYMMDD (one Eastern day), dates=YYYYMM (a month), and 400 for a
// range or anything else. Every form holds as many events as ESPN answers
// for the request's limit (package espnrules: 100 without one, 25 above
// 500).
func (s *Sim) scoreboard(lg *leagueSpec, now time.Time, q url.Values) (int, []byte) {
	dates, limit := q.Get("dates"), q.Get("limit")
	switch {
	case dates == "":
		return http.StatusOK, s.renderDay(lg, now, dayOf(now), true, limit)
	case espnrules.IsRange(dates):
		return http.StatusBadRequest, bodyRange
	case len(dates) == 8 && digits(dates):
		d, err := time.ParseInLocation("20060102", dates, eastern)
		if err != nil {
			return http.StatusBadRequest, bodyRange
		}
		return http.StatusOK, s.renderDay(lg, now, d, false, limit)
	case len(dates) == 6 && digits(dates):
		m, err := time.ParseInLocation("200601", dates, eastern)
		if err != nil {
			return http.StatusBadRequest, bodyRange
		}
		return http.StatusOK, s.renderMonth(lg, now, m, limit)
	}
	return http.StatusBadRequest, bodyRange
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ScoreboardAt is the scoreboard of league for the Eastern day that day
// falls on, as ESPN would answer dates=YYYYMMDD at simulated time t. No
// faults are applied. It lets tests look at any moment without waiting.
func (s *Sim) ScoreboardAt(t time.Time, league string, day time.Time) ([]byte, error) {
	lg := s.byKey[strings.ToLower(league)]
	if lg == nil {
		return nil, fmt.Errorf("simulator: league %q is not simulated here", league)
	}
	return s.renderDay(lg, t, dayOf(day), false, ""), nil
}

// GameAt is a scoreboard answer holding only the game id, as the day
// scoreboard lists it at time t (no events when it is not listed then).
// Tests use it to look at one game at many moments cheaply.
func (s *Sim) GameAt(t time.Time, league, id string) ([]byte, error) {
	lg := s.byKey[strings.ToLower(league)]
	if lg == nil {
		return nil, fmt.Errorf("simulator: league %q is not simulated here", league)
	}
	doc := scoreboardJSON{Simulated: true, Note: markerNote, Events: []eventJSON{}}
	for _, p := range s.plans[lg.reg.Key] {
		if p.id != id {
			continue
		}
		day := dayOf(p.dateAt(t))
		doc.Leagues = []leagueJSON{lg.leagueBlock(lg.reg.SeasonFor(day.Year(), int(day.Month())))}
		if p.listedAt(t) {
			doc.Events = append(doc.Events, s.event(p, t))
		}
		return encode(doc), nil
	}
	return nil, fmt.Errorf("simulator: no %s game %q", league, id)
}

// ScoreboardMonthAt is the month form (dates=YYYYMM&limit=500) at time t.
func (s *Sim) ScoreboardMonthAt(t time.Time, league string, month time.Time) ([]byte, error) {
	lg := s.byKey[strings.ToLower(league)]
	if lg == nil {
		return nil, fmt.Errorf("simulator: league %q is not simulated here", league)
	}
	e := month.In(eastern)
	return s.renderMonth(lg, t, time.Date(e.Year(), e.Month(), 1, 0, 0, 0, 0, eastern), strconv.Itoa(espnrules.MaxLimit)), nil
}

// TeamScheduleAt is the team schedule answer for an ESPN team id or
// abbreviation at time t (season 0: the current one).
func (s *Sim) TeamScheduleAt(t time.Time, league, teamRef string, season int) ([]byte, error) {
	lg := s.byKey[strings.ToLower(league)]
	if lg == nil {
		return nil, fmt.Errorf("simulator: league %q is not simulated here", league)
	}
	q := ""
	if season != 0 {
		q = strconv.Itoa(season)
	}
	status, body := s.teamSchedule(lg, teamRef, q, t)
	if status != http.StatusOK {
		return nil, fmt.Errorf("simulator: team schedule %s %s: %d %s", league, teamRef, status, body)
	}
	return body, nil
}

// FixturesAt is a soccer club's answer of soccer/all/teams/{ref}/schedule
// at time t: with fixture=true its matches to come, else those begun.
func (s *Sim) FixturesAt(t time.Time, teamRef string, fixture bool) ([]byte, error) {
	status, body := s.fixtures(teamRef, fixture, t)
	if status != http.StatusOK {
		return nil, fmt.Errorf("simulator: fixtures %s: %d %s", teamRef, status, body)
	}
	return body, nil
}

// listed returns the league's games listed at time now whose Eastern day
// passes keep, in ESPN's order.
func (s *Sim) listed(lg *leagueSpec, now time.Time, keep func(day time.Time) bool) []*gamePlan {
	var out []*gamePlan
	for _, p := range s.plans[lg.reg.Key] {
		if p.listedAt(now) && keep(dayOf(p.dateAt(now))) {
			out = append(out, p)
		}
	}
	sortPlans(out, now)
	return out
}

func (s *Sim) renderDay(lg *leagueSpec, now, day time.Time, current bool, limit string) []byte {
	plans := s.listed(lg, now, func(d time.Time) bool { return d.Equal(day) })
	plans = plans[:espnrules.Events(limit, len(plans))]
	season := lg.reg.SeasonFor(day.Year(), int(day.Month()))
	doc := scoreboardJSON{Simulated: true, Note: markerNote, Leagues: []leagueJSON{lg.leagueBlock(season)}}
	if current {
		doc.Season = &struct {
			Type int `json:"type"`
			Year int `json:"year"`
		}{Type: 2, Year: season}
		if lg.nfl() {
			doc.Week = &struct {
				Number int `json:"number"`
			}{Number: nflWeek(day, season)}
		} else {
			doc.Day = &struct {
				Date string `json:"date"`
			}{Date: day.Format("2006-01-02")}
		}
	}
	doc.Events = make([]eventJSON, 0, len(plans))
	for _, p := range plans {
		doc.Events = append(doc.Events, s.event(p, now))
	}
	return encode(doc)
}

func (s *Sim) renderMonth(lg *leagueSpec, now, month time.Time, limit string) []byte {
	plans := s.listed(lg, now, func(d time.Time) bool { return d.Year() == month.Year() && d.Month() == month.Month() })
	plans = plans[:espnrules.Events(limit, len(plans))]
	season := lg.reg.SeasonFor(month.Year(), int(month.Month()))
	doc := scoreboardJSON{Simulated: true, Note: markerNote, Leagues: []leagueJSON{lg.leagueBlock(season)}}
	doc.Events = make([]eventJSON, 0, len(plans))
	for _, p := range plans {
		doc.Events = append(doc.Events, s.event(p, now))
	}
	return encode(doc)
}
