package standings

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// Answer is GET /api/v1/standings: a league's table as taken at TakenAt,
// group by group.
type Answer struct {
	League  string    `json:"league"` // "NFL"
	Season  int       `json:"season"`
	TakenAt time.Time `json:"taken_at"`
	Groups  []Group   `json:"groups"`
}

// Group is one table of the league: a conference, a soccer league.
type Group struct {
	Name         string  `json:"name"`
	Abbreviation string  `json:"abbreviation,omitempty"`
	Entries      []Entry `json:"entries"`
}

// Entry is one team's line. Points are shown where tables rank by them
// (hockey, soccer), games behind and win percentage elsewhere, goal
// difference in soccer; Form comes from the stored results.
type Entry struct {
	Position          int      `json:"position"`
	Team              string   `json:"team"`    // abbreviation
	TeamID            string   `json:"team_id"` // "nfl-kc"
	ESPNID            string   `json:"espn_id"`
	TeamName          string   `json:"team_name"`
	GamesPlayed       int      `json:"games_played"`
	Wins              int      `json:"wins"`
	Losses            int      `json:"losses"`
	Ties              int      `json:"ties"`
	OTLosses          *int     `json:"ot_losses,omitempty"`
	Points            *int     `json:"points,omitempty"`
	WinPercent        *float64 `json:"win_percent,omitempty"`
	GamesBehind       *float64 `json:"games_behind,omitempty"`
	PointsFor         int      `json:"points_for"`
	PointsAgainst     int      `json:"points_against"`
	PointDifferential int      `json:"point_differential"`
	GoalDifference    *int     `json:"goal_difference,omitempty"`
	Record            string   `json:"record"`
	Streak            string   `json:"streak,omitempty"`
	Clincher          string   `json:"clincher,omitempty"`
	Note              string   `json:"note,omitempty"`
	Form              string   `json:"form,omitempty"`
}

// Errors the HTTP layer maps.
var (
	// ErrNoTable: no table of the league for that date (404).
	ErrNoTable = errors.New("no table")
	// ErrNoGroup: the table has no such group (404).
	ErrNoGroup = errors.New("no such group")
	// ErrNoHistory: a past table was asked for while storage is off (503).
	ErrNoHistory = errors.New("past tables need the store")
)

// Forms gives every team's form in a league's season over the finals
// before a time (history.Service.Forms).
type Forms func(ctx context.Context, l league.League, season int, before time.Time) (map[string]string, error)

// Query asks for a league's table, one group of it, as of the end of a
// day (zero: now).
type Query struct {
	League league.League
	Group  string
	Date   time.Time
}

// Table answers the standings route: the current table, or for a past
// date the newest stored table taken before that day ended (UTC).
func (s *Service) Table(ctx context.Context, q Query, forms Forms) (*Answer, error) {
	t, err := s.tableAt(ctx, q.League, q.Date)
	if err != nil {
		return nil, err
	}
	a := &Answer{League: q.League.Name, Season: t.Season, TakenAt: t.TakenAt, Groups: []Group{}}
	var form map[string]string
	if forms != nil {
		before := q.Date.AddDate(0, 0, 1)
		if q.Date.IsZero() {
			before = time.Time{}
		}
		// Without the form the table still answers.
		if f, err := forms(ctx, q.League, t.Season, before); err == nil {
			form = f
		}
	}
	want := strings.ToLower(strings.TrimSpace(q.Group))
	var names []string
	for _, e := range t.Entries {
		if len(a.Groups) == 0 || a.Groups[len(a.Groups)-1].Name != e.Group {
			names = append(names, groupLabel(e))
			a.Groups = append(a.Groups, Group{Name: e.Group, Abbreviation: e.GroupAbbr})
		}
		g := &a.Groups[len(a.Groups)-1]
		g.Entries = append(g.Entries, entryOf(q.League, e, form[e.Team]))
	}
	if want == "" {
		return a, nil
	}
	for _, g := range a.Groups {
		if strings.ToLower(g.Name) == want || strings.ToLower(g.Abbreviation) == want {
			a.Groups = []Group{g}
			return a, nil
		}
	}
	return nil, fmt.Errorf("%w: %q is not a group of the %s table (groups: %s)", ErrNoGroup, clip(q.Group), q.League.Name, strings.Join(names, ", "))
}

// tableAt is the league's table at the end of date's day; the current one
// for a zero date or a date not before today's.
func (s *Service) tableAt(ctx context.Context, l league.League, date time.Time) (game.Table, error) {
	now := s.o.Now().UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if date.IsZero() || !date.Before(today) {
		if t, ok := s.Current(l.Key); ok {
			return t, nil
		}
		return game.Table{}, fmt.Errorf("%w: no %s table has been taken yet; the service asks ESPN for it at start and daily", ErrNoTable, l.Name)
	}
	if s.r == nil {
		return game.Table{}, ErrNoHistory
	}
	end := date.AddDate(0, 0, 1)
	// Tables are stored when they change: the one of a date may be days
	// or, out of season, months older. Look close first.
	for _, back := range []time.Duration{48 * time.Hour, 40 * 24 * time.Hour, 400 * 24 * time.Hour} {
		qctx, cancel := context.WithTimeout(ctx, s.o.QueryTimeout)
		pts, err := s.r.Standings(qctx, l.Key, end.Add(-back), end)
		cancel()
		if err != nil {
			return game.Table{}, err
		}
		if len(pts) > 0 {
			return FromPoints(l.Key, pts), nil
		}
	}
	return game.Table{}, fmt.Errorf("%w: no %s table was stored by the end of %s", ErrNoTable, l.Name, date.Format(time.DateOnly))
}

func groupLabel(e game.Standing) string {
	if e.GroupAbbr != "" {
		return e.GroupAbbr
	}
	return e.Group
}

// entryOf is one line as the league's sport shows it.
func entryOf(l league.League, e game.Standing, form string) Entry {
	out := Entry{
		Position: e.Position, Team: e.Team, TeamID: game.TeamID(l.Key, e.Team), ESPNID: e.TeamID, TeamName: e.TeamName,
		GamesPlayed: e.GamesPlayed, Wins: e.Wins, Losses: e.Losses, Ties: e.Ties,
		PointsFor: e.PointsFor, PointsAgainst: e.PointsAgainst, PointDifferential: e.PointsFor - e.PointsAgainst,
		Record: e.Summary, Streak: e.Streak, Clincher: e.Clincher, Note: e.Note, Form: form,
	}
	if byPoints(l) {
		p := int(math.Round(e.Points))
		out.Points = &p
	} else {
		pct, gb := math.Round(e.WinPercent*1000)/1000, e.GamesBehind
		out.WinPercent, out.GamesBehind = &pct, &gb
	}
	if l.OTLosses {
		otl := e.OTLosses
		out.OTLosses = &otl
	}
	if l.Draws() {
		gd := e.PointsFor - e.PointsAgainst
		out.GoalDifference = &gd
	}
	return out
}

// byPoints reports whether the league's tables rank by points (hockey,
// soccer) rather than by wins.
func byPoints(l league.League) bool { return l.Sport == league.Hockey || l.Draws() }

func clip(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}
