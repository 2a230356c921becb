package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHATimeZoneIsTheConfigurationsTimeZone(t *testing.T) {
	assert.Contains(t, haConfiguration, "\n  time_zone: "+haTimeZone+"\n")
	_, err := time.LoadLocation(haTimeZone)
	require.NoError(t, err)
}

// The calendar entity's next event is the service's game only with the
// same start in Home Assistant's time zone, the opponent and the side.
func TestNextEventIsGameComparesStartOpponentAndSide(t *testing.T) {
	tz, err := time.LoadLocation(haTimeZone)
	require.NoError(t, err)
	str := func(s string) *string { return &s }
	game := haGameStatus{Status: "upcoming", HomeAway: str("home"), OpponentName: str("Toronto Maple Leafs"),
		StartTime: str("2026-12-13T19:40Z")}
	next := map[string]any{"message": "Boston Bruins vs Toronto Maple Leafs", "start_time": "2026-12-13 14:40:00"}

	ok, detail := nextEventIsGame(next, game, tz)
	assert.True(t, ok, detail)

	for name, change := range map[string]func(a map[string]any, g *haGameStatus){
		"an hour off (UTC shown as local)": func(a map[string]any, _ *haGameStatus) { a["start_time"] = "2026-12-13 19:40:00" },
		"another opponent":                 func(a map[string]any, _ *haGameStatus) { a["message"] = "Boston Bruins vs Ottawa Senators" },
		"away shown as home":               func(_ map[string]any, g *haGameStatus) { g.HomeAway = str("away") },
		"no event":                         func(a map[string]any, _ *haGameStatus) { delete(a, "message"); delete(a, "start_time") },
		"the service shows no game":        func(_ map[string]any, g *haGameStatus) { *g = haGameStatus{Status: "none"} },
	} {
		a := map[string]any{}
		for k, v := range next {
			a[k] = v
		}
		g := game
		change(a, &g)
		ok, detail := nextEventIsGame(a, g, tz)
		assert.False(t, ok, "%s: %s", name, detail)
		assert.True(t, strings.HasPrefix(detail, "is "), detail)
	}
}

func TestParseESPNTimeReadsMinutesAndRFC3339(t *testing.T) {
	want := time.Date(2026, 12, 13, 19, 40, 0, 0, time.UTC)
	for _, s := range []string{"2026-12-13T19:40Z", "2026-12-13T19:40:00Z", "2026-12-13T14:40:00-05:00"} {
		got, err := parseESPNTime(s)
		require.NoError(t, err, s)
		assert.True(t, want.Equal(got), s)
	}
	_, err := parseESPNTime("TBD")
	assert.Error(t, err)
}
