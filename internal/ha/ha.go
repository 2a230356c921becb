// Package ha answers Home Assistant's questions about one team from the
// in-memory state only: what is the team doing now (for REST sensors), and
// the current, next and last game with TeamTracker-style attributes. The
// team comes resolved (teams.Directory.Resolve, at the HTTP edge).
package ha

import (
	"math"
	"strings"
	"sync"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/kickoff"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/nextgames"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/teams"
)

// Options are the windows of docs/events.md (Home Assistant game status).
type Options struct {
	UpcomingWindow time.Duration // HA_UPCOMING_WINDOW [24h]
	RecentWindow   time.Duration // HA_RECENT_WINDOW [4h]
	Now            func() time.Time
	// Scheduled, when set, lists a league's games from the stored
	// schedule (team schedules, a soccer club's fixtures): a team's next
	// game may lie beyond the scoreboard's days.
	Scheduled func(leagueKey string) []game.Game
	// Club lists a team in every followed competition it plays in, itself
	// first (teams.Directory.Club); nil: the team alone.
	Club func(m teams.Match) []teams.Match
}

// Service is safe for concurrent use.
type Service struct {
	st *state.State
	o  Options

	mu sync.RWMutex
	// endedAt remembers when each game was first seen final, so "recently
	// final" is measured from the end of the game, not its start.
	endedAt map[string]time.Time
}

