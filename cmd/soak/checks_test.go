package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/simulator"
	"github.com/sports-data/sports-data/internal/webhook"
)

var t0 = time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

// overturned is an NFL game 7-0, 7-6 taken back to 7-0, final 13-10.
func overturned() simulator.GameTruth {
	return simulator.GameTruth{
		League: "nfl", ID: "1", Home: simulator.Team{Abbreviation: "NE"}, Away: simulator.Team{Abbreviation: "BUF"},
		Scheduled: at(0), Start: at(0), End: at(200),
		Statuses: []simulator.StatusChange{
			{State: "pre", Name: "STATUS_SCHEDULED"},
			{Time: at(0), State: "in", Name: "STATUS_IN_PROGRESS", Period: 1},
			{Time: at(50), State: "in", Name: "STATUS_END_PERIOD", Period: 1},
			{Time: at(52), State: "in", Name: "STATUS_IN_PROGRESS", Period: 2},
			{Time: at(200), State: "post", Name: "STATUS_FINAL", Period: 4},
		},
		Scores: []simulator.ScoreChange{
			{Time: at(10), Home: 7, Away: 0, Period: 1},
			{Time: at(60), Home: 7, Away: 6, Period: 2},
			{Time: at(62), Home: 7, Away: 0, Period: 2},
			{Time: at(100), Home: 13, Away: 0, Period: 2},
			{Time: at(200), Home: 13, Away: 10, Period: 4},
		},
		Final: &simulator.Result{Home: 13, Away: 10, Period: 4, Detail: "Final", Winner: "NE"},
	}
}

func entry(min int, status string, period, home, away int) tlEntry {
	return tlEntry{Time: at(min), Status: status, Period: period, HomeScore: home, AwayScore: away}
}

func TestTruthStatesMergeStatusesAndScores(t *testing.T) {
	got := truthStates(overturned())
	want := []gstate{
		{"scheduled", 0, 0, 0}, {"live", 1, 0, 0}, {"live", 1, 7, 0}, {"live", 2, 7, 0},
		{"live", 2, 7, 6}, {"live", 2, 7, 0}, {"live", 2, 13, 0}, {"final", 4, 13, 10},
	}
	assert.Equal(t, want, got, "the end of period 1 is live P1 like the period, so it collapses")
}

func TestCheckTimeline(t *testing.T) {
	g := overturned()
	final := &score{13, 10}
	good := timelineDoc{FinalScore: final, Timeline: []tlEntry{
		entry(-5, "scheduled", 0, 0, 0), entry(11, "live", 1, 7, 0), entry(61, "live", 2, 7, 6),
		entry(63, "live", 2, 7, 0), entry(201, "final", 4, 13, 10),
	}}
	d, o, f := checkTimeline(g, good)
	assert.Empty(t, d)
	assert.Empty(t, o)
	assert.Empty(t, f)

	dup := good
	dup.Timeline = append([]tlEntry{}, good.Timeline...)
	dup.Timeline = append(dup.Timeline[:2], append([]tlEntry{entry(12, "live", 1, 7, 0)}, dup.Timeline[2:]...)...)
	d, o, _ = checkTimeline(g, dup)
	require.Len(t, d, 1)
	assert.Contains(t, d[0], "stored twice in a row")
	assert.Empty(t, o, "a repeat is reported once, as a repeat")

	swapped := timelineDoc{FinalScore: final, Timeline: []tlEntry{
		entry(11, "live", 1, 7, 0), entry(101, "live", 2, 13, 0), entry(120, "live", 2, 7, 6), entry(201, "final", 4, 13, 10),
	}}
	_, o, _ = checkTimeline(g, swapped)
	require.Len(t, o, 1)
	assert.Contains(t, o[0], "does not follow live P2 13-0")

	invented := timelineDoc{FinalScore: final, Timeline: []tlEntry{entry(11, "live", 1, 3, 0), entry(201, "final", 4, 13, 10)}}
	_, o, _ = checkTimeline(g, invented)
	assert.Len(t, o, 1)

	wrongFinal := timelineDoc{FinalScore: &score{13, 7}, Timeline: []tlEntry{entry(101, "live", 2, 13, 0)}}
	_, _, f = checkTimeline(g, wrongFinal)
	assert.Len(t, f, 2, "wrong final score, and the last state is not final")

	_, o, _ = checkTimeline(g, timelineDoc{})
	assert.Equal(t, []string{"NFL 1 NE-BUF: nothing stored"}, o)
}

