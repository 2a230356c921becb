package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/sports-data/sports-data/internal/store"
)

const scoreColumns = `league, game_id, time, season, season_type, week, home_team, away_team, status,
	home_conference, away_conference, home_division, away_division,
	home_score, away_score, period, time_remaining, status_detail`

const gameColumns = `league, game_id, start, season, season_type, week, home_team, away_team, status,
	home_conference, away_conference, home_division, away_division,
	home_score, away_score, period, time_remaining, status_detail,
	home_team_id, away_team_id, home_team_name, away_team_name, venue, observed_at,
	broadcasts, schedule_version, schedule_changed_at`

const standingColumns = `league, time, team_id, season, team, team_name, group_name, group_abbr,
	position, games_played, wins, losses, ties, ot_losses, points, points_for, points_against,
	win_percent, games_behind, streak, clincher, note, summary`

// Games returns the row of each game matching q (the store keeps only the
// latest), ordered by start time then game id.
func (s *Store) Games(ctx context.Context, q store.GameQuery) ([]store.Point, error) {
	if err := s.checkOpen("games"); err != nil {
		return nil, err
	}
	if !store.ValidLeague(q.League) {
		return nil, &InvalidQueryError{Reason: fmt.Sprintf("games: league %q is not a registry key", q.League)}
	}
	query, args := gamesQuery(q)
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, unavailable("games", err)
	}
	return collect(rows, "games", scanGame)
}

// gamesQuery builds the SELECT for q from fixed fragments; every value is a
// bound parameter. A team's games are its home games plus its away games,
// each read from its own index: written as one OR, the planner without
// statistics prefers scanning the whole season.
func gamesQuery(q store.GameQuery) (string, []any) {
	var where strings.Builder
	var args []any
	if q.Season != 0 {
		where.WriteString(" AND season = ?")
		args = append(args, q.Season)
	}
	if q.Status != "" {
		where.WriteString(" AND status = ?")
		args = append(args, q.Status)
	}
	if !q.From.IsZero() {
		where.WriteString(" AND start >= ?")
		args = append(args, nanos(q.From))
	}
	if !q.To.IsZero() {
		where.WriteString(" AND start < ?")
		args = append(args, nanos(q.To))
	}
	const order = " ORDER BY start, game_id"
	if q.Team == "" {
		return "SELECT " + gameColumns + " FROM games WHERE league = ?" + where.String() + order,
			append([]any{q.League}, args...)
	}
	home := "SELECT " + gameColumns + " FROM games WHERE league = ? AND home_team = ?" + where.String()
	away := "SELECT " + gameColumns + " FROM games WHERE league = ? AND away_team = ? AND home_team <> ?" + where.String()
	all := append([]any{q.League, q.Team}, args...)
	all = append(all, q.League, q.Team, q.Team)
	all = append(all, args...)
	return home + " UNION ALL " + away + order, all
}

// Timeline returns every score point of one game in time order.
func (s *Store) Timeline(ctx context.Context, league, gameID string) ([]store.Point, error) {
	if err := s.checkOpen("timeline"); err != nil {
		return nil, err
	}
	if !store.ValidLeague(league) {
		return nil, &InvalidQueryError{Reason: fmt.Sprintf("timeline: league %q is not a registry key", league)}
	}
	rows, err := s.query(ctx,
		"SELECT "+scoreColumns+" FROM scores WHERE league = ? AND game_id = ? ORDER BY time", league, gameID)
	if err != nil {
		return nil, unavailable("timeline", err)
	}
	return collect(rows, "timeline", scanScore)
}

// Unfinished returns the latest score point at or after since of every game
// of league whose latest point is scheduled or live, ordered by time then
// game id.
func (s *Store) Unfinished(ctx context.Context, league string, since time.Time) ([]store.Point, error) {
	if err := s.checkOpen("unfinished"); err != nil {
		return nil, err
	}
	if !store.ValidLeague(league) {
		return nil, &InvalidQueryError{Reason: fmt.Sprintf("unfinished: league %q is not a registry key", league)}
	}
	var from int64 = math.MinInt64
	if !since.IsZero() {
		from = nanos(since)
	}
	// The inner query keeps, per game, the row holding MAX(time) (SQLite
	// fills bare columns from that row); the outer one keeps the unfinished.
	rows, err := s.query(ctx, `SELECT `+scoreColumns+` FROM (
		SELECT `+scoreColumns+`, MAX(time) FROM scores
		WHERE league = ? AND time >= ? GROUP BY game_id
	) WHERE status IN ('scheduled', 'live') ORDER BY time, game_id`, league, from)
	if err != nil {
		return nil, unavailable("unfinished", err)
	}
	return collect(rows, "unfinished", scanScore)
}

