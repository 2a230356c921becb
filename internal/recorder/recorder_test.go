package recorder

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

// Captures (testdata/espn, see SOURCES.md there).
const (
	nflLive    = "nfl/scoreboard-2022-wk1-sun-live-mixed.json"
	nflPre     = "nfl/scoreboard-2023-wk5-all-pre-odds.json"
	nhlLiveOT  = "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json"
	mlbMixed   = "mlb/scoreboard-2025-06-04-live-final-postponed.json"
	houInd     = "401437637" // NFL, IND at HOU, 20-20 with 1:01 left in the 4th
	neMia      = "401437630" // NFL, NE at MIA, final 7-20
	nygTen     = "401437640" // NFL, NYG at TEN, scheduled
	cbjPit     = "401461562" // NHL, CBJ at PIT, final 2-3 in overtime (period 4)
	anaAri     = "401461456" // NHL, ANA at ARI, live 3-1 in the 3rd
	vanCgy     = "401461557" // NHL, VAN at CGY, scheduled
	kcStl      = "401695827" // MLB, KC at STL, postponed
	chiWsh2023 = "401547457" // NFL, CHI at WSH, scheduled
)

func parse(t testing.TB, rel string) []game.Game {
	t.Helper()
	l, ok := league.Lookup(rel[:3])
	require.True(t, ok)
	games, err := espn.ParseScoreboard(espntest.Load(t, rel), l)
	require.NoError(t, err)
	require.NotEmpty(t, games)
	return games
}

func find(t testing.TB, games []game.Game, id string) *game.Game {
	t.Helper()
	for i := range games {
		if games[i].ID == id {
			return &games[i]
		}
	}
	t.Fatalf("game %s not in the capture", id)
	return nil
}

// queue collects what the recorder enqueues, in order.
type queue struct {
	mu     sync.Mutex
	points []store.Point
}

func (q *queue) Enqueue(points ...store.Point) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.points = append(q.points, points...)
}

// take returns what was enqueued since the last take.
func (q *queue) take() []store.Point {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.points
	q.points = nil
	return out
}

// observed is a recorder that has taken a first poll of the capture (and
// its points), the poll's games and its clock.
func observed(t *testing.T, leagueKey, capture string) (*Recorder, *queue, *fakeclock.Clock, []game.Game) {
	t.Helper()
	r, q, c := newRecorder()
	games := parse(t, capture)
	r.Observe(leagueKey, games)
	q.take()
	return r, q, c, games
}

func newRecorder() (*Recorder, *queue, *fakeclock.Clock) {
	q := &queue{}
	c := fakeclock.New(time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC))
	return New(q, c.Now, nil), q, c
}

func series(points []store.Point, s string) []store.Point {
	var out []store.Point
	for _, p := range points {
		if p.Series == s {
			out = append(out, p)
		}
	}
	return out
}

func ofGame(points []store.Point, id string) []store.Point {
	var out []store.Point
	for _, p := range points {
		if p.GameID == id {
			out = append(out, p)
		}
	}
	return out
}

// next observes a derived snapshot: the capture with one game changed.
func next(games []game.Game, id string, change func(g *game.Game)) []game.Game {
	out := slices.Clone(games)
	for i := range out {
		if out[i].ID == id {
			change(&out[i])
		}
	}
	return out
}

