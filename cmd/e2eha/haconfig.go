package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// haConfig is what the generated configuration directory needs: where the
// service and the harness's recorder listen, the package file and the
// card.
type haConfig struct {
	dir          string
	port         int
	packageFile  string // deployments/homeassistant/sports_data.yaml, copied byte for byte
	cardFile     string // ha-teamtracker-card's built file, served as /local/
	service      string // http://127.0.0.1:<port> of the service
	team         string // the followed team
	recorderBase string // http://127.0.0.1:<port> of the harness's recorder
}

// The configuration a user with the frontend has, without default_config
// (whose integrations discover devices and reach the internet): the
// frontend, the recorder and its history. The test doubles of the
// package's side effects are a universal media player for the TV, a
// template light for the lights, a rest_command for notify and a scene
// setting an input_boolean; each reports to the harness's recorder. An
// automation of the harness's own takes the webhook id e2e_probe at the
// moment the package's automations take theirs, so that asking for it tells
// when they have (watchWebhook). The webhook integration logs, at info,
// every call to an id no automation has taken: a delivery of the service
// that came too early shows there.
// haTimeZone is the time_zone of haConfiguration: Home Assistant shows
// calendar events in it.
const haTimeZone = "America/New_York"

const haConfiguration = `homeassistant:
  name: sports-data e2e
  latitude: 42.09
  longitude: -71.26
  elevation: 0
  unit_system: metric
  time_zone: America/New_York
  country: US
  currency: USD
  packages:
    sports_data: !include sports_data.yaml
http:
  server_host: 127.0.0.1
  server_port: %d
api:
config:
onboarding:
websocket_api:
frontend:
recorder:
history:
logger:
  default: warning
  logs:
    homeassistant.components.webhook: info
automation:
  - id: e2e_probe
    alias: E2E webhook probe
    trigger:
      - platform: webhook
        webhook_id: e2e_probe
        allowed_methods: [POST]
        local_only: true
    action:
      - delay: 0
input_boolean:
  e2e_pregame:
    name: E2E pre-game scene applied
scene:
  - name: E2E game day
    entities:
      input_boolean.e2e_pregame: "on"
rest_command:
  e2e_tv:
    url: %[2]s/double/tv
    method: post
    content_type: application/json
    payload: "{}"
  e2e_lights:
    url: %[2]s/double/lights
    method: post
    content_type: application/json
    payload: "{}"
  e2e_notify:
    url: %[2]s/double/notify
    method: post
    content_type: application/json
    payload: "{{ {'message': message} | to_json }}"
media_player:
  - platform: universal
    name: E2E TV
    commands:
      turn_on:
        action: rest_command.e2e_tv
template:
  - light:
      - name: E2E lights
        unique_id: e2e_lights
        turn_on:
          action: rest_command.e2e_lights
        turn_off:
          - delay: 0
`

const haSecrets = `sports_data_game_status_url: %s/api/v1/ha/game-status/%[2]s
sports_data_sensor_url: %[1]s/api/v1/ha/sensor/%[2]s
sports_data_tv: media_player.e2e_tv
sports_data_lights: light.e2e_lights
sports_data_notify: rest_command.e2e_notify
sports_data_pregame_scene: scene.e2e_game_day
`

// haOnboarding marks every onboarding step but the owner's as done. The
// core_config step sets up integrations that reach the internet (weather,
// radio, translation) and the analytics step asks about sending data; the
// owner is still created through the onboarding API, which then finds
// onboarding complete, so that the frontend shows the dashboard.
const haOnboarding = `{"version": 4, "minor_version": 1, "key": "onboarding",
 "data": {"done": ["core_config", "analytics", "integration"]}}
`

// writeHAConfig writes a fresh configuration directory: nothing of an
// earlier start is kept.
func writeHAConfig(c haConfig) error {
	pkg, err := os.ReadFile(c.packageFile)
	if err != nil {
		return err
	}
	card, err := os.ReadFile(c.cardFile)
	if err != nil {
		return fmt.Errorf("the card's built file: %w", err)
	}
	if err := os.RemoveAll(c.dir); err != nil {
		return err
	}
	files := map[string][]byte{
		"configuration.yaml":         fmt.Appendf(nil, haConfiguration, c.port, c.recorderBase),
		"secrets.yaml":               fmt.Appendf(nil, haSecrets, c.service, c.team),
		"sports_data.yaml":           pkg,
		"www/ha-teamtracker-card.js": card,
		".storage/onboarding":        []byte(haOnboarding),
	}
	for name, b := range files {
		path := filepath.Join(c.dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
