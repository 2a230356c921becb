// Package calendar makes the season calendar of followed teams: an
// iCalendar feed (RFC 5545) with one event per stored game of the current
// and the next season, which Home Assistant's Remote Calendar, phones and
// desktop calendars subscribe to. Every event has a UID made of the league
// and ESPN's game id (the same across restarts and store kinds), the
// expected end, the opponent and home or away in the summary, the venue as
// LOCATION, TV and the final score in the description, and SEQUENCE and
// LAST-MODIFIED from the game's stored schedule history (raised when ESPN
// moves a game); a postponed or canceled game is STATUS:CANCELLED.
//
// The encoding is github.com/arran4/golang-ical's (escaping, folding at 75
// octets, CRLF); the README says why.
package calendar

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/gamepoint"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/teams"
)

// Reader reads stored games rows.
type Reader interface {
	Games(ctx context.Context, q store.GameQuery) ([]store.Point, error)
}

// Options configure a Service. Zero values take the defaults in brackets.
type Options struct {
	// Club lists a team in every followed competition it plays in, itself
	// first (teams.Directory.Club); nil: the team alone.
	Club func(m teams.Match) []teams.Match
	// Version names the service in PRODID ["dev"].
	Version      string
	QueryTimeout time.Duration // [5s] per store read
	Now          func() time.Time
}

// Service makes feeds from the store. It is safe for concurrent use.
type Service struct {
	r Reader
	o Options
}

// New builds a Service over the store's games rows.
func New(r Reader, o Options) *Service {
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{r: r, o: o}
}

// MaxTeams bounds one feed.
const MaxTeams = 20

// entry is one game of the feed, seen from a followed team (or from
// neither side when both are followed).
type entry struct {
	l    league.League
	p    store.Point
	g    game.Game
	side string // home, away, or "" for a game between two followed teams
}

// Feed is the calendar of the teams' games of the current and the next
// season, in every competition each is followed in, by start. A game two
// of the teams play is one event.
func (s *Service) Feed(ctx context.Context, followed []teams.Match) ([]byte, error) {
	if len(followed) == 0 || len(followed) > MaxTeams {
		return nil, fmt.Errorf("calendar: %d teams (1 to %d)", len(followed), MaxTeams)
	}
	now := s.o.Now()
	byUID := map[string]*entry{}
	var order []string
	for _, m := range followed {
		matches := []teams.Match{m}
		if s.o.Club != nil {
			matches = s.o.Club(m)
		}
		for _, mm := range matches {
			if err := s.add(ctx, mm, now, byUID, &order); err != nil {
				return nil, err
			}
		}
	}
	entries := make([]*entry, 0, len(order))
	for _, uid := range order {
		entries = append(entries, byUID[uid])
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].g.Start.Before(entries[j].g.Start) })
	return s.encode(followed, entries), nil
}

// add reads one team's games of one league, this season and next.
func (s *Service) add(ctx context.Context, m teams.Match, now time.Time, byUID map[string]*entry, order *[]string) error {
	l := m.League
	season := l.SeasonFor(now.Year(), int(now.Month()))
	abbr := strings.ToUpper(m.Team.Abbreviation)
	for _, sn := range []int{season, season + 1} {
		qctx, cancel := context.WithTimeout(ctx, s.o.QueryTimeout)
		pts, err := s.r.Games(qctx, store.GameQuery{League: l.Key, Team: abbr, Season: sn})
		cancel()
		if err != nil {
			return err
		}
		for _, p := range pts {
			g, _ := gamepoint.Game(l.Key, p)
			side := "home"
			if p.AwayTeam == abbr {
				side = "away"
			}
			uid := UID(l.Key, p.GameID)
			if e, ok := byUID[uid]; ok {
				if e.side != side {
					e.side = "" // both teams are followed
				}
				continue
			}
			byUID[uid] = &entry{l: l, p: p, g: g, side: side}
			*order = append(*order, uid)
		}
	}
	return nil
}

// UID is a game's event UID: its league and ESPN's id.
func UID(leagueKey, gameID string) string { return leagueKey + "-" + gameID + "@sports-data" }

