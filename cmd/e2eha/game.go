package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sports-data/sports-data/internal/simulator"
)

// game is the followed game: the simulator's NHL quick-scores game, in
// which both teams score seconds apart, one goal is overturned and the
// home team scores twice in a row.
type game struct {
	sim   *simulator.Sim
	truth simulator.GameTruth
	team  string // the followed (home) team as the service takes it: nhl-bos
	epoch time.Time
	start time.Time // simulated clock at epoch
	speed float64
}

// gamePlan is where the simulated clock starts and the game it follows,
// known before the clock runs.
type gamePlan struct {
	seed  int64
	speed float64
	clock time.Time // the simulated clock's start
	id    string
	team  string // the followed (home) team as the service takes it: nhl-bos
}

func simAt(clock time.Time, seed int64, speed float64) (*simulator.Sim, error) {
	return simulator.New(simulator.Options{Leagues: []string{"nhl"}, Start: clock, Speed: speed, Seed: seed, Days: 2})
}

// planGame finds the first start (in steps of 5 simulated minutes over a
// week from the next Sunday noon) whose quick-scores game begins lead to
// lead+15 minutes later: long enough for Home Assistant to start and its
// REST sensor to see the game upcoming, short enough not to wait. The
// scripted game goes to the third game starting at least 30 minutes after
// the start, so only an evening with several games at once qualifies.
func planGame(seed int64, speed float64, lead time.Duration) (gamePlan, error) {
	base := simulator.SundayNoonET(time.Now())
	for m := 0; m < 7*24*60; m += 5 {
		clock := base.Add(time.Duration(m) * time.Minute)
		sim, err := simAt(clock, seed, speed)
		if err != nil {
			return gamePlan{}, err
		}
		g, ok := quickGame(sim)
		sim.Close()
		if l := g.Scheduled.Sub(clock); ok && l >= lead && l <= lead+15*time.Minute {
			return gamePlan{seed: seed, speed: speed, clock: clock, id: g.ID,
				team: "nhl-" + strings.ToLower(g.Home.Abbreviation)}, nil
		}
	}
	return gamePlan{}, fmt.Errorf("the simulator (seed %d) has no NHL quick-scores game %s after a start", seed, lead)
}

func quickGame(sim *simulator.Sim) (simulator.GameTruth, bool) {
	for _, g := range sim.Truth().Games {
		if g.Scenario == simulator.ScenarioQuick {
			return g, true
		}
	}
	return simulator.GameTruth{}, false
}

// start starts the simulated clock: the simulation of the plan, whose
// truth is read at the end of the game (every score change and status
// is laid out from the start).
func (p gamePlan) start() (*game, error) {
	sim, err := simAt(p.clock, p.seed, p.speed)
	if err != nil {
		return nil, err
	}
	r0 := time.Now()
	simNow := sim.Now()
	epoch := r0.Add(time.Since(r0) / 2)
	tr := sim.TruthAt(p.clock.Add(24 * time.Hour))
	for _, g := range tr.Games {
		if g.ID == p.id && g.Scenario == simulator.ScenarioQuick {
			return &game{sim: sim, truth: g, team: p.team, epoch: epoch, start: simNow, speed: p.speed}, nil
		}
	}
	sim.Close()
	return nil, fmt.Errorf("game %s is not the quick-scores game when the clock starts at %s", p.id, p.clock)
}

// wall is the real time at which the simulated clock shows t.
func (g *game) wall(t time.Time) time.Time {
	return g.epoch.Add(time.Duration(float64(t.Sub(g.start)) / g.speed))
}

// automation is one webhook automation of the package.
type automation struct {
	ID        string // the automation's id (the trace item_id)
	WebhookID string
	Event     string // game_start, score_change, game_end
	Route     string // the service's registration route
	Fields    []string
}

var (
	eventCond    = regexp.MustCompile(`trigger\.json\.event == '([a-z_]+)'`)
	triggerField = regexp.MustCompile(`trigger\.json\.([a-z_]+)`)
	routeOf      = map[string]string{"game_start": "game-start", "score_change": "score-update", "game_end": "game-end"}
)

