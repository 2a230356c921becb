package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// haWS is one authenticated connection to Home Assistant's WebSocket API:
// commands with their results, and state_changed events passed to onState.
type haWS struct {
	conn    *websocket.Conn
	onState func(haState)

	writeMu sync.Mutex
	mu      sync.Mutex
	nextID  int
	pending map[int]chan wsResult
	done    chan struct{}
	err     error
}

type wsResult struct {
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result"`
	Error   *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func dialHAWS(ctx context.Context, c *haClient, onState func(haState)) (*haWS, error) {
	u := "ws" + strings.TrimPrefix(c.base, "http") + "/api/websocket"
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	conn, _, err := d.DialContext(ctx, u, nil)
	if err != nil {
		return nil, err
	}
	var hello struct {
		Type string `json:"type"`
	}
	if err := conn.ReadJSON(&hello); err != nil || hello.Type != "auth_required" {
		conn.Close()
		return nil, fmt.Errorf("websocket: expected auth_required, got %q (%v)", hello.Type, err)
	}
	if err := conn.WriteJSON(map[string]string{"type": "auth", "access_token": c.accessToken()}); err != nil {
		conn.Close()
		return nil, err
	}
	if err := conn.ReadJSON(&hello); err != nil || hello.Type != "auth_ok" {
		conn.Close()
		return nil, fmt.Errorf("websocket: authentication answered %q (%v)", hello.Type, err)
	}
	w := &haWS{conn: conn, onState: onState, pending: map[int]chan wsResult{}, done: make(chan struct{})}
	go w.read()
	return w, nil
}

// read dispatches until the connection ends (Home Assistant stops, or
// close).
func (w *haWS) read() {
	defer close(w.done)
	for {
		var msg struct {
			ID    int    `json:"id"`
			Type  string `json:"type"`
			Event struct {
				EventType string `json:"event_type"`
				Data      struct {
					NewState *haState `json:"new_state"`
				} `json:"data"`
			} `json:"event"`
			wsResult
		}
		if err := w.conn.ReadJSON(&msg); err != nil {
			w.mu.Lock()
			w.err = err
			for id, ch := range w.pending {
				close(ch)
				delete(w.pending, id)
			}
			w.mu.Unlock()
			return
		}
		switch msg.Type {
		case "event":
			if msg.Event.EventType == "state_changed" && msg.Event.Data.NewState != nil && w.onState != nil {
				w.onState(*msg.Event.Data.NewState)
			}
		case "result":
			w.mu.Lock()
			ch := w.pending[msg.ID]
			delete(w.pending, msg.ID)
			w.mu.Unlock()
			if ch != nil {
				ch <- msg.wsResult
			}
		}
	}
}

// command sends one command and decodes its result into out.
func (w *haWS) command(ctx context.Context, fields map[string]any, out any) error {
	ch := make(chan wsResult, 1)
	w.mu.Lock()
	if w.err != nil {
		w.mu.Unlock()
		return w.err
	}
	w.nextID++
	id := w.nextID
	w.pending[id] = ch
	w.mu.Unlock()
	fields["id"] = id
	w.writeMu.Lock()
	err := w.conn.WriteJSON(fields)
	w.writeMu.Unlock()
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case r, ok := <-ch:
		switch {
		case !ok:
			return errors.New("websocket closed")
		case !r.Success:
			if r.Error != nil {
				return fmt.Errorf("%v: %s %s", fields["type"], r.Error.Code, r.Error.Message)
			}
			return fmt.Errorf("%v failed", fields["type"])
		case out != nil:
			return json.Unmarshal(r.Result, out)
		}
		return nil
	}
}

func (w *haWS) close() {
	_ = w.conn.Close()
	<-w.done
}
