// Package history answers the history, timeline and schedule questions from
// a store: it validates the parameters, resolves teams through the team
// directory and computes records (see TeamStatistics for the rules).
// Answers are kept, encoded, by the HTTP layer until a write may have
// changed them (Version); concurrent identical questions share one store
// read.
//
// Parameters never reach a store as text: leagues are checked against the
// enabled ones, statuses against the status vocabulary, seasons against a
// range, and a team reaches the store only as the abbreviation the
// directory resolved it to.
package history

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/gamepoint"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/teams"
)

// Reader is the part of a store history reads.
type Reader interface {
	Games(ctx context.Context, q store.GameQuery) ([]store.Point, error)
	Timeline(ctx context.Context, league, gameID string) ([]store.Point, error)
}

// Resolver turns what a user typed into one team of one league. Its errors
// (ambiguous, not found) are passed through unchanged.
type Resolver interface {
	Resolve(input, leagueKey string) (teams.Match, error)
}

// Options configure a Service. Zero values take the defaults.
type Options struct {
	QueryTimeout time.Duration // 5s per store read
	Leagues      []league.League
	Now          func() time.Time
	Logger       *slog.Logger
	// Club lists a team in every followed competition it plays in, itself
	// first (teams.Directory.Club): a club's schedule holds its games in
	// each. Nil: the team alone.
	Club func(m teams.Match) []teams.Match
}

// Service answers history questions. It is safe for concurrent use.
type Service struct {
	r       Reader
	res     Resolver
	o       Options
	leagues []league.League
	log     *slog.Logger
	fl      flight
	// writes counts the writes through WriteThrough: every answer may
	// have changed with each.
	writes atomic.Uint64
}

// New builds a Service over a store reader and a team resolver.
func New(r Reader, res Resolver, o Options) *Service {
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	leagues := o.Leagues
	if len(leagues) == 0 {
		for _, k := range league.Keys() {
			l, _ := league.Lookup(k)
			leagues = append(leagues, l)
		}
	}
	return &Service{r: r, res: res, o: o, leagues: leagues, log: o.Logger}
}

// Errors the HTTP layer maps to status codes.
var (
	// ErrInvalid is matched by every *InvalidError (400).
	ErrInvalid = errors.New("invalid parameter")
	// ErrNotFound: no stored game has that id (404).
	ErrNotFound = errors.New("game not found")
	// ErrTimeout: the store did not answer within the query timeout (504).
	ErrTimeout = errors.New("query took too long")
)

// InvalidError names the parameter that was refused; Message is a sentence
// fit for the response's detail.
type InvalidError struct {
	Param   string
	Message string
}

func (e *InvalidError) Error() string        { return e.Message }
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalid(param, msg string) error { return &InvalidError{Param: param, Message: msg} }

type timeoutError struct{ limit time.Duration }

func (e *timeoutError) Error() string {
	return "query took longer than " + strconv.FormatFloat(e.limit.Seconds(), 'f', -1, 64) + " s"
}
func (e *timeoutError) Is(target error) bool { return target == ErrTimeout }

type notFoundError struct{ id string }

func (e *notFoundError) Error() string        { return "game " + e.id + " not found" }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

// History lists stored games, newest first, one page at a time. With a
// team, the page carries the team's statistics over the same selection
// (all statuses and pages; only final games count).
func (s *Service) History(ctx context.Context, q HistoryQuery) (*HistoryPage, error) {
	n, err := s.normalize(q)
	if err != nil {
		return nil, err
	}
	var list []*HistoricalGame
	var stats *Statistics
	team := strings.TrimSpace(q.Team)
	if team != "" {
		l, t, err := s.resolve(team, q.League)
		if err != nil {
			return nil, err
		}
		d, err := s.games(ctx, l, store.GameQuery{League: l.Key, Team: t.Abbreviation, Season: n.season})
		if err != nil {
			return nil, err
		}
		st := *d.stats
		if n.season == 0 {
			st.Season = nil
		}
		stats = &st
		for i := range d.games {
			if g := &d.games[i]; n.status == "" || g.Status == n.status {
				list = append(list, g)
			}
		}
	} else {
		status := ""
		if n.status != "" {
			status = n.status.StorageWord()
		}
		for _, l := range n.leagues {
			d, err := s.games(ctx, l, store.GameQuery{League: l.Key, Season: n.season, Status: status})
			if err != nil {
				return nil, err
			}
			for i := range d.games {
				list = append(list, &d.games[i])
			}
		}
	}
	// Newest first: the exact reverse of (start, league, game id). Each
	// league's games come in that order already; only several leagues
	// need a sort.
	slices.Reverse(list)
	if len(n.leagues) > 1 && team == "" {
		slices.SortStableFunc(list, func(a, b *HistoricalGame) int {
			if c := b.start.Compare(a.start); c != 0 {
				return c
			}
			if c := strings.Compare(b.leagueKey, a.leagueKey); c != 0 {
				return c
			}
			return strings.Compare(b.GameID, a.GameID)
		})
	}
	return paginate(list, n.page, n.pageSize, stats), nil
}

