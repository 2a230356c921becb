package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

type gameList struct {
	Games           []game.Game `json:"games"`
	Count           int         `json:"count"`
	FilteredByTeams []string    `json:"filtered_by_teams"`
}

// leagueParam reads ?league= (or its alias ?sport=): "" means every
// followed league. A league that exists but is not followed is also 400, so
// a typo in LEAGUES does not look like an empty day.
func (s *Server) leagueParam(r *http.Request) (string, error) {
	v := strings.TrimSpace(r.URL.Query().Get("league"))
	if v == "" {
		v = strings.TrimSpace(r.URL.Query().Get("sport"))
	}
	if v == "" || strings.EqualFold(v, "all") {
		return "", nil
	}
	l, ok := league.Lookup(v)
	if !ok {
		return "", badRequest("league %q is unknown (known: %s)", clip(v), strings.Join(league.Keys(), ", "))
	}
	for _, e := range s.d.Options.Leagues {
		if e.Key == l.Key {
			return l.Key, nil
		}
	}
	followed := make([]string, 0, len(s.d.Options.Leagues))
	for _, e := range s.d.Options.Leagues {
		followed = append(followed, e.Key)
	}
	return "", badRequest("league %q is not followed by this service (LEAGUES=%s)", l.Key, strings.Join(followed, ","))
}

// teamFilter is a parsed ?team_ids=: prefixed ids match one league's team,
// bare abbreviations match that abbreviation in every league.
type teamFilter struct {
	ids      []string
	prefixed map[string]bool
	bare     map[string]bool
}

func parseTeamIDs(raw string) (teamFilter, error) {
	f := teamFilter{ids: []string{}, prefixed: map[string]bool{}, bare: map[string]bool{}}
	if strings.TrimSpace(raw) == "" {
		return f, nil
	}
	parts := strings.Split(raw, ",")
	if len(parts) > 200 {
		return f, badRequest("team_ids lists %d ids; at most 200 are allowed", len(parts))
	}
	for _, p := range parts {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if len(p) > 40 {
			return f, badRequest("team_ids: %q is too long for a team id", clip(p))
		}
		f.ids = append(f.ids, p)
		if strings.Contains(p, "-") {
			f.prefixed[p] = true
		} else {
			f.bare[p] = true
		}
	}
	return f, nil
}

func (f teamFilter) empty() bool { return len(f.ids) == 0 }

func (f teamFilter) matchTeam(t *game.Team) bool {
	if f.prefixed[t.ID] {
		return true
	}
	if len(f.bare) == 0 {
		return false
	}
	return f.bare[strings.ToLower(t.Abbreviation)]
}

func (f teamFilter) match(g *game.Game) bool {
	return f.empty() || f.matchTeam(&g.HomeTeam) || f.matchTeam(&g.AwayTeam)
}

// selectGames filters the in-memory games by league, team ids and keep,
// marking the default user's favourites.
func (s *Server) selectGames(r *http.Request, keep func(*game.Game) bool) (gameList, error) {
	lk, err := s.leagueParam(r)
	if err != nil {
		return gameList{}, err
	}
	f, err := parseTeamIDs(r.URL.Query().Get("team_ids"))
	if err != nil {
		return gameList{}, err
	}
	var src []game.Game
	if lk == "" {
		src = s.d.State.All()
	} else if snap := s.d.State.League(lk); snap != nil {
		src = snap.Games
	}
	favs := s.d.Favorites != nil && s.d.Favorites.HasFavorites()
	out := gameList{Games: []game.Game{}, FilteredByTeams: f.ids}
	for i := range src {
		g := &src[i]
		if !keep(g) || !f.match(g) {
			continue
		}
		c := *g
		if favs {
			c.IsFavorite = s.d.Favorites.IsFavorite(c.HomeTeam.ID) || s.d.Favorites.IsFavorite(c.AwayTeam.ID)
		}
		out.Games = append(out.Games, c)
	}
	out.Count = len(out.Games)
	return out, nil
}

func (s *Server) listGames(w http.ResponseWriter, r *http.Request, keep func(*game.Game) bool) {
	out, err := s.selectGames(r, keep)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.cache.hit()
	writeJSON(w, http.StatusOK, out)
}

func isLive(g *game.Game) bool { return g.Status == game.StatusLive }

// handleLive keeps the encoded answer of each query until the games or the
// favourites change: an open dashboard asks for the same live list many
// times a second, and the list changes only when a poll lands.
func (s *Server) handleLive(w http.ResponseWriter, r *http.Request) {
	ver := answerVersion{games: s.d.State.Version()}
	if s.d.Favorites != nil {
		ver.favorites = s.d.Favorites.Version()
	}
	switch s.serveKept(w, r, s.live, ver, func() (any, error) { return s.selectGames(r, isLive) }) {
	case fromKept:
		s.cache.hit()
	case built:
		s.cache.miss()
	}
}

func (s *Server) handleUpcoming(w http.ResponseWriter, r *http.Request) {
	hours := 24
	if v := strings.TrimSpace(r.URL.Query().Get("hours")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 8760 {
			s.fail(w, r, badRequest("hours must be a whole number from 1 to 8760, not %q", clip(v)))
			return
		}
		hours = n
	}
	now := s.d.Now()
	until := now.Add(time.Duration(hours) * time.Hour)
	s.listGames(w, r, func(g *game.Game) bool {
		return g.Status == game.StatusScheduled && !g.Start.IsZero() &&
			!g.Start.Before(now) && !g.Start.After(until)
	})
}

type teamList struct {
	League string      `json:"league"`
	Teams  []game.Team `json:"teams"`
	Count  int         `json:"count"`
}

func (s *Server) handleTeams(w http.ResponseWriter, r *http.Request) {
	lk, err := s.leagueParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := "ALL"
	if lk != "" {
		l, _ := league.Lookup(lk)
		name = l.Name
	}
	ts := s.d.Teams.Teams(lk)
	if ts == nil {
		ts = []game.Team{}
	}
	writeJSON(w, http.StatusOK, teamList{League: name, Teams: ts, Count: len(ts)})
}

// counters count answers served from memory and from the history cache.
type counters struct {
	hits, misses atomic.Int64
}

func (c *counters) hit()  { c.hits.Add(1) }
func (c *counters) miss() { c.misses.Add(1) }

// clip shortens user input quoted back in an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
