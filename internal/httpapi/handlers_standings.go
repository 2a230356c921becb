package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/standings"
)

// StandingsService answers league tables.
type StandingsService interface {
	Table(ctx context.Context, q standings.Query, forms standings.Forms) (*standings.Answer, error)
	// Version changes whenever a table in memory changes.
	Version() uint64
}

// FormSource gives every team's form of a league's season from the
// stored results (history.Service.Forms); nil while storage is off.
type FormSource interface {
	Forms(ctx context.Context, l league.League, season int, before time.Time) (map[string]string, error)
}

func (s *Server) handleStandings(w http.ResponseWriter, r *http.Request) {
	if s.d.Standings == nil {
		s.fail(w, r, unavailable("the standings service is not configured"))
		return
	}
	q, err := s.standingsQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var forms standings.Forms
	ver := answerVersion{games: s.d.Standings.Version(), tick: minute(s.d.Now())}
	if s.d.Forms != nil && s.d.History != nil {
		forms = s.d.Forms.Forms
		ver.history = s.d.History.Version()
	}
	s.serveKept(w, r, s.history, ver, func() (any, error) { return s.d.Standings.Table(r.Context(), q, forms) })
}

// standingsQuery reads league= (needed when several leagues are
// followed), group= and date= (YYYY-MM-DD, the table at the end of that
// day, UTC).
func (s *Server) standingsQuery(r *http.Request) (standings.Query, error) {
	lk, err := s.leagueParam(r)
	if err != nil {
		return standings.Query{}, err
	}
	if lk == "" {
		if len(s.d.Options.Leagues) != 1 {
			return standings.Query{}, badRequest("league is required: the standings are one league's table")
		}
		lk = s.d.Options.Leagues[0].Key
	}
	l, _ := league.Lookup(lk)
	q := standings.Query{League: l, Group: strings.TrimSpace(r.URL.Query().Get("group"))}
	if len(q.Group) > 100 {
		return standings.Query{}, badRequest("group is longer than 100 characters")
	}
	if v := strings.TrimSpace(r.URL.Query().Get("date")); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil || d.Year() < 1900 || d.Year() > 2100 {
			return standings.Query{}, badRequest("date must be a day such as 2025-01-31, not %q", clip(v))
		}
		q.Date = d
	}
	return q, nil
}