func TestFirstSightWritesAScorePointAndAGamesRow(t *testing.T) {
	r, q, c := newRecorder()
	games := parse(t, nflLive)
	r.Observe("nfl", games)
	got := q.take()
	require.Len(t, series(got, store.SeriesScores), len(games))
	require.Len(t, series(got, store.SeriesGames), len(games))

	pts := ofGame(got, houInd)
	require.Len(t, pts, 2)
	sp, gp := pts[0], pts[1]
	assert.Equal(t, store.Point{
		Series: store.SeriesScores, League: "nfl", Time: c.Now(),
		GameID: houInd, Season: 2022, SeasonType: 2, Week: 1,
		HomeTeam: "HOU", AwayTeam: "IND", Status: "live",
		HomeScore: 20, AwayScore: 20, Period: 4, TimeRemaining: "1:01", StatusDetail: "1:01 - 4th",
	}, sp)
	assert.Equal(t, store.Point{
		Series: store.SeriesGames, League: "nfl", Time: time.Date(2022, 9, 11, 17, 0, 0, 0, time.UTC),
		GameID: houInd, Season: 2022, SeasonType: 2, Week: 1,
		HomeTeam: "HOU", AwayTeam: "IND", Status: "live",
		HomeScore: 20, AwayScore: 20, Period: 4, TimeRemaining: "1:01", StatusDetail: "1:01 - 4th",
		HomeTeamID: "34", AwayTeamID: "11", HomeTeamName: "Houston Texans", AwayTeamName: "Indianapolis Colts",
		Venue: "NRG Stadium", Broadcasts: "CBS", ObservedAt: c.Now(), ScheduleChangedAt: c.Now(),
	}, gp)

	final := ofGame(got, neMia)
	require.Len(t, final, 2)
	assert.Equal(t, "finished", final[0].Status, "storage says finished where the API says final")
	assert.Equal(t, [2]int{20, 7}, [2]int{final[0].HomeScore, final[0].AwayScore})

	pre := ofGame(got, nygTen)
	require.Len(t, pre, 2)
	assert.Equal(t, "scheduled", pre[0].Status)
	assert.Zero(t, pre[0].Period, "ESPN's period 1 / 15:00 of a pre game is not recorded")
}

func TestSamePollAgainWritesNothing(t *testing.T) {
	r, q, c := newRecorder()
	games := parse(t, nflLive)
	r.Observe("nfl", games)
	require.NotEmpty(t, q.take())
	for range 5 {
		c.Add(15 * time.Second)
		r.Observe("nfl", parse(t, nflLive))
	}
	assert.Empty(t, q.take(), "never one point per poll")
}

// Derived from the NFL live capture: the clock runs, nothing else moves.
func TestClockOnlyChangeWritesNothing(t *testing.T) {
	r, q, c, games := observed(t, "nfl", nflLive)
	c.Add(15 * time.Second)
	r.Observe("nfl", next(games, houInd, func(g *game.Game) {
		g.Period.TimeRemaining = "0:46"
		g.StatusDetail = "0:46 - 4th"
	}))
	assert.Empty(t, q.take())
}

// Derived: HOU kicks a field goal.
func TestScoreChangeWritesOnePointAndARowRewrite(t *testing.T) {
	r, q, c, games := observed(t, "nfl", nflLive)
	at := c.Add(15 * time.Second)
	r.Observe("nfl", next(games, houInd, func(g *game.Game) {
		g.Score.Home += 3
		g.Period.TimeRemaining = "0:58"
	}))
	got := q.take()
	require.Len(t, got, 2, "only the game that changed")
	sp, gp := got[0], got[1]
	assert.Equal(t, store.SeriesScores, sp.Series)
	assert.Equal(t, houInd, sp.GameID)
	assert.Equal(t, at, sp.Time)
	assert.Equal(t, [2]int{23, 20}, [2]int{sp.HomeScore, sp.AwayScore})
	assert.Equal(t, "0:58", sp.TimeRemaining)
	assert.Equal(t, store.SeriesGames, gp.Series)
	assert.Equal(t, time.Date(2022, 9, 11, 17, 0, 0, 0, time.UTC), gp.Time, "games rows stay at the scheduled start")
	assert.Equal(t, at, gp.ObservedAt)
	assert.Equal(t, 23, gp.HomeScore)
}

// Derived: a touchdown and a field goal between two polls.
func TestBothTeamsScoringBetweenPollsIsOnePoint(t *testing.T) {
	r, q, c, games := observed(t, "nfl", nflLive)
	c.Add(15 * time.Second)
	r.Observe("nfl", next(games, houInd, func(g *game.Game) {
		g.Score.Home += 7
		g.Score.Away += 3
	}))
	got := series(q.take(), store.SeriesScores)
	require.Len(t, got, 1)
	assert.Equal(t, [2]int{27, 23}, [2]int{got[0].HomeScore, got[0].AwayScore})
}

// Derived: a touchdown is called back on review.
func TestScoreGoingDownIsRecorded(t *testing.T) {
	r, q, c, games := observed(t, "nfl", nflLive)
	c.Add(15 * time.Second)
	scored := next(games, houInd, func(g *game.Game) { g.Score.Home += 6 })
	r.Observe("nfl", scored)
	require.Len(t, series(q.take(), store.SeriesScores), 1)
	c.Add(15 * time.Second)
	r.Observe("nfl", games) // back to 20-20
	got := series(q.take(), store.SeriesScores)
	require.Len(t, got, 1)
	assert.Equal(t, [2]int{20, 20}, [2]int{got[0].HomeScore, got[0].AwayScore})
}

