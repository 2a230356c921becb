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
	chosen, chosenGame := s.choose(cands, m, now)
	var a map[string]any
	if chosen == nil {
		out.State = StateNotFound
		a = notFound(l, games, s.context(l, m, now))
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

// choose is TeamTracker's pick among the team's games, in their events'
// order: a live game, or one starting within 20 minutes, ends the search;
// otherwise keepPrevious decides between the game chosen so far and the
// next. A final in an event still live (a tennis tournament) ends the
// search after that event, as TeamTracker stops there.
func (s *Service) choose(cands []candidate, m teams.Match, now time.Time) (*view, *game.Game) {
	var chosen *view
	var chosenGame *game.Game
	for i := 0; i < len(cands); {
		event := eventKey(cands[i].g)
		j := i
		for ; j < len(cands) && eventKey(cands[j].g) == event; j++ {
			cd := &cands[j]
			if chosen != nil && chosen.state == StatePre && cd.g.Source == nil && cd.g.Status == game.StatusScheduled &&
				!cd.g.Start.Before(chosen.date) {
				// A later game of the stored schedule never beats an
				// earlier upcoming one (keepPrevious): no view to build.
				continue
			}
			v, ok := viewOf(cd.g, cd.teamID, cd.league.Key, s.context(*cd.league, m, now))
			if !ok {
				continue
			}
			prev, prevGame := chosen, chosenGame
			chosen, chosenGame = &v, cd.g
			if v.state == StateIn || v.state == StatePre && kickoff.Soon(v.date, now) {
				return chosen, chosenGame
			}
			if prev != nil && keepPrevious(prev, &v, cd.league.Field(), now) {
				chosen, chosenGame = prev, prevGame
			}
		}
		if chosen != nil && chosen.state == StatePost && eventState(cands[i].g) == StateIn {
			break
		}
		i = j
	}
	return chosen, chosenGame
}

// eventKey names the ESPN event a game belongs to: a tournament, card or
// race weekend holds many; a team sport's game is its own.
func eventKey(g *game.Game) string {
	if g.Contest != nil && g.Contest.EventID != "" {
		return g.Contest.EventID
	}
	return g.ID
}

// eventState is the state of a game's ESPN event as a whole ("IN" while a
// tournament is on); "" without one.
func eventState(g *game.Game) string {
	if g.Source == nil || g.Source.Event == nil || g.Source.Event.Status == nil {
		return ""
	}
	return strings.ToUpper(g.Source.Event.Status.Type.State)
}

// searchKey is team_abbr as TeamTracker shows it before it finds the
// team: the name it was configured with. For a team that is its
// abbreviation; for an athlete the last word of its name, in capitals,
// which is how TeamTracker's examples name athletes ("STRUFF").
func searchKey(m teams.Match) string {
	if m.Team.Athlete {
		words := strings.Fields(m.Team.Name)
		if len(words) > 0 {
			return strings.ToUpper(words[len(words)-1])
		}
	}
	abbr := m.Team.Abbreviation
	if abbr == "" {
		abbr = strings.TrimPrefix(m.Team.ID, m.League.Key+"-")
	}
	return strings.ToUpper(abbr)
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

// context is what a sensor's attributes are made with for a game of the
// league l, the followed team named as m names it.
func (s *Service) context(l league.League, m teams.Match, now time.Time) context {
	return context{league: l.TeamTrackerID(), sport: l.Sport, leaguePath: l.ESPNLeague, now: now, loc: s.o.Location,
		teamAbbr: searchKey(m)}
}

// candidate is a game of the team in one of its competitions; g points
// into the games in memory, which are never modified once published.
type candidate struct {
	g      *game.Game
	league *league.League // shared by the candidates of one competition
	teamID string
}

// clubCandidates are the team's games in every competition it is followed
// in (Options.Club): one competition's in candidates' order, several by
// start time (only soccer clubs are followed in several, and each of their
// games is an ESPN event of its own).
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
	if len(matches) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].g.Start.Before(out[j].g.Start) })
	}
	return out
}

