package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scHookSpec is a registration and what it must receive.
type scHookSpec struct {
	name   string
	team   string // abbreviation the registration resolves to; "" for none
	events map[string]bool
}

// scExpectedEvents lists, in order, what hook must receive for the frames:
// the detection rules of docs/events.md applied to each pair of consecutive
// states, seen from the hook's team (from the home team without one).
func scExpectedEvents(g *scGame, frames []scFrame, hook scHookSpec) []string {
	var out []string
	for i := 1; i < len(frames); i++ {
		prev, next := frames[i-1], frames[i]
		if prev.status() == next.status() && prev.Home == next.Home && prev.Away == next.Away {
			continue
		}
		us, them := next.Home-prev.Home, next.Away-prev.Away
		ourScore, theirScore := next.Home, next.Away
		if hook.team == g.Away {
			us, them = them, us
			ourScore, theirScore = theirScore, ourScore
		}
		if hook.team == "" {
			us = (next.Home - prev.Home) + (next.Away - prev.Away)
		}
		toFinal := next.status() == "final" && prev.status() != "final"
		if prev.status() == "scheduled" && next.status() == "live" && hook.events["game_start"] {
			out = append(out, "game_start")
		}
		scored := prev.Home != next.Home || prev.Away != next.Away
		if scored && (next.status() == "live" || toFinal) && hook.events["score_change"] {
			out = append(out, fmt.Sprintf("score_change %d-%d %+d/%+d", next.Home, next.Away, us, them))
		}
		if toFinal && hook.events["game_end"] {
			winner := g.Home
			if next.Away > next.Home {
				winner = g.Away
			}
			result := ""
			if hook.team != "" {
				result = map[bool]string{true: "win", false: "loss"}[ourScore > theirScore]
			}
			out = append(out, fmt.Sprintf("game_end %d-%d winner=%s result=%s", next.Home, next.Away, winner, result))
		}
	}
	return out
}

// describe renders a delivery like scExpectedEvents.
func describe(d webhooktest.Delivery) string {
	score := d.Body["score"].(map[string]any)
	h, a := int(score["home"].(float64)), int(score["away"].(float64))
	switch d.P.Event {
	case "score_change":
		return fmt.Sprintf("score_change %d-%d %+d/%+d", h, a, int(d.Body["score_change"].(float64)), int(d.Body["opponent_score_change"].(float64)))
	case "game_end":
		res, _ := d.Body["result"].(string)
		return fmt.Sprintf("game_end %d-%d winner=%v result=%s", h, a, d.Body["winner"], res)
	}
	return d.P.Event
}

