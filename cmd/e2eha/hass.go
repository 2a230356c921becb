package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// haConfig is what the generated configuration directory needs: where the
// service and the harness's recorder listen, and the package file.
type haConfig struct {
	dir          string
	port         int
	packageFile  string // deployments/homeassistant/sports_data.yaml, copied byte for byte
	service      string // http://127.0.0.1:<port> of the service
	team         string // the followed team
	recorderBase string // http://127.0.0.1:<port> of the harness's recorder
}

// The test doubles of the package's side effects: a universal media player
// for the TV, a template light for the lights, a rest_command for notify
// and a scene setting an input_boolean. Each reports to the harness's
// recorder. Neither default_config nor the frontend is loaded.
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
logger:
  default: warning
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
light:
  - platform: template
    lights:
      e2e_lights:
        friendly_name: E2E lights
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

func writeHAConfig(c haConfig) error {
	pkg, err := os.ReadFile(c.packageFile)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"configuration.yaml": fmt.Appendf(nil, haConfiguration, c.port, c.recorderBase),
		"secrets.yaml":       fmt.Appendf(nil, haSecrets, c.service, c.team),
		"sports_data.yaml":   pkg,
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(c.dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// haClient talks to Home Assistant's REST and WebSocket APIs as the owner
// created through onboarding.
type haClient struct {
	base     string
	clientID string
	http     *http.Client

	mu      sync.Mutex
	access  string
	refresh string
}

func newHAClient(port int) *haClient {
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	return &haClient{base: base, clientID: base + "/", http: &http.Client{Timeout: 20 * time.Second}}
}

// waitUp waits until the API answers (onboarding's status needs no token).
func (c *haClient) waitUp(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/api/onboarding", nil)
		resp, err := c.http.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no answer from Home Assistant on %s within %s", c.base, limit)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// onboard creates the owner and exchanges the authorization code for
// tokens, as the onboarding page does.
func (c *haClient) onboard(ctx context.Context) error {
	var created struct {
		AuthCode string `json:"auth_code"`
	}
	body := map[string]string{"client_id": c.clientID, "name": "E2E Owner", "username": "e2e",
		"password": "sports-data-e2e-password", "language": "en"}
	if err := c.call(ctx, http.MethodPost, "/api/onboarding/users", body, &created, false); err != nil {
		return fmt.Errorf("onboarding the owner: %w", err)
	}
	return c.token(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {created.AuthCode}})
}

func (c *haClient) token(ctx context.Context, form url.Values) error {
	form.Set("client_id", c.clientID)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/auth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var tok struct {
		Access  string `json:"access_token"`
		Refresh string `json:"refresh_token"`
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("/auth/token answered %d: %s", resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.access = tok.Access
	if tok.Refresh != "" {
		c.refresh = tok.Refresh
	}
	return nil
}

// renew gets a new access token with the refresh token (they last 30
// minutes; a run is shorter, but a restart must not depend on it).
func (c *haClient) renew(ctx context.Context) error {
	c.mu.Lock()
	rt := c.refresh
	c.mu.Unlock()
	return c.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
}

func (c *haClient) accessToken() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.access
}

// call sends a JSON request and decodes a JSON answer into out; a non-2xx
// answer is an error.
func (c *haClient) call(ctx context.Context, method, path string, in, out any, auth bool) error {
	var rd io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.Header.Set("Authorization", "Bearer "+c.accessToken())
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s answered %d: %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// addMQTT adds the MQTT integration through the config-flow API, answering
// each form with the broker's address.
func (c *haClient) addMQTT(ctx context.Context, host string, port int) error {
	var step struct {
		Type    string `json:"type"`
		FlowID  string `json:"flow_id"`
		StepID  string `json:"step_id"`
		Reason  string `json:"reason"`
		Errors  any    `json:"errors"`
		MenuOpt any    `json:"menu_options"`
	}
	if err := c.call(ctx, http.MethodPost, "/api/config/config_entries/flow",
		map[string]any{"handler": "mqtt", "show_advanced_options": false}, &step, true); err != nil {
		return err
	}
	for i := 0; i < 4; i++ {
		switch step.Type {
		case "create_entry":
			return nil
		case "form":
			if err := c.call(ctx, http.MethodPost, "/api/config/config_entries/flow/"+step.FlowID,
				map[string]any{"broker": host, "port": port}, &step, true); err != nil {
				return err
			}
		default:
			return fmt.Errorf("MQTT config flow stopped at %q (step %q, reason %q, errors %v)", step.Type, step.StepID, step.Reason, step.Errors)
		}
	}
	return fmt.Errorf("MQTT config flow did not finish (last step %q)", step.StepID)
}

// haState is one entity state as the REST and WebSocket APIs give it.
type haState struct {
	EntityID    string         `json:"entity_id"`
	State       string         `json:"state"`
	Attributes  map[string]any `json:"attributes"`
	LastChanged time.Time      `json:"last_changed"`
	LastUpdated time.Time      `json:"last_updated"`
}

func (c *haClient) state(ctx context.Context, entity string) (haState, error) {
	var s haState
	err := c.call(ctx, http.MethodGet, "/api/states/"+entity, nil, &s, true)
	return s, err
}

func (c *haClient) version(ctx context.Context) (string, error) {
	var cfg struct {
		Version string `json:"version"`
	}
	err := c.call(ctx, http.MethodGet, "/api/config", nil, &cfg, true)
	return cfg.Version, err
}
