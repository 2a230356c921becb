// Package kickoff holds what the service says about when a game starts,
// relative to now, in one place for the poller, the Home Assistant views
// and the TeamTracker sensor: how soon "about to start" is, how long a
// start that ESPN has not shown yet still counts as delayed, and how the
// distance to a start is phrased ("in 2 hours", "10 minutes ago").
package kickoff

import "time"

// Lead is how close a start has to be for a game to be about to start:
// its league is polled at the live cadence and the TeamTracker sensor
// shows it (and refreshes fast) as if it were on.
const Lead = 20 * time.Minute

// LateStart is how long after its scheduled start a game that ESPN still
// shows as scheduled counts as a delayed start (still upcoming, its league
// still polled at the live cadence) rather than one that is not being
// played.
const LateStart = 3 * time.Hour

// Soon reports whether start is less than Lead away from now, before or
// after it (TeamTracker's rule).
func Soon(start, now time.Time) bool {
	d := start.Sub(now)
	return d < Lead && d > -Lead
}
