package baseline

import "github.com/sports-data/sports-data/internal/game"

// Observer is what the poller hands each league's games to.
type Observer interface {
	Observe(leagueKey string, games []game.Game)
}

// Gate holds observations back until the baseline is loaded: the recorder
// and the webhook detector compare each poll with it, while the state, and
// so every route, is published without waiting.
type Gate struct {
	loaded chan struct{}
}

// NewGate returns a closed-off gate; Open lets observations through.
func NewGate() *Gate { return &Gate{loaded: make(chan struct{})} }

// Open lets every held and later observation through. Call it once.
func (g *Gate) Open() { close(g.loaded) }

// Wrap returns next behind the gate.
func (g *Gate) Wrap(next Observer) Observer { return gated{g.loaded, next} }

type gated struct {
	loaded <-chan struct{}
	next   Observer
}

func (a gated) Observe(leagueKey string, games []game.Game) {
	<-a.loaded
	a.next.Observe(leagueKey, games)
}
