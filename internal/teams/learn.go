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

// Observe learns the teams of a poll's or a schedule's games; the poller
// calls it before its observers.
func (d *Directory) Observe(leagueKey string, games []game.Game) {
	l, ok := d.enabled[strings.ToLower(leagueKey)]
	if !ok || !l.College || len(games) == 0 {
		return
	}
	// Most polls name no new team: check the published snapshot first,
	// without the lock.
	lt := d.snap.Load().leagues[l.Key]
	var fresh []game.Team
	for i := range games {
		for _, t := range []game.Team{games[i].HomeTeam, games[i].AwayTeam} {
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
// (Observe calls it for college leagues only). Per-game facts (the record,
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
