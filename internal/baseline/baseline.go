// Package baseline loads what the store already knows before the first
// poll is compared with it, so that a restart writes nothing and sends no
// event for games that did not change while the service was down.
package baseline

import (
	"context"
	"log/slog"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/gamepoint"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

// Store is what the baseline reads of the store.
type Store interface {
	Unfinished(ctx context.Context, league string, since time.Time) ([]store.Point, error)
	Games(ctx context.Context, q store.GameQuery) ([]store.Point, error)
}

// Recorder takes the latest stored points of a league.
type Recorder interface {
	Seed(leagueKey string, latest []store.Point)
}

// Detector takes the games the first poll of a league is compared with.
type Detector interface {
	Seed(leagueKey string, previous []game.Game)
}

// Sources are where the baseline comes from.
type Sources struct {
	Store Store
	// Pending lists the points written but not yet stored (the writer's
	// queue and spool); they are newer than anything the store has.
	Pending func() ([]store.Point, error)
}

// Timeout bounds each league's store queries: a store that does not answer
// is skipped, since polling must start.
const Timeout = 5 * time.Second

// Load primes the recorder and the detector, league by league, with the
// latest stored state of every unfinished game of the last two weeks and
// the rows of this season's games (a season back and ahead: the schedule
// refresher hands over whole seasons, and a game the recorder does not
// know counts as a change).
func Load(ctx context.Context, src Sources, leagues []league.League, rec Recorder, det Detector, logger *slog.Logger, now time.Time) {
	// Points still in the spool are newer than anything the store has: a
	// restart during a store outage must not store their state again.
	var pending []store.Point
	if src.Pending != nil {
		var err error
		pending, err = src.Pending()
		if err != nil {
			logger.Warn("spool not fully readable for the baseline", "err", err)
		}
	}
	for _, l := range leagues {
		var mine []store.Point
		for _, p := range pending {
			if p.League == l.Key {
				mine = append(mine, p)
			}
		}
		bctx, cancel := context.WithTimeout(ctx, Timeout)
		unfinished, err := src.Store.Unfinished(bctx, l.Key, now.Add(-14*24*time.Hour))
		var rows []store.Point
		if err == nil {
			rows, err = src.Store.Games(bctx, store.GameQuery{League: l.Key, From: now.AddDate(-1, -1, 0), To: now.AddDate(1, 0, 0)})
		}
		cancel()
		if err != nil {
			logger.Warn("no stored baseline; a restart may store a game's current state once more", "league", l.Key, "err", err)
		}
		if rec != nil {
			rec.Seed(l.Key, append(append(rows, unfinished...), mine...))
		}
		if det != nil {
			det.Seed(l.Key, Games(l.Key, newestScores(unfinished, mine)))
		}
	}
}

// newestScores is, per game, the newest of the stored unfinished score
// points and the pending ones. A pending point was observed, and its event
// detected and queued, before the restart: the detector compares the first
// poll with it, as the recorder does, or a later change would be sent as a
// change from the stored state (the store can lag far behind when a
// restart comes while the spool of an outage is still being replayed).
func newestScores(stored, pending []store.Point) []store.Point {
	at := map[string]int{}
	var out []store.Point
	for _, p := range append(append([]store.Point{}, stored...), pending...) {
		if p.Series != store.SeriesScores {
			continue
		}
		if i, ok := at[p.GameID]; ok {
			if !p.Time.Before(out[i].Time) {
				out[i] = p
			}
			continue
		}
		at[p.GameID] = len(out)
		out = append(out, p)
	}
	return out
}

// Games turns stored points into the games the webhook detector compares
// the first poll with (package gamepoint reads them). Points whose status
// is not one the service knows are left out.
func Games(leagueKey string, pts []store.Point) []game.Game {
	out := make([]game.Game, 0, len(pts))
	for _, p := range pts {
		if g, ok := gamepoint.Game(leagueKey, p); ok {
			out = append(out, g)
		}
	}
	return out
}
