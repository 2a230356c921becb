package httpapi

import (
	"net/http"
	"strings"

	"github.com/sports-data/sports-data/internal/ha"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/teamtracker"
)

// HAService answers Home Assistant from memory.
type HAService interface {
	GameStatus(m teams.Match) *ha.Status
	GameContext(m teams.Match) *ha.Context
}

// SensorService builds TeamTracker-compatible sensors from memory.
type SensorService interface {
	Sensor(m teams.Match) (teamtracker.Sensor, error)
}

// team resolves the {team} of a route, with league= deciding between
// leagues: the one place a route turns what a user typed into a team.
// Its errors are the directory's (409 with candidates, 404 with
// suggestions, 503 before a league's team list is loaded).
func (s *Server) team(r *http.Request) (teams.Match, error) {
	lk, err := s.leagueParam(r)
	if err != nil {
		return teams.Match{}, err
	}
	input, err := pathParam(r, "team")
	if err != nil {
		return teams.Match{}, err
	}
	if strings.TrimSpace(input) == "" {
		return teams.Match{}, badRequest("team is required")
	}
	return s.d.Teams.Resolve(input, lk)
}

func (s *Server) handleSensor(w http.ResponseWriter, r *http.Request) {
	if s.d.Sensors == nil {
		s.fail(w, r, unavailable("the sensor service is not configured"))
		return
	}
	// Home Assistant polls the sensor of each followed team: the answer
	// is kept until a poll lands, and at most a second (kickoff_in).
	ver := answerVersion{games: s.d.State.Version(), tick: second(s.d.Now())}
	s.serveKept(w, r, s.sensor, ver, func() (any, error) {
		m, err := s.team(r)
		if err != nil {
			return nil, err
		}
		return s.d.Sensors.Sensor(m)
	})
}

func (s *Server) handleGameStatus(w http.ResponseWriter, r *http.Request) {
	// Kept like the sensor: until a poll lands, at most a second
	// (minutes_until_start).
	ver := answerVersion{games: s.d.State.Version(), tick: second(s.d.Now())}
	s.serveKept(w, r, s.status, ver, func() (any, error) {
		m, err := s.team(r)
		if err != nil {
			return nil, err
		}
		return s.d.HA.GameStatus(m), nil
	})
}

func (s *Server) handleGameContext(w http.ResponseWriter, r *http.Request) {
	m, err := s.team(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.d.HA.GameContext(m))
}
