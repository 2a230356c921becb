// Package outage reports a failure that repeats, such as writes to a full
// disk, as two log lines: an error when it begins and a line when it ends,
// with the repeats in between at debug level. Hours of a full disk are
// then two lines, not two a second, and the line that ends it says how
// long it lasted.
package outage

import (
	"log/slog"
	"sync"
	"time"
)

// Reporter follows one kind of attempt (writing one file, appending to one
// spool). It is safe for concurrent use.
type Reporter struct {
	log             *slog.Logger
	what, meanwhile string

	mu       sync.Mutex
	since    time.Time
	failures int
}

// New reports on attempts at what ("writing the saved teams"); meanwhile
// says what the service does while they fail ("the teams stay in
// memory").
func New(log *slog.Logger, what, meanwhile string) *Reporter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Reporter{log: log, what: what, meanwhile: meanwhile}
}

// Report records how one attempt went: an error begins an outage or
// continues it, nil ends it.
func (r *Reporter) Report(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err == nil && r.failures == 0:
	case err == nil:
		r.log.Info(r.what+" works again", "failures", r.failures, "for", time.Since(r.since).Round(time.Millisecond))
		r.failures = 0
	case r.failures == 0:
		r.failures, r.since = 1, time.Now()
		r.log.Error(r.what+" failed; "+r.meanwhile+"; the log says when it works again", "err", err)
	default:
		r.failures++
		r.log.Debug(r.what+" failed again", "failures", r.failures, "err", err)
	}
}

// Failing reports whether the last attempt failed.
func (r *Reporter) Failing() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failures > 0
}
