package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/sports-data/sports-data/internal/redact"
)

// What an attempt came to, in the few fixed words the API shows (the test
// answer's outcome and error, the list's last_error): never the
// receiver's own bytes (its error page, an SSH server's banner) nor the
// system's words for why a connection failed. A webhook may point at any
// port of the host or the LAN, and echoing what answered there would make
// the test button a port scanner. The log keeps the detail (detail) for
// the operator.
const (
	OutcomeHTTPStatus = "http_status" // an HTTP answer came back; its status says which
	OutcomeConnected  = "connected"   // a connection was made, but no HTTP answer came back
	OutcomeRefused    = "refused"     // no connection could be made (refused, unreachable, unknown name)
	OutcomeTimeout    = "timeout"     // no answer in time
	OutcomeBlocked    = "blocked"     // the service refuses the target (a refused range)
)

// outcome classifies the attempt.
func (r attemptResult) outcome() string {
	var ne net.Error
	switch {
	case r.err == nil:
		return OutcomeHTTPStatus
	case errors.Is(r.err, errLinkLocal):
		return OutcomeBlocked
	case errors.Is(r.err, context.DeadlineExceeded) || (errors.As(r.err, &ne) && ne.Timeout()):
		return OutcomeTimeout
	case r.connected:
		return OutcomeConnected
	}
	return OutcomeRefused
}

// describe is the outcome as the API shows it.
func (r attemptResult) describe(timeout time.Duration) string {
	switch r.outcome() {
	case OutcomeBlocked:
		return errLinkLocal.Error()
	case OutcomeTimeout:
		return fmt.Sprintf("no answer within %s", timeout)
	case OutcomeConnected:
		return "connected, but no HTTP answer came back"
	case OutcomeRefused:
		var dns *net.DNSError
		if errors.As(r.err, &dns) {
			return "could not connect: the host name did not resolve"
		}
		return "could not connect"
	}
	msg := fmt.Sprintf("HTTP %d", r.status)
	// Go's name for the status, never the receiver's reason phrase.
	if text := http.StatusText(r.status); text != "" {
		msg += " " + text
	}
	if r.status >= 300 && r.status < 400 {
		msg += " (redirects are not followed)"
	}
	return msg
}

// detail is the attempt's error as the system put it, for the log only.
func (r attemptResult) detail() string {
	if r.err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(r.err, &ue) {
		// url.Error's text starts with the whole URL.
		return clip(fmt.Sprintf("%s %q: %v", ue.Op, redact.URL(ue.URL), ue.Err), 300)
	}
	return clip(r.err.Error(), 300)
}