func TestCheckTimelinePostponed(t *testing.T) {
	g := simulator.GameTruth{League: "nhl", ID: "2", PostponedAt: at(0), Statuses: []simulator.StatusChange{
		{State: "pre", Name: "STATUS_SCHEDULED"}, {Time: at(0), State: "post", Name: "STATUS_POSTPONED"},
	}}
	d, o, f := checkTimeline(g, timelineDoc{Timeline: []tlEntry{entry(-10, "scheduled", 0, 0, 0), entry(1, "postponed", 0, 0, 0)}})
	assert.Empty(t, append(append(d, o...), f...))
	_, _, f = checkTimeline(g, timelineDoc{Timeline: []tlEntry{entry(-10, "scheduled", 0, 0, 0)}})
	assert.Len(t, f, 1)
}

func ev(event string, prevH, prevA, h, a int) payload {
	return payload{Event: event, PreviousScore: score{prevH, prevA}, Score: score{h, a}}
}

func TestCheckChain(t *testing.T) {
	g := overturned()
	good := []payload{
		ev("game_start", 0, 0, 0, 0), ev("score_change", 0, 0, 7, 0), ev("score_change", 7, 0, 7, 6),
		ev("score_change", 7, 6, 7, 0), ev("score_change", 7, 0, 13, 10), ev("game_end", 7, 0, 13, 10),
	}
	wrongEnd := func() []payload {
		return append(append([]payload{}, good[:5]...), ev("game_end", 7, 0, 13, 7))
	}
	assert.Empty(t, checkChain(g, good, false), "scores may be skipped between polls, not invented")

	gap := []payload{good[0], good[1], ev("score_change", 7, 6, 7, 0), good[4], good[5]}
	assert.Len(t, checkChain(g, gap, false), 1, "a missing event breaks the chain")

	backwards := []payload{good[0], ev("score_change", 0, 0, 13, 0), ev("score_change", 13, 0, 7, 6)}
	p := checkChain(g, backwards, false)
	require.NotEmpty(t, p)
	assert.Contains(t, p[0], "does not follow 13-0")

	noEnd := good[:5]
	assert.Equal(t, []string{"NFL 1 NE-BUF: final 13-10, but no game_end was delivered"}, checkChain(g, noEnd, false))
	assert.Empty(t, checkChain(g, noEnd, true), "an end first seen more than an hour late is not sent")
	assert.NotEmpty(t, checkChain(g, wrongEnd(), true), "a wrong end is wrong however late")
	noStart := good[1:]
	assert.Equal(t, []string{"NFL 1 NE-BUF: played, but no game_start was delivered"}, checkChain(g, noStart, false))
	late := append(append([]payload{}, good...), ev("score_change", 13, 10, 13, 13))
	assert.Len(t, checkChain(g, late, false), 1)
	assert.NotEmpty(t, checkChain(g, wrongEnd(), false))
}

func TestCheckOnce(t *testing.T) {
	kill := t0.Add(time.Hour)
	d := func(id string, at time.Time, status int) delivery {
		return delivery{Hook: "all", EventID: id, Event: "score_change", At: at, Status: status}
	}
	ds := []delivery{
		d("a", t0, 204), d("b", t0.Add(time.Second), 500), d("b", t0.Add(2*time.Second), 204),
		d("c", kill.Add(-300*time.Millisecond), 204), d("c", kill.Add(2*time.Second), 204),
	}
	p, tol := checkOnce(ds, []time.Time{kill})
	assert.Empty(t, p, "a retry after a 500 is not a second delivery")
	assert.Equal(t, 1, tol, "accepted just before the kill and sent again after it")

	ds = append(ds, d("a", t0.Add(10*time.Second), 204))
	p, _ = checkOnce(ds, []time.Time{kill})
	require.Len(t, p, 1)
	assert.Contains(t, p[0], "accepted again")
}

