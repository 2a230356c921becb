package influx

import (
	"errors"
	"fmt"

	"github.com/sports-data/sports-data/internal/store"
)

// ErrUnauthorized is returned (wrapped, together with store.ErrUnavailable)
// when InfluxDB refuses the token or user:password.
var ErrUnauthorized = errors.New("influxdb refused the credentials")

// ErrRejected is returned (wrapped) when InfluxDB refuses points for what
// they are (a field type conflict, a line it cannot parse, a point older
// than the retention policy). Writing the same points again fails again.
var ErrRejected = errors.New("influxdb rejected points")

// ErrInvalidPoint is returned (wrapped) when a point cannot be written at
// all (store.Validate: unknown series, bad league key, no game id, no
// time). Nothing of the batch is sent.
var ErrInvalidPoint = store.ErrInvalidPoint

// BeyondRetentionError reports points InfluxDB dropped because their time
// is older than the retention policy keeps ("points beyond retention policy
// dropped"). The other points of the request were stored. It matches
// ErrRejected with errors.Is.
type BeyondRetentionError struct {
	Dropped  int    // points dropped, as the server counted them (0 when it did not say)
	Database string // database written to
	Message  string // the server's words
}

func (e *BeyondRetentionError) Error() string {
	return fmt.Sprintf("influxdb dropped %d point(s) older than the retention policy of database %q: %s",
		e.Dropped, e.Database, e.Message)
}

// Unwrap makes the error match ErrRejected.
func (e *BeyondRetentionError) Unwrap() error { return ErrRejected }

// unavailable wraps err so that it matches store.ErrUnavailable.
func unavailable(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{store.ErrUnavailable}, args...)...)
}

// unauthorized matches both store.ErrUnavailable and ErrUnauthorized: the
// service cannot use the store until someone fixes the credentials.
func unauthorized(detail string) error {
	return fmt.Errorf("%w: %w: %s", store.ErrUnavailable, ErrUnauthorized, detail)
}