// packageAutomations reads the webhook automations of the package file.
func packageAutomations(path string) ([]automation, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pkg struct {
		Automation []map[string]any `yaml:"automation"`
	}
	if err := yaml.Unmarshal(raw, &pkg); err != nil {
		return nil, err
	}
	var out []automation
	for _, a := range pkg.Automation {
		triggers, _ := a["trigger"].([]any)
		if len(triggers) != 1 {
			continue
		}
		trig, _ := triggers[0].(map[string]any)
		if trig["platform"] != "webhook" {
			continue
		}
		text := strings.Join(yamlStrings(a, nil), "\n")
		ev := eventCond.FindStringSubmatch(text)
		if ev == nil {
			return nil, fmt.Errorf("automation %v does not name its event", a["id"])
		}
		au := automation{ID: fmt.Sprint(a["id"]), WebhookID: fmt.Sprint(trig["webhook_id"]), Event: ev[1], Route: routeOf[ev[1]]}
		seen := map[string]bool{}
		for _, m := range triggerField.FindAllStringSubmatch(text, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				au.Fields = append(au.Fields, m[1])
			}
		}
		out = append(out, au)
	}
	if len(out) != 3 {
		return nil, fmt.Errorf("the package has %d webhook automations, the harness knows 3 events", len(out))
	}
	return out, nil
}

// packageAttributes are the json_attributes of the package's REST sensor
// with the unique id: what Home Assistant keeps of the service's answer.
func packageAttributes(path, uniqueID string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pkg struct {
		Rest []struct {
			Sensor []struct {
				UniqueID   string   `yaml:"unique_id"`
				Attributes []string `yaml:"json_attributes"`
			} `yaml:"sensor"`
		} `yaml:"rest"`
	}
	if err := yaml.Unmarshal(raw, &pkg); err != nil {
		return nil, err
	}
	for _, r := range pkg.Rest {
		for _, s := range r.Sensor {
			if s.UniqueID == uniqueID {
				return s.Attributes, nil
			}
		}
	}
	return nil, fmt.Errorf("%s has no REST sensor %s", path, uniqueID)
}

// yamlStrings appends every string inside a decoded YAML value.
func yamlStrings(v any, out []string) []string {
	switch t := v.(type) {
	case string:
		out = append(out, t)
	case []any:
		for _, e := range t {
			out = yamlStrings(e, out)
		}
	case map[string]any:
		for _, e := range t {
			out = yamlStrings(e, out)
		}
	}
	return out
}

// register subscribes a URL to one team event through the service's API.
func register(ctx context.Context, base, route, url, secret, team string) error {
	body, _ := json.Marshal(map[string]any{"url": url, "secret": secret, "team": team})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/ha/webhooks/"+route, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("registering %s answered %d: %s", route, resp.StatusCode, b)
	}
	return nil
}

// waitService waits for the service's health route.
func waitService(ctx context.Context, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/health", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("the service did not answer %s/health within %s", base, limit)
}

// answer is one distinct game-status answer of the service and when the
// harness first and last saw it.
type answer struct {
	Body        map[string]any
	First, Last time.Time
}

// answers samples the service's game-status for the team every period, so
// that Home Assistant's sensor can be compared with what the service said
// at the moment Home Assistant asked.
type answers struct {
	mu   sync.Mutex
	list []answer
}

func (a *answers) sample(ctx context.Context, url string, period time.Duration) {
	client := &http.Client{Timeout: 5 * time.Second}
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := client.Do(req); err == nil {
			var m map[string]any
			err := json.NewDecoder(resp.Body).Decode(&m)
			resp.Body.Close()
			now := time.Now()
			if err == nil && resp.StatusCode == http.StatusOK {
				a.mu.Lock()
				if n := len(a.list); n > 0 && equalJSON(a.list[n-1].Body, m) {
					a.list[n-1].Last = now
				} else {
					a.list = append(a.list, answer{Body: m, First: now, Last: now})
				}
				a.mu.Unlock()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *answers) snapshot() []answer {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]answer(nil), a.list...)
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
