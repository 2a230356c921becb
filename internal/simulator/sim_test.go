package simulator_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/simulator"
)

// Polling each day's scoreboard every two simulated minutes, parsed by the
// service's parser: no errors, statuses only move forward (scheduled →
// live → final, or → postponed), and every score and status is the one
// Truth gives for that moment.
func TestDayScoreboardsProgressAsTruthSays(t *testing.T) {
	for _, key := range []string{"nfl", "nhl"} {
		t.Run(key, func(t *testing.T) {
			s := newSim(t, simulator.Options{Leagues: []string{key}, Seed: 1, Days: 3})
			truth := map[string]simulator.GameTruth{}
			for _, g := range everything(s).Games {
				truth[g.ID] = g
			}
			order := map[game.Status]int{game.StatusScheduled: 0, game.StatusLive: 1, game.StatusFinal: 2, game.StatusPostponed: 2}
			for d := 0; d < 3; d++ {
				day := midnight(sunday).AddDate(0, 0, d)
				last := map[string]game.Status{}
				seen := map[string]map[game.Status]bool{}
				// Poll from before the day's first listing until after its
				// last final, every five simulated minutes.
				from, to := day.Add(30*time.Hour), day
				for _, g := range truth {
					if midnight(listingDay(g)).Equal(day) {
						if start := listingDay(g).Add(-time.Hour); start.Before(from) {
							from = start
						}
						if end := g.End.Add(10 * time.Minute); end.After(to) {
							to = end
						}
					}
					if midnight(g.Scheduled).Equal(day) && !g.PostponedAt.IsZero() {
						if g.Scheduled.Add(-3 * time.Hour).Before(from) {
							from = g.Scheduled.Add(-3 * time.Hour)
						}
						for _, x := range []time.Time{g.PostponedAt.Add(time.Hour), g.MovedAt.Add(10 * time.Minute)} {
							if x.After(to) {
								to = x
							}
						}
					}
				}
				for at := from; at.Before(to); at = at.Add(5 * time.Minute) {
					for _, g := range boardAt(t, s, at, key, day) {
						tr, ok := truth[g.ID]
						require.True(t, ok, "game %s is in Truth", g.ID)
						require.Equal(t, scoreAt(tr, at), g.Score, "%s at %s", g.ID, at)
						want := statusAt(tr, at)
						require.Equal(t, apiStatus(want), g.Status, "%s at %s", g.ID, at)
						if g.Status == game.StatusLive {
							require.Equal(t, want.Period, g.Period.Current, "%s at %s", g.ID, at)
						}
						if prev, ok := last[g.ID]; ok {
							require.GreaterOrEqual(t, order[g.Status], order[prev], "%s went %s → %s at %s", g.ID, prev, g.Status, at)
							require.False(t, prev == game.StatusPostponed && g.Status != prev, "%s left postponed on its day", g.ID)
						}
						last[g.ID] = g.Status
						if seen[g.ID] == nil {
							seen[g.ID] = map[game.Status]bool{}
						}
						seen[g.ID][g.Status] = true
					}
				}
				require.NotEmpty(t, last, "day %d has games", d)
				for id, st := range seen {
					if st[game.StatusPostponed] {
						continue
					}
					assert.True(t, st[game.StatusScheduled] && st[game.StatusLive] && st[game.StatusFinal],
						"%s on day %d seen scheduled, live and final: %v", id, d, st)
				}
			}
		})
	}
}

