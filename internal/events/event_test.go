package events

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/events/eventstest"
	"github.com/sports-data/sports-data/internal/game"
)

func types(evs []Event) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

func TestDetectTransitions(t *testing.T) {
	base := eventstest.Find(t, eventstest.Scoreboard(t), eventstest.MiaNE)
	s := func(st game.Status, h, a int) game.Game { return eventstest.With(base, st, h, a, 1, "10:00") }
	cases := []struct {
		name       string
		prev, next game.Game
		want       []string
	}{
		{"kick-off", s(game.StatusScheduled, 0, 0), s(game.StatusLive, 0, 0), []string{GameStart}},
		{"kick-off with early points", s(game.StatusScheduled, 0, 0), s(game.StatusLive, 0, 7), []string{GameStart, ScoreChange}},
		{"score while live", s(game.StatusLive, 0, 0), s(game.StatusLive, 7, 0), []string{ScoreChange}},
		{"both score in one interval", s(game.StatusLive, 7, 0), s(game.StatusLive, 10, 7), []string{ScoreChange}},
		{"score goes down", s(game.StatusLive, 7, 0), s(game.StatusLive, 0, 0), []string{ScoreChange}},
		{"clock only", s(game.StatusLive, 7, 0), eventstest.With(base, game.StatusLive, 7, 0, 3, "1:00"), nil},
		{"overtime is more periods", eventstest.With(base, game.StatusLive, 20, 20, 5, "8:00"), eventstest.With(base, game.StatusLive, 23, 20, 5, "4:12"), []string{ScoreChange}},
		{"end without late points", s(game.StatusLive, 20, 7), s(game.StatusFinal, 20, 7), []string{GameEnd}},
		{"points at the transition to final", s(game.StatusLive, 17, 7), s(game.StatusFinal, 20, 7), []string{ScoreChange, GameEnd}},
		{"whole game unobserved", s(game.StatusScheduled, 0, 0), s(game.StatusFinal, 20, 7), []string{ScoreChange, GameEnd}},
		{"postponed", s(game.StatusScheduled, 0, 0), s(game.StatusPostponed, 0, 0), nil},
		{"suspended with a late score", s(game.StatusLive, 3, 2), s(game.StatusSuspended, 4, 2), nil},
		{"canceled", s(game.StatusScheduled, 0, 0), s(game.StatusCanceled, 0, 0), nil},
		{"resumed after suspension", s(game.StatusSuspended, 3, 2), s(game.StatusLive, 3, 2), nil},
		{"resumed and scored", s(game.StatusSuspended, 3, 2), s(game.StatusLive, 4, 2), []string{ScoreChange}},
		{"postponed game played", s(game.StatusPostponed, 0, 0), s(game.StatusLive, 0, 0), []string{GameStart}},
		{"stat correction after final", s(game.StatusFinal, 20, 7), s(game.StatusFinal, 20, 8), nil},
		{"ESPN flips final back to live", s(game.StatusFinal, 20, 7), s(game.StatusLive, 20, 7), nil},
		{"scheduled to scheduled", s(game.StatusScheduled, 0, 0), s(game.StatusScheduled, 0, 0), nil},
		{"score on a scheduled game", s(game.StatusScheduled, 0, 0), s(game.StatusScheduled, 1, 0), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs := Detect(&c.prev, c.next)
			if c.want == nil {
				assert.Empty(t, evs)
				return
			}
			assert.Equal(t, c.want, types(evs))
			for _, e := range evs {
				assert.Equal(t, "nfl", e.League)
				assert.Equal(t, c.prev.Score, e.Previous)
				assert.Equal(t, c.prev.Status, e.PreviousStatus)
				assert.Equal(t, c.next, e.Game)
				assert.Len(t, e.ID, 32)
			}
		})
	}
}

func TestDetectFirstSightingIsSilent(t *testing.T) {
	g := eventstest.Find(t, eventstest.Scoreboard(t), eventstest.AtlNO)
	assert.Empty(t, Detect(nil, g))
}