func TestScenarioWebhooksEndToEnd(t *testing.T) {
	t.Parallel()
	const key = "scenario-api-key-123"
	bearer := http.Header{"Authorization": {"Bearer " + key}}
	recv := webhooktest.New(t)
	recv.TimestampWithin(5 * time.Minute)
	feed := newScFeed(t)
	g := scNFLGame(t)
	w := &scWalk{t: t, feed: feed, g: g}
	frames := scNFLFrames()
	w.set(frames[0])
	s := startService(t, feed.URL, map[string]string{"API_KEY": key})
	w.await(s, frames[0]) // the team directory is loaded too

	// Registration needs the key.
	u1, sec1 := recv.Hook("titans")
	var refused map[string]any
	require.Equal(t, http.StatusUnauthorized, s.do(http.MethodPost, "/api/v1/ha/webhooks/register",
		map[string]any{"url": u1, "secret": sec1, "team": "Titans"}, nil, &refused))
	assert.NotEmpty(t, refused["detail"])
	require.Equal(t, http.StatusUnauthorized, s.do(http.MethodPost, "/api/v1/ha/webhooks/register",
		map[string]any{"url": u1, "secret": sec1, "team": "Titans"}, http.Header{"Authorization": {"Bearer wrong-key"}}, nil))

	type regAnswer struct {
		ID           string   `json:"webhook_id"`
		URL          string   `json:"url"`
		Events       []string `json:"events"`
		Team         *string  `json:"team"`
		League       *string  `json:"league"`
		DelaySeconds int      `json:"delay_seconds"`
		CreatedAt    string   `json:"created_at"`
		Message      string   `json:"message"`
		Secret       *string  `json:"secret"`
	}
	register := func(path string, body map[string]any) regAnswer {
		t.Helper()
		var r regAnswer
		require.Equal(t, http.StatusCreated, s.do(http.MethodPost, path, body, bearer, &r), mustJSON(t, r))
		require.NotEmpty(t, r.ID)
		assert.Nil(t, r.Secret, "the answer never shows the secret")
		return r
	}
	all := map[string]bool{"game_start": true, "score_change": true, "game_end": true}
	r1 := register("/api/v1/ha/webhooks/register", map[string]any{"url": u1, "secret": sec1, "team": "Titans"})
	assert.Equal(t, []string{"game_start", "game_end", "score_change"}, r1.Events)
	if assert.NotNil(t, r1.Team) && assert.NotNil(t, r1.League) {
		assert.Equal(t, "TEN", *r1.Team)
		assert.Equal(t, "NFL", *r1.League)
	}
	u2, sec2 := recv.Hook("giants-scores")
	r2 := register("/api/v1/ha/webhooks/score-update", map[string]any{"url": u2, "secret": sec2, "team": "NYG"})
	assert.Equal(t, []string{"score_change"}, r2.Events)
	u3, sec3 := recv.Hook("everything")
	r3 := register("/api/v1/webhooks/register", map[string]any{"url": u3, "secret": sec3,
		"events": []string{"game_started", "score_changed", "game_ended"}})
	assert.Equal(t, []string{"game_start", "game_end", "score_change"}, r3.Events, "the earlier event names are accepted")
	assert.Nil(t, r3.Team)
	// The other side's game_end, so that both sides' results are seen.
	u4, sec4 := recv.Hook("giants-end")
	r4 := register("/api/v1/ha/webhooks/game-end", map[string]any{"url": u4, "secret": sec4, "team": "nfl-nyg"})
	assert.Equal(t, []string{"game_end"}, r4.Events)

	hooks := []scHookSpec{
		{name: "titans", team: "TEN", events: all},
		{name: "giants-scores", team: "NYG", events: map[string]bool{"score_change": true}},
		{name: "everything", events: all},
		{name: "giants-end", team: "NYG", events: map[string]bool{"game_end": true}},
	}
	ids := map[string]string{"titans": r1.ID, "giants-scores": r2.ID, "everything": r3.ID, "giants-end": r4.ID}
	// delivered waits until every hook has what the frames so far call for.
	delivered := func(upTo int) {
		t.Helper()
		for _, h := range hooks {
			want := len(scExpectedEvents(g, frames[:upTo+1], h))
			s.waitFor(fmt.Sprintf("%d deliveries to %s", want, h.name), func() bool { return len(recv.To(h.name)) >= want })
		}
	}

	// The game, with a restart in the middle: the service stops once what
	// it detected so far has been delivered, the Titans score while it is
	// down, and it starts again.
	const restartBefore = 5
	require.Equal(t, 14, frames[restartBefore].Home)
	for i := 1; i < restartBefore; i++ {
		w.show(s, frames[i])
	}
	delivered(restartBefore - 1)
	s.stop()
	w.set(frames[restartBefore])
	s.start()
	w.await(s, frames[restartBefore])
	for i := restartBefore + 1; i < len(frames); i++ {
		w.show(s, frames[i])
	}
	delivered(len(frames) - 1)
	// Anything delivered twice would arrive right behind the rest.
	w.settle(s)

	for _, h := range hooks {
		got := recv.To(h.name)
		want := scExpectedEvents(g, frames, h)
		var desc []string
		seen := map[string]bool{}
		for _, d := range got {
			desc = append(desc, describe(d))
			assert.False(t, seen[d.P.EventID], "%s: event %s delivered twice", h.name, d.P.EventID)
			seen[d.P.EventID] = true
			assert.Equal(t, ids[h.name], d.Body["webhook_id"], h.name)
			assert.Equal(t, g.ID, d.Body["game_id"], h.name)
			assert.Equal(t, "NFL", d.Body["league"], h.name)
			assert.Equal(t, "TEN", d.Body["home_team"], h.name)
			assert.Equal(t, "NYG", d.Body["away_team"], h.name)
			if h.team != "" {
				assert.Equal(t, h.team, d.Body["team"], h.name)
			}
		}
		t.Logf("%s received %q", h.name, desc)
		assert.Equal(t, want, desc, "%s gets every event once, in order", h.name)
	}
	// Both team webhooks see the same events under the same ids.
	titans, everything := recv.To("titans"), recv.To("everything")
	if assert.Equal(t, len(titans), len(everything)) {
		for i := range titans {
			assert.Equal(t, titans[i].P.EventID, everything[i].P.EventID, "event %d has one id whoever receives it", i)
		}
	}
	// A score that went down is a negative change for the team that lost it.
	var down bool
	for _, d := range titans {
		if d.P.Event == "score_change" && d.Body["score_change"].(float64) < 0 {
			down = true
			assert.Equal(t, map[string]any{"home": 17.0, "away": 10.0}, d.Body["previous_score"])
		}
	}
	assert.True(t, down, "the overturned touchdown was sent")

	// The list shows the counters and hides the secrets.
	var list struct {
		Webhooks []map[string]any `json:"webhooks"`
		Count    int              `json:"count"`
	}
	require.Equal(t, http.StatusOK, s.do(http.MethodGet, "/api/v1/ha/webhooks", nil, bearer, &list))
	require.Equal(t, 4, list.Count)
	for _, reg := range list.Webhooks {
		assert.Equal(t, "***", reg["secret"])
		var name string
		for n, id := range ids {
			if id == reg["webhook_id"] {
				name = n
			}
		}
		require.NotEmpty(t, name, "unknown webhook %v", reg["webhook_id"])
		assert.Equal(t, float64(len(recv.To(name))), reg["total_calls"], name)
		assert.Equal(t, 0.0, reg["failed_calls"], name)
		assert.Equal(t, 200.0, reg["last_status"], name)
		assert.NotNil(t, reg["last_success"], name)
	}
	var old struct {
		Count int `json:"count"`
	}
	require.Equal(t, http.StatusOK, s.do(http.MethodGet, "/api/v1/webhooks/list", nil, bearer, &old))
	assert.Equal(t, 4, old.Count)

	// A test event, signed like the others.
	var res struct {
		Delivered  bool     `json:"delivered"`
		StatusCode *int     `json:"status_code"`
		Attempts   int      `json:"attempts"`
		LatencyMS  *float64 `json:"latency_ms"`
		Error      *string  `json:"error"`
	}
	require.Equal(t, http.StatusUnauthorized, s.do(http.MethodPost, "/api/v1/ha/webhooks/"+r1.ID+"/test", nil, nil, nil))
	require.Equal(t, http.StatusOK, s.do(http.MethodPost, "/api/v1/ha/webhooks/"+r1.ID+"/test", nil, bearer, &res))
	assert.True(t, res.Delivered)
	if assert.NotNil(t, res.StatusCode) {
		assert.Equal(t, 200, *res.StatusCode)
	}
	assert.Equal(t, 1, res.Attempts)
	assert.NotNil(t, res.LatencyMS)
	assert.Nil(t, res.Error)
	last := recv.To("titans")
	assert.Equal(t, "test", last[len(last)-1].P.Event)

	// Delete: 204, then 404 under either path.
	require.Equal(t, http.StatusUnauthorized, s.do(http.MethodDelete, "/api/v1/ha/webhooks/"+r3.ID, nil, nil, nil))
	require.Equal(t, http.StatusNoContent, s.do(http.MethodDelete, "/api/v1/ha/webhooks/"+r3.ID, nil, bearer, nil))
	var gone map[string]any
	require.Equal(t, http.StatusNotFound, s.do(http.MethodDelete, "/api/v1/ha/webhooks/"+r3.ID, nil, bearer, &gone))
	assert.NotEmpty(t, gone["detail"])
	require.Equal(t, http.StatusNotFound, s.do(http.MethodDelete, "/api/v1/webhooks/"+r3.ID, nil, bearer, nil))
	require.Equal(t, http.StatusNoContent, s.do(http.MethodDelete, "/api/v1/webhooks/"+r4.ID, nil, http.Header{"X-API-Key": {key}}, nil))
	require.Equal(t, http.StatusOK, s.do(http.MethodGet, "/api/v1/ha/webhooks", nil, bearer, &list))
	assert.Equal(t, 2, list.Count)

	// Registrations survive a restart; deleted ones stay deleted.
	s.restart()
	require.Equal(t, http.StatusOK, s.do(http.MethodGet, "/api/v1/ha/webhooks", nil, bearer, &list))
	assert.Equal(t, 2, list.Count)
}
