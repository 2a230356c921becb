package main

import (
	"context"
	"strings"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/httpapi"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/writer"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/webhook"
)

// webhookResolver scopes webhooks to teams of the directory.
type webhookResolver struct{ dir *teams.Directory }

func (r webhookResolver) resolve(input, leagueKey string) (webhook.Team, error) {
	m, err := r.dir.Resolve(input, leagueKey)
	if err != nil {
		return webhook.Team{}, err
	}
	return webhook.Team{League: m.League.Key, Abbreviation: strings.ToUpper(m.Team.Abbreviation), Name: m.Team.Name}, nil
}

// invalidating writes to the store and then drops the cached history
// answers of the teams written, so fresh results show up before the cache
// would expire.
type invalidating struct {
	db   store.Store
	hist *history.Service
}

func (i invalidating) Write(ctx context.Context, points []store.Point) error {
	if err := i.db.Write(ctx, points); err != nil {
		return err
	}
	type key struct{ league, team string }
	seen := map[key]bool{}
	for _, p := range points {
		for _, t := range []string{p.HomeTeam, p.AwayTeam} {
			k := key{p.League, t}
			if !seen[k] {
				seen[k] = true
				i.hist.Invalidate(p.League, t)
			}
		}
	}
	return nil
}

// storeHealth is the store section of /health, from the writer's counters
// and the store's description; neither touches the network.
type storeHealth struct {
	db store.Store
	w  *writer.Writer
}

func (h storeHealth) Health() httpapi.StoreStatus {
	info := h.db.Info(context.Background())
	ws := h.w.Stats()
	out := httpapi.StoreStatus{
		Enabled:        true,
		Kind:           info.Kind,
		Version:        info.Version,
		Connected:      ws.Connected,
		CircuitBreaker: ws.Breaker,
		WritesSuccess:  ws.WritesSuccess,
		WritesFailed:   ws.WritesFailed,
		PointsWritten:  ws.PointsWritten,
		Queued:         ws.Queued,
		Spooled:        ws.Spooled,
		Dropped:        ws.Dropped,
		LastError:      ws.LastError,
		StorageBytes:   info.Bytes,
	}
	if !ws.LastWriteAt.IsZero() {
		t := ws.LastWriteAt
		out.LastWriteAt = &t
	}
	return out
}

// gamesFromPoints turns the stored baseline into the games the webhook
// detector compares the first poll with.
func gamesFromPoints(leagueKey string, pts []store.Point) []game.Game {
	l, _ := league.Lookup(leagueKey)
	out := make([]game.Game, 0, len(pts))
	for _, p := range pts {
		status, ok := game.ParseStatus(p.Status)
		if !ok {
			continue
		}
		out = append(out, game.Game{
			ID:           p.GameID,
			League:       l.Name,
			Status:       status,
			HomeTeam:     game.Team{ID: game.TeamID(leagueKey, p.HomeTeam), Abbreviation: p.HomeTeam, Name: p.HomeTeamName},
			AwayTeam:     game.Team{ID: game.TeamID(leagueKey, p.AwayTeam), Abbreviation: p.AwayTeam, Name: p.AwayTeamName},
			Score:        game.Score{Home: p.HomeScore, Away: p.AwayScore},
			Period:       game.Period{Current: p.Period, Total: l.Periods, TimeRemaining: p.TimeRemaining},
			StatusDetail: p.StatusDetail,
			Season:       p.Season,
			SeasonType:   p.SeasonType,
			Week:         p.Week,
		})
	}
	return out
}

// afterSeed holds observations back until the stored baseline is loaded.
type afterSeed struct {
	seeded <-chan struct{}
	next   interface {
		Observe(leagueKey string, games []game.Game)
	}
}

func (a afterSeed) Observe(leagueKey string, games []game.Game) {
	<-a.seeded
	a.next.Observe(leagueKey, games)
}