func TestEventIDs(t *testing.T) {
	base := eventstest.Find(t, eventstest.Scoreboard(t), eventstest.MiaNE)
	live := func(h, a int) game.Game { return eventstest.With(base, game.StatusLive, h, a, 1, "10:00") }

	// The same happening has the same id, whatever the clock says.
	a := Detect(ptr(live(0, 0)), live(7, 0))
	b := Detect(ptr(eventstest.With(base, game.StatusLive, 0, 0, 1, "11:00")), eventstest.With(base, game.StatusLive, 7, 0, 2, "3:00"))
	require.Len(t, a, 1)
	require.Len(t, b, 1)
	assert.Equal(t, a[0].ID, b[0].ID)

	// A team scoring twice in a row: two events, two ids.
	first := Detect(ptr(live(0, 0)), live(7, 0))[0]
	second := Detect(ptr(live(7, 0)), live(14, 0))[0]
	assert.NotEqual(t, first.ID, second.ID)

	// Different games and leagues never share ids.
	other := base
	other.ID = "401437631"
	assert.NotEqual(t, first.ID, Detect(ptr(eventstest.With(other, game.StatusLive, 0, 0, 1, "")), eventstest.With(other, game.StatusLive, 7, 0, 1, ""))[0].ID)
	nhl := base
	nhl.League = "NHL"
	assert.NotEqual(t, first.ID, Detect(ptr(eventstest.With(nhl, game.StatusLive, 0, 0, 1, "")), eventstest.With(nhl, game.StatusLive, 7, 0, 1, ""))[0].ID)

	// 7-0 → 0-0 → 7-0: the re-score after the correction is a new event.
	evs, c := detect(snapshot{Status: game.StatusLive}, live(7, 0), 0)
	id1 := evs[0].ID
	evs, c = detect(snapshot{Status: game.StatusLive, Score: game.Score{Home: 7}}, live(0, 0), c)
	idDown := evs[0].ID
	evs, c = detect(snapshot{Status: game.StatusLive}, live(7, 0), c)
	id2 := evs[0].ID
	assert.Equal(t, 1, c)
	assert.NotEqual(t, id1, id2)
	assert.NotEqual(t, id1, idDown)
	assert.NotEqual(t, idDown, id2)

	// game_start and game_end are one each per game (and per final score).
	s1 := Detect(ptr(eventstest.With(base, game.StatusScheduled, 0, 0, 0, "")), live(0, 0))[0]
	s2 := Detect(ptr(eventstest.With(base, game.StatusPostponed, 0, 0, 0, "")), live(0, 0))[0]
	assert.Equal(t, s1.ID, s2.ID)
	e1 := Detect(ptr(live(20, 7)), eventstest.With(base, game.StatusFinal, 20, 7, 4, ""))
	e2 := Detect(ptr(live(20, 7)), eventstest.With(base, game.StatusFinal, 20, 10, 4, ""))
	assert.NotEqual(t, e1[0].ID, e2[len(e2)-1].ID)
}

func TestPayloadPerspective(t *testing.T) {
	base := eventstest.Find(t, eventstest.Scoreboard(t), eventstest.MiaNE) // home MIA, away NE
	prev := eventstest.With(base, game.StatusLive, 17, 7, 4, "0:10")
	next := eventstest.With(base, game.StatusFinal, 20, 7, 4, "0:00")
	evs := Detect(&prev, next)
	require.Equal(t, []string{ScoreChange, GameEnd}, types(evs))
	at := time.Date(2022, 9, 11, 20, 14, 5, 0, time.UTC)

	ne := observedAt(evs[0], at).Payload("NE")
	assert.Equal(t, "NE", ne.Team)
	assert.Equal(t, "MIA", ne.Opponent)
	assert.Equal(t, 0, ne.ScoreChange)
	assert.Equal(t, 3, ne.OpponentScoreChange)
	assert.Equal(t, 7, ne.TeamScore)
	assert.Equal(t, 20, ne.OpponentScore)
	assert.Equal(t, "MIA", *ne.ScoringTeam)
	assert.Equal(t, "2022-09-11T20:14:05Z", ne.Timestamp)
	assert.Empty(t, ne.Winner)

	mia := observedAt(evs[0], at).Payload("MIA")
	assert.Equal(t, 3, mia.ScoreChange)
	assert.Equal(t, 0, mia.OpponentScoreChange)

	all := observedAt(evs[0], at).Payload("")
	assert.Equal(t, "MIA", all.Team, "a webhook without a team sees the home side")
	assert.Equal(t, 3, all.ScoreChange, "total points added")

	end := observedAt(evs[1], at).Payload("NE")
	assert.Equal(t, "MIA", end.Winner)
	assert.Equal(t, "loss", end.Result)
	assert.Equal(t, "win", observedAt(evs[1], at).Payload("MIA").Result)
	endAll := observedAt(evs[1], at).Payload("")
	assert.Equal(t, "MIA", endAll.Winner)
	assert.Empty(t, endAll.Result)

	tie := eventstest.With(base, game.StatusFinal, 20, 20, 5, "0:00")
	tp := observedAt(Detect(ptr(eventstest.With(base, game.StatusLive, 20, 20, 5, "0:01")), tie)[0], at).Payload("NE")
	assert.Equal(t, "tie", tp.Winner)
	assert.Equal(t, "tie", tp.Result)

	both := observedAt(Detect(ptr(eventstest.With(base, game.StatusLive, 7, 0, 2, "")), eventstest.With(base, game.StatusLive, 10, 7, 2, ""))[0], at).Payload("NE")
	assert.Equal(t, "both", *both.ScoringTeam)
	assert.Equal(t, 7, both.ScoreChange)
	assert.Equal(t, 3, both.OpponentScoreChange)

	down := observedAt(Detect(ptr(eventstest.With(base, game.StatusLive, 0, 7, 2, "")), eventstest.With(base, game.StatusLive, 0, 0, 2, ""))[0], at).Payload("NE")
	assert.Nil(t, down.ScoringTeam)
	assert.Equal(t, -7, down.ScoreChange)
	assert.Equal(t, -7, down.AwayDiff)
}

