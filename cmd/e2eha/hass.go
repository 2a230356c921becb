package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

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

// waitUp waits until the API answers: 401 to a request without a token
// (onboarding's own routes are gone once onboarding is done).
func (c *haClient) waitUp(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/api/", nil)
		resp, err := c.http.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusUnauthorized {
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

// waitRunning waits until Home Assistant says it is running: every
// integration is set up and the automations have their triggers.
func (c *haClient) waitRunning(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		var cfg struct {
			State string `json:"state"`
		}
		if err := c.call(ctx, http.MethodGet, "/api/config", nil, &cfg, true); err == nil && cfg.State == "RUNNING" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no running Home Assistant on %s within %s", c.base, limit)
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

// tokens are the owner's access and refresh tokens.
func (c *haClient) tokens() (access, refresh string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.access, c.refresh
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
		Type    string           `json:"type"`
		FlowID  string           `json:"flow_id"`
		StepID  string           `json:"step_id"`
		Reason  string           `json:"reason"`
		Errors  any              `json:"errors"`
		MenuOpt any              `json:"menu_options"`
		Schema  []map[string]any `json:"data_schema"`
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
			// Releases from 2026 ask about certificates too: none.
			answer := fillForm(step.Schema, map[string]any{"broker": host, "port": port,
				"set_client_cert": false, "set_ca_cert": "off"})
			if err := c.call(ctx, http.MethodPost, "/api/config/config_entries/flow/"+step.FlowID, answer, &step, true); err != nil {
				return err
			}
		default:
			return fmt.Errorf("MQTT config flow stopped at %q (step %q, reason %q, errors %v)", step.Type, step.StepID, step.Reason, step.Errors)
		}
	}
	return fmt.Errorf("MQTT config flow did not finish (last step %q)", step.StepID)
}

// fillForm answers a config-flow form as the frontend does: the values
// given, every other field's default, and each section (releases from 2026
// group settings in them) as an object of its own fields.
func fillForm(schema []map[string]any, values map[string]any) map[string]any {
	out := map[string]any{}
	for _, f := range schema {
		name, _ := f["name"].(string)
		if v, ok := values[name]; ok {
			out[name] = v
			continue
		}
		if def, ok := f["default"]; ok {
			out[name] = def
			continue
		}
		if f["type"] == "expandable" {
			var sub []map[string]any
			if raw, err := json.Marshal(f["schema"]); err == nil {
				_ = json.Unmarshal(raw, &sub)
			}
			out[name] = fillForm(sub, values)
		}
	}
	return out
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

// entries are Home Assistant's config entries.
func (c *haClient) entries(ctx context.Context) ([]configEntry, error) {
	var out []configEntry
	err := c.call(ctx, http.MethodGet, "/api/config/config_entries/entry", nil, &out, true)
	return out, err
}

type configEntry struct {
	EntryID string `json:"entry_id"`
	Domain  string `json:"domain"`
	State   string `json:"state"`
}

// settleHA does what a new user of this Home Assistant is asked to do
// after onboarding, where the release asks it:
//   - releases from 2026 take the YAML http: section as a trial and go
//     back to their defaults (port 8123) five minutes later unless it is
//     confirmed in the UI; confirmed here as the UI does;
//   - the Marketplace of 2026 releases fetches catalogs from the internet
//     once Home Assistant runs; it is turned off (its config entry
//     disabled, the user's choice that Home Assistant keeps).
func (r *run) settleHA(ctx context.Context) {
	ws := r.obs.conn()
	var httpCfg struct {
		Active string `json:"active_config_type"`
	}
	switch err := ws.command(ctx, map[string]any{"type": "http/config"}, &httpCfg); {
	case err != nil && strings.Contains(err.Error(), "unknown_command"):
		// The release applies the YAML as it is.
	case err != nil:
		r.rep.fail("http settings", err.Error())
	case httpCfg.Active == "pending":
		err := ws.command(ctx, map[string]any{"type": "http/config/promote"}, nil)
		r.rep.add("http settings", err == nil, "the YAML http: section (127.0.0.1, port %d) confirmed as the UI does (http/config/promote)%s",
			r.haPort, errText(err))
	}
	entries, err := r.hc.entries(ctx)
	if err != nil {
		r.rep.note("listing config entries: %v", err)
		return
	}
	for _, e := range entries {
		if e.Domain != "marketplace" {
			continue
		}
		err := ws.command(ctx, map[string]any{"type": "config_entries/disable", "entry_id": e.EntryID, "disabled_by": "user"}, nil)
		r.rep.note("the Marketplace turned off (its config entry disabled)%s", errText(err))
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}
