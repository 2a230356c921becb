// Package backfill loads whole seasons from ESPN's team schedules into the
// store: `sports-data backfill --league nfl --season 2024 [--team KC]`.
//
// Every game of the season gets its games row; every final game also gets
// one score point, stamped at a deterministic time (start + FinalPointOffset)
// so that running a backfill twice stores every point once. A game whose
// timeline already holds a final observation (the service watched it) gets
// no second one when the sink can tell (it has a Timeline method), and a
// game watched only part of the way gets its final after the last
// observation.
//
// A full-league backfill is resumable: after each team it records the teams
// done in a state file in Options.StateDir; a rerun after an interruption
// carries on from there, and the file is removed when the season is done.
package backfill

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/gamepoint"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/teams"
)

// FinalPointOffset is how long after its scheduled start a backfilled
// game's final score point is stamped. ESPN's schedule has no end time. It
// is a fixed stamp, not the league's game length (league.GameLength): the
// point's time is its identity in the store, so it stays the same on every
// run, also of a later version, and a season loaded twice is stored once.
const FinalPointOffset = 3*time.Hour + 30*time.Minute

// ScheduleFetcher loads one team's schedule of one season.
type ScheduleFetcher interface {
	TeamSchedule(ctx context.Context, l league.League, espnTeamID string, season int) ([]game.Game, error)
}

// Resolver turns the --team argument into one team.
type Resolver interface {
	Resolve(input, leagueKey string) (teams.Match, error)
}

// Sink stores points synchronously, so the command knows when it is done.
type Sink interface {
	Write(ctx context.Context, points []store.Point) error
}

// timelineReader is what a sink may also offer to let backfill leave alone
// games the service recorded live.
type timelineReader interface {
	Timeline(ctx context.Context, league, gameID string) ([]store.Point, error)
}

// Options describe one backfill.
type Options struct {
	League        league.League
	Season        int
	Team          string // optional: one team (anything the resolver accepts)
	RetentionDays int    // 0 = no limit
	Now           func() time.Time
	Progress      io.Writer // nil = no progress output
	IsTerminal    bool      // redraw one progress line instead of printing lines
	// StateDir keeps the resume state of full-league runs (a one-team run
	// is one request, so there is nothing to resume); "" = no resume.
	StateDir string
}

// Result counts what this run did: teams whose schedules were loaded, games
// whose rows were written and points written in all.
type Result struct {
	Teams  int `json:"teams"`
	Games  int `json:"games"`
	Points int `json:"points"`
}

// RetentionError refuses a season the store would not keep.
type RetentionError struct {
	Season int
	Days   int
}

func (e *RetentionError) Error() string {
	return fmt.Sprintf("season %d is older than the retention of %d days (INFLUXDB_RETENTION_DAYS)", e.Season, e.Days)
}

// ErrInvalid is matched by errors about the options themselves.
var ErrInvalid = errors.New("invalid backfill options")

// Run loads the season and writes it to sink. On an error the teams done so
// far stay recorded, and the error says that a rerun continues.
func Run(ctx context.Context, f ScheduleFetcher, teamsOf func(string) []game.Team, res Resolver, sink Sink, o Options) (Result, error) {
	var res0 Result
	// Fill in the defaults and refuse what cannot be loaded.
	cutoff, err := checkOptions(&o)
	if err != nil {
		return res0, err
	}
	l := o.League

	// Choose the teams to load, with the resume state of a full-league run.
	directory := teamsOf(l.Key)
	pending, st, err := pendingTeams(res, directory, o)
	if err != nil {
		return res0, err
	}

	b := &run{
		o: o, l: l, sink: sink, cutoff: cutoff,
		byAbbr:  make(map[string]game.Team, len(directory)),
		written: map[string]bool{},
		bar:     progress{w: o.Progress, terminal: o.IsTerminal, label: fmt.Sprintf("%s %d", l.Key, o.Season), total: len(pending)},
	}
	b.reader, _ = sink.(timelineReader)
	for _, t := range directory {
		b.byAbbr[strings.ToUpper(t.Abbreviation)] = t
	}

	// Load every team not done yet.
	if err := b.teams(ctx, f, pending, st); err != nil {
		return b.result, err
	}
	if b.skippedOld > 0 {
		fmt.Fprintf(o.Progress, "%s %d: skipped %d games older than the retention of %d days (INFLUXDB_RETENTION_DAYS)\n", l.Key, o.Season, b.skippedOld, o.RetentionDays)
	}
	if st != nil {
		if err := st.remove(); err != nil {
			return b.result, err
		}
	}
	return b.result, nil
}

