package espn

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// HTTPError is a non-2xx answer from ESPN, after any retries.
type HTTPError struct {
	Status int
	URL    string
	// RetryAfter is what ESPN asked for in a Retry-After header, if anything.
	RetryAfter time.Duration
	// Body is the start of ESPN's answer, for logs.
	Body string
	// Agent is the User-Agent the request carried.
	Agent string
}

// AgentRefused reports whether ESPN refused the request for its
// User-Agent: its answer to a browser's or an empty agent is 403
// (docs/espn.md, Requests).
func (e *HTTPError) AgentRefused() bool { return e.Status == http.StatusForbidden }

func (e *HTTPError) Error() string {
	if e.AgentRefused() {
		return fmt.Sprintf("ESPN refused this User-Agent (%q): HTTP 403 to GET %s. "+
			"Set ESPN_USER_AGENT to an agent that names the program and its address, such as %q, not a browser's, and restart",
			e.Agent, e.URL, UserAgent("2.0"))
	}
	if e.Body != "" {
		return fmt.Sprintf("espn: GET %s: HTTP %d: %s", e.URL, e.Status, e.Body)
	}
	return fmt.Sprintf("espn: GET %s: HTTP %d", e.URL, e.Status)
}

// HTTPStatus is ESPN's status; it makes HTTPError a retry.StatusError.
func (e *HTTPError) HTTPStatus() int { return e.Status }

var (
	// ErrEmptyBody is returned for an answer without a body.
	ErrEmptyBody = errors.New("espn: empty response body")
	// ErrInvalidJSON is returned for a body that is not a JSON object or
	// whose shape is not the one the endpoint serves.
	ErrInvalidJSON = errors.New("espn: invalid JSON")
	// ErrTooLarge is returned when an answer exceeds the size the client reads.
	ErrTooLarge = errors.New("espn: response too large")
)

// invalidJSON wraps the decoder's complaint so callers can match ErrInvalidJSON.
func invalidJSON(what string, err error) error {
	if err == nil {
		return fmt.Errorf("%w: %s", ErrInvalidJSON, what)
	}
	return fmt.Errorf("%w: %s: %v", ErrInvalidJSON, what, err)
}
