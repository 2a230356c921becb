package httpapi

import (
	"bytes"
	"context"
	"net/http"

	"github.com/sports-data/sports-data/internal/webhook"
)

// WebhookService manages registrations and sends test events.
type WebhookService interface {
	Register(ctx context.Context, req webhook.RegisterRequest) (webhook.Registration, error)
	RegisterSingle(ctx context.Context, event string, req webhook.RegisterRequest) (webhook.Registration, error)
	List() []webhook.Registration
	Delete(id string) error
	Test(ctx context.Context, id string) (webhook.TestResult, error)
	// Deliveries are a webhook's last deliveries, newest first.
	Deliveries(id string) ([]webhook.Delivery, error)
	// Summary counts the webhooks for /health.
	Summary() webhook.Summary
}

// decodeRegistration reads a registration body: 413 when too large, the
// webhook package's checks otherwise.
func decodeRegistration(r *http.Request) (webhook.RegisterRequest, error) {
	b, err := readBody(r)
	if err != nil {
		return webhook.RegisterRequest{}, err
	}
	return webhook.DecodeRegisterRequest(bytes.NewReader(b))
}

func (s *Server) handleRegisterWebhook(w http.ResponseWriter, r *http.Request) {
	req, err := decodeRegistration(r)
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
		req, err := decodeRegistration(r)
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
	id, err := pathParam(r, "id")
	if err == nil {
		err = s.d.Webhooks.Delete(id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleTestWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := pathParam(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.d.Webhooks.Test(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleWebhookDeliveries(w http.ResponseWriter, r *http.Request) {
	id, err := pathParam(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.d.Webhooks.Deliveries(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhook_id": id, "deliveries": list, "count": len(list)})
}
