package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes is the whole HTTP surface of the service; HEAD is answered
// wherever GET is. Each path is written
// here once: the metrics label is the route pattern chi matched.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.recoverer, s.checkHost, s.observe, middleware.GetHead, s.cors, s.guardWrites, s.limitWrites)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)

	// Kept exactly from the earlier service.
	r.Get("/", s.handleRoot)
	r.Get("/health", s.handleHealth)
	r.Get("/api/v1/games/live", s.handleLive)
	r.Get("/api/v1/games/upcoming", s.handleUpcoming)
	r.Get("/api/v1/teams", s.handleTeams)
	r.Get("/api/v1/user/teams", s.handleGetUserTeams)
	r.With(s.requireKey).Post("/api/v1/user/teams", s.handleSaveUserTeams)
	r.Get("/api/v1/cache/stats", s.handleCacheStats)
	r.Get("/api/v1/metrics/api-usage", s.handleAPIUsage)

	// Home Assistant.
	r.Get("/api/v1/ha/game-status/{team}", s.handleGameStatus)
	r.Get("/api/v1/ha/game-context/{team}", s.handleGameContext)
	r.Get("/api/v1/ha/sensor/{team}", s.handleSensor)

	// The live feed: changed games and game events as server-sent events.
	r.Get("/api/v1/games/stream", s.handleStream)

	// History, timeline, schedules, calendars and standings: one rate
	// limit per client (the address the trusted-proxy rule names).
	stored := s.rateLimit(newClientLimiter(s.d.Options.HistoryRatePerMinute, s.d.Now), "history requests")
	r.Group(func(r chi.Router) {
		r.Use(stored, s.requireHistory)
		r.Get("/api/v1/games/history", s.handleHistory)
		r.Get("/api/v1/games/timeline/{game_id}", s.handleTimeline)
		r.Get("/api/v1/games/schedule/{team}", s.handleSchedule)
		r.Get("/api/v1/games/events/{game_id}", s.handleGameEvents)
		r.Get("/api/v1/calendar/{team}.ics", s.handleTeamCalendar)
		r.Get("/api/v1/calendar.ics", s.handleCalendar)
	})
	// Today's table is in memory: it answers without the store too.
	r.With(stored).Get("/api/v1/standings", s.handleStandings)

	// Webhooks, under the Home Assistant paths and the earlier ones. The
	// lists need the key too: a webhook URL is a password.
	r.Group(func(r chi.Router) {
		r.Use(s.requireKey)
		r.Get("/api/v1/ha/webhooks", s.handleListWebhooks)
		r.Get("/api/v1/webhooks/list", s.handleListWebhooks)
		r.Post("/api/v1/ha/webhooks/register", s.handleRegisterWebhook)
		r.Post("/api/v1/webhooks/register", s.handleRegisterWebhook)
		r.Post("/api/v1/ha/webhooks/game-start", s.registerFor("game_start"))
		r.Post("/api/v1/ha/webhooks/game-end", s.registerFor("game_end"))
		r.Post("/api/v1/ha/webhooks/score-update", s.registerFor("score_change"))
		r.Delete("/api/v1/ha/webhooks/{id}", s.handleDeleteWebhook)
		r.Delete("/api/v1/webhooks/{id}", s.handleDeleteWebhook)
		r.Post("/api/v1/ha/webhooks/{id}/test", s.handleTestWebhook)
		r.Get("/api/v1/ha/webhooks/{id}/deliveries", s.handleWebhookDeliveries)
	})

	// The web page for the people who run the service (package ui): every
	// view is the same page, which reads the routes above; its assets are
	// named by a hash of their content.
	if s.d.UI != nil {
		r.Get("/ui", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/ui/", http.StatusMovedPermanently)
		})
		r.Get("/ui/", s.d.UI.Page)
		r.Get("/ui/game/{game_id}", s.d.UI.Page)
		r.Get("/ui/team/{team}", s.d.UI.Page)
		r.Get("/ui/webhooks", s.d.UI.Page)
		r.Get("/ui/assets/{version}/{file}", s.d.UI.Asset)
	}

	for path, handler := range s.d.Extra {
		r.Handle(path, handler)
	}
	return r
}
