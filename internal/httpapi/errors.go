package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/sports-data/sports-data/internal/teams"
)

// errorBody is every error answer: {"detail": "..."} plus, for team
// lookups, the candidates or suggestions a client can offer.
type errorBody struct {
	Detail      string      `json:"detail"`
	Candidates  []teamMatch `json:"candidates,omitempty"`
	Suggestions []teamMatch `json:"suggestions,omitempty"`
}

type teamMatch struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	League string `json:"league"`
}

func matches(ms []teams.Match) []teamMatch {
	out := make([]teamMatch, 0, len(ms))
	for _, m := range ms {
		out = append(out, teamMatch{ID: m.Team.ID, Name: m.Team.Name, League: m.League.Name})
	}
	return out
}

// apiError is an error the handler already knows the status of.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func unavailable(msg string) error { return &apiError{status: http.StatusServiceUnavailable, msg: msg} }

// statusMapper lets service packages' errors carry their own status
// without this package listing each of them.
type statusMapper interface {
	HTTPStatus() int
}

// fail writes err as {"detail": ...} with the status it maps to. Unknown
// errors are 500 with a generic sentence; the real error goes to the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	body := errorBody{Detail: err.Error()}
	status := http.StatusInternalServerError
	var (
		ae  *apiError
		amb *teams.AmbiguousError
		nf  *teams.NotFoundError
		sm  statusMapper
	)
	switch {
	case errors.As(err, &ae):
		status = ae.status
	case errors.As(err, &amb):
		status = http.StatusConflict
		body.Candidates = matches(amb.Candidates)
	case errors.As(err, &nf):
		status = http.StatusNotFound
		body.Suggestions = matches(nf.Suggestions)
	case errors.As(err, &sm):
		status = sm.HTTPStatus()
	case errors.Is(err, context.DeadlineExceeded):
		status = http.StatusGatewayTimeout
		body.Detail = "the query took too long; try a narrower one"
	default:
		if mapped, ok := s.mapServiceError(err); ok {
			status, body.Detail = mapped.status, mapped.msg
		}
	}
	if status == http.StatusInternalServerError {
		s.d.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Detail = "internal error"
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"detail":"internal error"}`, http.StatusInternalServerError)
		return
	}
	writeBody(w, status, b)
}

// jsonType is shared by every answer; net/http only reads header values.
var jsonType = []string{"application/json"}

// writeBody answers body with its length, so that a large answer is not
// sent in chunks.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