func TestCheckPrefix(t *testing.T) {
	assert.Empty(t, checkPrefix([]string{"a", "b"}, []string{"a", "b", "c"}))
	assert.Empty(t, checkPrefix(nil, []string{"a"}))
	assert.NotEmpty(t, checkPrefix([]string{"a", "c"}, []string{"a", "b", "c"}))
	assert.NotEmpty(t, checkPrefix([]string{"a", "b", "c"}, []string{"a", "b"}))
}

func TestRecordsFromTruth(t *testing.T) {
	nhlOT := simulator.GameTruth{League: "nhl", ID: "3", Scheduled: time.Date(2026, 11, 29, 19, 0, 0, 0, eastern),
		Home: simulator.Team{Abbreviation: "BOS"}, Away: simulator.Team{Abbreviation: "TOR"},
		Final: &simulator.Result{Home: 3, Away: 2, Period: 4, Winner: "BOS"}}
	tie := overturned()
	tie.Scheduled = time.Date(2026, 11, 30, 20, 15, 0, 0, eastern)
	tie.Final = &simulator.Result{Home: 10, Away: 10, Period: 5, Tie: true}
	postponed := simulator.GameTruth{League: "nfl", ID: "4", Scheduled: tie.Scheduled,
		Home: simulator.Team{Abbreviation: "KC"}, Away: simulator.Team{Abbreviation: "NE"}}
	tr := simulator.Truth{Games: []simulator.GameTruth{nhlOT, tie, postponed}}
	got := recordsFromTruth(tr)
	assert.Equal(t, record{GamesPlayed: 1, Wins: 1, PointsFor: 3, PointsAgainst: 2}, got["nhl/BOS/2027"])
	assert.Equal(t, record{GamesPlayed: 1, OTLosses: 1, PointsFor: 2, PointsAgainst: 3}, got["nhl/TOR/2027"])
	assert.Equal(t, record{GamesPlayed: 1, Ties: 1, PointsFor: 10, PointsAgainst: 10}, got["nfl/NE/2026"])
	assert.Equal(t, record{}, got["nfl/KC/2026"], "a team whose only game was postponed has a zero record")
	for _, team := range []string{"BOS", "TOR"} {
		rec := tr.RecordOf("nhl", team)
		assert.Equal(t, record{rec.GamesPlayed, rec.Wins, rec.Losses, rec.Ties, rec.OTLosses, rec.PointsFor, rec.PointsAgainst}, got["nhl/"+team+"/2027"],
			"agrees with the simulator's own sum")
	}
}

// The receiver accepts what the service signs and refuses anything else;
// the flap fails the first attempt of every fourth new event only.
func TestReceiversVerifyAndBehave(t *testing.T) {
	r, err := startReceivers(map[string]string{"all": "secret-all-0123456789", "flaky": "secret-flaky-0123456789"})
	require.NoError(t, err)
	defer r.close()
	send := func(hook, secret, id string) int {
		body := []byte(`{"event":"score_change","event_id":"` + id + `","game_id":"1"}`)
		hexSig, std := webhook.Signatures(secret, id, "1700000000", body)
		req := httptest.NewRequest(http.MethodPost, r.url(hook), strings.NewReader(string(body)))
		req.RequestURI = ""
		req.Header.Set("X-Webhook-Signature", hexSig)
		req.Header.Set("X-Webhook-ID", id)
		req.Header.Set("webhook-id", id)
		req.Header.Set("webhook-timestamp", "1700000000")
		req.Header.Set("webhook-signature", std)
		req.Header.Set("X-Webhook-Event", "score_change")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusNoContent, send("all", "secret-all-0123456789", "e1"))
	assert.Equal(t, http.StatusUnauthorized, send("all", "secret-flaky-0123456789", "e2"))

	r.set("flaky", behaveFlap)
	var codes []int
	for _, id := range []string{"f1", "f1", "f2", "f3", "f4", "f5", "f5"} {
		codes = append(codes, send("flaky", "secret-flaky-0123456789", id))
	}
	assert.Equal(t, []int{500, 204, 204, 204, 204, 500, 204}, codes)
	r.set("flaky", behaveGone)
	assert.Equal(t, http.StatusGone, send("flaky", "secret-flaky-0123456789", "f6"))

	ds := r.deliveries()
	require.Len(t, ds, 10)
	assert.True(t, ds[0].SigOK)
	assert.False(t, ds[1].SigOK)
	assert.Equal(t, "e1", ds[0].Payload.EventID)
	assert.Len(t, firstAccepted(ds), 6)
}

