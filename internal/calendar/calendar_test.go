package calendar

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/calendar/icaltest"
	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/recorder"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/writer"
	"github.com/sports-data/sports-data/internal/teams"
)

func mustLeague(t testing.TB, key string) league.League {
	t.Helper()
	l, ok := league.Lookup(key)
	require.True(t, ok, key)
	return l
}

// stored is a store holding what the recorder wrote of some games, as
// the service stores a team's schedule.
type stored struct {
	st    store.Store
	w     *writer.Writer
	rec   *recorder.Recorder
	clock *fakeclock.Clock
}

func newStored(t *testing.T, open func(testing.TB) store.Store, now time.Time) *stored {
	t.Helper()
	s := &stored{st: open(t), clock: fakeclock.New(now)}
	w, err := writer.New(s.st, writer.Options{SpoolDir: filepath.Join(t.TempDir(), "spool"), FlushInterval: time.Hour})
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.Close(context.Background()) })
	s.w, s.rec = w, recorder.New(w, s.clock.Now, nil)
	return s
}

func (s *stored) observe(t *testing.T, leagueKey string, games []game.Game) {
	t.Helper()
	s.rec.Observe(leagueKey, games)
	require.NoError(t, s.w.Flush(t.Context()))
}

func schedule(t *testing.T, key, rel string) []game.Game {
	t.Helper()
	games, err := espn.ParseSchedule(espntest.Load(t, rel), mustLeague(t, key))
	require.NoError(t, err)
	return games
}

func match(l league.League, abbr, name, espnID string) teams.Match {
	return teams.Match{League: l, Team: game.Team{ID: game.TeamID(l.Key, abbr), Abbreviation: abbr, Name: name, ESPNID: espnID}}
}

var kc = match(mustLeagueOrPanic("nfl"), "KC", "Kansas City Chiefs", "12")

func mustLeagueOrPanic(key string) league.League {
	l, ok := league.Lookup(key)
	if !ok {
		panic(key)
	}
	return l
}

// The Chiefs' captured 2023 season as a feed: the library Home
// Assistant's Remote Calendar reads feeds with reads every one of its 17
// games, with its UID, start and expected end, the opponent and side in
// the summary, the venue, TV and final score.
func TestAFeedOfARealSeason(t *testing.T) {
	now := time.Date(2024, 1, 10, 12, 0, 0, 0, time.UTC) // the season is over
	s := newStored(t, historytest.SQLite, now)
	s.observe(t, "nfl", schedule(t, "nfl", "nfl/team-12-kc-schedule-2023-season-final.json"))
	feed, err := New(s.st, Options{Now: s.clock.Now, Version: "test"}).Feed(t.Context(), []teams.Match{kc})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(feed), "BEGIN:VCALENDAR\r\n"), "CRLF lines")
	for _, line := range strings.Split(string(feed), "\r\n") {
		assert.LessOrEqual(t, len(line), 75, "folded at 75 octets: %q", line)
	}

	for _, r := range icaltest.Parse(t, feed, now) {
		require.Len(t, r.Events, 17, "ical %s", r.Version)
		first := r.Events[0]
		assert.Equal(t, "nfl-401547353@sports-data", first.UID)
		assert.Equal(t, "Kansas City Chiefs vs Detroit Lions (DET 21-20 KC)", first.Summary)
		assert.Equal(t, "2023-09-08T00:20:00+00:00", first.Start)
		assert.Equal(t, "2023-09-08T03:50:00+00:00", first.End, "three and a half hours: the NFL's usual length")
		require.NotNil(t, first.Location)
		assert.Equal(t, "GEHA Field at Arrowhead Stadium", *first.Location)
		require.NotNil(t, first.Description)
		assert.Contains(t, *first.Description, "TV: NBC")
		assert.Contains(t, *first.Description, "Final: Detroit Lions 21, Kansas City Chiefs 20")
		assert.Equal(t, "CONFIRMED", *first.Status)
		away := 0
		for _, e := range r.Events {
			if strings.Contains(e.Summary, "Kansas City Chiefs at ") {
				away++
			}
		}
		assert.Equal(t, 8, away, "eight away games")
		assert.Nil(t, r.Next, "nothing after the season")
	}
}

// The next game as Home Assistant shows it: the Lakers' captured
// schedule on the day it was taken.
func TestTheNextGameAsHomeAssistantShowsIt(t *testing.T) {
	now := time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC)
	s := newStored(t, historytest.SQLite, now)
	s.observe(t, "nba", schedule(t, "nba", "nba/team-schedule-13-2026-05-03-future-games.json"))
	lal := match(mustLeague(t, "nba"), "LAL", "Los Angeles Lakers", "13")
	feed, err := New(s.st, Options{Now: s.clock.Now}).Feed(t.Context(), []teams.Match{lal})
	require.NoError(t, err)
	for _, r := range icaltest.Parse(t, feed, now) {
		assert.Len(t, r.Events, 13)
		require.NotNil(t, r.Next, "ical %s", r.Version)
		assert.Equal(t, "nba-401871326@sports-data", r.Next.UID)
		assert.Equal(t, "Los Angeles Lakers at Oklahoma City Thunder", r.Next.Summary)
		assert.Equal(t, "2026-05-06T00:30:00+00:00", r.Next.Start)
		assert.Equal(t, "Paycom Center", *r.Next.Location)
		assert.Contains(t, *r.Next.Description, "TV: NBC, Peacock")
	}
}