// Derived from the NFL live capture (no NFL overtime was ever captured):
// HOU/IND go to overtime tied, then the game ends in overtime.
func TestNFLOvertime(t *testing.T) {
	r, q, c, games := observed(t, "nfl", nflLive)

	c.Add(time.Minute)
	endOfRegulation := next(games, houInd, func(g *game.Game) {
		g.Period.TimeRemaining, g.StatusDetail = "0:00", "End of 4th"
	})
	r.Observe("nfl", endOfRegulation)
	assert.Empty(t, q.take(), "the clock running out is not a change")

	c.Add(time.Minute)
	ot := next(games, houInd, func(g *game.Game) {
		g.Period.Current, g.Period.TimeRemaining, g.StatusDetail = 5, "10:00", "10:00 - OT"
	})
	require.True(t, find(t, ot, houInd).Overtime())
	r.Observe("nfl", ot)
	got := series(q.take(), store.SeriesScores)
	require.Len(t, got, 1)
	assert.Equal(t, 5, got[0].Period)
	assert.Equal(t, "live", got[0].Status)

	c.Add(time.Minute)
	r.Observe("nfl", next(ot, houInd, func(g *game.Game) {
		g.Status, g.Period.TimeRemaining, g.StatusDetail = game.StatusFinal, "0:00", "Final/OT"
	}))
	got = q.take()
	require.Len(t, got, 2)
	assert.Equal(t, "finished", got[0].Status)
	assert.Equal(t, 5, got[0].Period)
	assert.Equal(t, "finished", got[1].Status)
}

// Derived from an NHL overtime final of the capture: the same game one
// goal earlier, tied late in the 3rd, then in overtime, then the capture.
func TestNHLOvertime(t *testing.T) {
	r, q, c := newRecorder()
	captured := parse(t, nhlLiveOT)
	final := *find(t, captured, cbjPit)
	require.Equal(t, game.StatusFinal, final.Status)
	require.Equal(t, 4, final.Period.Current)

	third := final
	third.Status, third.Score.Home = game.StatusLive, final.Score.Home-1 // PIT won 3-2
	third.Period.Current, third.Period.TimeRemaining, third.StatusDetail = 3, "1:12", "1:12 - 3rd"
	r.Observe("nhl", []game.Game{third})
	first := q.take()
	require.Len(t, first, 2)

	c.Add(30 * time.Second)
	endOfThird := third
	endOfThird.Period.TimeRemaining, endOfThird.StatusDetail = "0:00", "End of 3rd"
	r.Observe("nhl", []game.Game{endOfThird})
	assert.Empty(t, q.take())

	c.Add(15 * time.Minute)
	ot := third
	ot.Period.Current, ot.Period.TimeRemaining, ot.StatusDetail = 4, "3:41", "3:41 - OT"
	r.Observe("nhl", []game.Game{ot})
	got := series(q.take(), store.SeriesScores)
	require.Len(t, got, 1)
	assert.Equal(t, 4, got[0].Period)

	c.Add(time.Minute)
	r.Observe("nhl", captured)
	got = ofGame(q.take(), cbjPit)
	require.Len(t, got, 2)
	assert.Equal(t, "finished", got[0].Status)
	assert.Equal(t, [2]int{3, 2}, [2]int{got[0].HomeScore, got[0].AwayScore})
	assert.Equal(t, "Final/OT", got[0].StatusDetail)
	assert.Equal(t, 4, got[0].Period)
}

// Captured: MLB's STATUS_POSTPONED at first sight.
func TestPostponedAtFirstSight(t *testing.T) {
	r, q, _ := newRecorder()
	r.Observe("mlb", parse(t, mlbMixed))
	got := ofGame(q.take(), kcStl)
	require.Len(t, got, 2)
	assert.Equal(t, "postponed", got[0].Status)
	assert.Equal(t, "postponed", got[1].Status)
}