// paginate copies one page out of list (which points into a shared
// dataset).
func paginate(list []*HistoricalGame, page, size int, stats *Statistics) *HistoryPage {
	total := len(list)
	pages := (total + size - 1) / size
	p := &HistoryPage{Games: []HistoricalGame{}, Total: total, Page: page, PageSize: size, TotalPages: pages, Statistics: stats}
	if page <= pages {
		start := (page - 1) * size
		end := min(start+size, total)
		p.Games = make([]HistoricalGame, 0, end-start)
		for _, g := range list[start:end] {
			p.Games = append(p.Games, *g)
		}
	}
	return p
}

// Schedule lists every stored game of a team's season, played and upcoming,
// in start order, with the team's statistics. The team comes resolved (at
// the HTTP edge). Season 0 is the league's current season.
func (s *Service) Schedule(ctx context.Context, m teams.Match, season int) (*ScheduleResult, error) {
	if season != 0 && (season < MinSeason || season > MaxSeason) {
		return nil, seasonError()
	}
	l, t, err := s.checked(m)
	if err != nil {
		return nil, err
	}
	if season == 0 {
		now := s.o.Now()
		season = l.SeasonFor(now.Year(), int(now.Month()))
	}
	d, err := s.games(ctx, l, store.GameQuery{League: l.Key, Team: t.Abbreviation, Season: season})
	if err != nil {
		return nil, err
	}
	games, err := s.clubGames(ctx, m, season, d.games)
	if err != nil {
		return nil, err
	}
	return &ScheduleResult{
		Team:       t.Abbreviation,
		TeamName:   t.Name,
		League:     l.Name,
		Season:     season,
		Games:      games,
		Statistics: *d.stats,
	}, nil
}

// clubGames adds to a team's games of its league (own) its games in the
// other competitions it is followed in (Options.Club), the same season by
// number, in start order. The statistics stay the league's: a table
// counts league games only.
func (s *Service) clubGames(ctx context.Context, m teams.Match, season int, own []HistoricalGame) ([]HistoricalGame, error) {
	games := slices.Clone(own)
	if s.o.Club == nil {
		return games, nil
	}
	others := s.o.Club(m)
	if len(others) < 2 {
		return games, nil
	}
	for _, o := range others[1:] {
		l, t, err := s.checked(o)
		if err != nil {
			continue // a competition no longer followed
		}
		d, err := s.games(ctx, l, store.GameQuery{League: l.Key, Team: t.Abbreviation, Season: season})
		if err != nil {
			return nil, err
		}
		games = append(games, d.games...)
	}
	slices.SortStableFunc(games, func(a, b HistoricalGame) int { return a.start.Compare(b.start) })
	return games, nil
}

// Timeline returns every stored observation of one game. With leagueKey ""
// the enabled leagues are searched in order.
func (s *Service) Timeline(ctx context.Context, gameID, leagueKey string) (*Timeline, error) {
	gameID = strings.TrimSpace(gameID)
	if !gameIDForm.MatchString(gameID) {
		return nil, invalid("game_id", "game_id must be ESPN's game id (letters, digits, - or _)")
	}
	leagues := s.leagues
	if strings.TrimSpace(leagueKey) != "" {
		l, err := s.enabledLeague(leagueKey, "league")
		if err != nil {
			return nil, err
		}
		leagues = []league.League{l}
	}
	for _, l := range leagues {
		tl, err := s.timeline(ctx, l, gameID)
		if err != nil {
			return nil, err
		}
		if tl != nil {
			cp := *tl
			cp.Timeline = append([]TimelineEntry(nil), tl.Timeline...)
			return &cp, nil
		}
	}
	return nil, &notFoundError{id: gameID}
}

// Version changes whenever a write may have changed an answer (every
// write through WriteThrough), so that a caller keeping encoded answers
// knows when to drop them.
func (s *Service) Version() uint64 { return s.writes.Load() }

// resolve asks the directory for the team of a history query's team= (a
// filter checked in the query's order, after its league and status) and
// checks that the answer is one the stores may be given.
func (s *Service) resolve(team, leagueName string) (league.League, game.Team, error) {
	if err := validTeamInput(team); err != nil {
		return league.League{}, game.Team{}, err
	}
	leagueKey := ""
	if strings.TrimSpace(leagueName) != "" {
		l, err := s.enabledLeague(leagueName, "league")
		if err != nil {
			return league.League{}, game.Team{}, err
		}
		leagueKey = l.Key
	}
	m, err := s.res.Resolve(team, leagueKey)
	if err != nil {
		return league.League{}, game.Team{}, err
	}
	return s.checked(m)
}

// checked makes sure a resolved team is one the stores may be given: a
// followed league and an abbreviation of the registry's form.
func (s *Service) checked(m teams.Match) (league.League, game.Team, error) {
	l, err := s.enabledLeague(m.League.Key, "team")
	if err != nil {
		return league.League{}, game.Team{}, err
	}
	t := m.Team
	t.Abbreviation = strings.ToUpper(t.Abbreviation)
	if !abbreviation.MatchString(t.Abbreviation) {
		return league.League{}, game.Team{}, fmt.Errorf("history: team directory gave an unusable abbreviation %q", t.Abbreviation)
	}
	return l, t, nil
}

