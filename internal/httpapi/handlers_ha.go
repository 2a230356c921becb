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
	// Home Assistant polls the sensor of each followed team: the answer
	// is kept until a poll lands, and at most a second (kickoff_in).
	ver := answerVersion{games: s.d.State.Version(), tick: second(s.d.Now())}
	s.serveKept(w, r, s.sensor, ver, func() (any, error) {
		m, err := s.d.Teams.Resolve(team, lk)
		if err != nil {
			return nil, err
		}
		return s.d.Sensors.Sensor(m.League.Key, m.Team.ID)
	})
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
	// Kept like the sensor: until a poll lands, at most a second
	// (minutes_until_start).
	ver := answerVersion{games: s.d.State.Version(), tick: second(s.d.Now())}
	s.serveKept(w, r, s.status, ver, func() (any, error) { return s.d.HA.GameStatus(team, lk) })
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