// Derived from the NHL capture: a scheduled game is postponed.
func TestScheduledGamePostponed(t *testing.T) {
	r, q, c, games := observed(t, "nhl", nhlLiveOT)
	c.Add(5 * time.Minute)
	r.Observe("nhl", next(games, vanCgy, func(g *game.Game) {
		g.Status, g.StatusDetail = game.StatusPostponed, "Postponed"
	}))
	got := q.take()
	require.Len(t, got, 2)
	assert.Equal(t, "postponed", got[0].Status)
	assert.Equal(t, store.SeriesGames, got[1].Series)
	assert.Equal(t, "postponed", got[1].Status)
}

// Derived from the 2023 week 5 capture: the service saw the game
// scheduled, was down while it was played, and sees it final.
func TestScheduledToFinalDirectly(t *testing.T) {
	r, q, c, games := observed(t, "nfl", nflPre)
	c.Add(6 * time.Hour)
	r.Observe("nfl", next(games, chiWsh2023, func(g *game.Game) {
		g.Status, g.Score = game.StatusFinal, game.Score{Home: 20, Away: 40}
		g.Period.Current, g.Period.TimeRemaining, g.StatusDetail = 4, "0:00", "Final"
	}))
	got := q.take()
	require.Len(t, got, 2)
	assert.Equal(t, "finished", got[0].Status)
	assert.Equal(t, [2]int{20, 40}, [2]int{got[0].HomeScore, got[0].AwayScore})
	assert.Equal(t, "finished", got[1].Status)
}

// Derived: a game moved a day later (a flexed kickoff).
func TestRescheduledStartRewritesTheGamesRow(t *testing.T) {
	r, q, c, games := observed(t, "nfl", nflPre)
	c.Add(time.Hour)
	moved := find(t, games, chiWsh2023).Start.Add(24 * time.Hour)
	r.Observe("nfl", next(games, chiWsh2023, func(g *game.Game) {
		g.Start = moved
		g.StartTime = moved.Format("2006-01-02T15:04Z")
	}))
	got := q.take()
	require.Len(t, got, 1, "a new games row, no score point")
	assert.Equal(t, store.SeriesGames, got[0].Series)
	assert.Equal(t, moved, got[0].Time)
	assert.Equal(t, c.Now(), got[0].ObservedAt)
}

func TestGameWithoutStartGetsScorePointsOnly(t *testing.T) {
	r, q, c := newRecorder()
	g := *find(t, parse(t, nhlLiveOT), anaAri)
	g.Start, g.StartTime = time.Time{}, ""
	r.Observe("nhl", []game.Game{g})
	got := q.take()
	require.Len(t, got, 1)
	assert.Equal(t, store.SeriesScores, got[0].Series)

	c.Add(time.Minute)
	g.Score.Home++
	r.Observe("nhl", []game.Game{g})
	got = q.take()
	require.Len(t, got, 1)
	assert.Equal(t, store.SeriesScores, got[0].Series)
}

// A poll that lists a game twice (yesterday's and today's scoreboard).
func TestGameListedTwiceInOnePoll(t *testing.T) {
	r, q, _ := newRecorder()
	g := *find(t, parse(t, nflLive), houInd)
	r.Observe("nfl", []game.Game{g, g})
	assert.Len(t, q.take(), 2)
}

// A sparser source (a team schedule without the venue or team ids) is
// not a change and does not blank the row.
func TestSparserObservationIsNotAChange(t *testing.T) {
	r, q, c, games := observed(t, "nfl", nflLive)
	c.Add(time.Hour)
	sparse := next(games, neMia, func(g *game.Game) {
		g.Venue, g.HomeTeam.ESPNID, g.AwayTeam.Name = "", "", ""
	})
	r.Observe("nfl", sparse)
	assert.Empty(t, q.take())

	// A real change carries the known values along.
	c.Add(time.Hour)
	r.Observe("nfl", next(sparse, neMia, func(g *game.Game) { g.Score.Home = 21 }))
	got := series(q.take(), store.SeriesGames)
	require.Len(t, got, 1)
	assert.Equal(t, "Hard Rock Stadium", got[0].Venue)
	assert.Equal(t, "15", got[0].HomeTeamID)
	assert.Equal(t, "New England Patriots", got[0].AwayTeamName)
}