func TestLogMsg(t *testing.T) {
	assert.Equal(t, "poll failed; serving the last good data",
		logMsg(`time=2026-11-28T11:37:08.459Z level=WARN msg="poll failed; serving the last good data" league=nfl err="x"`))
	assert.Equal(t, "listening", logMsg(`time=2026-11-28T11:37:08.459Z level=INFO msg=listening addr=[::]:1`))
}

// DAL is the NFL's Cowboys and the NHL's Stars: the team webhook's
// reference is the events of its league's games only.
func TestTeamEventsCarryTheLeague(t *testing.T) {
	d := func(id, league, home, away string) delivery {
		return delivery{EventID: id, Payload: payload{League: league, HomeTeam: home, AwayTeam: away}}
	}
	all := []delivery{
		d("1", "NFL", "DAL", "NYG"),
		d("2", "NHL", "DAL", "BOS"),
		d("3", "NFL", "PHI", "DAL"),
		d("4", "NHL", "CHI", "DAL"),
		d("5", "NFL", "KC", "BUF"),
	}
	assert.Equal(t, []string{"1", "3"}, teamRef{League: "nfl", Abbreviation: "DAL"}.events(all))
	assert.Equal(t, []string{"2", "4"}, teamRef{League: "nhl", Abbreviation: "DAL"}.events(all))
	assert.Equal(t, "nfl/DAL", teamRef{League: "nfl", Abbreviation: "DAL"}.String())
}

// A soccer match level at 1-1 and won 3-4 on penalties by the away side,
// and a draw: game_end must name the shoot-out's winner and score, and
// "tie" for the draw.
func TestCheckChainSoccerEndings(t *testing.T) {
	pens := simulator.GameTruth{League: "mls", ID: "5", Home: simulator.Team{Abbreviation: "TOR"}, Away: simulator.Team{Abbreviation: "ORL"},
		Scheduled: at(0), Start: at(0), Scores: []simulator.ScoreChange{{Time: at(30), Away: 1, Period: 1}, {Time: at(90), Home: 1, Away: 1, Period: 2}},
		Final: &simulator.Result{Home: 1, Away: 1, Period: 5, Detail: "FT-Pens", Tie: true, Shootout: &[2]int{3, 4}, ShootoutWinner: "ORL"}}
	chain := func(end payload) []payload {
		return []payload{
			{Event: "game_start"},
			{Event: "score_change", Score: score{0, 1}},
			{Event: "score_change", PreviousScore: score{0, 1}, Score: score{1, 1}},
			end,
		}
	}
	good := payload{Event: "game_end", Score: score{1, 1}, Winner: "ORL", Shootout: &score{3, 4}}
	assert.Empty(t, checkChain(pens, chain(good), false))
	for _, bad := range []payload{
		{Event: "game_end", Score: score{1, 1}, Winner: "tie"},
		{Event: "game_end", Score: score{1, 1}, Winner: "ORL"},
		{Event: "game_end", Score: score{1, 1}, Winner: "TOR", Shootout: &score{3, 4}},
		{Event: "game_end", Score: score{1, 1}, Winner: "ORL", Shootout: &score{4, 3}},
	} {
		assert.Len(t, checkChain(pens, chain(bad), false), 1, "%+v", bad)
	}

	draw := pens
	draw.Final = &simulator.Result{Home: 1, Away: 1, Period: 2, Detail: "FT", Tie: true}
	assert.Empty(t, checkChain(draw, chain(payload{Event: "game_end", Score: score{1, 1}, Winner: "tie"}), false))
	assert.Len(t, checkChain(draw, chain(payload{Event: "game_end", Score: score{1, 1}, Winner: "TOR"}), false), 1)
	// Records count both as draws.
	recs := recordsFromTruth(simulator.Truth{Games: []simulator.GameTruth{pens}})
	assert.Equal(t, record{GamesPlayed: 1, Ties: 1, PointsFor: 1, PointsAgainst: 1}, recs["mls/ORL/2026"])
}
