package baseline

import (
	"context"
	"log/slog"
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// Observer is what the poller hands each league's games to.
type Observer interface {
	Observe(leagueKey string, games []game.Game)
}

// Loader owns the start-up rule of the service's memory: the recorder and
// event detection compare each poll with what the store already knows, so
// their observations wait (behind Gate) until Run has loaded it into them,
// while the state, and so every route, is published without waiting.
type Loader struct {
	src     Sources
	leagues []league.League
	rec     Recorder
	det     Detector
	log     *slog.Logger
	now     func() time.Time
	loaded  chan struct{}
}

// NewLoader prepares the load of src into rec and det; without a store
// (src.Store nil) there is nothing to load and Run only opens the gate.
func NewLoader(src Sources, leagues []league.League, rec Recorder, det Detector, logger *slog.Logger, now func() time.Time) *Loader {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Loader{src: src, leagues: leagues, rec: rec, det: det, log: logger, now: now, loaded: make(chan struct{})}
}

// Run loads the baseline (a few seconds at most: see Timeout) and lets
// every held and later observation through. The service runs it at start.
func (l *Loader) Run(ctx context.Context) {
	if l.src.Store != nil {
		Load(ctx, l.src, l.leagues, l.rec, l.det, l.log, l.now())
	}
	close(l.loaded)
}

// Gate returns next behind the load: its observations wait until Run has
// loaded the baseline.
func (l *Loader) Gate(next Observer) Observer { return gated{l.loaded, next} }

type gated struct {
	loaded <-chan struct{}
	next   Observer
}

func (a gated) Observe(leagueKey string, games []game.Game) {
	<-a.loaded
	a.next.Observe(leagueKey, games)
}
