package espnrules

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEventsAsESPNAnswersThem(t *testing.T) {
	for _, c := range []struct {
		limit     string
		available int
		want      int
	}{
		{"", 84, 84},
		{"", 323, 100}, // without a limit ESPN stops at 100
		{"abc", 323, 100},
		{"0", 323, 100},
		{"50", 323, 50},
		{"500", 323, 323},
		{"500", 600, 500},
		{"501", 323, 25}, // above 500: exactly 25, silently
		{"1000", 323, 25},
		{"1000", 12, 12},
	} {
		assert.Equal(t, c.want, Events(c.limit, c.available), "limit %q of %d", c.limit, c.available)
	}
}

// The agents ESPN answers and refuses, as other clients report them
// (docs/espn.md, Requests).
func TestAgentRefused(t *testing.T) {
	for _, ua := range []string{
		"",
		"  ",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
		"Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0",
	} {
		assert.True(t, AgentRefused(ua), "%q", ua)
		assert.Error(t, CheckAgent(ua), "%q", ua)
	}
	for _, ua := range []string{
		"Go-http-client/1.1",
		"curl/8.5.0",
		"sports-data/2.0 (+https://github.com/sports-data/sports-data)",
		"HomeAssistant-TeamTracker/0.17 (+https://github.com/vasqued2/ha-teamtracker)",
	} {
		assert.False(t, AgentRefused(ua), "%q", ua)
		assert.NoError(t, CheckAgent(ua), "%q", ua)
	}
	assert.Error(t, CheckAgent("sports-data/2.0\r\nX-Injected: 1"), "a header cannot carry a line break")
}

func TestIsRange(t *testing.T) {
	assert.True(t, IsRange("20261201-20261207"))
	assert.False(t, IsRange("20261201"))
	assert.False(t, IsRange("202612"))
}
