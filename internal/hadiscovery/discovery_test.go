package hadiscovery

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzTopics: a configuration topic names its team, whatever the
// prefixes; any other topic names none; nothing panics; every
// configuration is JSON naming its own topics.
func FuzzTopics(f *testing.F) {
	f.Add("homeassistant", "sports-data", "nfl-ne", "homeassistant/sensor/sports-data/nfl-ne/config")
	f.Add("ha/prefix", "home/sports data", "nhl-bos", "ha/prefix/event/home_sports_data/nhl-bos/config")
	f.Add("homeassistant", "sports-data", "mls-clb", "homeassistant/sensor/other/mls-clb/config")
	f.Add("homeassistant", "sports-data", "", "homeassistant/status")
	f.Fuzz(func(t *testing.T, dp, tp, id, topic string) {
		// The configuration refuses empty and non-UTF-8 prefixes.
		if dp == "" || tp == "" || !utf8.ValidString(dp) || !utf8.ValidString(tp) || !utf8.ValidString(id) {
			return
		}
		tt := newTopics(dp, tp)
		_ = tt.objectOf(topic)
		if id == "" || strings.ContainsAny(id, "/+#") {
			return
		}
		for _, c := range components {
			if got := tt.objectOf(tt.config(c, id)); got != id {
				t.Fatalf("objectOf(config(%q, %q)) = %q", c, id, got)
			}
			var cfg map[string]any
			if err := json.Unmarshal(tt.discoveryConfig(c, team{ID: id, League: "nfl", Name: "x"}, "v"), &cfg); err != nil {
				t.Fatalf("configuration of %s is not JSON: %v", c, err)
			}
			if cfg["availability_topic"] != tt.status() || cfg["state_topic"] == "" {
				t.Fatalf("configuration of %s names the wrong topics: %v", c, cfg)
			}
		}
	})
}

// MQTT_TEAMS as they resolve now, in any spelling; an unknown or
// ambiguous one is left out.
func TestTeamsOfMQTTTeams(t *testing.T) {
	p, err := New(Options{URL: "mqtt://127.0.0.1:1", Directory: directory(t), Sensors: &sensors{},
		Teams: []string{"Patriots", "nhl-bos", "Jets", "Springfield Atoms"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"nfl-ne", "nhl-bos"}, p.Teams())
}