// A client polling infinitely fast sees exactly Truth's score states: just
// before each change the previous one, at the change the new one. The same
// holds for every status change. (The day scoreboards list these same
// events; TestDayScoreboardsProgressAsTruthSays reads them.)
func TestTruthIsWhatAnInfinitelyFastPollerSees(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 2, Days: 7})
	changes := 0
	for _, g := range everything(s).Games {
		key := g.League
		prev := game.Score{}
		for _, c := range g.Scores {
			before := gameAt(t, s, c.Time.Add(-time.Nanosecond), key, g.ID)
			at := gameAt(t, s, c.Time, key, g.ID)
			require.NotNil(t, before, g.ID)
			require.NotNil(t, at, g.ID)
			require.Equal(t, prev, before.Score, "%s just before %s", g.ID, c.Time)
			require.Equal(t, game.Score{Home: c.Home, Away: c.Away}, at.Score, "%s at %s", g.ID, c.Time)
			require.Equal(t, c.Period, at.Period.Current, "%s at %s", g.ID, c.Time)
			prev = at.Score
			changes++
		}
		for i, c := range g.Statuses {
			if c.Time.IsZero() {
				continue
			}
			at := gameAt(t, s, c.Time, key, g.ID)
			require.NotNil(t, at, "%s at %s", g.ID, c.Time)
			assert.Equal(t, apiStatus(c), at.Status, "%s at %s (%s)", g.ID, c.Time, c.Name)
			if c.State == "in" {
				assert.Equal(t, c.Period, at.Period.Current, "%s at %s (%s)", g.ID, c.Time, c.Name)
			}
			if i > 0 {
				before := gameAt(t, s, c.Time.Add(-time.Nanosecond), key, g.ID)
				require.NotNil(t, before, "%s before %s", g.ID, c.Time)
				assert.Equal(t, apiStatus(g.Statuses[i-1]), before.Status, "%s before %s", g.ID, c.Time)
			}
		}
		if g.Final != nil {
			at := findGame(boardAt(t, s, g.End, key, listingDay(g)), g.ID)
			require.NotNil(t, at)
			assert.Equal(t, game.StatusFinal, at.Status)
			assert.Equal(t, game.Score{Home: g.Final.Home, Away: g.Final.Away}, at.Score, g.ID)
			assert.Equal(t, g.Final.Period, at.Period.Current, g.ID)
			assert.Equal(t, g.Final.Detail, at.StatusDetail, g.ID)
		}
	}
	assert.Greater(t, changes, 300, "a week holds hundreds of score changes")
}

// Every scenario the week promises is there, and the tags say what the
// data shows.
func TestWeekHoldsEveryScenario(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 3})
	tr := everything(s)
	tags := map[string]map[string]int{"nfl": {}, "nhl": {}}
	scenarios := map[string]map[string]int{"nfl": {}, "nhl": {}}
	for _, g := range tr.Games {
		for _, x := range g.Tags {
			tags[g.League][x]++
		}
		scenarios[g.League][g.Scenario]++
		checkTags(t, g)
	}
	for _, want := range []string{simulator.TagOvertime, simulator.TagTie, simulator.TagOverturned, simulator.TagQuickScores,
		simulator.TagTwiceInARow, simulator.TagLateNight, simulator.TagPostponed, simulator.TagMoved} {
		assert.Positive(t, tags["nfl"][want], "nfl week has a %s game", want)
	}
	for _, want := range []string{simulator.TagOvertime, simulator.TagShootout, simulator.TagOverturned, simulator.TagQuickScores,
		simulator.TagTwiceInARow, simulator.TagLateNight, simulator.TagPostponed, simulator.TagReplay} {
		assert.Positive(t, tags["nhl"][want], "nhl week has a %s game", want)
	}
	for _, sc := range []string{simulator.ScenarioOvertime, simulator.ScenarioTie, simulator.ScenarioPostponed, simulator.ScenarioQuick, simulator.ScenarioOverturned} {
		assert.Equal(t, 1, scenarios["nfl"][sc], "nfl scenario %s", sc)
	}
	for _, sc := range []string{simulator.ScenarioOvertime, simulator.ScenarioShootout, simulator.ScenarioPostponed, simulator.ScenarioQuick, simulator.ScenarioReplay} {
		assert.Equal(t, 1, scenarios["nhl"][sc], "nhl scenario %s", sc)
	}
	assert.Equal(t, 16, scenarios["nfl"][""]+5, "sixteen NFL games in a week")

	// The Sunday night game starts 20:20 ET, goes to overtime and ends
	// after midnight Eastern.
	for _, g := range tr.Games {
		if g.League == "nfl" && g.Scenario == simulator.ScenarioOvertime {
			st := g.Start.In(et)
			assert.Equal(t, "Sun 20:20", st.Format("Mon 15:04"))
			assert.Equal(t, 5, g.Final.Period)
			assert.Equal(t, "Final/OT", g.Final.Detail)
			assert.True(t, midnight(g.End).After(midnight(g.Start)), "ends %s", g.End.In(et))
		}
	}
}

