package main

import (
	"context"
	"strings"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/httpapi"
	"github.com/sports-data/sports-data/internal/schedule"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/writer"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/userteams"
	"github.com/sports-data/sports-data/internal/webhook"
)

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
		Connected:      ws.Connected && !info.Unreachable,
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
	if info.Unreachable && info.LastError != "" {
		// No write may have failed yet: the store's own error says why.
		out.LastError = info.LastError
	}
	if !ws.LastWriteAt.IsZero() {
		t := ws.LastWriteAt
		out.LastWriteAt = &t
	}
	return out
}

// fanOut hands every observation to each observer in turn.
type fanOut []interface {
	Observe(leagueKey string, games []game.Game)
}

func (f fanOut) Observe(leagueKey string, games []game.Game) {
	for _, o := range f {
		o.Observe(leagueKey, games)
	}
}

// wantedTeams lists, for the schedule refresher, the teams users care
// about: every user's saved teams, the webhooks' teams and the MQTT teams.
func wantedTeams(fav *userteams.Store, hooks *webhook.Service, dir *teams.Directory, mqttTeams []string) func() []schedule.TeamKey {
	return func() []schedule.TeamKey {
		var out []schedule.TeamKey
		for _, id := range fav.Saved() {
			if l, abbr, ok := strings.Cut(id, "-"); ok {
				out = append(out, schedule.TeamKey{League: l, Abbreviation: abbr})
			}
		}
		for _, h := range hooks.List() {
			if h.Team != "" {
				out = append(out, schedule.TeamKey{League: h.League, Abbreviation: h.Team})
			}
		}
		for _, t := range mqttTeams {
			if m, err := dir.Resolve(t, ""); err == nil {
				out = append(out, schedule.TeamKey{League: m.League.Key, Abbreviation: m.Team.Abbreviation})
			}
		}
		return out
	}
}
