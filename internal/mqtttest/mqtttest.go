// Package mqtttest gives tests a real Mosquitto broker and a client that
// listens the way Home Assistant does.
//
// The shared broker is the one scripts/mosquitto-test.sh starts for
// make test (SPORTS_DATA_TEST_MQTT_URL). Tests that stop and restart a
// broker get a private one of their own (Start), so that they disturb no
// other test. Without a broker, tests skip; with CI=true they fail.
package mqtttest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/sports-data/sports-data/internal/testenv"
)

// URL is the shared broker's URL.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("SPORTS_DATA_TEST_MQTT_URL")
	testenv.Need(t, u != "", "SPORTS_DATA_TEST_MQTT_URL is not set (make test starts a broker: scripts/mosquitto-test.sh)")
	return u
}

// Binary is the mosquitto executable: SPORTS_DATA_TEST_MOSQUITTO, the one
// on PATH, or Debian's /usr/sbin/mosquitto.
func Binary() string {
	if b := os.Getenv("SPORTS_DATA_TEST_MOSQUITTO"); b != "" {
		return b
	}
	if b, err := exec.LookPath("mosquitto"); err == nil {
		return b
	}
	return "/usr/sbin/mosquitto"
}

// Broker is a private Mosquitto on 127.0.0.1, stopped with the test.
type Broker struct {
	t    testing.TB
	dir  string
	Port int
	URL  string
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// Start runs a private broker on a free port.
func Start(t testing.TB) *Broker {
	t.Helper()
	_, err := os.Stat(Binary())
	testenv.Need(t, err == nil, "mosquitto is not installed (scripts/mosquitto-test.sh start installs it)")
	port := testenv.FreePort(t)
	b := &Broker{t: t, dir: t.TempDir(), Port: port, URL: fmt.Sprintf("mqtt://127.0.0.1:%d", port)}
	b.Restart()
	t.Cleanup(b.Stop)
	return b
}

// Restart starts the broker again on the same port (after Stop). It keeps
// nothing: no persistence, as after a broker crash that lost its state.
func (b *Broker) Restart() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	conf := filepath.Join(b.dir, "mosquitto.conf")
	user := "root"
	if os.Geteuid() != 0 {
		user = os.Getenv("USER")
	}
	text := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type error\nlog_type warning\n", b.Port)
	if user != "" {
		text += "user " + user + "\n"
	}
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		b.t.Fatal(err)
	}
	var out strings.Builder
	cmd := exec.Command(Binary(), "-c", conf)
	cmd.Stderr = &syncWriter{w: &out}
	if err := cmd.Start(); err != nil {
		b.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", b.Port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			b.t.Fatalf("mosquitto exited at start: %s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			b.t.Fatalf("mosquitto did not listen on %d", b.Port)
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.cmd, b.done = cmd, done
}

// Stop ends the broker and waits until it has exited.
func (b *Broker) Stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd == nil {
		return
	}
	_ = b.cmd.Process.Kill()
	<-b.done
	b.cmd = nil
}

type syncWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// Message is one message a Listener received.
type Message struct {
	Topic    string
	Payload  string
	Retained bool
	QoS      byte
	At       time.Time
}

// Listener is a client subscribed to some topic filters, recording every
// message in the order received.
type Listener struct {
	t      testing.TB
	client mqtt.Client
	mu     sync.Mutex
	msgs   []Message
	wake   chan struct{}
}

// Listen connects to url and subscribes to filters at QoS 1, as Home
// Assistant does for discovery and states.
func Listen(t testing.TB, url string, filters ...string) *Listener {
	t.Helper()
	l := &Listener{t: t, wake: make(chan struct{}, 1)}
	opts := mqtt.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprintf("test-listener-%d", time.Now().UnixNano())).
		SetCleanSession(true).SetAutoReconnect(true).SetOrderMatters(true).SetConnectTimeout(5 * time.Second)
	subs := map[string]byte{}
	for _, f := range filters {
		subs[f] = 1
	}
	// Subscribing on every connection, as Home Assistant does, also after
	// a broker restart.
	subscribed := make(chan error, 1)
	opts.SetOnConnectHandler(func(c mqtt.Client) {
		tok := c.SubscribeMultiple(subs, l.record)
		tok.WaitTimeout(5 * time.Second)
		select {
		case subscribed <- tok.Error():
		default:
		}
	})
	l.client = mqtt.NewClient(opts)
	tok := l.client.Connect()
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("listener cannot connect to %s: %v", url, tok.Error())
	}
	t.Cleanup(func() { l.client.Disconnect(100) })
	select {
	case err := <-subscribed:
		if err != nil {
			t.Fatalf("listener cannot subscribe: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("listener did not subscribe")
	}
	return l
}

func (l *Listener) record(_ mqtt.Client, m mqtt.Message) {
	l.mu.Lock()
	l.msgs = append(l.msgs, Message{Topic: m.Topic(), Payload: string(m.Payload()), Retained: m.Retained(), QoS: m.Qos(), At: time.Now()})
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Messages is everything received so far.
func (l *Listener) Messages() []Message {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Message(nil), l.msgs...)
}

// On is every message received on one topic.
func (l *Listener) On(topic string) []Message {
	var out []Message
	for _, m := range l.Messages() {
		if m.Topic == topic {
			out = append(out, m)
		}
	}
	return out
}

// Last is the last message on topic; ok is false when none came.
func (l *Listener) Last(topic string) (Message, bool) {
	ms := l.On(topic)
	if len(ms) == 0 {
		return Message{}, false
	}
	return ms[len(ms)-1], true
}

// Wait waits up to timeout for cond to hold over the messages so far.
func (l *Listener) Wait(what string, timeout time.Duration, cond func([]Message) bool) {
	l.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if cond(l.Messages()) {
			return
		}
		select {
		case <-l.wake:
		case <-deadline.C:
			l.t.Fatalf("waited %s for %s; got %d messages", timeout, what, len(l.Messages()))
		}
	}
}

// WaitFor waits until a message on topic satisfies ok and returns it.
func (l *Listener) WaitFor(topic string, timeout time.Duration, ok func(Message) bool) Message {
	l.t.Helper()
	var found Message
	l.Wait("a message on "+topic, timeout, func(ms []Message) bool {
		for _, m := range ms {
			if m.Topic == topic && ok(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// Publish sends one message with a fresh client and waits until the
// broker has it (Home Assistant's birth message, a stale configuration).
func Publish(t testing.TB, url, topic, payload string, retained bool) {
	t.Helper()
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprintf("test-publisher-%d", time.Now().UnixNano())).SetConnectTimeout(5 * time.Second))
	tok := c.Connect()
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("publisher cannot connect to %s: %v", url, tok.Error())
	}
	defer c.Disconnect(100)
	pt := c.Publish(topic, 1, retained, payload)
	if !pt.WaitTimeout(10*time.Second) || pt.Error() != nil {
		t.Fatalf("publish %s: %v", topic, pt.Error())
	}
}
