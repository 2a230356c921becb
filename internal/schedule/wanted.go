package schedule

import "strings"

// Wanted joins the sources of the teams users care about (every user's
// saved teams, the webhooks' teams, the MQTT teams), each a list of team
// ids ("nfl-ne"), into Options.Wanted. Each source is asked at the start
// of every cycle.
func Wanted(sources ...func() []string) func() []TeamKey {
	return func() []TeamKey {
		var out []TeamKey
		for _, source := range sources {
			for _, id := range source() {
				if l, abbr, ok := strings.Cut(id, "-"); ok && l != "" && abbr != "" {
					out = append(out, TeamKey{League: l, Abbreviation: abbr})
				}
			}
		}
		return out
	}
}