// ESPN moving a game raises its SEQUENCE and LAST-MODIFIED; a postponed
// game is CANCELLED and raises them again; a result alone moves
// LAST-MODIFIED only. Derived from the Lakers' schedule: their next game
// moved a day, then postponed.
func TestAMovedGameRaisesSequenceAndAPostponedOneIsCancelled(t *testing.T) {
	first := time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC)
	s := newStored(t, historytest.SQLite, first)
	games := schedule(t, "nba", "nba/team-schedule-13-2026-05-03-future-games.json")
	s.observe(t, "nba", games)
	lal := match(mustLeague(t, "nba"), "LAL", "Los Angeles Lakers", "13")
	svc := New(s.st, Options{Now: s.clock.Now})
	next := func(r icaltest.Read) icaltest.Event {
		for _, e := range r.Events {
			if e.UID == "nba-401871326@sports-data" {
				return e
			}
		}
		t.Fatalf("no event of the game in ical %s", r.Version)
		return icaltest.Event{}
	}
	feed, err := svc.Feed(t.Context(), []teams.Match{lal})
	require.NoError(t, err)
	for _, r := range icaltest.Parse(t, feed, first) {
		assert.Equal(t, 0, *next(r).Sequence)
		assert.Equal(t, "2026-05-03T12:00:00+00:00", *next(r).LastModified)
	}

	moved := s.clock.Add(time.Hour)
	for i := range games {
		if games[i].ID == "401871326" {
			games[i].Start = games[i].Start.Add(24 * time.Hour)
		}
	}
	s.observe(t, "nba", games)
	feed, err = svc.Feed(t.Context(), []teams.Match{lal})
	require.NoError(t, err)
	for _, r := range icaltest.Parse(t, feed, first) {
		e := next(r)
		assert.Equal(t, 1, *e.Sequence)
		assert.Equal(t, moved.Format("2006-01-02T15:04:05+00:00"), *e.LastModified)
		assert.Equal(t, "2026-05-07T00:30:00+00:00", e.Start)
	}

	s.clock.Add(time.Hour)
	for i := range games {
		if games[i].ID == "401871326" {
			games[i].Status = game.StatusPostponed
		}
	}
	s.observe(t, "nba", games)
	feed, err = svc.Feed(t.Context(), []teams.Match{lal})
	require.NoError(t, err)
	for _, r := range icaltest.Parse(t, feed, first) {
		e := next(r)
		assert.Equal(t, 2, *e.Sequence)
		assert.Equal(t, "CANCELLED", *e.Status)
		assert.Contains(t, e.Summary, "(postponed)")
	}
}

// The same games give the same feed, byte for byte, whatever the store
// kind and however often it is asked: UIDs, DTSTAMP and LAST-MODIFIED
// come from the stored rows, not from the clock of the request.
func TestTheFeedIsTheSameOnEveryStoreKind(t *testing.T) {
	now := time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC)
	games := schedule(t, "nba", "nba/team-schedule-13-2026-05-03-future-games.json")
	lal := match(mustLeague(t, "nba"), "LAL", "Los Angeles Lakers", "13")
	var feeds []string
	for _, k := range historytest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			s := newStored(t, k.Open, now)
			s.observe(t, "nba", games)
			s.clock.Add(time.Hour)
			svc := New(s.st, Options{Now: s.clock.Now, Version: "test"})
			a, err := svc.Feed(t.Context(), []teams.Match{lal})
			require.NoError(t, err)
			s.clock.Add(time.Minute)
			b, err := svc.Feed(t.Context(), []teams.Match{lal})
			require.NoError(t, err)
			assert.Equal(t, string(a), string(b))
			feeds = append(feeds, string(a))
		})
	}
	for _, f := range feeds[1:] {
		assert.Equal(t, feeds[0], f)
	}
}

// One feed for several teams: each game once, a game between two of them
// named from neither side.
func TestOneFeedForSeveralTeams(t *testing.T) {
	now := time.Date(2024, 1, 10, 12, 0, 0, 0, time.UTC)
	s := newStored(t, historytest.SQLite, now)
	s.observe(t, "nfl", schedule(t, "nfl", "nfl/team-12-kc-schedule-2023-season-final.json"))
	det := match(mustLeague(t, "nfl"), "DET", "Detroit Lions", "8")
	feed, err := New(s.st, Options{Now: s.clock.Now}).Feed(t.Context(), []teams.Match{kc, det})
	require.NoError(t, err)
	for _, r := range icaltest.Parse(t, feed, now) {
		assert.Len(t, r.Events, 17, "the opener once")
		assert.Equal(t, "Detroit Lions at Kansas City Chiefs (DET 21-20 KC)", r.Events[0].Summary)
		if r.Name != nil { // read by the newer releases
			assert.Equal(t, "Kansas City Chiefs, Detroit Lions", *r.Name)
		}
	}
	assert.Contains(t, string(feed), "\r\nX-WR-CALNAME:Kansas City Chiefs\\, Detroit Lions\r\n")
	_, err = New(s.st, Options{}).Feed(t.Context(), nil)
	assert.Error(t, err)
}

// What ESPN writes is text, not iCalendar: commas, semicolons, a
// backslash and a line break in a venue read back as written. Derived.
func TestTextIsEscaped(t *testing.T) {
	now := time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC)
	s := newStored(t, historytest.SQLite, now)
	games := schedule(t, "nba", "nba/team-schedule-13-2026-05-03-future-games.json")
	odd := "Paycom Center; Oklahoma City, OK \\ \"Loud City\"\nGate 4"
	for i := range games {
		games[i].Venue = odd
	}
	s.observe(t, "nba", games)
	lal := match(mustLeague(t, "nba"), "LAL", "Los Angeles Lakers", "13")
	feed, err := New(s.st, Options{Now: s.clock.Now}).Feed(t.Context(), []teams.Match{lal})
	require.NoError(t, err)
	for _, r := range icaltest.Parse(t, feed, now) {
		assert.Equal(t, odd, *r.Next.Location, "ical %s", r.Version)
	}
}