// dataset is what one store read answers: the games in start order and,
// for a team, its statistics over them. Concurrent callers share it.
type dataset struct {
	games []HistoricalGame
	stats *Statistics
}

// games reads the latest rows of the games q selects.
func (s *Service) games(ctx context.Context, l league.League, q store.GameQuery) (*dataset, error) {
	key := fmt.Sprintf("g|%s|%s|%d|%s", q.League, q.Team, q.Season, q.Status)
	v, err := s.read(ctx, key, func(qctx context.Context) (any, error) {
		points, err := s.r.Games(qctx, q)
		if err != nil {
			return nil, err
		}
		d := &dataset{games: make([]HistoricalGame, 0, len(points))}
		seen := make(map[string]int, len(points))
		for _, p := range points {
			if q.Team != "" && l.Field() && p.HomeTeam != q.Team {
				// A leader is every other entrant's opponent; its own
				// entries are its results.
				continue
			}
			g := fromPoint(l, p)
			// One row per game: when a store hands back two (a
			// rescheduled game), the later in its order wins.
			if i, ok := seen[p.GameID]; ok {
				d.games[i] = g
				continue
			}
			seen[p.GameID] = len(d.games)
			d.games = append(d.games, g)
		}
		slices.SortStableFunc(d.games, func(a, b HistoricalGame) int {
			if c := a.start.Compare(b.start); c != 0 {
				return c
			}
			return strings.Compare(a.GameID, b.GameID)
		})
		if q.Team != "" {
			season := q.Season
			st := TeamStatistics(l, q.Team, &season, d.games)
			d.stats = &st
		}
		return d, nil
	})
	if err != nil {
		return nil, s.readError(err, "games", l.Key)
	}
	return v.(*dataset), nil
}

func (s *Service) timeline(ctx context.Context, l league.League, gameID string) (*Timeline, error) {
	key := "t|" + l.Key + "|" + gameID
	v, err := s.read(ctx, key, func(qctx context.Context) (any, error) {
		points, err := s.r.Timeline(qctx, l.Key, gameID)
		if err != nil {
			return nil, err
		}
		if len(points) == 0 {
			return (*Timeline)(nil), nil
		}
		return buildTimeline(l, gameID, points), nil
	})
	if err != nil {
		return nil, s.readError(err, "timeline", l.Key)
	}
	return v.(*Timeline), nil
}

func buildTimeline(l league.League, gameID string, points []store.Point) *Timeline {
	slices.SortStableFunc(points, func(a, b store.Point) int { return a.Time.Compare(b.Time) })
	last := points[len(points)-1]
	tl := &Timeline{
		GameID:   gameID,
		League:   l.Name,
		HomeTeam: last.HomeTeam,
		AwayTeam: last.AwayTeam,
		Timeline: make([]TimelineEntry, 0, len(points)),
	}
	var firstLive, firstFinal time.Time
	for _, p := range points {
		st, _ := gamepoint.Status(p.Status)
		tl.Timeline = append(tl.Timeline, TimelineEntry{
			Time:          p.Time.UTC(),
			HomeScore:     p.HomeScore,
			AwayScore:     p.AwayScore,
			Period:        p.Period,
			TimeRemaining: p.TimeRemaining,
			Status:        st,
		})
		switch st {
		case game.StatusLive:
			if firstLive.IsZero() {
				firstLive = p.Time
			}
		case game.StatusFinal:
			if firstFinal.IsZero() {
				firstFinal = p.Time
			}
		}
	}
	// The score of the last final observation: a correction after the
	// final whistle is the one that stands.
	for i := len(points) - 1; i >= 0; i-- {
		if st, _ := gamepoint.Status(points[i].Status); st == game.StatusFinal {
			tl.FinalScore = &game.Score{Home: points[i].HomeScore, Away: points[i].AwayScore}
			break
		}
	}
	if !firstLive.IsZero() && firstFinal.After(firstLive) {
		m := int(firstFinal.Sub(firstLive).Round(time.Minute) / time.Minute)
		tl.DurationMinutes = &m
	}
	return tl
}

// read runs one store read for key, shared by concurrent callers and
// bounded by the query timeout.
func (s *Service) read(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	detached := context.WithoutCancel(ctx)
	return s.fl.do(ctx, key, func() (any, error) {
		qctx, cancel := context.WithTimeout(detached, s.o.QueryTimeout)
		defer cancel()
		v, err := fn(qctx)
		if err != nil && errors.Is(qctx.Err(), context.DeadlineExceeded) {
			return nil, &timeoutError{limit: s.o.QueryTimeout}
		}
		return v, err
	})
}

func (s *Service) readError(err error, what, leagueKey string) error {
	switch {
	case errors.Is(err, ErrTimeout):
		s.log.Warn("history query timed out", "read", what, "league", leagueKey, "limit", s.o.QueryTimeout)
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	s.log.Error("history query failed", "read", what, "league", leagueKey, "err", err)
	return fmt.Errorf("history: reading %s %s: %w", leagueKey, what, err)
}
