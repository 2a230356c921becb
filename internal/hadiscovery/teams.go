package hadiscovery

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/teams"
)

// teams resolves MQTT_TEAMS and the default user's saved teams; it runs
// on Run's goroutine, which owns p.saved. settled
// is false while the directory does not know every followed league yet:
// a name that does not resolve then may resolve after the first poll.
func (p *Publisher) teams() (map[string]team, bool) {
	settled := true
	for _, l := range p.o.Leagues {
		if len(p.o.Directory.Teams(l)) == 0 {
			settled = false
		}
	}
	want := map[string]team{}
	add := func(input, leagueKey string) {
		m, err := p.o.Directory.Resolve(input, leagueKey)
		key := leagueKey + "|" + input
		if err != nil {
			var nf *teams.NotFoundError
			var nl *teams.NotLoadedError
			if errors.As(err, &nl) || (errors.As(err, &nf) && !settled) {
				// The directory may not know the team yet: it is announced
				// (and logged) when the league's team list arrives.
				return
			}
			if p.failed[key] != err.Error() {
				p.failed[key] = err.Error()
				p.log.Warn("team not announced to Home Assistant", "team", input, "league", leagueKey, "err", err)
			}
			return
		}
		delete(p.failed, key)
		want[m.Team.ID] = team{ID: m.Team.ID, League: m.League.Key, Abbr: strings.ToUpper(m.Team.Abbreviation), Name: m.Team.Name, match: m}
	}
	for _, in := range p.o.Teams {
		add(in, "")
	}
	// The saved teams as they last settled (Publisher.savedTeams).
	for _, lk := range sortedKeys(p.saved) {
		for _, id := range p.saved[lk] {
			add(id, lk)
		}
	}
	return want, settled
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Teams are the team ids ("nfl-ne") MQTT_TEAMS resolves to now: teams whose
// schedules the service keeps first.
func (p *Publisher) Teams() []string {
	var out []string
	for _, in := range p.o.Teams {
		if m, err := p.o.Directory.Resolve(in, ""); err == nil {
			out = append(out, m.Team.ID)
		}
	}
	return out
}

// clubsOf maps the ids a followed club has in its other followed
// competitions to its device (Options.Club).
func (p *Publisher) clubsOf(want map[string]team) map[string]team {
	out := map[string]team{}
	if p.o.Club == nil {
		return out
	}
	for _, tm := range want {
		for _, m := range p.o.Club(tm.match)[1:] {
			if _, own := want[m.Team.ID]; !own {
				out[m.Team.ID] = tm
			}
		}
	}
	return out
}

// settling follows the saved teams' version across Run's ticks.
type settling struct {
	version     uint64
	first, last time.Time // the first and the latest change not taken yet
}

// savedTeams takes the saved teams in hand once they settle: unchanged
// for savedQuiet, or savedMaxWait after their first change while they
// keep changing. Saves come in bursts (someone clicking through a team
// picker, a script), and each state announced on the way would add or
// remove every device of it in Home Assistant; the last one is what
// counts. It reports whether p.saved changed.
func (p *Publisher) savedTeams(s *settling, now time.Time) bool {
	if p.o.Favorites == nil {
		return false
	}
	if v := p.o.Favorites.Version(); v != s.version {
		s.version, s.last = v, now
		if s.first.IsZero() {
			s.first = now
		}
	}
	if s.first.IsZero() || (now.Sub(s.last) < p.savedQuiet && now.Sub(s.first) < p.savedMaxWait) {
		return false
	}
	*s = settling{version: s.version}
	p.saved = p.o.Favorites.Get("default")
	return true
}
