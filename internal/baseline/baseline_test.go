package baseline_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/baseline"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/sqlite"
)

type seeds struct {
	mu     sync.Mutex
	points map[string][]store.Point
	games  map[string][]game.Game
}

func (s *seeds) Seed(leagueKey string, latest []store.Point) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.points[leagueKey] = latest
}

type detector struct{ s *seeds }

func (d detector) Seed(leagueKey string, previous []game.Game) {
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	d.s.games[leagueKey] = previous
}

func leagues(t *testing.T, keys ...string) []league.League {
	t.Helper()
	var out []league.League
	for _, k := range keys {
		l, ok := league.Lookup(k)
		require.True(t, ok)
		out = append(out, l)
	}
	return out
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestLoadSeedsStoredRowsUnfinishedGamesAndPendingPoints(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sd.db"), sqlite.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	now := time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)
	kick := now.Add(-time.Hour)
	row := store.Point{Series: store.SeriesGames, League: "nfl", Time: kick, GameID: "401", Season: 2026, SeasonType: 2, Week: 13,
		HomeTeam: "NE", AwayTeam: "BUF", Status: "live", HomeTeamName: "New England Patriots", AwayTeamName: "Buffalo Bills", ObservedAt: kick}
	live := store.Point{Series: store.SeriesScores, League: "nfl", Time: now.Add(-time.Minute), GameID: "401", Season: 2026, SeasonType: 2, Week: 13,
		HomeTeam: "NE", AwayTeam: "BUF", Status: "live", HomeScore: 7, AwayScore: 3, Period: 2, TimeRemaining: "4:12"}
	// A game finished long ago is neither unfinished nor this season.
	old := store.Point{Series: store.SeriesScores, League: "nfl", Time: now.AddDate(-2, 0, 0), GameID: "300", Season: 2024,
		HomeTeam: "KC", AwayTeam: "DEN", Status: "live"}
	require.NoError(t, db.Write(context.Background(), []store.Point{row, live, old}))
	pending := store.Point{Series: store.SeriesScores, League: "nfl", Time: now, GameID: "401", HomeTeam: "NE", AwayTeam: "BUF",
		Status: "live", HomeScore: 14, AwayScore: 3}
	nhlPending := pending
	nhlPending.League, nhlPending.GameID = "nhl", "501"

	s := &seeds{points: map[string][]store.Point{}, games: map[string][]game.Game{}}
	baseline.Load(context.Background(), baseline.Sources{Store: db, Pending: func() ([]store.Point, error) {
		return []store.Point{pending, nhlPending}, errors.New("one spool file torn")
	}}, leagues(t, "nfl", "nhl"), s, detector{s}, quiet, now)

	ids := func(pts []store.Point) (out []string) {
		for _, p := range pts {
			out = append(out, p.Series+"/"+p.GameID)
		}
		return out
	}
	assert.Equal(t, []string{"games/401", "scores/401", "scores/401"}, ids(s.points["nfl"]), "rows, unfinished, then the league's pending points")
	assert.Equal(t, 14, s.points["nfl"][2].HomeScore, "the pending point comes last: it is the newest")
	assert.Equal(t, []string{"scores/501"}, ids(s.points["nhl"]))
	require.Len(t, s.games["nfl"], 1, "the detector gets the unfinished games")
	g := s.games["nfl"][0]
	assert.Equal(t, "401", g.ID)
	assert.Equal(t, game.StatusLive, g.Status)
	assert.Equal(t, game.Score{Home: 14, Away: 3}, g.Score,
		"in their newest state: the pending point's, whose event went out before the restart")
	assert.Equal(t, "NFL", g.League)
	assert.Equal(t, game.TeamID("nfl", "NE"), g.HomeTeam.ID)
	require.Len(t, s.games["nhl"], 1)
	assert.Equal(t, "501", s.games["nhl"][0].ID)
}

// The detector starts from the stored state where nothing newer is pending.
func TestLoadSeedsTheDetectorWithTheStoredStateWithoutPendingPoints(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sd.db"), sqlite.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	now := time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)
	live := store.Point{Series: store.SeriesScores, League: "nfl", Time: now.Add(-time.Minute), GameID: "401", Season: 2026, SeasonType: 2, Week: 13,
		HomeTeam: "NE", AwayTeam: "BUF", Status: "live", HomeScore: 7, AwayScore: 3, Period: 2, TimeRemaining: "4:12"}
	require.NoError(t, db.Write(context.Background(), []store.Point{live}))
	s := &seeds{points: map[string][]store.Point{}, games: map[string][]game.Game{}}
	baseline.Load(context.Background(), baseline.Sources{Store: db}, leagues(t, "nfl"), s, detector{s}, quiet, now)
	require.Len(t, s.games["nfl"], 1)
	g := s.games["nfl"][0]
	assert.Equal(t, game.Score{Home: 7, Away: 3}, g.Score)
	assert.Equal(t, game.Period{Current: 2, Total: 4, TimeRemaining: "4:12"}, g.Period)
}

// hangingStore never answers until its context ends.
type hangingStore struct{}

func (hangingStore) Unfinished(ctx context.Context, _ string, _ time.Time) ([]store.Point, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (hangingStore) Games(ctx context.Context, _ store.GameQuery) ([]store.Point, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// A store that does not answer still lets the recorder start from the
// pending points, and the cancelled start-up does not wait for the timeout.
func TestLoadWithAStoreThatDoesNotAnswer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := store.Point{Series: store.SeriesScores, League: "nhl", GameID: "9", Status: "live"}
	s := &seeds{points: map[string][]store.Point{}, games: map[string][]game.Game{}}
	baseline.Load(ctx, baseline.Sources{Store: hangingStore{}, Pending: func() ([]store.Point, error) { return []store.Point{p}, nil }},
		leagues(t, "nhl"), s, detector{s}, quiet, time.Now())
	assert.Equal(t, []store.Point{p}, s.points["nhl"])
	require.Len(t, s.games["nhl"], 1, "the detector starts from the pending point too")
	assert.Equal(t, "9", s.games["nhl"][0].ID)
}

func TestGamesSkipsUnknownStatuses(t *testing.T) {
	got := baseline.Games("nhl", []store.Point{
		{GameID: "1", Status: "finished", HomeTeam: "BOS", AwayTeam: "TOR", HomeScore: 3, AwayScore: 2, Period: 4},
		{GameID: "2", Status: "bogus"},
	})
	require.Len(t, got, 1)
	assert.Equal(t, game.StatusFinal, got[0].Status)
	assert.Equal(t, 3, got[0].Period.Total)
	assert.Equal(t, "NHL", got[0].League)
}

type observed struct {
	mu    sync.Mutex
	calls []string
}

func (o *observed) Observe(leagueKey string, _ []game.Game) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, leagueKey)
}