// The body's field names and their order are the documented ones.
func TestPayloadFieldNames(t *testing.T) {
	base := eventstest.Find(t, eventstest.Scoreboard(t), eventstest.MiaNE)
	ev := Detect(ptr(eventstest.With(base, game.StatusLive, 7, 10, 2, "")), eventstest.With(base, game.StatusLive, 14, 10, 2, "4:12"))[0]
	want := []string{"event", "event_type", "event_id", "webhook_id", "league", "game_id", "team", "opponent",
		"home_team", "away_team", "home_team_name", "away_team_name", "score", "previous_score", "home_diff", "away_diff",
		"score_change", "opponent_score_change", "scoring_team", "team_score", "opponent_score",
		"status", "period", "clock", "status_detail", "timestamp", "occurred_at"}
	assert.Equal(t, want, topKeys(t, encode(observedAt(ev, time.Now()).Payload("MIA"))))

	end := Detect(ptr(eventstest.With(base, game.StatusLive, 14, 10, 4, "")), eventstest.With(base, game.StatusFinal, 14, 10, 4, ""))[0]
	assert.Equal(t, append(append([]string{}, want...), "winner", "result"),
		topKeys(t, encode(observedAt(end, time.Now()).Payload("MIA"))))

	var p map[string]any
	require.NoError(t, json.Unmarshal(encode(observedAt(ev, time.Now()).Payload("MIA")), &p))
	assert.Equal(t, "NFL", p["league"])
	assert.Equal(t, "Miami Dolphins", p["home_team_name"])
	assert.Equal(t, "New England Patriots", p["away_team_name"])
	assert.Equal(t, map[string]any{"home": 14.0, "away": 10.0}, p["score"])
	assert.Equal(t, map[string]any{"home": 7.0, "away": 10.0}, p["previous_score"])
}

// observedAt is ev as the Detector hands it on: observed at at.
func observedAt(ev Event, at time.Time) Event {
	ev.Observed = at
	return ev
}

func topKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return keys
}

func TestStale(t *testing.T) {
	g := eventstest.Find(t, eventstest.Scoreboard(t), eventstest.MiaNE) // kick-off 2022-09-11T17:00Z
	final := eventstest.With(g, game.StatusFinal, 20, 7, 4, "0:00")
	kick := time.Date(2022, 9, 11, 17, 0, 0, 0, time.UTC)
	h := time.Hour
	// Seeded (never observed): judged by start + the NFL's game length (3h30).
	assert.False(t, stale(final, time.Time{}, kick.Add(4*h), h))
	assert.True(t, stale(final, time.Time{}, kick.Add(5*h), h))
	// Seen unfinished within the hour: cannot have been over longer.
	assert.False(t, stale(final, kick.Add(4*h+30*time.Minute), kick.Add(5*h), h))
	// Seen long ago (the poller could not reach ESPN): the estimate decides.
	assert.True(t, stale(final, kick.Add(2*h), kick.Add(5*h), h))
	assert.False(t, stale(final, kick.Add(2*h), kick.Add(4*h), h))
	// Only endings are ever stale.
	assert.False(t, stale(eventstest.With(g, game.StatusLive, 20, 7, 4, ""), time.Time{}, kick.Add(9*h), h))
	// No start time known: never judged stale.
	noStart := final
	noStart.Start, noStart.StartTime = time.Time{}, ""
	assert.False(t, stale(noStart, time.Time{}, kick.Add(48*h), h))
	// The start string alone is enough.
	strOnly := final
	strOnly.Start = time.Time{}
	assert.True(t, stale(strOnly, time.Time{}, kick.Add(5*h), h))
}

func BenchmarkDetect(b *testing.B) {
	g := eventstest.Find(b, eventstest.Scoreboard(b), eventstest.MiaNE)
	prev := eventstest.With(g, game.StatusLive, 17, 7, 4, "0:10")
	next := eventstest.With(g, game.StatusFinal, 20, 7, 4, "0:00")
	same := eventstest.With(g, game.StatusLive, 17, 7, 4, "0:05")
	b.Run("change", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(Detect(&prev, next)) != 2 {
				b.Fatal("expected two events")
			}
		}
	})
	b.Run("no-change", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(Detect(&prev, same)) != 0 {
				b.Fatal("expected none")
			}
		}
	})
}
