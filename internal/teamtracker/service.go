package teamtracker

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sports-data/sports-data/internal/espnjson"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/kickoff"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/nextgames"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
)

// ErrUnknownLeague is returned for a league the service does not follow.
var ErrUnknownLeague = errors.New("league not followed")

// Snapshots are the in-memory games of each league.
type Snapshots interface {
	League(leagueKey string) *state.Snapshot
}

// Options configure a Service. Zero values take the defaults in brackets.
type Options struct {
	// Live reports whether a league is polled at the live cadence now
	// (private_fast_refresh); nil means never.
	Live func(leagueKey string) bool
	Now  func() time.Time // [time.Now]
	// Location is where last_update is written [time.Local], as
	// TeamTracker writes it in Home Assistant's zone.
	Location *time.Location
	// Club lists a team in every followed competition it plays in, itself
	// first (teams.Directory.Club): a soccer club's sensor shows whichever
	// of its games in any of them is live or next. Nil: the team alone.
	Club func(m teams.Match) []teams.Match
	// Standing gives the extra attributes of the team's standing
	// (standings.Service.SensorAttributes); nil, or a nil answer, adds none.
	Standing func(m teams.Match) map[string]any
}

// Service answers sensors from memory. It is safe for concurrent use.
type Service struct {
	st      Snapshots
	leagues map[string]league.League
	o       Options

	mu sync.RWMutex
	// scheduled are the games the schedule refresher knows, per league:
	// the next game of a team may lie beyond the scoreboard's days.
	scheduled map[string][]game.Game
}

// New builds a service for the followed leagues.
func New(st Snapshots, leagues []league.League, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Live == nil {
		o.Live = func(string) bool { return false }
	}
	s := &Service{st: st, leagues: map[string]league.League{}, o: o, scheduled: map[string][]game.Game{}}
	for _, l := range leagues {
		s.leagues[l.Key] = l
	}
	return s
}

// Observe keeps the upcoming games of a league's stored schedule (the
// schedule refresher hands whole seasons over); only games not yet over
// are kept, in memory.
func (s *Service) Observe(leagueKey string, games []game.Game) {
	if _, ok := s.leagues[leagueKey]; !ok {
		return
	}
	cutoff := s.o.Now().Add(-24 * time.Hour)
	byID := map[string]game.Game{}
	s.mu.RLock()
	for _, g := range s.scheduled[leagueKey] {
		byID[g.ID] = g
	}
	s.mu.RUnlock()
	for _, g := range games {
		byID[g.ID] = g
	}
	keep := make([]game.Game, 0, len(byID))
	for _, g := range byID {
		if g.Status.Over() || g.Start.IsZero() || g.Start.Before(cutoff) {
			continue
		}
		g.Source = nil // the schedule's events are not scoreboard events
		keep = append(keep, g)
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i].Start.Before(keep[j].Start) })
	s.mu.Lock()
	s.scheduled[leagueKey] = keep
	s.mu.Unlock()
}

// Scheduled lists a league's games from the stored schedule that are not
// over, by start: the next games beyond the scoreboard's days, which
// game-status and game-context also read.
func (s *Service) Scheduled(leagueKey string) []game.Game {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]game.Game(nil), s.scheduled[leagueKey]...)
}