// query runs a read through a statement prepared once: the query texts are
// a small fixed set, and parsing them again on every request costs more
// than reading a team's season.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s.stmtMu.Lock()
	st, ok := s.stmts[query]
	if !ok {
		var err error
		st, err = s.read.PrepareContext(ctx, query)
		if err != nil {
			s.stmtMu.Unlock()
			return nil, err
		}
		s.stmts[query] = st
	}
	s.stmtMu.Unlock()
	return st.QueryContext(ctx, args...)
}

type scanner interface{ Scan(dest ...any) error }

func scanScore(r scanner) (store.Point, error) {
	p := store.Point{Series: store.SeriesScores}
	var t int64
	err := r.Scan(&p.League, &p.GameID, &t, &p.Season, &p.SeasonType, &p.Week, &p.HomeTeam, &p.AwayTeam, &p.Status,
		&p.HomeConference, &p.AwayConference, &p.HomeDivision, &p.AwayDivision,
		&p.HomeScore, &p.AwayScore, &p.Period, &p.TimeRemaining, &p.StatusDetail)
	p.Time = time.Unix(0, t).UTC()
	return p, err
}

func scanGame(r scanner) (store.Point, error) {
	p := store.Point{Series: store.SeriesGames}
	var t, observed, changed int64
	err := r.Scan(&p.League, &p.GameID, &t, &p.Season, &p.SeasonType, &p.Week, &p.HomeTeam, &p.AwayTeam, &p.Status,
		&p.HomeConference, &p.AwayConference, &p.HomeDivision, &p.AwayDivision,
		&p.HomeScore, &p.AwayScore, &p.Period, &p.TimeRemaining, &p.StatusDetail,
		&p.HomeTeamID, &p.AwayTeamID, &p.HomeTeamName, &p.AwayTeamName, &p.Venue, &observed,
		&p.Broadcasts, &p.ScheduleVersion, &changed)
	p.Time = time.Unix(0, t).UTC()
	p.ObservedAt = time.Unix(0, observed).UTC()
	if changed != 0 {
		p.ScheduleChangedAt = time.Unix(0, changed).UTC()
	}
	return p, err
}

func scanStanding(r scanner) (store.Point, error) {
	e := &store.Standing{}
	p := store.Point{Series: store.SeriesStandings, Standing: e}
	var t int64
	err := r.Scan(&p.League, &t, &e.TeamID, &p.Season, &e.Team, &e.TeamName, &e.Group, &e.GroupAbbr,
		&e.Position, &e.GamesPlayed, &e.Wins, &e.Losses, &e.Ties, &e.OTLosses, &e.Points, &e.PointsFor, &e.PointsAgainst,
		&e.WinPercent, &e.GamesBehind, &e.Streak, &e.Clincher, &e.Note, &e.Summary)
	p.Time = time.Unix(0, t).UTC()
	return p, err
}

// Standings returns the rows of the newest table of league taken in
// [from, to), by group and position.
func (s *Store) Standings(ctx context.Context, league string, from, to time.Time) ([]store.Point, error) {
	if err := s.checkOpen("standings"); err != nil {
		return nil, err
	}
	if !store.ValidLeague(league) {
		return nil, &InvalidQueryError{Reason: fmt.Sprintf("standings: league %q is not a registry key", league)}
	}
	var lo, hi int64 = math.MinInt64, math.MaxInt64
	if !from.IsZero() {
		lo = nanos(from)
	}
	if !to.IsZero() {
		hi = nanos(to)
	}
	rows, err := s.query(ctx, `SELECT `+standingColumns+` FROM standings WHERE league = ? AND time = (
		SELECT MAX(time) FROM standings WHERE league = ? AND time >= ? AND time < ?
	) ORDER BY group_name, position, team_id`, league, league, lo, hi)
	if err != nil {
		return nil, unavailable("standings", err)
	}
	return collect(rows, "standings", scanStanding)
}

func collect(rows *sql.Rows, op string, scan func(scanner) (store.Point, error)) ([]store.Point, error) {
	defer rows.Close()
	out := []store.Point{}
	for rows.Next() {
		p, err := scan(rows)
		if err != nil {
			return nil, unavailable(op, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable(op, err)
	}
	return out, nil
}
