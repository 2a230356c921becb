package httpapi

import (
	"net/http"

	"github.com/sports-data/sports-data/internal/ha"
	"github.com/sports-data/sports-data/internal/teamtracker"
)

// HAService answers Home Assistant from memory.
type HAService interface {
	GameStatus(team, leagueKey string) (*ha.Status, error)
	GameContext(team, leagueKey string) (*ha.Context, error)
}

// SensorService builds TeamTracker-compatible sensors from memory.
type SensorService interface {
	Sensor(leagueKey, teamID string) (teamtracker.Sensor, error)
}

func (s *Server) handleSensor(w http.ResponseWriter, r *http.Request) {
	if s.d.Sensors == nil {
		s.fail(w, r, unavailable("the sensor service is not configured"))
		return
	}
	lk, err := s.leagueParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	team, err := pathParam(r, "team")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.d.Teams.Resolve(team, lk)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.d.Sensors.Sensor(m.League.Key, m.Team.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleGameStatus(w http.ResponseWriter, r *http.Request) {
	lk, err := s.leagueParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	team, err := pathParam(r, "team")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.d.HA.GameStatus(team, lk)
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
	team, err := pathParam(r, "team")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.d.HA.GameContext(team, lk)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
