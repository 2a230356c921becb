package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/sports-data/sports-data/internal/hadiscovery"
	"github.com/sports-data/sports-data/internal/storage"
	"github.com/sports-data/sports-data/internal/userteams"
	"github.com/sports-data/sports-data/internal/webhook"
)

// pythonTime is how the earlier service wrote timestamps (naive UTC ISO).
const pythonTime = "2006-01-02T15:04:05.000000"

func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"service": "sports-data",
		"version": s.d.Version,
		"status":  "running",
		"endpoints": []string{
			"/health",
			"/api/v1/games/live",
			"/api/v1/games/upcoming",
			"/api/v1/teams",
			"/api/v1/metrics/api-usage",
			"/api/v1/games/history",
			"/api/v1/games/timeline/{game_id}",
			"/api/v1/games/schedule/{team}",
			"/api/v1/ha/game-status/{team}",
			"/api/v1/ha/game-context/{team}",
			"/api/v1/ha/webhooks",
			"/metrics",
			"/docs",
		},
	})
}

type healthLeague struct {
	OK                  bool       `json:"ok"`
	LastSuccess         *time.Time `json:"last_success"`
	LastAttempt         *time.Time `json:"last_attempt"`
	LastError           string     `json:"last_error"`
	ConsecutiveFailures int        `json:"consecutive_failures"`
	StaleSeconds        *float64   `json:"stale_seconds"`
	Games               int        `json:"games"`
	PollIntervalSeconds float64    `json:"poll_interval_seconds"`
	// Status is "ok", or "degraded" with the Reason (README, ESPN).
	Status string `json:"status"`
	Reason string `json:"reason"`
	// The last scoreboard answer: HTTP status (0 when none came), events
	// and age.
	LastAnswerStatus     int        `json:"last_answer_status"`
	LastAnswerEvents     int        `json:"last_answer_events"`
	LastAnswerAgeSeconds *float64   `json:"last_answer_age_seconds"`
	TruncatedAnswers     int64      `json:"truncated_answers"`
	LastTruncatedAt      *time.Time `json:"last_truncated_at"`
}

