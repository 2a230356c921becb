package main

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// haPackage is the part of deployments/homeassistant/sports_data.yaml the
// test reads.
type haPackage struct {
	Rest []struct {
		Resource string `yaml:"resource"`
		Sensor   []struct {
			Name           string   `yaml:"name"`
			ValueTemplate  string   `yaml:"value_template"`
			JSONAttributes []string `yaml:"json_attributes"`
			// JSONAttributesPath, when set, is where the attributes are:
			// "$.attributes" for the TeamTracker-compatible sensor.
			JSONAttributesPath string `yaml:"json_attributes_path"`
		} `yaml:"sensor"`
		BinarySensor []struct {
			Name          string `yaml:"name"`
			ValueTemplate string `yaml:"value_template"`
		} `yaml:"binary_sensor"`
	} `yaml:"rest"`
	Automation []map[string]any `yaml:"automation"`
}

// haSlug is how Home Assistant turns a name into an entity id.
func haSlug(name string) string {
	s := regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(name), "_")
	return strings.Trim(s, "_")
}

// strings collects every string below v.
func yamlStrings(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		*out = append(*out, x)
	case []any:
		for _, e := range x {
			yamlStrings(e, out)
		}
	case map[string]any:
		for _, e := range x {
			yamlStrings(e, out)
		}
	}
}

var (
	triggerField = regexp.MustCompile(`trigger\.json\.([a-z_]+)`)
	valueField   = regexp.MustCompile(`value_json\.([a-z_]+)`)
	eventName    = regexp.MustCompile(`trigger\.json\.event == '([a-z_]+)'`)
	stateAttr    = regexp.MustCompile(`state_attr\('(sensor\.[a-z0-9_]+)', '([a-z_]+)'\)`)
	entityRef    = regexp.MustCompile(`\b(sensor|binary_sensor)\.[a-z0-9_]+\b`)
)