// Sensor is the sensor of one resolved team of a followed league, from
// the games in memory. It never waits on ESPN or a store. Besides
// TeamTracker's attributes it has next_games (package nextgames) and,
// where the league has a table, the standing_* attributes.
func (s *Service) Sensor(m teams.Match) (Sensor, error) {
	leagueKey, teamID := m.League.Key, m.Team.ID
	l, ok := s.leagues[leagueKey]
	if !ok {
		return Sensor{}, fmt.Errorf("%w: %q", ErrUnknownLeague, leagueKey)
	}
	now := s.o.Now()
	snap := s.st.League(leagueKey)
	var games []game.Game
	var updated time.Time
	if snap != nil {
		games, updated = snap.Games, snap.UpdatedAt
	}
	out := Sensor{Team: teamID, League: l.Name}
	if !updated.IsZero() {
		out.UpdatedAt = updated.UTC().Format(time.RFC3339)
	}

	cands := s.clubCandidates(m)
	var chosen *view
	var chosenGame *game.Game
	for i := range cands {
		cd := &cands[i]
		if chosen != nil && chosen.state == StatePre && cd.g.Source == nil && cd.g.Status == game.StatusScheduled &&
			!cd.g.Start.Before(chosen.date) {
			// A later game of the stored schedule never beats an earlier
			// upcoming one (keepPrevious): no view to build.
			continue
		}
		c := s.context(*cd.league, now)
		v, ok := viewOf(cd.g, cd.teamID, cd.league.Key, c)
		if !ok {
			continue
		}
		prev, prevGame := chosen, chosenGame
		chosen, chosenGame = &v, cd.g
		if v.state == StateIn || v.state == StatePre && kickoff.Soon(v.date, now) {
			break
		}
		if prev != nil && keepPrevious(prev, &v, now) {
			chosen, chosenGame = prev, prevGame
		}
	}

	var a map[string]any
	if chosen == nil {
		out.State = StateNotFound
		a = notFound(l, teamID, games, s.context(l, now))
	} else {
		a = chosen.attrs
		leagueInfo(a, chosenGame.Source)
		if src := chosenGame.Source; src != nil {
			a["api_url"] = src.URL
			a["last_update"] = src.FetchedAt.In(s.o.Location).Format(lastUpdateLayout)
		} else if !updated.IsZero() {
			a["last_update"] = updated.In(s.o.Location).Format(lastUpdateLayout)
		}
		out.State = chosen.state
	}
	// One request serves the whole league here, so the league's cadence
	// is the sensor's.
	a["private_fast_refresh"] = s.o.Live(leagueKey)
	s.extras(a, m, cands, now)
	out.Attributes = a
	return out, nil
}

// extras adds the service's own attributes to a sensor's.
func (s *Service) extras(a map[string]any, m teams.Match, cands []candidate, now time.Time) {
	games := make([]*game.Game, len(cands))
	ids := make([]string, 0, 2)
	for i := range cands {
		games[i] = cands[i].g
		if !slices.Contains(ids, cands[i].teamID) {
			ids = append(ids, cands[i].teamID)
		}
	}
	a["next_games"] = nextgames.Of(games, nextgames.TeamIDs(ids...), now, nextgames.Count)
	if s.o.Standing != nil {
		maps.Copy(a, s.o.Standing(m))
	}
}

func (s *Service) context(l league.League, now time.Time) context {
	return context{league: l.Name, sport: l.Sport, leaguePath: l.ESPNLeague, now: now, loc: s.o.Location}
}

// candidate is a game of the team in one of its competitions; g points
// into the games in memory, which are never modified once published.
type candidate struct {
	g      *game.Game
	league *league.League // shared by the candidates of one competition
	teamID string
}

// clubCandidates are the team's games in every competition it is followed
// in (Options.Club), by start time.
func (s *Service) clubCandidates(m teams.Match) []candidate {
	matches := []teams.Match{m}
	if s.o.Club != nil {
		matches = s.o.Club(m)
	}
	var out []candidate
	for _, mm := range matches {
		lv, ok := s.leagues[mm.League.Key]
		if !ok {
			continue
		}
		l := &lv
		var games []game.Game
		if snap := s.st.League(l.Key); snap != nil {
			games = snap.Games
		}
		for _, g := range s.candidates(l.Key, mm.Team.ID, games) {
			out = append(out, candidate{g: g, league: l, teamID: mm.Team.ID})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].g.Start.Before(out[j].g.Start) })
	return out
}