// candidates are the team's games on the scoreboards in memory, then the
// scheduled ones not on them, grouped by ESPN event (events by their first
// game's start) and by start within each. They point into the published
// games (the scoreboard's snapshot, the schedule's list, which Observe
// replaces rather than changes).
func (s *Service) candidates(leagueKey, teamID string, games []game.Game) []*game.Game {
	var out []*game.Game
	seen := map[string]bool{}
	for i := range games {
		if games[i].Involves(teamID) {
			out = append(out, &games[i])
			seen[games[i].ID] = true
		}
	}
	s.mu.RLock()
	scheduled := s.scheduled[leagueKey]
	s.mu.RUnlock()
	for i := range scheduled {
		if g := &scheduled[i]; g.Involves(teamID) && !seen[g.ID] {
			out = append(out, g)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	first := map[string]int{}
	for i, g := range out {
		if _, ok := first[eventKey(g)]; !ok {
			first[eventKey(g)] = i
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return first[eventKey(out[i])] < first[eventKey(out[j])] })
	return out
}

// viewOf is the game seen from the team: from ESPN's event where the
// scoreboard sent one, else from the parsed game.
func viewOf(g *game.Game, teamID, leagueKey string, c context) (view, bool) {
	if src := g.Source; src != nil && src.Event != nil {
		if comp := src.Comp(); comp != nil {
			if ti, ok := competitorIndex(comp, g, teamID, leagueKey); ok {
				return fromEvent(src.Event, comp, ti, c), true
			}
		}
	}
	return fromGame(g, teamID, c), true
}

// competitorIndex finds the team among the competition's competitors: by
// the athlete's name or the team's abbreviation, else, of two, by side.
func competitorIndex(comp *espnjson.Competition, g *game.Game, teamID, leagueKey string) (int, bool) {
	cs := comp.Competitors
	if len(cs) < 2 {
		return 0, false
	}
	for i := range cs {
		x := &cs[i]
		switch {
		case x.Athlete != nil:
			if game.AthleteID(leagueKey, x.Athlete.DisplayName.String()) == teamID {
				return i, true
			}
		case x.Roster != nil:
			if game.AthleteID(leagueKey, x.Roster.DisplayName.String()) == teamID {
				return i, true
			}
		case x.Team != nil && x.Team.Abbreviation != "":
			if game.TeamID(leagueKey, x.Team.Abbreviation) == teamID {
				return i, true
			}
		}
	}
	if len(cs) != 2 {
		return 0, false
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
// away, the latest final wins (in a field sport, golf and racing, the
// first of finals at the same time), the earliest upcoming wins, and an
// upcoming game within 18 hours beats a final.
func keepPrevious(prev, cur *view, field bool, now time.Time) bool {
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
			return prev.date.After(cur.date) || field && prev.date.Equal(cur.date)
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
// message names the span of the games it looked through, or, in racing,
// the race whose drivers ESPN does not list yet.
func notFound(l league.League, games []game.Game, c context) map[string]any {
	a := newAttributes()
	a["league"], a["sport"] = c.league, l.Sport
	a["sport_path"], a["league_path"] = l.Sport, l.ESPNLeague
	a["team_abbr"] = c.teamAbbr
	var first, last time.Time
	var src *game.Source
	var noDrivers *game.Game
	for i := range games {
		g := &games[i]
		if g.Source != nil && src == nil {
			src = g.Source
		}
		if l.Sport == league.Racing && g.Source != nil && g.Source.Event != nil && len(g.Field) == 0 &&
			(noDrivers == nil || g.Start.Before(noDrivers.Start)) {
			noDrivers = g
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
	if noDrivers != nil {
		ev := noDrivers.Source.Event
		a["event_name"], a["date"] = value(ev.ShortName), value(ev.Date)
		a["api_message"] = "Drivers not found, qualifying not complete for " + pyStr(ev.ShortName)
		return a
	}
	if first.IsZero() {
		first = time.Date(9999, 12, 31, 1, 0, 0, 0, time.UTC)
		last = time.Date(1900, 1, 31, 1, 0, 0, 0, time.UTC)
	}
	const layout = "2006-01-02T15:04Z"
	a["api_message"] = "No competition scheduled for '" + c.teamAbbr + "' between " +
		first.UTC().Format(layout) + " and " + last.UTC().Format(layout)
	return a
}
