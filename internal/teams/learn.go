package teams

import (
	"strings"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// ESPN's team list of a college league is paged and never quite complete
// (a Division II opponent of an FBS team is on no FBS list), so for college
// leagues the directory also learns the teams the games it sees name:
// every team seen anywhere resolves. The list wins where both know a team;
// a refresh of the list keeps the learned teams it lacks. Professional
// lists are complete, and a team that left one (the Coyotes, now Utah)
// must not come back from an old game.

//
// Leagues of athletes (tennis, MMA, golf, racing) have no team list at all:
// every athlete and doubles pair is learned from the scoreboards, under
// its name (game/contest.go), and so is every team of a custom league.
// Such a league counts as loaded once a poll has been seen, even one
// without any game (the off-season): a name then unknown is 404, not 503.

// Observe learns the teams of a poll's or a schedule's games; the poller
// calls it before its observers, after every successful poll.
func (d *Directory) Observe(leagueKey string, games []game.Game) {
	l, ok := d.enabled[strings.ToLower(leagueKey)]
	if !ok || !l.Learns() {
		return
	}
	if !l.TeamList() && !d.snap.Load().polled[l.Key] {
		d.mu.Lock()
		d.polled[l.Key] = true
		d.publish(nil)
		d.mu.Unlock()
	}
	// Most polls name no new team: check the published snapshot first,
	// without the lock.
	lt := d.snap.Load().leagues[l.Key]
	var fresh []game.Team
	for i := range games {
		for _, t := range games[i].Participants() {
			if game.IsPlaceholder(t.Name) {
				continue
			}
			if lt != nil {
				if _, known := lt.byAbbr[strings.ToLower(strings.TrimSpace(t.Abbreviation))]; known {
					continue
				}
			}
			fresh = append(fresh, t)
		}
	}
	if len(fresh) > 0 {
		d.Learn(l, fresh)
	}
}

// Learn adds teams the directory does not know yet, in any enabled league
// (Observe calls it for the leagues that learn, league.Learns). Per-game facts (the record,
// the poll rank) are not kept. It reports how many were added.
func (d *Directory) Learn(l league.League, teams []game.Team) int {
	enabled, ok := d.enabled[strings.ToLower(l.Key)]
	if !ok {
		return 0
	}
	l = enabled
	cleaned, err := clean(l, teams)
	if err != nil {
		return 0
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	known := map[string]bool{}
	for _, t := range d.listed[l.Key] {
		known[t.ID] = true
	}
	for _, t := range d.learned[l.Key] {
		known[t.ID] = true
	}
	added := 0
	for _, t := range cleaned {
		if known[t.ID] {
			continue
		}
		known[t.ID] = true
		t.Record, t.Rank = nil, nil
		d.learned[l.Key] = append(d.learned[l.Key], t)
		added++
	}
	if added == 0 {
		return 0
	}
	d.publish(map[string][]game.Team{l.Key: d.merged(l.Key)})
	d.log.Debug("teams learned from games", "league", l.Key, "added", added)
	if d.dir != "" {
		if err := d.write(l.Key); err != nil {
			d.log.Warn("team cache not written", "league", l.Key, "err", err)
		}
	}
	return added
}

// merged is a league's listed teams and the learned ones the list lacks.
// Callers hold d.mu.
func (d *Directory) merged(key string) []game.Team {
	listed := d.listed[key]
	out := append([]game.Team(nil), listed...)
	have := make(map[string]bool, len(listed))
	for _, t := range listed {
		have[t.ID] = true
	}
	for _, t := range d.learned[key] {
		if !have[t.ID] {
			out = append(out, t)
		}
	}
	return out
}
