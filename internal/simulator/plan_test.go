package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
)

// Every schedule New lays out is consistent, whatever the seed, the start
// (any weekday, any hour, daylight-saving changes) and the window.
func TestPlansAreConsistent(t *testing.T) {
	starts := []time.Time{
		time.Date(2026, 11, 29, 12, 0, 0, 0, eastern), // Sunday noon
		time.Date(2026, 11, 29, 21, 0, 0, 0, eastern), // Sunday night: the early games are over
		time.Date(2026, 12, 2, 9, 0, 0, 0, eastern),   // Wednesday
		time.Date(2026, 12, 3, 23, 30, 0, 0, eastern), // Thursday late
		time.Date(2026, 12, 5, 0, 0, 0, 0, eastern),   // Saturday midnight
		time.Date(2026, 11, 1, 1, 30, 0, 0, eastern),  // the night clocks go back
		time.Date(2027, 3, 14, 1, 30, 0, 0, eastern),  // the night clocks go forward
		time.Date(2026, 9, 10, 12, 0, 0, 0, eastern),  // NFL week 1
		time.Date(2027, 1, 10, 12, 0, 0, 0, eastern),  // after NFL week 18
	}
	days := []int{1, 2, 7, 10, 21}
	for seed := int64(1); seed <= 27; seed++ {
		o := Options{Seed: seed, Start: starts[int(seed)%len(starts)], Days: days[int(seed)%len(days)], Speed: 1}
		s, err := New(o)
		require.NoError(t, err, "seed %d", seed)
		for key, plans := range s.plans {
			checkPlans(t, fmt.Sprintf("seed %d %s start %s days %d", seed, key, o.Start, o.Days), s, plans)
		}
	}
}

func checkPlans(t *testing.T, name string, s *Sim, plans []*gamePlan) {
	t.Helper()
	ids := map[string]bool{}
	perDay := map[string]bool{}
	for _, p := range plans {
		require.False(t, ids[p.id], "%s: id %s twice", name, p.id)
		ids[p.id] = true
		require.True(t, s.window.contains(p.scheduled), "%s: %s scheduled outside the window", name, p.id)
		if p.neverPlayed() {
			require.False(t, p.postponedAt.IsZero(), "%s: %s is never played but not postponed", name, p.id)
			continue
		}
		require.True(t, s.window.contains(p.start), "%s: %s starts outside the window", name, p.id)
		// No team plays twice on one Eastern day (NHL) or in one week (NFL).
		for _, tm := range []*team{p.home, p.away} {
			k := tm.abbr + dayOf(p.start).Format("20060102")
			if p.lg.nfl() {
				k = fmt.Sprint(tm.abbr, nflWeekIndex(p.start))
			}
			require.False(t, perDay[k], "%s: %s plays twice (%s)", name, tm.abbr, k)
			perDay[k] = true
		}
		require.NotEqual(t, p.home, p.away)
		// Segments run without a gap from the start to the final.
		require.NotEmpty(t, p.segments)
		require.True(t, p.segments[0].from.Equal(p.start), "%s: %s", name, p.id)
		for i := 1; i < len(p.segments); i++ {
			require.True(t, p.segments[i-1].to.Equal(p.segments[i].from), "%s: %s segment %d", name, p.id, i)
			require.True(t, p.segments[i].to.After(p.segments[i].from), "%s: %s segment %d is empty", name, p.id, i)
		}
		require.True(t, p.segments[len(p.segments)-1].to.Equal(p.end))
		// Events in order, inside their period's play, scores never negative.
		for i, e := range p.events {
			if i > 0 {
				require.True(t, e.at.After(p.events[i-1].at), "%s: %s event %d", name, p.id, i)
			}
			require.GreaterOrEqual(t, e.home, 0)
			require.GreaterOrEqual(t, e.away, 0)
			st := p.stateAt(e.at)
			require.Equal(t, e.home, st.home)
			require.Equal(t, e.away, st.away)
			if e.kind == kindShootout {
				require.True(t, e.at.Equal(p.end))
				continue
			}
			before := p.stateAt(e.at.Add(-time.Nanosecond))
			require.Equal(t, segPlay, before.seg.kind, "%s: %s event %d (%s) not during play", name, p.id, i, e.kind)
			require.Equal(t, e.period, before.seg.period)
		}
		last := p.events[len(p.events)-1]
		require.Equal(t, p.final.home, last.home)
		require.Equal(t, p.final.away, last.away)
		require.Equal(t, p.final.tie, p.final.home == p.final.away, "%s: %s", name, p.id)
		// The final, and sampled states, are what the plan says.
		require.Equal(t, phasePost, p.stateAt(p.end).status.state)
		require.Equal(t, phaseIn, p.stateAt(p.end.Add(-time.Nanosecond)).status.state)
		require.Equal(t, phasePre, p.stateAt(p.start.Add(-time.Nanosecond)).status.state)
		for tt := p.start; tt.Before(p.end); tt = tt.Add(19 * time.Minute) {
			st := p.stateAt(tt)
			require.Equal(t, phaseIn, st.status.state)
			require.True(t, st.period >= 1 && st.period <= p.lg.reg.Periods+2)
			require.True(t, st.clock >= 0 && st.clock <= p.lg.clockLen)
		}
		if p.replayOf != "" {
			require.True(t, p.listedFrom.Before(p.start))
			require.True(t, ids[p.replayOf], "%s: replay of an unknown game", name)
		}
		if !p.movedAt.IsZero() {
			require.True(t, p.movedAt.After(p.postponedAt))
			require.True(t, p.start.After(p.movedAt))
		}
	}
}