// New builds the service.
func New(st *state.State, o Options) *Service {
	if o.UpcomingWindow <= 0 {
		o.UpcomingWindow = 24 * time.Hour
	}
	if o.RecentWindow <= 0 {
		o.RecentWindow = 4 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{st: st, o: o, endedAt: map[string]time.Time{}}
}

// Observe notes when games end; the poller calls it after every poll.
func (s *Service) Observe(leagueKey string, games []game.Game) {
	now := s.o.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range games {
		g := &games[i]
		if g.Status != game.StatusFinal {
			continue
		}
		if _, ok := s.endedAt[g.ID]; !ok {
			s.endedAt[g.ID] = now
		}
	}
	// Forget endings long past every window.
	for id, t := range s.endedAt {
		if now.Sub(t) > 72*time.Hour {
			delete(s.endedAt, id)
		}
	}
}

// ended estimates when a final game ended: when it was first seen final,
// or its start plus the league's usual game length if that is earlier (a
// game already final when the service started), and never later than now.
func (s *Service) ended(g *game.Game, now time.Time) time.Time {
	s.mu.RLock()
	t, ok := s.endedAt[g.ID]
	s.mu.RUnlock()
	if !ok {
		t = now
	}
	if g.Start.IsZero() {
		return t
	}
	length := 3 * time.Hour
	if l, ok := league.Lookup(g.LeagueKey()); ok {
		length = l.GameLength()
	}
	if est := g.Start.Add(length); est.Before(t) {
		return est
	}
	return t
}

// Status is the flat answer for REST sensors.
type Status struct {
	Team              string   `json:"team"`
	League            string   `json:"league"`
	Status            string   `json:"status"` // live, upcoming, final, none
	State             string   `json:"state"`  // IN, PRE, POST, NOT_FOUND
	IsLive            bool     `json:"is_live"`
	GameID            *string  `json:"game_id"`
	Opponent          *string  `json:"opponent"`
	OpponentName      *string  `json:"opponent_name"`
	HomeAway          *string  `json:"home_away"`
	StartTime         *string  `json:"start_time"`
	MinutesUntilStart *int     `json:"minutes_until_start"`
	TeamScore         *int     `json:"team_score"`
	OpponentScore     *int     `json:"opponent_score"`
	Period            *int     `json:"period"`
	Clock             *string  `json:"clock"`
	UpdatedAt         string   `json:"updated_at"`
	TeamName          string   `json:"team_name"`
	StatusDetail      *string  `json:"status_detail"`
	Result            *string  `json:"result"`
	WinProbability    *float64 `json:"team_win_probability"`
	// Individual sports only: the place in a field (a race, a golf
	// tournament) and where the contest sits in its event.
	Position *int          `json:"position,omitempty"`
	Contest  *game.Contest `json:"contest,omitempty"`
	// GameLeague is the competition of the game shown ("CL" for a club
	// followed in the Premier League); null without a game.
	GameLeague *string `json:"game_league"`
	// NextGames are the team's next games in every competition it is
	// followed in (package nextgames).
	NextGames []nextgames.Game `json:"next_games"`
}

func ptr[T any](v T) *T { return &v }

// pick chooses the game that matters now: live first, then the next within
// the upcoming window, then one that ended within the recent window.
func (s *Service) pick(gs []game.Game, now time.Time) (*game.Game, string) {
	var next, last *game.Game
	var lastEnd time.Time
	for i := range gs {
		g := &gs[i]
		switch g.Status {
		case game.StatusLive:
			return g, "live"
		case game.StatusScheduled:
			if g.Start.IsZero() || g.Start.Sub(now) > s.o.UpcomingWindow {
				continue
			}
			// A game past its start that ESPN has not started yet is still
			// the upcoming one: a delayed start.
			if now.Sub(g.Start) > kickoff.LateStart {
				continue
			}
			if next == nil || g.Start.Before(next.Start) {
				next = g
			}
		case game.StatusFinal:
			end := s.ended(g, now)
			if now.Sub(end) > s.o.RecentWindow {
				continue
			}
			if last == nil || end.After(lastEnd) {
				last, lastEnd = g, end
			}
		}
	}
	if next != nil {
		return next, "upcoming"
	}
	if last != nil {
		return last, "final"
	}
	return nil, "none"
}

// teamGames are the games in memory the team plays in, in every
// competition it is followed in (Options.Club): the scoreboard's, then the
// stored schedule's that the scoreboard does not hold; and the team's ids
// in them.
func (s *Service) teamGames(m teams.Match) ([]game.Game, []string) {
	matches := []teams.Match{m}
	if s.o.Club != nil {
		matches = s.o.Club(m)
	}
	var out []game.Game
	ids := make([]string, 0, len(matches))
	for _, mm := range matches {
		ids = append(ids, mm.Team.ID)
		seen := map[string]bool{}
		plays := func(g *game.Game) bool { return g.Involves(mm.Team.ID) }
		if snap := s.st.League(mm.League.Key); snap != nil {
			for i := range snap.Games {
				if g := &snap.Games[i]; plays(g) {
					out = append(out, *g)
					seen[g.ID] = true
				}
			}
		}
		if s.o.Scheduled == nil {
			continue
		}
		for _, g := range s.o.Scheduled(mm.League.Key) {
			if plays(&g) && !seen[g.ID] {
				out = append(out, g)
			}
		}
	}
	return out, ids
}

// seenFrom is g seen from the followed team: a club followed in several
// competitions has an id in each (ids), and g involves one of them.
func seenFrom(g *game.Game, ids []string) game.Seen {
	for _, id := range ids {
		if g.Involves(id) {
			return g.SeenFrom(id)
		}
	}
	return g.SeenFrom(ids[0])
}

// GameStatus answers /api/v1/ha/game-status/{team}.
func (s *Service) GameStatus(m teams.Match) *Status {
	now := s.o.Now()
	out := &Status{
		Team: m.Team.Abbreviation, TeamName: m.Team.Name, League: m.League.Name,
		Status: "none", State: "NOT_FOUND",
		UpdatedAt: now.UTC().Format(time.RFC3339),
	}
	if snap := s.st.League(m.League.Key); snap != nil && !snap.UpdatedAt.IsZero() {
		out.UpdatedAt = snap.UpdatedAt.UTC().Format(time.RFC3339)
	}
	games, ids := s.teamGames(m)
	refs := make([]*game.Game, len(games))
	for i := range games {
		refs[i] = &games[i]
	}
	out.NextGames = nextgames.Of(refs, nextgames.TeamIDs(ids...), now, nextgames.Count)
	g, kind := s.pick(games, now)
	if g == nil {
		return out
	}
	out.GameLeague = ptr(g.League)
	out.Status = kind
	switch kind {
	case "live":
		out.State, out.IsLive = "IN", true
	case "upcoming":
		out.State = "PRE"
		mins := int(math.Ceil(g.Start.Sub(now).Minutes()))
		if mins < 0 {
			mins = 0
		}
		out.MinutesUntilStart = &mins
	case "final":
		out.State = "POST"
	}
	seen := seenFrom(g, ids)
	out.HomeAway = ptr("away")
	if seen.Home {
		out.HomeAway = ptr("home")
	}
	out.GameID = ptr(g.ID)
	out.Opponent = ptr(seen.Them.Abbreviation)
	out.OpponentName = ptr(seen.Them.Name)
	out.StartTime = ptr(g.StartTime)
	out.TeamScore = ptr(seen.Ours)
	out.OpponentScore = ptr(seen.Theirs)
	out.Period = ptr(g.Period.Current)
	out.Clock = ptr(g.Period.TimeRemaining)
	if g.StatusDetail != "" {
		out.StatusDetail = ptr(g.StatusDetail)
	}
	if kind == "final" {
		out.Result = ptr(g.Outcome(seen))
	}
	if seen.Position > 0 {
		out.Position = ptr(seen.Position)
	}
	if g.Contest != nil {
		out.Contest = g.Contest
	}
	out.WinProbability = winProbability(g, seen.Home)
	return out
}

func winProbability(g *game.Game, home bool) *float64 {
	if g.Details == nil {
		return nil
	}
	p := g.Details.AwayWinPct
	if home {
		p = g.Details.HomeWinPct
	}
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Context is the answer of /api/v1/ha/game-context/{team}.
type Context struct {
	Team        string     `json:"team"`
	League      string     `json:"league"`
	Status      string     `json:"status"`
	State       string     `json:"state"`
	CurrentGame *game.Game `json:"current_game"`
	NextGame    *game.Game `json:"next_game"`
	LastGame    *game.Game `json:"last_game"`

	KickoffIn          *string      `json:"kickoff_in"`
	Possession         *string      `json:"possession"`
	LastPlay           *string      `json:"last_play"`
	DownDistanceText   *string      `json:"down_distance_text"`
	TeamWinProbability *float64     `json:"team_win_probability"`
	TVNetwork          *string      `json:"tv_network"`
	Venue              *string      `json:"venue"`
	Odds               *game.Odds   `json:"odds"`
	TeamColors         []string     `json:"team_colors"`
	TeamLogo           string       `json:"team_logo"`
	Result             *string      `json:"result"`
	Opponent           *string      `json:"opponent"`
	TeamRecord         *game.Record `json:"team_record"`
}

// GameContext answers /api/v1/ha/game-context/{team}.
func (s *Service) GameContext(m teams.Match) *Context {
	now := s.o.Now()
	gs, ids := s.teamGames(m)
	out := &Context{Team: m.Team.Abbreviation, League: m.League.Name, Status: "none", State: "NOT_FOUND",
		TeamColors: []string{m.Team.Colors.Primary, m.Team.Colors.Secondary}, TeamLogo: m.Team.Logo}
	var lastEnd time.Time
	for i := range gs {
		g := gs[i]
		switch g.Status {
		case game.StatusLive:
			if out.CurrentGame == nil {
				out.CurrentGame = &g
			}
		case game.StatusScheduled:
			if !g.Start.IsZero() && now.Sub(g.Start) <= kickoff.LateStart &&
				(out.NextGame == nil || g.Start.Before(out.NextGame.Start)) {
				out.NextGame = &g
			}
		case game.StatusFinal:
			if end := s.ended(&g, now); out.LastGame == nil || end.After(lastEnd) {
				out.LastGame, lastEnd = &g, end
			}
		}
	}
	if picked, kind := s.pick(gs, now); picked != nil {
		out.Status = kind
		out.State = map[string]string{"live": "IN", "upcoming": "PRE", "final": "POST"}[kind]
	}
	focus := out.CurrentGame
	if focus == nil {
		focus = out.NextGame
	}
	if focus == nil {
		focus = out.LastGame
	}
	if focus != nil {
		seen := seenFrom(focus, ids)
		home := seen.Home
		out.Opponent = ptr(seen.Them.Abbreviation)
		out.TeamRecord = seen.Us.Record
		if len(focus.Broadcasts) > 0 {
			out.TVNetwork = ptr(strings.Join(focus.Broadcasts, "/"))
		}
		if focus.Venue != "" {
			out.Venue = ptr(focus.Venue)
		}
		if d := focus.Details; d != nil {
			if d.Possession != "" {
				out.Possession = ptr(d.Possession)
			}
			if d.LastPlay != "" {
				out.LastPlay = ptr(d.LastPlay)
			}
			if d.DownDistanceText != "" {
				out.DownDistanceText = ptr(d.DownDistanceText)
			}
			if d.Odds != nil {
				o := *d.Odds
				out.Odds = &o
			}
		}
		out.TeamWinProbability = winProbability(focus, home)
	}
	if out.NextGame != nil && out.CurrentGame == nil {
		out.KickoffIn = ptr(kickoff.Phrase(out.NextGame.Start, now))
	}
	if out.LastGame != nil {
		out.Result = ptr(out.LastGame.Outcome(out.LastGame.SeenFrom(m.Team.ID)))
	}
	return out
}