// checkOptions fills in o's defaults and refuses options that cannot be
// run. The cutoff it returns is the earliest start the store keeps (zero:
// no limit).
func checkOptions(o *Options) (time.Time, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	l := o.League
	if l.Key == "" {
		return time.Time{}, fmt.Errorf("%w: no league given", ErrInvalid)
	}
	if o.Season < 1900 || o.Season > 2100 {
		return time.Time{}, fmt.Errorf("%w: season %d is not a year from 1900 to 2100", ErrInvalid, o.Season)
	}
	var cutoff time.Time
	if o.RetentionDays > 0 {
		cutoff = o.Now().Add(-time.Duration(o.RetentionDays) * 24 * time.Hour)
		if seasonEnd(l, o.Season).Before(cutoff) {
			return time.Time{}, &RetentionError{Season: o.Season, Days: o.RetentionDays}
		}
	}
	return cutoff, nil
}

// pendingTeams is the one team of --team, or every team of the league's
// directory with the resume state of earlier runs (nil for one team).
func pendingTeams(res Resolver, directory []game.Team, o Options) ([]game.Team, *state, error) {
	l := o.League
	pending := directory
	var st *state
	if strings.TrimSpace(o.Team) != "" {
		m, err := res.Resolve(o.Team, l.Key)
		if err != nil {
			return nil, nil, err
		}
		if m.League.Key != l.Key {
			return nil, nil, fmt.Errorf("%w: team %s plays in %s, not %s", ErrInvalid, m.Team.Abbreviation, m.League.Key, l.Key)
		}
		pending = []game.Team{m.Team}
	} else {
		if len(pending) == 0 {
			return nil, nil, fmt.Errorf("backfill %s %d: no teams known for the league", l.Key, o.Season)
		}
		var err error
		if st, err = loadState(o.StateDir, l.Key, o.Season); err != nil {
			return nil, nil, err
		}
	}
	return pending, st, nil
}

// teams loads each pending team not done yet, drawing the progress and,
// with a resume state st, recording each team done.
func (b *run) teams(ctx context.Context, f ScheduleFetcher, pending []game.Team, st *state) error {
	o, l := b.o, b.l
	done := 0
	if st != nil {
		done = st.countDone(pending)
		if done > 0 {
			fmt.Fprintf(o.Progress, "resuming %s %d: %d of %d teams were done before\n", l.Key, o.Season, done, len(pending))
		}
	}
	b.bar.draw(done, 0)
	for _, t := range pending {
		abbr := strings.ToUpper(t.Abbreviation)
		if st != nil && st.Done[abbr] {
			continue
		}
		if err := b.team(ctx, f, t); err != nil {
			b.bar.finish()
			msg := ""
			if st != nil {
				msg = "; rerun the same command to continue"
			}
			return fmt.Errorf("backfill %s %d stopped at %s after %d of %d teams: %w%s", l.Key, o.Season, abbr, done, len(pending), err, msg)
		}
		done++
		b.result.Teams++
		if st != nil {
			st.Done[abbr] = true
			if err := st.save(); err != nil {
				b.bar.finish()
				return err
			}
		}
		b.bar.draw(done, b.result.Games)
	}
	b.bar.finish()
	return nil
}

type run struct {
	o          Options
	l          league.League
	sink       Sink
	reader     timelineReader
	cutoff     time.Time
	byAbbr     map[string]game.Team
	written    map[string]bool
	skippedOld int
	result     Result
	bar        progress
}

