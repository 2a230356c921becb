package sqlite

import (
	"context"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/sports-data/sports-data/internal/store"
)

const insertScore = `INSERT INTO scores (league, game_id, time, season, season_type, week,
	home_team, away_team, status, home_conference, away_conference, home_division, away_division,
	home_score, away_score, period, time_remaining, status_detail)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (league, game_id, time) DO UPDATE SET
	season = excluded.season, season_type = excluded.season_type, week = excluded.week,
	home_team = excluded.home_team, away_team = excluded.away_team, status = excluded.status,
	home_conference = excluded.home_conference, away_conference = excluded.away_conference,
	home_division = excluded.home_division, away_division = excluded.away_division,
	home_score = excluded.home_score, away_score = excluded.away_score, period = excluded.period,
	time_remaining = excluded.time_remaining, status_detail = excluded.status_detail`

// The row written last wins, as the contract says; a spool replays in
// order, so this is also the newest observation.
const upsertGame = `INSERT INTO games (league, game_id, start, season, season_type, week,
	home_team, away_team, status, home_conference, away_conference, home_division, away_division,
	home_score, away_score, period, time_remaining, status_detail,
	home_team_id, away_team_id, home_team_name, away_team_name, venue, observed_at,
	broadcasts, schedule_version, schedule_changed_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (league, game_id) DO UPDATE SET
	start = excluded.start, season = excluded.season, season_type = excluded.season_type,
	week = excluded.week, home_team = excluded.home_team, away_team = excluded.away_team,
	status = excluded.status, home_conference = excluded.home_conference,
	away_conference = excluded.away_conference, home_division = excluded.home_division,
	away_division = excluded.away_division, home_score = excluded.home_score,
	away_score = excluded.away_score, period = excluded.period,
	time_remaining = excluded.time_remaining, status_detail = excluded.status_detail,
	home_team_id = excluded.home_team_id, away_team_id = excluded.away_team_id,
	home_team_name = excluded.home_team_name, away_team_name = excluded.away_team_name,
	venue = excluded.venue, observed_at = excluded.observed_at, broadcasts = excluded.broadcasts,
	schedule_version = excluded.schedule_version, schedule_changed_at = excluded.schedule_changed_at`

// A table taken again at the same time replaces its rows.
const upsertStanding = `INSERT OR REPLACE INTO standings (league, time, team_id, season, team, team_name,
	group_name, group_abbr, position, games_played, wins, losses, ties, ot_losses, points,
	points_for, points_against, win_percent, games_behind, streak, clincher, note, summary)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// Write stores a batch in one transaction: all of it or, on error, none.
func (s *Store) Write(ctx context.Context, points []store.Point) error {
	if err := s.checkOpen("write"); err != nil {
		return err
	}
	if err := store.Validate(points); err != nil {
		return err
	}
	if len(points) == 0 {
		return nil
	}
	now := time.Now()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return unavailable("write", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	scores, err := tx.PrepareContext(ctx, insertScore)
	if err != nil {
		return unavailable("write", err)
	}
	defer scores.Close()
	gamesStmt, err := tx.PrepareContext(ctx, upsertGame)
	if err != nil {
		return unavailable("write", err)
	}
	defer gamesStmt.Close()
	standings, err := tx.PrepareContext(ctx, upsertStanding)
	if err != nil {
		return unavailable("write", err)
	}
	defer standings.Close()

	for i := range points {
		p := &points[i]
		switch p.Series {
		case store.SeriesStandings:
			e := p.Standing
			_, err = standings.ExecContext(ctx, p.League, p.Time.UnixNano(), e.TeamID, p.Season, e.Team, e.TeamName,
				e.Group, e.GroupAbbr, e.Position, e.GamesPlayed, e.Wins, e.Losses, e.Ties, e.OTLosses, e.Points,
				e.PointsFor, e.PointsAgainst, e.WinPercent, e.GamesBehind, e.Streak, e.Clincher, e.Note, e.Summary)
		case store.SeriesScores:
			_, err = scores.ExecContext(ctx, p.League, p.GameID, p.Time.UnixNano(), p.Season, p.SeasonType, p.Week,
				p.HomeTeam, p.AwayTeam, p.Status, p.HomeConference, p.AwayConference, p.HomeDivision, p.AwayDivision,
				p.HomeScore, p.AwayScore, p.Period, p.TimeRemaining, p.StatusDetail)
		default:
			observed := p.ObservedAt
			if observed.IsZero() {
				observed = now
			}
			var changed int64
			if !p.ScheduleChangedAt.IsZero() {
				changed = p.ScheduleChangedAt.UnixNano()
			}
			_, err = gamesStmt.ExecContext(ctx, p.League, p.GameID, p.Time.UnixNano(), p.Season, p.SeasonType, p.Week,
				p.HomeTeam, p.AwayTeam, p.Status, p.HomeConference, p.AwayConference, p.HomeDivision, p.AwayDivision,
				p.HomeScore, p.AwayScore, p.Period, p.TimeRemaining, p.StatusDetail,
				p.HomeTeamID, p.AwayTeamID, p.HomeTeamName, p.AwayTeamName, p.Venue, observed.UnixNano(),
				p.Broadcasts, p.ScheduleVersion, changed)
		}
		if err != nil {
			return unavailable("write", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return unavailable("write", err)
	}
	return nil
}
