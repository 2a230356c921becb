package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sports-data/sports-data/internal/calendar"
	"github.com/sports-data/sports-data/internal/teams"
)

// CalendarService makes the season feeds of teams.
type CalendarService interface {
	Feed(ctx context.Context, followed []teams.Match) ([]byte, error)
}

// icsType is the feeds' content type (RFC 5545, 8.1).
var icsType = []string{"text/calendar; charset=utf-8"}

// handleTeamCalendar answers /api/v1/calendar/{team}.ics: one team's
// seasons. A webcal:// link asks the same address over HTTP.
func (s *Server) handleTeamCalendar(w http.ResponseWriter, r *http.Request) {
	s.serveCalendar(w, r, func() ([]teams.Match, error) {
		m, err := s.team(r)
		return []teams.Match{m}, err
	})
}

// handleCalendar answers /api/v1/calendar.ics?teams=a,b (any spelling
// {team} takes, league= deciding between leagues) or ?user_id= (that
// user's saved teams).
func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) {
	s.serveCalendar(w, r, func() ([]teams.Match, error) { return s.calendarTeams(r) })
}

func (s *Server) calendarTeams(r *http.Request) ([]teams.Match, error) {
	lk, err := s.leagueParam(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	type ask struct{ input, league string }
	var asks []ask
	switch list, user := strings.TrimSpace(q.Get("teams")), strings.TrimSpace(q.Get("user_id")); {
	case list != "" && user != "":
		return nil, badRequest("give teams or user_id, not both")
	case list != "":
		for _, in := range strings.Split(list, ",") {
			if in = strings.TrimSpace(in); in != "" {
				asks = append(asks, ask{in, lk})
			}
		}
	case user != "":
		if len(user) > 64 {
			return nil, badRequest("user_id is longer than 64 characters")
		}
		saved := s.d.Favorites.Get(user)
		// In a stable order: the same teams make the same feed (and ETag).
		for _, league := range slices.Sorted(maps.Keys(saved)) {
			for _, id := range saved[league] {
				asks = append(asks, ask{id, league})
			}
		}
		if len(asks) == 0 {
			return nil, &apiError{status: http.StatusNotFound, msg: "user " + strconv.Quote(user) + " has no saved teams"}
		}
	default:
		return nil, badRequest("teams is required (comma-separated, as {team} takes them), or user_id")
	}
	if len(asks) > calendar.MaxTeams {
		return nil, badRequest("at most %d teams in one calendar, not %d", calendar.MaxTeams, len(asks))
	}
	out := make([]teams.Match, 0, len(asks))
	for _, a := range asks {
		m, err := s.d.Teams.Resolve(a.input, a.league)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// serveCalendar answers a feed, kept like the history answers (until a
// write may have changed it, at most a minute), with an ETag: a calendar
// that asks again with If-None-Match gets 304 while nothing changed.
func (s *Server) serveCalendar(w http.ResponseWriter, r *http.Request, resolve func() ([]teams.Match, error)) {
	if s.d.Calendar == nil {
		s.fail(w, r, errHistoryOff)
		return
	}
	key := "ics|" + r.URL.Path + "?" + r.URL.RawQuery
	ver := s.historyVersion()
	body, ok := s.history.get(key, ver)
	if !ok {
		ms, err := resolve()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		body, err = s.d.Calendar.Feed(r.Context(), ms)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.history.put(key, ver, body)
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "no-cache")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = icsType
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// etagMatches reads If-None-Match: a list of entity tags, weak or not,
// or "*".
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