// team loads one team's schedule and writes the games not written yet.
func (b *run) team(ctx context.Context, f ScheduleFetcher, t game.Team) error {
	if t.ESPNID == "" {
		return fmt.Errorf("team %s has no ESPN id", t.Abbreviation)
	}
	games, err := f.TeamSchedule(ctx, b.l, t.ESPNID, b.o.Season)
	if err != nil {
		return err
	}
	now := b.o.Now().UTC()
	var points []store.Point
	var ids []string
	for i := range games {
		g := &games[i]
		if g.ID == "" || b.written[g.ID] || g.Start.IsZero() || g.Status == game.StatusLive {
			continue
		}
		if g.Season != 0 && g.Season != b.o.Season {
			continue
		}
		if !b.cutoff.IsZero() && g.Start.Before(b.cutoff) {
			b.skippedOld++
			b.written[g.ID] = true
			continue
		}
		points = append(points, b.gameRow(g, now))
		if g.Status == game.StatusFinal {
			has, last, err := b.stored(ctx, g.ID)
			if err != nil {
				return err
			}
			if !has {
				p := b.finalPoint(g)
				// A game watched until the service stopped ends after
				// what was seen of it.
				if !last.Before(p.Time) {
					p.Time = last.Add(time.Minute)
				}
				points = append(points, p)
			}
		}
		ids = append(ids, g.ID)
	}
	if len(points) > 0 {
		if err := b.sink.Write(ctx, points); err != nil {
			return fmt.Errorf("writing %d points: %w", len(points), err)
		}
	}
	for _, id := range ids {
		b.written[id] = true
	}
	b.result.Games += len(ids)
	b.result.Points += len(points)
	return nil
}

// stored reports whether the store already has a final observation of the
// game (recorded live, or by an earlier backfill) and when its latest
// observation is. Without a timeline to read it knows nothing.
func (b *run) stored(ctx context.Context, id string) (final bool, last time.Time, err error) {
	if b.reader == nil {
		return false, time.Time{}, nil
	}
	pts, err := b.reader.Timeline(ctx, b.l.Key, id)
	if err != nil {
		return false, time.Time{}, fmt.Errorf("reading the timeline of game %s: %w", id, err)
	}
	for _, p := range pts {
		if p.Status == game.StatusFinal.StorageWord() {
			final = true
		}
		if p.Time.After(last) {
			last = p.Time
		}
	}
	return final, last, nil
}

// storedGame is g as backfill stores it: of the season asked for, with what
// the team directory knows of its teams (a schedule answer has no
// conference or division).
func (b *run) storedGame(g *game.Game) *game.Game {
	c := *g
	c.Season = b.o.Season
	c.HomeTeam, c.AwayTeam = b.withDirectory(g.HomeTeam), b.withDirectory(g.AwayTeam)
	return &c
}

func (b *run) gameRow(g *game.Game, observed time.Time) store.Point {
	return gamepoint.Row(b.l.Key, b.storedGame(g), observed)
}

// finalPoint is the one score point of a final game, stamped at a time
// every run computes alike.
func (b *run) finalPoint(g *game.Game) store.Point {
	c := b.storedGame(g)
	c.Status = game.StatusFinal
	return gamepoint.Score(b.l.Key, c, g.Start.UTC().Add(FinalPointOffset))
}

// withDirectory fills in what the team directory knows about a game's team
// (a schedule answer has no conference or division).
func (b *run) withDirectory(t game.Team) game.Team {
	if d, ok := b.byAbbr[strings.ToUpper(t.Abbreviation)]; ok {
		if t.Conference == "" {
			t.Conference = d.Conference
		}
		if t.Division == "" {
			t.Division = d.Division
		}
	}
	return t
}

// seasonEnd is when a season is over at the latest: a year after the first
// day of the month the league's seasons begin in.
func seasonEnd(l league.League, season int) time.Time {
	month := l.SeasonStartMonth
	if month < 1 || month > 12 {
		month = 1
	}
	year := season
	if l.SeasonFor(season, month) != season {
		year = season - 1 // seasons named after the year they end in (NHL, NBA)
	}
	return time.Date(year+1, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
}
