package httpapi

import (
	"errors"
	"net/http"

	"github.com/sports-data/sports-data/internal/gamefeed"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/standings"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/webhook"
)

// mapServiceError maps the errors of the service packages to statuses.
func (s *Server) mapServiceError(err error) (*apiError, bool) {
	var hv *history.InvalidError
	var wv *webhook.ValidationError
	var dup *webhook.DuplicateError
	var nl *teams.NotLoadedError
	switch {
	case errors.As(err, &nl):
		return &apiError{status: http.StatusServiceUnavailable, msg: nl.Error()}, true
	case errors.As(err, &hv):
		return &apiError{status: http.StatusBadRequest, msg: hv.Message}, true
	case errors.Is(err, history.ErrNotFound):
		return &apiError{status: http.StatusNotFound, msg: err.Error()}, true
	case errors.Is(err, history.ErrTimeout):
		return &apiError{status: http.StatusGatewayTimeout, msg: err.Error()}, true
	case errors.As(err, &wv):
		return &apiError{status: http.StatusUnprocessableEntity, msg: wv.Error()}, true
	case errors.As(err, &dup):
		return &apiError{status: http.StatusConflict, msg: dup.Error()}, true
	case errors.Is(err, store.ErrUnavailable):
		return &apiError{status: http.StatusServiceUnavailable, msg: "the history store is unavailable; try again later"}, true
	case errors.Is(err, standings.ErrNoTable), errors.Is(err, standings.ErrNoGroup):
		return &apiError{status: http.StatusNotFound, msg: err.Error()}, true
	case errors.Is(err, standings.ErrNoHistory):
		return &apiError{status: http.StatusServiceUnavailable, msg: "tables of past dates need the store, which is off"}, true
	case errors.Is(err, gamefeed.ErrFull), errors.Is(err, gamefeed.ErrClosed):
		return &apiError{status: http.StatusServiceUnavailable, msg: err.Error()}, true
	case errors.Is(err, webhook.ErrNotFound):
		return &apiError{status: http.StatusNotFound, msg: "webhook not found"}, true
	}
	return nil, false
}
