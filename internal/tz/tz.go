// Package tz holds the one time zone the service reasons in besides UTC:
// US Eastern, the zone of ESPN's scoreboard day (a game at 00:20Z on
// 8 September belongs to the 7 September scoreboard) and of its pre-game
// texts.
package tz

import (
	"time"
	_ "time/tzdata" // the scoreboard day is US Eastern wherever the service runs, even in an image without zoneinfo
)

// Eastern is America/New_York.
var Eastern = load()

func load() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		// Unreachable with time/tzdata linked in; EST keeps the day right
		// except for the hour around midnight in summer.
		return time.FixedZone("EST", -5*60*60)
	}
	return loc
}
