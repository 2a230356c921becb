package hadiscovery

import (
	"context"
	"errors"
	"fmt"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sports-data/sports-data/internal/retry"
)

func (p *Publisher) fail(err error) {
	now := time.Now().UTC()
	p.mu.Lock()
	p.st.LastError = err.Error()
	p.st.LastErrorAt = &now
	p.mu.Unlock()
}

// onConnect runs on the client's goroutine after every (re)connection:
// listen for Home Assistant's birth message and for this service's
// configurations on the broker, then have Run announce everything again.
func (p *Publisher) onConnect(c mqtt.Client) {
	p.log.Info("MQTT broker connected")
	subs := map[string]byte{p.t.birth(): 1, p.t.configs(): 1}
	tok := c.SubscribeMultiple(subs, p.onMessage)
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		p.fail(fmt.Errorf("subscribe: %v", tok.Error()))
	}
	select {
	case p.connected <- struct{}{}:
	default:
	}
}

// online reports whether messages may be published now.
func (p *Publisher) online() bool { return p.up.Load() && p.client.IsConnectionOpen() }

func (p *Publisher) onMessage(_ mqtt.Client, m mqtt.Message) {
	if m.Topic() == p.t.birth() {
		if string(m.Payload()) == Online {
			p.log.Info("Home Assistant is online; announcing every team again")
			select {
			case p.reannounce <- struct{}{}:
			default:
			}
		}
		return
	}
	id := p.t.objectOf(m.Topic())
	if id == "" {
		return
	}
	// Retained deliveries are what the broker held when this connection
	// subscribed; live ones are this service's own announcements.
	p.mu.Lock()
	switch {
	case len(m.Payload()) == 0:
		delete(p.leftover, id)
	case m.Retained():
		p.leftover[id] = true
	}
	p.mu.Unlock()
	p.poke()
}

// connectBackoff paces the first connection's attempts: waits drawn below
// 1 s, 2 s, 4 s, … up to 30 s (the service's retry policy).
var connectBackoff = retry.Backoff{Base: time.Second, Max: 30 * time.Second}

// connect makes the first connection, retrying until it succeeds or ctx
// ends; later reconnections are the client's own.
func (p *Publisher) connect(ctx context.Context) {
	for attempt := 0; ; attempt++ {
		tok := p.client.Connect()
		select {
		case <-tok.Done():
		case <-ctx.Done():
			return
		}
		if tok.Error() == nil {
			return
		}
		wait := connectBackoff.Delay(attempt)
		p.fail(fmt.Errorf("connect: %w", tok.Error()))
		p.log.Warn("MQTT broker not reachable; retrying", "err", tok.Error(), "in", wait.Round(time.Millisecond))
		if retry.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// stop publishes offline (the last will is for deaths, not for goodbyes)
// and disconnects.
func (p *Publisher) stop() {
	if p.online() {
		p.publish(p.t.status(), []byte(Offline), 1, true)
	}
	p.client.Disconnect(250)
}

// publish sends one message and waits for the broker to take it (QoS 1)
// or for the client to write it (QoS 0).
func (p *Publisher) publish(topic string, payload []byte, qos byte, retained bool) bool {
	if !p.online() {
		return false
	}
	tok := p.client.Publish(topic, qos, retained, payload)
	var err error
	switch {
	case !tok.WaitTimeout(15 * time.Second):
		err = errors.New("publish timed out")
	default:
		err = tok.Error()
	}
	p.mu.Lock()
	if err != nil {
		p.st.PublishErrors++
	} else {
		p.st.Published++
	}
	p.mu.Unlock()
	if err != nil {
		p.fail(fmt.Errorf("publish %s: %w", topic, err))
		return false
	}
	return true
}

// retain publishes a retained message unless the broker already holds
// exactly that payload from this connection.
func (p *Publisher) retain(topic string, payload []byte) {
	p.retainAs(topic, payload, string(payload))
}

// retainAs publishes a retained message unless what the broker holds from
// this connection was published under the same key: a payload whose
// differences do not count is not published again. Announced again (a
// new connection, Home Assistant's birth), a payload under the key last
// published goes out as it was then, byte for byte.
func (p *Publisher) retainAs(topic string, payload []byte, key string) {
	if last, ok := p.sent[topic]; ok && last == key {
		return
	}
	if prev, ok := p.last[topic]; ok && prev.key == key {
		payload = prev.payload
	}
	if p.publish(topic, payload, 1, true) {
		p.sent[topic] = key
		p.last[topic] = retained{key: key, payload: payload}
	}
}

// publishEvent sends one event; one that did not go out (the connection
// went while it was being sent) is kept to go first, so that events keep
// their order.
func (p *Publisher) publishEvent(e outEvent) {
	if !p.publish(e.topic, e.payload, 1, false) {
		p.held = &e
	}
}