func TestForgetsVanishedGamesAndFinalsAfterASeason(t *testing.T) {
	r, q, c, games := observed(t, "nfl", nflLive)
	require.Equal(t, len(games), r.Known())

	c.Add(forgetAny + time.Hour)
	other := parse(t, nhlLiveOT)
	r.Observe("nhl", other)
	q.take()
	// The live and scheduled games nothing showed any more went; the two
	// NFL finals stay known.
	assert.Equal(t, 2+len(other), r.Known())

	c.Add(time.Minute)
	r.Observe("nfl", games)
	got := q.take()
	assert.Len(t, series(got, store.SeriesScores), len(games)-2, "only the forgotten unfinished games count as first sight")
	assert.Empty(t, ofGame(got, neMia))

	c.Add(forgetOver + time.Hour)
	r.Observe("mlb", nil)
	assert.Zero(t, r.Known(), "nothing lingers forever")
}

// The team schedule shows every final of the season at each daily
// refresh. After days without such a refresh (ESPN failing that endpoint,
// the refresher's retries used up), the next one must not store the
// season's finals once more.
func TestFinalShownAgainDaysLaterIsNotStoredAgain(t *testing.T) {
	r, q, c, games := observed(t, "nfl", nflLive)

	// Ten days of polls of another league, which sweep hourly.
	other := parse(t, nhlLiveOT)
	for i := 0; i < 10*24; i++ {
		c.Add(time.Hour)
		r.Observe("nhl", other)
	}
	q.take()

	r.Observe("nfl", []game.Game{*find(t, games, neMia)})
	assert.Empty(t, q.take(), "a final already recorded is not new")
}

func TestSeedSkipsWhatTheStoreAlreadyHas(t *testing.T) {
	first, q1, c := newRecorder()
	games := parse(t, nflLive)
	first.Observe("nfl", games)
	stored := q1.take()

	// The store's answer after a restart: the latest score point of the
	// unfinished games, and every games row.
	var latest []store.Point
	for _, p := range stored {
		if p.Series == store.SeriesGames || p.Status == "live" || p.Status == "scheduled" {
			latest = append(latest, p)
		}
	}
	q2 := &queue{}
	restarted := New(q2, c.Now, nil)
	restarted.Seed("nfl", latest)
	c.Add(10 * time.Minute)
	restarted.Observe("nfl", games)
	assert.Empty(t, q2.take(), "no duplicate after a restart")

	c.Add(time.Minute)
	restarted.Observe("nfl", next(games, houInd, func(g *game.Game) { g.Score.Away += 3 }))
	assert.Len(t, q2.take(), 2)
}

func TestSeedTakesTheNewestPointOfAGame(t *testing.T) {
	r, q, c := newRecorder()
	g := *find(t, parse(t, nflLive), houInd)
	older := store.Point{Series: store.SeriesScores, League: "nfl", GameID: houInd,
		Time: c.Now().Add(-time.Minute), Status: "live", HomeScore: 20, AwayScore: 20, Period: 4}
	newer := older
	newer.Time, newer.HomeScore = c.Now(), 23
	r.Seed("NFL", []store.Point{newer, older})
	g.Score.Home = 23
	r.Observe("nfl", []game.Game{g})
	assert.Len(t, series(q.take(), store.SeriesScores), 0)
}

func TestConcurrentLeagues(t *testing.T) {
	r, q, c := newRecorder()
	var wg sync.WaitGroup
	for _, rel := range []string{nflLive, nhlLiveOT, mlbMixed, nflPre} {
		games := parse(t, rel)
		wg.Go(func() {
			for i := range 50 {
				r.Observe(rel[:3], next(games, games[0].ID, func(g *game.Game) { g.Score.Home = i }))
				c.Add(time.Second)
			}
		})
	}
	wg.Wait()
	got := q.take()
	// Per league: first sight of every game, then 49 score changes of
	// one game (a point and a row each). The two NFL captures share the
	// league and the 2022 and 2023 games.
	want := 0
	for _, rel := range []string{nflLive, nhlLiveOT, mlbMixed, nflPre} {
		want += 2*len(parse(t, rel)) + 2*49
	}
	assert.Equal(t, want, len(got), fmt.Sprintf("%d points", len(got)))
}

// BenchmarkObserve is the cost of one poll of a full NFL Sunday scoreboard
// in which nothing changed, the common case.
func BenchmarkObserve(b *testing.B) {
	r, q, _ := newRecorder()
	games := parse(b, nflLive)
	r.Observe("nfl", games)
	q.take()
	b.ReportAllocs()
	for b.Loop() {
		r.Observe("nfl", games)
	}
	if len(q.take()) != 0 {
		b.Fatal("an unchanged poll wrote points")
	}
}
