package teams

import (
	"regexp"
	"strings"

	"github.com/sports-data/sports-data/internal/game"
)

// TeamTracker names an athlete (tennis, MMA, golf, racing) by as much of
// the name as tells it apart ("STRUFF", "VERSTAPPEN"), and a doubles pair
// or any team by a regular expression matching its whole name
// (".*(?:NADAL|ALCARAZ).*/.*(?:NADAL|ALCARAZ).*", the pair's players in
// either order), case-insensitively. The resolver takes both as its last
// tier, so that TeamTracker's configuration works unchanged, but where
// TeamTracker takes the first athlete the name fits, a name that fits
// several is ambiguous here (409 with the candidates).

// regexMeta are the characters that make input a regular expression.
const regexMeta = `\.+*?()[]{}|^$`

// athleteHits are the teams input names as TeamTracker would: athletes
// whose name holds it, then, for input that is a regular expression (Go's
// syntax, which reads TeamTracker's examples alike), teams whose whole name
// it matches.
func athleteHits(scope []*leagueTeams, in, norm string) []ref {
	var hits []ref
	// ESPN writes names with their accents, people type them without
	// ("PEREZ" for Sergio Pérez): an athlete's id holds its name folded to
	// ASCII, so the input is folded the same way and looked for there too.
	folded := game.AthleteKey(in)
	if norm != "" {
		for _, lt := range scope {
			for i := range lt.teams {
				tm := &lt.teams[i]
				if tm.Athlete && (strings.Contains(lt.keys[i].full, norm) ||
					folded != "" && strings.Contains(strings.TrimPrefix(tm.ID, lt.league.Key+"-"), folded)) {
					hits = append(hits, ref{lt, i})
				}
			}
		}
	}
	if len(hits) > 0 || !strings.ContainsAny(in, regexMeta) {
		return hits
	}
	re, err := regexp.Compile(`(?i)^(?:` + in + `)$`)
	if err != nil {
		return nil
	}
	for _, lt := range scope {
		for i := range lt.teams {
			name := lt.teams[i].Name
			if f := game.FoldAccents(name); re.MatchString(name) || f != name && re.MatchString(f) {
				hits = append(hits, ref{lt, i})
			}
		}
	}
	return hits
}