// TestHomeAssistantPackageReadsRealFields checks every field the package's
// templates and automations read against what the service really sends:
// the game-status answer for the REST sensors, and webhook payloads of a
// game walked through the service (frames derived from the NFL capture)
// for the automations.
func TestHomeAssistantPackageReadsRealFields(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../deployments/homeassistant/sports_data.yaml")
	require.NoError(t, err)
	var pkg haPackage
	require.NoError(t, yaml.Unmarshal(raw, &pkg))
	require.NotEmpty(t, pkg.Rest)
	require.NotEmpty(t, pkg.Automation)
	// What differs between homes is a !secret; the example secrets name
	// the service's address and the team NE.
	raw, err = os.ReadFile("../../deployments/homeassistant/secrets.example.yaml")
	require.NoError(t, err)
	var secrets map[string]string
	require.NoError(t, yaml.Unmarshal(raw, &secrets))

	// The scripted game: Titans (home) against Giants.
	recv := webhooktest.New(t)
	recv.TimestampWithin(5 * time.Minute)
	feed := newScFeed(t)
	g := scNFLGame(t)
	w := &scWalk{t: t, feed: feed, g: g}
	frames := scNFLFrames()
	w.set(frames[0])
	s := startService(t, feed.URL, nil)
	w.await(s, frames[0])

	// Each automation's webhook_id is registered for the event its
	// condition waits for, scoped to the home team like the package.
	entities := map[string]bool{}
	for _, r := range pkg.Rest {
		for _, sn := range r.Sensor {
			entities["sensor."+haSlug(sn.Name)] = true
		}
		for _, b := range r.BinarySensor {
			entities["binary_sensor."+haSlug(b.Name)] = true
		}
	}
	webhookIDs := map[string]bool{}
	type use struct {
		event  string
		fields []string
		hook   string
	}
	var uses []use
	routeFor := map[string]string{"game_start": "game-start", "score_change": "score-update", "game_end": "game-end"}
	for _, a := range pkg.Automation {
		var texts []string
		yamlStrings(a, &texts)
		all := strings.Join(texts, "\n")
		for _, ref := range entityRef.FindAllString(all, -1) {
			assert.True(t, entities[ref], "automation %v refers to %s, which the package does not define", a["id"], ref)
		}
		for _, m := range stateAttr.FindAllStringSubmatch(all, -1) {
			assert.True(t, entities[m[1]], "state_attr of unknown %s", m[1])
		}
		ev := eventName.FindStringSubmatch(all)
		var fields []string
		for _, m := range triggerField.FindAllStringSubmatch(all, -1) {
			fields = append(fields, m[1])
		}
		if ev == nil {
			assert.Empty(t, fields, "automation %v reads trigger.json without naming its event", a["id"])
			continue
		}
		triggers, _ := a["trigger"].([]any)
		require.Len(t, triggers, 1, "automation %v", a["id"])
		trig := triggers[0].(map[string]any)
		require.Equal(t, "webhook", trig["platform"])
		id := trig["webhook_id"].(string)
		assert.False(t, webhookIDs[id], "webhook_id %s is used twice; Home Assistant allows one automation per id", id)
		webhookIDs[id] = true
		url, secret := recv.Hook(id)
		var reg map[string]any
		require.Equal(t, http.StatusCreated, s.do(http.MethodPost, "/api/v1/ha/webhooks/"+routeFor[ev[1]],
			map[string]any{"url": url, "secret": secret, "team": g.Home}, nil, &reg))
		uses = append(uses, use{event: ev[1], fields: fields, hook: id})
	}
	require.Len(t, uses, 3, "TV on, lights, final")

	for _, fr := range frames {
		w.show(s, fr)
	}
	for _, u := range uses {
		s.waitFor("a "+u.event+" delivery", func() bool { return len(recv.To(u.hook)) > 0 })
		for _, d := range recv.To(u.hook) {
			assert.Equal(t, u.event, d.P.Event)
			for _, f := range u.fields {
				assert.Contains(t, d.Body, f, "%s payload lacks trigger.json.%s", u.event, f)
			}
		}
	}
	// The lights condition: at least one score_change for our team and one
	// for the opponent only, so score_change > 0 tells them apart.
	var ours, theirs int
	for _, u := range uses {
		if u.event != "score_change" {
			continue
		}
		for _, d := range recv.To(u.hook) {
			if n, _ := d.Body["score_change"].(float64); n > 0 {
				ours++
			} else if n, _ := d.Body["opponent_score_change"].(float64); n > 0 {
				theirs++
			}
		}
	}
	assert.Positive(t, ours)
	assert.Positive(t, theirs)

	// The REST sensors read game-status; every field they read is in the
	// answer for the package's kind of team reference.
	for _, r := range pkg.Rest {
		resource, ok := secrets[r.Resource]
		require.True(t, ok, "resource !secret %s is not in secrets.example.yaml", r.Resource)
		u, err := url.Parse(resource)
		require.NoError(t, err)
		path := strings.TrimSuffix(u.Path, "/NE") + "/" + g.Home
		var answer map[string]any
		require.Equal(t, http.StatusOK, s.get(path, &answer), path)
		var read []string
		for _, sn := range r.Sensor {
			attrs := answer
			if p := strings.TrimPrefix(sn.JSONAttributesPath, "$."); p != "" {
				inner, ok := answer[p].(map[string]any)
				require.True(t, ok, "%s has no object at %s", path, sn.JSONAttributesPath)
				attrs = inner
			}
			for _, f := range sn.JSONAttributes {
				assert.Contains(t, attrs, f, "%s lacks the attribute %s", path, f)
			}
			for _, m := range valueField.FindAllStringSubmatch(sn.ValueTemplate, -1) {
				read = append(read, m[1])
			}
		}
		for _, b := range r.BinarySensor {
			for _, m := range valueField.FindAllStringSubmatch(b.ValueTemplate, -1) {
				read = append(read, m[1])
			}
		}
		require.NotEmpty(t, read)
		for _, f := range read {
			assert.Contains(t, answer, f, "%s lacks %s", path, f)
		}
	}
}