func (o *observed) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.calls)
}

// answeringLater is a store that answers (with nothing) once released.
type answeringLater struct{ release chan struct{} }

func (a answeringLater) Unfinished(ctx context.Context, _ string, _ time.Time) ([]store.Point, error) {
	select {
	case <-a.release:
		return nil, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (a answeringLater) Games(context.Context, store.GameQuery) ([]store.Point, error) {
	return nil, nil
}

// Observations behind the loader's gate wait until the baseline is in the
// recorder and the detector; those after pass at once.
func TestLoaderHoldsObservationsUntilTheBaselineIsIn(t *testing.T) {
	release := make(chan struct{})
	s := &seeds{points: map[string][]store.Point{}, games: map[string][]game.Game{}}
	l := baseline.NewLoader(baseline.Sources{Store: answeringLater{release}}, leagues(t, "nfl"), s, detector{s}, quiet, nil)
	o := &observed{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Gate(o).Observe("nfl", nil)
	}()
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		l.Run(context.Background())
	}()
	select {
	case <-done:
		t.Fatal("an observation passed before the baseline was loaded")
	case <-time.After(50 * time.Millisecond):
	}
	assert.Equal(t, 0, o.count())
	close(release)
	<-done
	<-ran
	s.mu.Lock()
	_, seeded := s.points["nfl"]
	s.mu.Unlock()
	assert.True(t, seeded, "the recorder had the baseline before the observation")
	l.Gate(o).Observe("nhl", nil)
	assert.Equal(t, []string{"nfl", "nhl"}, o.calls)
}

// Without a store there is nothing to wait for.
func TestLoaderWithoutAStoreOpensAtOnce(t *testing.T) {
	l := baseline.NewLoader(baseline.Sources{}, leagues(t, "nfl"), nil, nil, quiet, nil)
	l.Run(context.Background())
	o := &observed{}
	l.Gate(o).Observe("nfl", nil)
	assert.Equal(t, 1, o.count())
}
