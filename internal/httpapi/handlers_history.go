package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/teams"
)

// HistoryService answers questions of the stored data; nil when the store
// is off.
type HistoryService interface {
	History(ctx context.Context, q history.HistoryQuery) (*history.HistoryPage, error)
	Timeline(ctx context.Context, gameID, leagueKey string) (*history.Timeline, error)
	Schedule(ctx context.Context, team teams.Match, season int) (*history.ScheduleResult, error)
	Events(ctx context.Context, gameID, leagueKey string) (*history.GameEvents, error)
	// Version changes whenever a write may have changed an answer.
	Version() uint64
}

var errHistoryOff = unavailable("Historical queries not available")

// requireHistory answers 503 on every history route while the store is off.
func (s *Server) requireHistory(next http.Handler) http.Handler {
	if s.d.History != nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errHistoryOff)
	})
}

// historyVersion names what a history, timeline or schedule answer is
// made of: the stored data (until a write may have changed it) and which
// season is the current one. Dashboards ask the same questions again and
// again; the answers are kept, encoded, until it moves.
func (s *Server) historyVersion() answerVersion {
	return answerVersion{history: s.d.History.Version(), tick: minute(s.d.Now())}
}

func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	q, err := history.ParseHistoryQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveKept(w, r, s.history, s.historyVersion(), func() (any, error) { return s.d.History.History(r.Context(), q) })
}

func (s *Server) handleTimeline(w http.ResponseWriter, r *http.Request) {
	id, lk, err := s.storedGameParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveKept(w, r, s.history, s.historyVersion(), func() (any, error) { return s.d.History.Timeline(r.Context(), id, lk) })
}

// handleGameEvents answers the events of a stored game (history.Events).
func (s *Server) handleGameEvents(w http.ResponseWriter, r *http.Request) {
	id, lk, err := s.storedGameParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveKept(w, r, s.history, s.historyVersion(), func() (any, error) { return s.d.History.Events(r.Context(), id, lk) })
}

// storedGameParams are the game id of a stored game's route and its
// optional league.
func (s *Server) storedGameParams(r *http.Request) (id, lk string, err error) {
	if lk, err = s.leagueParam(r); err != nil {
		return "", "", err
	}
	id, err = pathParam(r, "game_id")
	if err != nil || !validGameID(id) {
		return "", "", badRequest("game_id must be ESPN's numeric game id")
	}
	return id, lk, nil
}

func (s *Server) handleSchedule(w http.ResponseWriter, r *http.Request) {
	if _, err := s.leagueParam(r); err != nil {
		s.fail(w, r, err)
		return
	}
	season := 0
	if v := strings.TrimSpace(r.URL.Query().Get("season")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1900 || n > 2100 {
			s.fail(w, r, badRequest("season must be a year such as 2024, not %q", clip(v)))
			return
		}
		season = n
	}
	s.serveKept(w, r, s.history, s.historyVersion(), func() (any, error) {
		team, err := s.team(r)
		if err != nil {
			return nil, err
		}
		return s.d.History.Schedule(r.Context(), team, season)
	})
}

// validGameID accepts ESPN's ids: digits, at most 20 of them.
func validGameID(id string) bool {
	if id == "" || len(id) > 20 {
		return false
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