// candidates are the team's games on the scoreboards in memory, then the
// scheduled ones not on them, by start time. They point into the published
// games (the scoreboard's snapshot, the schedule's list, which Observe
// replaces rather than changes).
func (s *Service) candidates(leagueKey, teamID string, games []game.Game) []*game.Game {
	var out []*game.Game
	seen := map[string]bool{}
	plays := func(g *game.Game) bool { return g.HomeTeam.ID == teamID || g.AwayTeam.ID == teamID }
	for i := range games {
		if plays(&games[i]) {
			out = append(out, &games[i])
			seen[games[i].ID] = true
		}
	}
	s.mu.RLock()
	scheduled := s.scheduled[leagueKey]
	s.mu.RUnlock()
	for i := range scheduled {
		if g := &scheduled[i]; plays(g) && !seen[g.ID] {
			out = append(out, g)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// viewOf is the game seen from the team: from ESPN's event where the
// scoreboard sent one, else from the parsed game.
func viewOf(g *game.Game, teamID, leagueKey string, c context) (view, bool) {
	if src := g.Source; src != nil && src.Event != nil && len(src.Event.Competitions) > 0 {
		if ti, ok := competitorIndex(src.Event, g, teamID, leagueKey); ok {
			return fromEvent(src.Event, ti, c), true
		}
	}
	return fromGame(g, teamID, c), true
}

// competitorIndex finds the team among the event's two competitors.
func competitorIndex(ev *espnjson.Event, g *game.Game, teamID, leagueKey string) (int, bool) {
	cs := ev.Competitions[0].Competitors
	if len(cs) != 2 {
		return 0, false
	}
	for i, x := range cs {
		if x.Team != nil && x.Team.Abbreviation != "" && game.TeamID(leagueKey, x.Team.Abbreviation) == teamID {
			return i, true
		}
	}
	// Abbreviations may differ between ESPN answers; the side does not.
	want := "away"
	if g.HomeTeam.ID == teamID {
		want = "home"
	}
	for i, x := range cs {
		if h, _ := text(x.HomeAway); strings.EqualFold(h, want) {
			return i, true
		}
	}
	return 0, false
}

// keepPrevious is TeamTracker's choice between the game chosen so far and
// the next one: live or final games more than 18 hours ahead count as
// upcoming (postponed); a final beats an upcoming game more than 18 hours
// away, the latest final wins, the earliest upcoming wins, and an upcoming
// game within 18 hours beats a final.
func keepPrevious(prev, cur *view, now time.Time) bool {
	const far = 18 * time.Hour
	eff := func(v *view) string {
		if (v.state == StatePost || v.state == StateIn) && v.date.Sub(now) > far {
			return StatePre
		}
		return v.state
	}
	ps, cs := eff(prev), eff(cur)
	switch ps {
	case StatePost:
		switch cs {
		case StatePre:
			return cur.date.Sub(now) > far
		case StatePost:
			return prev.date.After(cur.date)
		}
	case StatePre:
		switch cs {
		case StatePre:
			return !prev.date.After(cur.date)
		case StatePost:
			return absDuration(prev.date.Sub(now)) < far
		}
	}
	return false
}

// leagueInfo sets the league's name and logo from the scoreboard answer.
func leagueInfo(a map[string]any, src *game.Source) {
	a["league_logo"], a["league_name"] = DefaultLogo, ""
	if src == nil || src.League == nil {
		return
	}
	lg := src.League
	if len(lg.Logos) > 0 {
		a["league_logo"] = orValue(lg.Logos[0].Href, DefaultLogo)
	}
	a["league_name"] = orValue(lg.Name, "")
}

// notFound is the sensor of a team without a game in memory: TeamTracker's
// message names the span of the games it looked through.
func notFound(l league.League, teamID string, games []game.Game, c context) map[string]any {
	a := newAttributes()
	a["league"], a["sport"] = l.Name, l.Sport
	a["sport_path"], a["league_path"] = l.Sport, l.ESPNLeague
	abbr := strings.ToUpper(strings.TrimPrefix(teamID, l.Key+"-"))
	a["team_abbr"] = abbr
	var first, last time.Time
	var src *game.Source
	for i := range games {
		g := &games[i]
		if g.Source != nil && src == nil {
			src = g.Source
		}
		if g.Start.IsZero() {
			continue
		}
		if first.IsZero() || g.Start.Before(first) {
			first = g.Start
		}
		if g.Start.After(last) {
			last = g.Start
		}
	}
	leagueInfo(a, src)
	if src != nil {
		a["api_url"] = src.URL
		a["last_update"] = src.FetchedAt.In(c.loc).Format(lastUpdateLayout)
	}
	if first.IsZero() {
		first = time.Date(9999, 12, 31, 1, 0, 0, 0, time.UTC)
		last = time.Date(1900, 1, 31, 1, 0, 0, 0, time.UTC)
	}
	const layout = "2006-01-02T15:04Z"
	a["api_message"] = "No competition scheduled for '" + abbr + "' between " +
		first.UTC().Format(layout) + " and " + last.UTC().Format(layout)
	return a
}