// The team files are the captures, byte for byte; every venue comes from
// the capture it names, at a game of that home team.
func TestDataComesFromCaptures(t *testing.T) {
	for _, key := range []string{"nfl", "nhl"} {
		got, err := teamsFile(key)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(espntest.Load(t, key+"/teams.json"), got), key)
	}
	raw, err := dataFS.ReadFile("data/venues.json")
	require.NoError(t, err)
	var venues map[string]map[string]capturedVenue
	require.NoError(t, json.Unmarshal(raw, &venues))
	type comp struct {
		HomeAway string
		Team     struct{ ID string }
	}
	type event struct {
		Competitions []struct {
			Venue struct {
				ID       string
				FullName string
				Address  struct{ City, State string }
			}
			Competitors []comp
		}
	}
	n := 0
	for key, byTeam := range venues {
		for id, v := range byTeam {
			var doc struct{ Events []event }
			require.NoError(t, json.Unmarshal(espntest.Load(t, key+"/"+v.Source), &doc))
			found := false
			for _, e := range doc.Events {
				c := e.Competitions[0]
				for _, x := range c.Competitors {
					if x.HomeAway == "home" && x.Team.ID == id && c.Venue.FullName == v.FullName &&
						c.Venue.Address.City == v.City && c.Venue.ID == v.ID {
						found = true
					}
				}
			}
			assert.True(t, found, "%s team %s: %q is not in %s", key, id, v.FullName, v.Source)
			n++
		}
	}
	assert.Equal(t, 39+11, n, "NFL and NHL venues, and MLS venues of the MLS scoreboard")
}

func TestCalendar(t *testing.T) {
	assert.Equal(t, "11/29 - 1:00 PM EST", preShortDetail(time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)))
	assert.Equal(t, "Sun, November 29th at 1:00 PM EST", preDetail(time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)))
	assert.Equal(t, "9/13 - 8:20 PM EDT", preShortDetail(time.Date(2026, 9, 14, 0, 20, 0, 0, time.UTC)))
	assert.Equal(t, "2026-11-30T01:20Z", espnDate(time.Date(2026, 11, 29, 20, 20, 0, 0, eastern)))
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 23: "23rd"} {
		assert.Equal(t, want, ordinal(n))
	}
	// 2026: Labor Day is 7 September, week 1 opens Wednesday 9 September.
	assert.Equal(t, time.Date(2026, 9, 9, 0, 0, 0, 0, eastern), nflWeekOne(2026))
	assert.Equal(t, 1, nflWeek(time.Date(2026, 9, 13, 12, 0, 0, 0, eastern), 2026))
	assert.Equal(t, 12, nflWeek(time.Date(2026, 11, 29, 12, 0, 0, 0, eastern), 2026))
	assert.Equal(t, 12, nflWeek(time.Date(2026, 12, 1, 12, 0, 0, 0, eastern), 2026), "Tuesday ends the week")
	assert.Equal(t, 13, nflWeek(time.Date(2026, 12, 2, 12, 0, 0, 0, eastern), 2026))
	assert.Equal(t, 18, nflWeek(time.Date(2027, 1, 20, 12, 0, 0, 0, eastern), 2026))
	assert.Equal(t, time.Date(2026, 11, 29, 12, 0, 0, 0, eastern), SundayNoonET(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)))
	assert.Equal(t, time.Date(2026, 12, 6, 12, 0, 0, 0, eastern), SundayNoonET(time.Date(2026, 11, 29, 12, 0, 1, 0, eastern)))
	assert.Equal(t, time.Date(2026, 11, 29, 12, 0, 0, 0, eastern), SundayNoonET(time.Date(2026, 11, 29, 12, 0, 0, 0, eastern)))
	// Whole days across the autumn clock change.
	assert.Equal(t, time.Date(2026, 11, 2, 0, 0, 0, 0, eastern), addDays(time.Date(2026, 10, 31, 0, 0, 0, 0, eastern), 2))
}

// The MLS teams answer is derived: every club in it is one the MLS and
// soccer captures show, with the same id, abbreviation, names and logo.
func TestMLSTeamsComeFromCaptures(t *testing.T) {
	type capTeam struct {
		ID, Abbreviation, DisplayName, Logo string
	}
	seen := map[string]capTeam{}
	// Newest first: a club renamed since 2022 (New York's) has its 2026 name.
	for _, rel := range []string{"soccer/scoreboard-2026-03-21-ten-leagues-final.json", "mls/scoreboard-2022-09-17-live-mixed.json", "mls/team-clb-schedule-2026-final.json"} {
		var doc struct {
			Events []struct {
				UID          string
				Competitions []struct {
					Competitors []struct {
						Team struct {
							capTeam
							Logos []struct{ Href string }
						}
					}
				}
			}
		}
		require.NoError(t, json.Unmarshal(espntest.Load(t, rel), &doc))
		for _, e := range doc.Events {
			if e.UID != "" && !strings.Contains(e.UID, "~l:770~") {
				continue
			}
			for _, c := range e.Competitions[0].Competitors {
				ct := c.Team.capTeam
				if ct.Logo == "" && len(c.Team.Logos) > 0 {
					ct.Logo = c.Team.Logos[0].Href
				}
				if _, ok := seen[ct.ID]; !ok {
					seen[ct.ID] = ct
				}
			}
		}
	}
	teams, err := loadTeams("mls")
	require.NoError(t, err)
	assert.Len(t, teams, 28)
	for _, tm := range teams {
		c, ok := seen[tm.id]
		if assert.True(t, ok, "%s (%s) is in no capture", tm.abbr, tm.id) {
			assert.Equal(t, c.Abbreviation, tm.abbr, tm.id)
			assert.Equal(t, c.DisplayName, tm.displayName, tm.id)
			assert.Equal(t, c.Logo, tm.logo, tm.id)
		}
	}
}
