package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sports-data/sports-data/internal/ha"
)

// HAService answers Home Assistant from memory.
type HAService interface {
	GameStatus(team, leagueKey string) (*ha.Status, error)
	GameContext(team, leagueKey string) (*ha.Context, error)
}

func (s *Server) handleGameStatus(w http.ResponseWriter, r *http.Request) {
	lk, err := s.leagueParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.d.HA.GameStatus(chi.URLParam(r, "team"), lk)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleGameContext(w http.ResponseWriter, r *http.Request) {
	lk, err := s.leagueParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.d.HA.GameContext(chi.URLParam(r, "team"), lk)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
