package httpapi

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sports-data/sports-data/internal/webhook"
)

// WebhookService manages registrations and sends test events.
type WebhookService interface {
	Register(ctx context.Context, req webhook.RegisterRequest) (webhook.Registration, error)
	RegisterSingle(ctx context.Context, event string, req webhook.RegisterRequest) (webhook.Registration, error)
	List() []webhook.Registration
	Delete(id string) error
	Test(ctx context.Context, id string) (webhook.TestResult, error)
}

func (s *Server) handleRegisterWebhook(w http.ResponseWriter, r *http.Request) {
	req, err := webhook.DecodeRegisterRequest(r.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reg, err := s.d.Webhooks.Register(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, reg)
}

// registerFor serves the per-event routes (game-start, game-end,
// score-update): the same body without events.
func (s *Server) registerFor(event string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req, err := webhook.DecodeRegisterRequest(r.Body)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		reg, err := s.d.Webhooks.RegisterSingle(r.Context(), event, req)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, reg)
	}
}

func (s *Server) handleListWebhooks(w http.ResponseWriter, r *http.Request) {
	list := s.d.Webhooks.List()
	if list == nil {
		list = []webhook.Registration{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": list, "count": len(list)})
}

func (s *Server) handleDeleteWebhook(w http.ResponseWriter, r *http.Request) {
	if err := s.d.Webhooks.Delete(chi.URLParam(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleTestWebhook(w http.ResponseWriter, r *http.Request) {
	res, err := s.d.Webhooks.Test(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
