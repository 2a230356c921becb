package store

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Matches reports whether games row p is one q asks for (League aside,
// which selects the table): Team plays home or away, Season, Status, and
// From ≤ start < To. Stores that filter in Go and the tests' expected
// answers use it, so that every store answers the same query alike.
func (q GameQuery) Matches(p Point) bool {
	switch {
	case q.Team != "" && p.HomeTeam != q.Team && p.AwayTeam != q.Team:
		return false
	case q.Season != 0 && p.Season != q.Season:
		return false
	case q.Status != "" && p.Status != q.Status:
		return false
	case !q.From.IsZero() && p.Time.Before(q.From):
		return false
	case !q.To.IsZero() && !p.Time.Before(q.To):
		return false
	}
	return true
}

// ErrInvalidPoint is matched (errors.Is) by every error Validate returns:
// the point can never be stored, so a writer drops it rather than retry.
var ErrInvalidPoint = errors.New("invalid point")

// InvalidPointError says which point of a batch cannot be stored and why.
type InvalidPointError struct {
	Index  int // position in the batch
	GameID string
	Reason string
}

func (e *InvalidPointError) Error() string {
	if e.GameID != "" {
		return fmt.Sprintf("invalid point %d (game %s): %s", e.Index, e.GameID, e.Reason)
	}
	return fmt.Sprintf("invalid point %d: %s", e.Index, e.Reason)
}

// Unwrap makes the error match ErrInvalidPoint.
func (e *InvalidPointError) Unwrap() error { return ErrInvalidPoint }

// Times are stored as unix nanoseconds (SQLite integers, InfluxDB
// timestamps), which span the years 1678 to 2262.
var (
	MinTime = time.Unix(0, math.MinInt64+1)
	MaxTime = time.Unix(0, math.MaxInt64)
)

// Storable reports whether t can be a stored time.
func Storable(t time.Time) bool { return !t.IsZero() && !t.Before(MinTime) && !t.After(MaxTime) }

// ValidLeague reports whether l can be a league key ("nfl", "ncaaf",
// "usa1"): lower-case letters and digits, at most 32 of them. Anything
// else is a caller's bug that would otherwise vanish as "no rows".
func ValidLeague(l string) bool {
	if l == "" || len(l) > 32 {
		return false
	}
	for _, c := range l {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// Validate checks a batch before any of it is written: every store
// refuses the same points, with an *InvalidPointError for the first bad
// one.
func Validate(points []Point) error {
	for i := range points {
		if reason := points[i].invalid(); reason != "" {
			return &InvalidPointError{Index: i, GameID: points[i].GameID, Reason: reason}
		}
	}
	return nil
}

// invalid is why p cannot be stored, or "".
func (p *Point) invalid() string {
	switch {
	case p.Series != SeriesScores && p.Series != SeriesGames && p.Series != SeriesStandings:
		return fmt.Sprintf("unknown series %q", p.Series)
	case !ValidLeague(p.League):
		return fmt.Sprintf("league %q is not a registry key (lower-case letters and digits)", p.League)
	case p.Series == SeriesStandings:
		return p.invalidStanding()
	case p.GameID == "":
		return "no game id"
	case p.Time.IsZero():
		// InfluxDB would stamp a point without a time with its own clock.
		return "no time"
	case !Storable(p.Time):
		return fmt.Sprintf("time %s outside the years 1678 to 2262", p.Time.Format(time.RFC3339))
	case !p.ObservedAt.IsZero() && !Storable(p.ObservedAt):
		return fmt.Sprintf("observed_at %s outside the years 1678 to 2262", p.ObservedAt.Format(time.RFC3339))
	case !p.ScheduleChangedAt.IsZero() && !Storable(p.ScheduleChangedAt):
		return fmt.Sprintf("schedule_changed_at %s outside the years 1678 to 2262", p.ScheduleChangedAt.Format(time.RFC3339))
	}
	// Tags are lines of InfluxDB's line protocol; a line break would end
	// the point there.
	for _, v := range []string{p.GameID, p.HomeTeam, p.AwayTeam, p.Status, p.HomeConference, p.AwayConference, p.HomeDivision, p.AwayDivision} {
		if strings.ContainsAny(v, "\r\n") {
			return "a tag value contains a line break"
		}
	}
	return ""
}

// invalidStanding is why a standings row cannot be stored, or "".
func (p *Point) invalidStanding() string {
	switch {
	case p.Standing == nil:
		return "a standings row without its entry"
	case p.Standing.TeamID == "":
		return "a standings row without a team id"
	case p.Time.IsZero():
		return "no time"
	case !Storable(p.Time):
		return fmt.Sprintf("time %s outside the years 1678 to 2262", p.Time.Format(time.RFC3339))
	case strings.ContainsAny(p.Standing.TeamID+p.Standing.Group, "\r\n"):
		return "a tag value contains a line break"
	}
	return ""
}