func (s *Service) encode(followed []teams.Match, entries []*entry) []byte {
	cal := ics.NewCalendarFor("sports-data")
	cal.SetProductId("-//sports-data//sports-data " + s.o.Version + "//EN")
	// No METHOD: without one, DTSTAMP is when an event last changed in
	// the store (RFC 5545, 3.8.7.2), so the same data gives the same feed
	// and the same ETag.
	cal.SetCalscale("GREGORIAN")
	names := make([]string, 0, len(followed))
	for _, m := range followed {
		names = append(names, m.Team.Name)
	}
	cal.SetName(strings.Join(names, ", "))
	cal.SetXWRCalName(strings.Join(names, ", "))
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	for _, e := range entries {
		addEvent(cal, e)
	}
	// RFC 5545 lines end in CRLF; the library's default is LF.
	return []byte(cal.Serialize(ics.WithNewLine("\r\n")))
}

// addEvent writes one game.
func addEvent(cal *ics.Calendar, e *entry) {
	g, p := &e.g, &e.p
	ev := cal.AddEvent(UID(e.l.Key, g.ID))
	modified := lastModified(p)
	ev.SetDtStampTime(modified)
	ev.SetLastModifiedAt(modified)
	ev.SetSequence(p.ScheduleVersion)
	ev.SetStartAt(g.Start)
	ev.SetEndAt(g.Start.Add(e.l.GameLength()))
	ev.SetSummary(summary(e))
	if g.Venue != "" {
		ev.SetLocation(g.Venue)
	}
	ev.SetDescription(description(e))
	if g.Status == game.StatusPostponed || g.Status == game.StatusCanceled {
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
}

// lastModified is when the event last changed: its schedule's last change,
// or the writing of its result once the game is over (rows of earlier
// releases carry no schedule history: when the row was written).
func lastModified(p *store.Point) time.Time {
	t := p.ScheduleChangedAt
	if t.IsZero() || (p.Status == game.StatusFinal.StorageWord() && p.ObservedAt.After(t)) {
		t = p.ObservedAt
	}
	if t.IsZero() {
		t = p.Time
	}
	return t.UTC()
}

func name(t game.Team) string {
	if t.Name != "" {
		return t.Name
	}
	return t.Abbreviation
}

// summary names the game from the followed team: "Kansas City Chiefs vs
// Detroit Lions" at home, "… at …" away, "Away at Home" when both teams
// are followed; with the result once final.
func summary(e *entry) string {
	g := &e.g
	var s string
	switch e.side {
	case "home":
		s = name(g.HomeTeam) + " vs " + name(g.AwayTeam)
	case "away":
		s = name(g.AwayTeam) + " at " + name(g.HomeTeam)
	default:
		s = name(g.AwayTeam) + " at " + name(g.HomeTeam)
	}
	switch g.Status {
	case game.StatusFinal:
		s += fmt.Sprintf(" (%s %d-%d %s)", g.AwayTeam.Abbreviation, g.Score.Away, g.Score.Home, g.HomeTeam.Abbreviation)
	case game.StatusPostponed, game.StatusCanceled:
		s += " (" + string(g.Status) + ")"
	}
	return s
}

// description holds the competition, TV, the result and the home or
// away side, a line each.
func description(e *entry) string {
	g := &e.g
	lines := []string{e.l.Title}
	switch e.side {
	case "home":
		lines = append(lines, "Home game of "+name(g.HomeTeam))
	case "away":
		lines = append(lines, "Away game of "+name(g.AwayTeam))
	}
	if len(g.Broadcasts) > 0 {
		lines = append(lines, "TV: "+strings.Join(g.Broadcasts, ", "))
	}
	switch g.Status {
	case game.StatusFinal:
		lines = append(lines, fmt.Sprintf("Final: %s %d, %s %d", name(g.AwayTeam), g.Score.Away, name(g.HomeTeam), g.Score.Home))
	case game.StatusPostponed, game.StatusCanceled, game.StatusSuspended:
		lines = append(lines, "Status: "+string(g.Status))
	}
	return strings.Join(lines, "\n")
}