// checkTags verifies each tag against the game's own data.
func checkTags(t *testing.T, g simulator.GameTruth) {
	t.Helper()
	reg := map[string]int{"nfl": 4, "nhl": 3}[g.League]
	for _, tag := range g.Tags {
		switch tag {
		case simulator.TagOvertime:
			require.NotNil(t, g.Final, g.ID)
			assert.Greater(t, g.Final.Period, reg, g.ID)
			assert.Contains(t, []string{"Final/OT", "Final/SO"}, g.Final.Detail, g.ID)
		case simulator.TagShootout:
			assert.Equal(t, 5, g.Final.Period, g.ID)
			assert.Equal(t, "Final/SO", g.Final.Detail, g.ID)
			last := g.Scores[len(g.Scores)-1]
			assert.Equal(t, g.End, last.Time, "the shootout goal counts at the final")
			assert.Equal(t, 1, abs(last.Home-last.Away))
		case simulator.TagTie:
			assert.True(t, g.Final.Tie, g.ID)
			assert.Empty(t, g.Final.Winner, g.ID)
			assert.Equal(t, g.Final.Home, g.Final.Away, g.ID)
		case simulator.TagOverturned:
			down := false
			for i := 1; i < len(g.Scores); i++ {
				if g.Scores[i].Home+g.Scores[i].Away < g.Scores[i-1].Home+g.Scores[i-1].Away {
					down = true
				}
			}
			assert.True(t, down, "%s: a score goes down", g.ID)
		case simulator.TagQuickScores:
			quick := false
			for i := 1; i < len(g.Scores); i++ {
				a, b := g.Scores[i-1], g.Scores[i]
				prevHome := 0
				if i > 1 {
					prevHome = g.Scores[i-2].Home
				}
				homeFirst := a.Home > prevHome
				if b.Time.Sub(a.Time) <= 15*time.Second && homeFirst == (b.Away > a.Away) {
					quick = true
				}
			}
			assert.True(t, quick, "%s: both teams score within 15 s", g.ID)
		case simulator.TagLateNight:
			assert.True(t, midnight(g.End).After(midnight(g.Start)), g.ID)
		case simulator.TagPostponed:
			assert.False(t, g.PostponedAt.IsZero(), g.ID)
		case simulator.TagMoved:
			assert.False(t, g.MovedAt.IsZero(), g.ID)
			assert.True(t, g.Start.After(g.Scheduled), g.ID)
		case simulator.TagReplay:
			assert.NotEmpty(t, g.ReplayOf, g.ID)
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Statuses and texts ESPN uses for the states no capture shows, as the
// parser reads them.
func TestLiveStatesReadAsTheParserExpects(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 4})
	tr := everything(s)
	names := map[string]bool{}
	shootouts := 0
	for _, g := range tr.Games {
		for _, c := range g.Statuses {
			if c.Time.IsZero() || c.Name == "STATUS_POSTPONED" {
				continue
			}
			names[g.League+" "+c.Name] = true
			at := gameAt(t, s, c.Time.Add(time.Second), g.League, g.ID)
			require.NotNil(t, at)
			switch c.Name {
			case "STATUS_HALFTIME":
				assert.Equal(t, "Halftime", at.StatusDetail)
				assert.Equal(t, game.StatusLive, at.Status)
			case "STATUS_END_PERIOD":
				assert.Regexp(t, `^End of (1st|2nd|3rd|4th|OT)$`, at.StatusDetail)
				assert.Equal(t, game.StatusLive, at.Status)
			case "STATUS_IN_PROGRESS":
				reg := map[string]int{"nfl": 4, "nhl": 3}[g.League]
				switch {
				case g.League == "nhl" && c.Period == 5:
					assert.Equal(t, "SO", at.StatusDetail)
					assert.True(t, at.Overtime())
					require.NotNil(t, at.Details)
					assert.Equal(t, "Shootout in progress", at.Details.LastPlay)
					shootouts++
				case c.Period > reg:
					assert.Regexp(t, `^\d+:\d\d - OT$`, at.StatusDetail, g.ID)
					assert.True(t, at.Overtime())
				default:
					assert.Regexp(t, `^\d+:\d\d - (1st|2nd|3rd|4th)$`, at.StatusDetail, g.ID)
				}
				// Live extras: NFL possession (a team id on the wire), down
				// and distance, win probability; NHL only a last play.
				require.NotNil(t, at.Details, g.ID)
				assert.NotEmpty(t, at.Details.LastPlay, g.ID)
				if g.League == "nfl" {
					assert.Contains(t, []string{g.Home.Abbreviation, g.Away.Abbreviation}, at.Details.Possession, g.ID)
					assert.Regexp(t, `^(1st|2nd|3rd|4th) & \d+ at [A-Z]+ \d+$`, at.Details.DownDistanceText)
					require.NotNil(t, at.Details.HomeWinPct)
					assert.InDelta(t, 0.5, *at.Details.HomeWinPct, 0.5)
					assert.InDelta(t, 1, *at.Details.HomeWinPct+*at.Details.AwayWinPct, 0.0011)
				} else {
					assert.Empty(t, at.Details.Possession)
				}
			}
		}
	}
	assert.Positive(t, shootouts, "a shootout was seen live")
	for _, n := range []string{"nfl STATUS_HALFTIME", "nfl STATUS_END_PERIOD", "nhl STATUS_END_PERIOD", "nfl STATUS_FINAL", "nhl STATUS_FINAL"} {
		assert.True(t, names[n], n)
	}
}

// The clock counts down within a period and the detail follows it.
func TestClockCountsDown(t *testing.T) {
	s := newSim(t, simulator.Options{Leagues: []string{"nhl"}, Seed: 5})
	g := everything(s).Games[0]
	kick := g.Start
	var last = 1 << 30
	for at := kick; at.Before(kick.Add(30 * time.Minute)); at = at.Add(20 * time.Second) {
		got := findGame(boardAt(t, s, at, "nhl", kick), g.ID)
		require.NotNil(t, got)
		require.Equal(t, 1, got.Period.Current)
		var m, sec int
		_, err := fmt.Sscanf(got.Period.TimeRemaining, "%d:%d", &m, &sec)
		require.NoError(t, err, got.Period.TimeRemaining)
		left := m*60 + sec
		require.Less(t, left, last+1, "clock at %s", at)
		require.LessOrEqual(t, left, 20*60)
		last = left
	}
	assert.Less(t, last, 20*60-60, "the clock ran")
}

// A postponed NFL game keeps its id and moves to a later day; a postponed
// NHL game stays postponed and is replayed under a new id.
func TestPostponedGames(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 6})
	tr := everything(s)
	var nfl, nhl, replay simulator.GameTruth
	for _, g := range tr.Games {
		switch {
		case g.League == "nfl" && hasTag(g, simulator.TagPostponed):
			nfl = g
		case g.League == "nhl" && hasTag(g, simulator.TagPostponed):
			nhl = g
		case g.League == "nhl" && hasTag(g, simulator.TagReplay):
			replay = g
		}
	}
	require.NotEmpty(t, nfl.ID)
	require.NotEmpty(t, nhl.ID)
	require.NotEmpty(t, replay.ID)

	// NFL: scheduled on Sunday, then postponed there, then gone from Sunday
	// and scheduled on its new day, where it is played under the same id.
	before := findGame(boardAt(t, s, nfl.PostponedAt.Add(-time.Second), "nfl", nfl.Scheduled), nfl.ID)
	require.NotNil(t, before)
	assert.Equal(t, game.StatusScheduled, before.Status)
	off := findGame(boardAt(t, s, nfl.PostponedAt, "nfl", nfl.Scheduled), nfl.ID)
	require.NotNil(t, off)
	assert.Equal(t, game.StatusPostponed, off.Status)
	assert.Equal(t, game.Score{}, off.Score)
	raw, err := s.ScoreboardAt(nfl.PostponedAt, "nfl", nfl.Scheduled)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"name":"STATUS_POSTPONED","state":"post","completed":false`)
	assert.Nil(t, findGame(boardAt(t, s, nfl.MovedAt, "nfl", nfl.Scheduled), nfl.ID), "gone from its old day once moved")
	moved := findGame(boardAt(t, s, nfl.MovedAt, "nfl", nfl.Start), nfl.ID)
	require.NotNil(t, moved, "listed on its new day")
	assert.Equal(t, game.StatusScheduled, moved.Status)
	assert.True(t, moved.Start.Equal(nfl.Start), "new date %s", moved.Start)
	assert.True(t, nfl.Start.Sub(nfl.Scheduled) >= 48*time.Hour)
	played := findGame(boardAt(t, s, nfl.End, "nfl", nfl.Start), nfl.ID)
	require.NotNil(t, played)
	assert.Equal(t, game.StatusFinal, played.Status)

	// NHL: postponed for good on its day; the replay is a new event, listed
	// only once announced.
	for _, at := range []time.Time{nhl.PostponedAt, replay.End.Add(time.Hour)} {
		g := findGame(boardAt(t, s, at, "nhl", nhl.Scheduled), nhl.ID)
		require.NotNil(t, g)
		assert.Equal(t, game.StatusPostponed, g.Status)
	}
	assert.Nil(t, nhl.Final)
	assert.Equal(t, replay.ID, nhl.ReplayID)
	assert.Equal(t, nhl.ID, replay.ReplayOf)
	assert.NotEqual(t, nhl.ID, replay.ID)
	assert.Equal(t, nhl.Home, replay.Home)
	announced := replay.Statuses[0].Time
	require.False(t, announced.IsZero())
	assert.Nil(t, findGame(boardAt(t, s, announced.Add(-time.Second), "nhl", replay.Scheduled), replay.ID))
	assert.NotNil(t, findGame(boardAt(t, s, announced, "nhl", replay.Scheduled), replay.ID))
	assert.NotContains(t, ids(s.TruthAt(announced.Add(-time.Second))), replay.ID, "Truth leaves out what is not announced yet")
}

func ids(tr simulator.Truth) []string {
	var out []string
	for _, g := range tr.Games {
		out = append(out, g.ID)
	}
	return out
}

// Records on the scoreboard change at each final: a win, a loss, an NHL
// overtime loss or an NFL tie.
func TestRecordsUpdateAtFinals(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 7})
	checked := map[string]int{}
	for _, g := range everything(s).Games {
		if g.Final == nil {
			continue
		}
		before := gameAt(t, s, g.End.Add(-time.Nanosecond), g.League, g.ID)
		after := gameAt(t, s, g.End, g.League, g.ID)
		require.NotNil(t, before)
		require.NotNil(t, after)
		for _, side := range []struct {
			b, a game.Team
			won  bool
		}{{before.HomeTeam, after.HomeTeam, g.Final.Winner == g.Home.Abbreviation}, {before.AwayTeam, after.AwayTeam, g.Final.Winner == g.Away.Abbreviation}} {
			require.NotNil(t, side.b.Record, g.ID)
			require.NotNil(t, side.a.Record, g.ID)
			b, a := *side.b.Record, *side.a.Record
			switch {
			case g.Final.Tie:
				require.NotNil(t, a.Ties)
				assert.Equal(t, *b.Ties+1, *a.Ties, g.ID)
				checked["tie"]++
			case side.won:
				assert.Equal(t, b.Wins+1, a.Wins, g.ID)
				checked["win"]++
			case g.League == "nhl" && g.Final.Period > 3:
				assert.Equal(t, *b.OTLosses+1, *a.OTLosses, g.ID)
				assert.Equal(t, b.Losses, a.Losses, g.ID)
				checked["otl"]++
			default:
				assert.Equal(t, b.Losses+1, a.Losses, g.ID)
				checked["loss"]++
			}
		}
	}
	for _, k := range []string{"win", "loss", "otl", "tie"} {
		assert.Positive(t, checked[k], k)
	}
}

// RecordOf sums a team's finals of the window, as history statistics do.
func TestTruthRecordOf(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 7})
	tr := everything(s)
	var nflTie, nhlOT simulator.GameTruth
	for _, g := range tr.Games {
		if g.League == "nfl" && hasTag(g, simulator.TagTie) {
			nflTie = g
		}
		if g.League == "nhl" && hasTag(g, simulator.TagOvertime) {
			nhlOT = g
		}
	}
	require.NotEmpty(t, nflTie.ID)
	require.NotEmpty(t, nhlOT.ID)
	r := tr.RecordOf("nfl", nflTie.Home.Abbreviation)
	assert.Equal(t, 1, r.Ties)
	assert.Equal(t, r.GamesPlayed, r.Wins+r.Losses+r.Ties)
	loser := nhlOT.Home.Abbreviation
	if nhlOT.Final.Winner == loser {
		loser = nhlOT.Away.Abbreviation
	}
	r = tr.RecordOf("nhl", loser)
	assert.Positive(t, r.OTLosses)
	assert.Equal(t, r.GamesPlayed, r.Wins+r.Losses+r.OTLosses)
	games, points := 0, 0
	for _, g := range tr.Games {
		if g.League == "nhl" && g.Final != nil && (g.Home.Abbreviation == loser || g.Away.Abbreviation == loser) {
			games++
			if g.Home.Abbreviation == loser {
				points += g.Final.Home
			} else {
				points += g.Final.Away
			}
		}
	}
	assert.Equal(t, games, r.GamesPlayed)
	assert.Equal(t, points, r.PointsFor)
	assert.Equal(t, simulator.Record{}, tr.RecordOf("nhl", "XYZ"))
}

// Same seed, same bytes at the same simulated time; another seed, another
// week.
func TestDeterministic(t *testing.T) {
	a := newSim(t, simulator.Options{Seed: 11})
	b := newSim(t, simulator.Options{Seed: 11})
	c := newSim(t, simulator.Options{Seed: 12})
	differs := false
	for _, h := range []time.Duration{0, 90 * time.Minute, 3 * time.Hour, 9 * time.Hour, 33 * time.Hour, 100 * time.Hour} {
		at := sunday.Add(h)
		for _, key := range []string{"nfl", "nhl"} {
			ba, err := a.ScoreboardAt(at, key, at)
			require.NoError(t, err)
			bb, err := b.ScoreboardAt(at, key, at)
			require.NoError(t, err)
			require.True(t, bytes.Equal(ba, bb), "%s at %s", key, at)
			ma, _ := a.ScoreboardMonthAt(at, key, at)
			mb, _ := b.ScoreboardMonthAt(at, key, at)
			require.True(t, bytes.Equal(ma, mb))
			bc, _ := c.ScoreboardAt(at, key, at)
			differs = differs || !bytes.Equal(ba, bc)
		}
		sa, err := a.TeamScheduleAt(at, "nhl", "BOS", 0)
		require.NoError(t, err)
		sb, err := b.TeamScheduleAt(at, "nhl", "bos", 0)
		require.NoError(t, err)
		require.True(t, bytes.Equal(sa, sb))
	}
	assert.True(t, differs, "another seed plays other games")
	assert.Equal(t, a.TruthAt(sunday.Add(50*time.Hour)), b.TruthAt(sunday.Add(50*time.Hour)))
}

func TestOptionsAreChecked(t *testing.T) {
	for name, o := range map[string]simulator.Options{
		"unknown league":  {Leagues: []string{"curling"}},
		"unsimulated":     {Leagues: []string{"mlb"}},
		"negative speed":  {Speed: -1},
		"too many days":   {Days: 400},
		"negative days":   {Days: -1},
		"rate above one":  {Faults: simulator.Faults{ErrorRate: 1.5}},
		"rates above one": {Faults: simulator.Faults{ErrorRate: 0.6, TimeoutRate: 0.6}},
		"negative rate":   {Faults: simulator.Faults{InvalidJSONRate: -0.1}},
		"negative hold":   {Faults: simulator.Faults{Timeout: -time.Second}},
	} {
		o.Start = sunday
		_, err := simulator.New(o)
		assert.Error(t, err, name)
	}
	s := newSim(t, simulator.Options{Seed: 1})
	assert.Error(t, s.SetFaults(simulator.Faults{TimeoutRate: 2}))
	assert.NoError(t, s.SetFaults(simulator.Faults{TimeoutRate: 0.5, Timeout: time.Second}))
	_, err := s.ScoreboardAt(sunday, "nba", sunday)
	assert.Error(t, err)
}

// With a one-day window the Sunday still holds games, and a postponement
// that has no free later day is never replayed.
func TestShortWindow(t *testing.T) {
	s := newSim(t, simulator.Options{Seed: 8, Days: 1})
	tr := everything(s)
	require.NotEmpty(t, tr.Games)
	for _, g := range tr.Games {
		assert.Equal(t, midnight(sunday), midnight(g.Scheduled), g.ID)
		if hasTag(g, simulator.TagPostponed) {
			assert.Nil(t, g.Final, g.ID)
			assert.True(t, g.Start.IsZero(), g.ID)
			assert.Empty(t, g.ReplayID, g.ID)
		}
	}
	assert.True(t, s.OverAt().After(sunday))
}

// Simulations of every league built at the same time (run with -race): the
// teams of each league are loaded once, by whichever comes first.
func TestSimulationsCanBeBuiltSideBySide(t *testing.T) {
	var wg sync.WaitGroup
	for range 3 {
		for _, key := range []string{"nfl", "nhl", "mls"} {
			wg.Go(func() {
				_, err := simulator.New(simulator.Options{Start: time.Date(2026, 9, 13, 12, 0, 0, 0, time.UTC),
					Speed: 60, Seed: 1, Leagues: []string{key}, Days: 1})
				if err != nil {
					t.Errorf("%s: %v", key, err)
				}
			})
		}
	}
	wg.Wait()
}
