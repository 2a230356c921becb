package main

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/mqtttest"
	"github.com/sports-data/sports-data/internal/simulator"
	"github.com/sports-data/sports-data/internal/testenv"
)

// checkTroubleAndEntities runs in the browser of the page test, against a
// service announcing the Patriots to a real Mosquitto: the team's page
// names the entities MQTT discovery made for it, the Now page names the
// league and the team it follows; then ESPN fails and the broker goes
// away, and the Now page says both in words.
func checkTroubleAndEntities(t *testing.T, p *pageRun) {
	sp := *p
	sp.t = t // the page's waits fail this subtest, on its own goroutine
	broker := mqtttest.Start(t)
	espn := newESPN(t)
	s := startService(t, espn.URL, map[string]string{"LEAGUES": "nfl", "LOG_LEVEL": "info",
		"MQTT_URL": broker.URL, "MQTT_TEAMS": "Patriots"})
	var h struct {
		MQTT struct {
			Connected bool     `json:"connected"`
			Teams     []string `json:"teams"`
		} `json:"mqtt"`
	}
	require.Eventually(t, func() bool {
		return s.do(http.MethodGet, "/health", nil, nil, &h) == http.StatusOK && h.MQTT.Connected && slices.Contains(h.MQTT.Teams, "nfl-ne")
	}, 20*time.Second, 50*time.Millisecond, "the Patriots announced over MQTT")

	sp.open(s.base + "/ui/team/nfl-ne")
	sp.wait("the entities", `document.querySelectorAll("#entities li").length > 0`, 10*time.Second)
	// The ids Home Assistant gives the discovered entities (README, MQTT
	// discovery; make e2e-ha sees them in a real Home Assistant).
	assert.Equal(t, []string{"sensor.new_england_patriots_game", "binary_sensor.new_england_patriots_live", "event.new_england_patriots_game_event"},
		js[[]string](&sp, `[...document.querySelectorAll("#entities li")].map((e) => e.textContent)`))

	sp.open(s.base + "/ui/")
	sp.wait("the followed team", `!!document.querySelector('#following a[href="/ui/team/nfl-ne"]')`, 10*time.Second)
	assert.Equal(t, []string{"NFL"}, js[[]string](&sp, `[...document.querySelectorAll("#following ul.chips:first-of-type li")].map((e) => e.textContent)`), "the followed leagues")
	sp.wait("the service's state", `document.getElementById("service").textContent.includes("Everything is working.")`, 15*time.Second)
	espn.Handle("/football/nfl/scoreboard", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "upstream unavailable", http.StatusInternalServerError)
	})
	broker.Stop()
	// /health is read again every 5 s; nothing is reloaded by hand.
	service := `document.getElementById("service").textContent`
	sp.wait("ESPN's failure in words", service+`.includes("NFL: the last poll of ESPN failed")`, 30*time.Second)
	sp.wait("the broker's absence in words", service+`.includes("Home Assistant over MQTT: the broker is not connected")`, 30*time.Second)
	assert.NotContains(t, js[string](&sp, service), "Everything is working.")
	assert.Contains(t, js[string](&sp, service), "trouble")
	require.True(t, js[bool](&sp, `(document.getElementById("service").scrollIntoView(), true)`))
	sp.shot("now-trouble")
}

// checkRestart: the service restarts mid-game while the Now page is open.
// The page is not reloaded; it reconnects to the stream by itself, learns
// that the feed it knew is gone (a reset), reads the games again and goes
// on changing scores.
func checkRestart(t *testing.T, p *pageRun) {
	sp := *p
	sp.t = t
	ss := startSimulator(t, simulator.SundayNoonET(time.Now()).Add(55*time.Minute), pageSpeed)
	port := testenv.FreePort(t)
	args := append([]string{"--port", strconv.Itoa(port), "--data-dir", t.TempDir()}, ss.attachArgs...)
	env := map[string]string{"LOG_LEVEL": "info", "LEAGUES": "nfl"}
	listening := regexp.MustCompile(`msg=listening`)
	d := startDemo(t, env, args...)
	d.wait("listening", listening)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)

	sp.open(base + "/ui/")
	require.True(t, js[bool](&sp, recordScores))
	require.True(t, js[bool](&sp, `(window.__sameDocument = true)`))
	sp.wait("scores moving", `window.__scores.filter((s) => s.home + s.away > 0).length >= 3`, 40*time.Second)
	require.NoError(t, d.stop())
	sp.wait("the page noticing", `document.getElementById("conn").textContent !== "● live"`, 10*time.Second)
	// The cards of before the restart are marked: the reset's reading of
	// the games makes new ones.
	require.True(t, js[bool](&sp, `(document.querySelectorAll("#live [data-game]").forEach((c) => c.dataset.old = "1"), true)`))

	d = startDemo(t, env, args...)
	d.wait("listening again", listening)
	sp.wait("the stream back", `document.getElementById("conn").textContent === "● live"`, 15*time.Second)
	sp.wait("the games read again", `document.querySelectorAll("#live [data-game]").length > 0 && !document.querySelector("#live [data-old]")`, 15*time.Second)
	// Changes after that reading came by the stream.
	before := js[float64](&sp, `window.__scores.length`)
	sp.wait("scores moving after the restart", `window.__scores.length >= `+strconv.Itoa(int(before)+2), 40*time.Second)
	assert.True(t, js[bool](&sp, `window.__sameDocument === true`), "the page was not reloaded")
	t.Logf("scores shown by the stream after the restart: %v", js[float64](&sp, `window.__scores.length`)-before)
}