type health struct {
	Status        string                  `json:"status"`
	Service       string                  `json:"service"`
	Timestamp     string                  `json:"timestamp"`
	CacheStatus   bool                    `json:"cache_status"`
	APIStatus     bool                    `json:"api_status"`
	InfluxDB      StoreStatus             `json:"influxdb"`
	MQTT          MQTTStatus              `json:"mqtt"`
	Webhooks      webhook.Summary         `json:"webhooks"`
	Version       string                  `json:"version"`
	Store         string                  `json:"store"`
	Leagues       map[string]healthLeague `json:"leagues"`
	UptimeSeconds float64                 `json:"uptime_seconds"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// handleHealth reports the last poll of each league and the store; it never
// calls ESPN or the store itself.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	now := s.d.Now()
	h := health{
		Status:        "healthy",
		Service:       "sports-data",
		Timestamp:     now.UTC().Format(pythonTime),
		CacheStatus:   true,
		APIStatus:     true,
		Version:       s.d.Version,
		Store:         s.d.Options.StoreKind,
		Leagues:       make(map[string]healthLeague, len(s.d.Options.Leagues)),
		UptimeSeconds: math.Round(now.Sub(s.started).Seconds()),
		InfluxDB:      StoreStatus{Enabled: false, Kind: "none", CircuitBreaker: "closed"},
	}
	leagueDegraded := false
	if s.d.Polling != nil {
		for _, st := range s.d.Polling.Status() {
			hl := healthLeague{
				OK:                  st.OK(),
				LastSuccess:         timePtr(st.LastSuccess),
				LastAttempt:         timePtr(st.LastAttempt),
				LastError:           st.LastError,
				ConsecutiveFailures: st.ConsecutiveFailures,
				Games:               st.Games,
				PollIntervalSeconds: st.IntervalSeconds,
				Status:              "ok",
				Reason:              st.Degraded,
				LastAnswerStatus:    st.LastAnswerStatus,
				LastAnswerEvents:    st.LastAnswerEvents,
				TruncatedAnswers:    st.TruncatedAnswers,
				LastTruncatedAt:     timePtr(st.LastTruncatedAt),
			}
			if !st.LastSuccess.IsZero() {
				stale := math.Round(st.StaleSeconds*10) / 10
				hl.StaleSeconds = &stale
			}
			if !st.LastAnswerAt.IsZero() {
				age := math.Round(st.LastAnswerAgeSeconds*10) / 10
				hl.LastAnswerAgeSeconds = &age
			}
			if !hl.OK {
				h.APIStatus = false
			}
			if st.Degraded != "" {
				hl.Status = "degraded"
				leagueDegraded = true
			}
			h.Leagues[st.League] = hl
		}
	}
	if s.d.Store != nil {
		h.InfluxDB = storeStatus(s.d.Store.Health())
	}
	// The broker is an extra: its trouble is reported, not "degraded".
	h.MQTT = MQTTStatus{Teams: []string{}}
	if s.d.MQTT != nil {
		h.MQTT = mqttStatus(s.d.MQTT.Status())
	}
	if s.d.Webhooks != nil {
		h.Webhooks = s.d.Webhooks.Summary()
	}
	if !h.APIStatus || leagueDegraded || (h.InfluxDB.Enabled && !h.InfluxDB.Connected) {
		h.Status = "degraded"
	}
	writeJSON(w, http.StatusOK, h)
}

// storeStatus is the storage side in /health's shape.
func storeStatus(st storage.Health) StoreStatus {
	return StoreStatus{
		Enabled: true, Kind: st.Kind, Version: st.Version, Connected: st.Connected, CircuitBreaker: st.Breaker,
		WritesSuccess: st.WritesSuccess, WritesFailed: st.WritesFailed, PointsWritten: st.PointsWritten,
		Queued: st.Queued, Spooled: st.Spooled, Dropped: st.Dropped, LastError: st.LastError,
		LastWriteAt: timePtr(st.LastWriteAt), StorageBytes: st.StorageBytes,
	}
}

// mqttStatus is the MQTT publisher in /health's shape.
func mqttStatus(st hadiscovery.Status) MQTTStatus {
	return MQTTStatus{
		Enabled: st.Enabled, Connected: st.Connected, LastError: st.LastError, LastErrorAt: st.LastErrorAt,
		Published: st.Published, PublishErrors: st.PublishErrors, EventsQueued: st.EventsQueued, EventsDropped: st.EventsDropped,
		Teams: st.Teams,
	}
}

// userTeamsBody is the earlier service's shape: one list per league,
// "nfl_teams" and "nhl_teams", and the same for any other followed league.
func (s *Server) userTeamsBody(userID string, teams map[string][]string) map[string]any {
	body := map[string]any{"user_id": userID}
	for _, l := range s.leagueKeysForUserTeams() {
		list := teams[l]
		if list == nil {
			list = []string{}
		}
		body[l+"_teams"] = list
	}
	return body
}

// leagueKeysForUserTeams always includes nfl and nhl, which clients of the
// earlier service expect, plus every followed league.
func (s *Server) leagueKeysForUserTeams() []string {
	keys := []string{"nfl", "nhl"}
	for _, l := range s.d.Options.Leagues {
		if l.Key != "nfl" && l.Key != "nhl" {
			keys = append(keys, l.Key)
		}
	}
	return keys
}

func (s *Server) handleGetUserTeams(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user_id")
	if user == "" {
		user = userteams.DefaultUser
	}
	if err := userteams.ValidateUser(user); err != nil {
		s.fail(w, r, badRequest("%s", err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, s.userTeamsBody(user, s.d.Favorites.Get(user)))
}

func (s *Server) handleSaveUserTeams(w http.ResponseWriter, r *http.Request) {
	var raw map[string]json.RawMessage
	if err := decodeBody(r, &raw); err != nil {
		s.fail(w, r, err)
		return
	}
	user := userteams.DefaultUser
	if v, ok := raw["user_id"]; ok {
		if err := json.Unmarshal(v, &user); err != nil {
			s.fail(w, r, unprocessable("user_id must be a string"))
			return
		}
	}
	teams := map[string][]string{}
	for _, l := range s.leagueKeysForUserTeams() {
		v, ok := raw[l+"_teams"]
		if !ok {
			continue
		}
		var list []string
		if err := json.Unmarshal(v, &list); err != nil {
			s.fail(w, r, unprocessable("%s_teams must be a list of team ids such as [\"sf\", \"dal\"]", l))
			return
		}
		teams[l] = list
	}
	if err := s.d.Favorites.Save(user, teams); err != nil {
		var inv *userteams.InvalidError
		if errors.As(err, &inv) {
			s.fail(w, r, unprocessable("%s", inv.Msg))
			return
		}
		s.fail(w, r, err)
		return
	}
	saved := s.d.Favorites.Get(user)
	total := 0
	for _, l := range saved {
		total += len(l)
	}
	teamsSaved := s.userTeamsBody(user, saved)
	delete(teamsSaved, "user_id")
	writeJSON(w, http.StatusOK, map[string]any{
		"success":     true,
		"user_id":     user,
		"teams_saved": teamsSaved,
		// The earlier service estimated ~12 calls per team per day; this
		// service polls per league, not per team, so the figure is the
		// number of leagues times the calls of an idle day.
		"estimated_daily_api_calls": s.estimatedDailyCalls(),
		"within_free_tier":          true,
	})
}

// estimatedDailyCalls is what an idle day costs: one day request per idle
// poll and a month request per hour, per league, plus the daily team list.
func (s *Server) estimatedDailyCalls() int {
	idle := s.d.Options.PollIdleInterval
	if idle <= 0 {
		idle = 5 * time.Minute
	}
	perLeague := int(24*time.Hour/idle) + 24 + 1
	return perLeague * len(s.d.Options.Leagues)
}

func (s *Server) handleCacheStats(w http.ResponseWriter, r *http.Request) {
	hits, misses := s.cache.hits.Load(), s.cache.misses.Load()
	total := hits + misses
	rate := 0.0
	if total > 0 {
		rate = math.Round(float64(hits)/float64(total)*10000) / 100
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"hits":            hits,
		"misses":          misses,
		"hit_rate":        rate,
		"keys_count":      len(s.d.State.All()),
		"games_in_memory": len(s.d.State.All()),
		"timestamp":       s.d.Now().UTC().Format(pythonTime),
	})
}

func (s *Server) handleAPIUsage(w http.ResponseWriter, r *http.Request) {
	u := s.d.Usage.Usage()
	byLeague := map[string]int64{}
	for k, v := range u.ByLeague {
		byLeague[k] = v
	}
	for _, l := range s.d.Options.Leagues {
		if _, ok := byLeague[l.Key]; !ok {
			byLeague[l.Key] = 0
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"total_calls_today":     u.Total,
		"nfl_calls":             byLeague["nfl"],
		"nhl_calls":             byLeague["nhl"],
		"cache_hits":            s.cache.hits.Load(),
		"cache_misses":          s.cache.misses.Load(),
		"estimated_daily_calls": s.estimatedDailyCalls(),
		"within_free_tier":      true,
		"calls_by_league":       byLeague,
		"errors_today":          u.Errors,
		"date":                  u.Date,
		"history":               u.History,
	})
}

func unprocessable(format string, args ...any) error {
	return &apiError{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf(format, args...)}
}

// decodeBody reads one JSON value. Malformed JSON is 422 like the earlier
// FastAPI service answered; an oversized body is 413.
func decodeBody(r *http.Request, v any) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return unprocessable("request body is empty; a JSON object is expected")
		}
		return unprocessable("request body is not valid JSON: %s", jsonProblem(err))
	}
	if dec.More() {
		return unprocessable("request body has data after the JSON object")
	}
	return nil
}

// jsonProblem describes a decoding error without Go type names.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		if te.Field != "" {
			return "field " + te.Field + " has the wrong type"
		}
		return "a value has the wrong type"
	}
	return "malformed JSON"
}
