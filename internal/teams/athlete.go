package teams

import (
	"regexp"
	"strings"
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
	if norm != "" {
		for _, lt := range scope {
			for i := range lt.teams {
				if lt.teams[i].Athlete && strings.Contains(lt.keys[i].full, norm) {
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
			if re.MatchString(lt.teams[i].Name) {
				hits = append(hits, ref{lt, i})
			}
		}
	}
	return hits
}
