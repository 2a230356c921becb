// Package demo runs the whole service against the built-in season simulator:
// live games, stored history and signed webhooks within a minute, without
// network. The simulated clock (Start + speed × real time) is also the
// service's clock, so "today", "live" and "upcoming" follow the simulated
// calendar.
//
// A separate program that owns a simulator (the soak test) starts the
// service as "sports-data demo --attach <base URL> --clock-start <RFC 3339>
// --clock-epoch <unix ns> --speed <x>": the service then computes the same
// clock as clock-start + speed × (wall time − clock-epoch), and brings up
// neither a simulator nor a receiver. These flags are not in the usage
// text; they are for programs, not people.
package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sports-data/sports-data/internal/simulator"
	"github.com/sports-data/sports-data/internal/tz"
)

const usage = `usage: sports-data demo [flags]

Runs the service against the built-in NFL and NHL season simulator on
127.0.0.1: games start within a minute, history is stored in an embedded
SQLite file, and a local webhook receiver prints every signed event it gets.
Nothing leaves this machine. Ctrl-C stops everything.

flags:
  --speed x       simulated seconds per real second (default 60: a game
                  minute every real second)
  --port n        HTTP port of the service (default 8005; 0 picks a free one)
  --bind addr     the address the service listens on (default 127.0.0.1;
                  0.0.0.0 lets other machines in, to every route: the demo
                  sets no API_KEY)
  --data-dir dir  where the demo keeps its data (default ./data-demo; it is
                  reset at every demo start, and a folder holding other data
                  is refused)
  --poll d        how often the service polls the simulator (default 1s)
  --seed n        the simulation's seed (default 1): same seed, same games
`

// Marker marks a data folder as the demo's own, so that it may be reset.
const Marker = ".sports-data-demo"

// ReceiverPath is where the demo's receiver takes deliveries.
const ReceiverPath = "/sports-data-demo/events"

type options struct {
	speed   float64
	port    int
	bind    string
	dataDir string
	poll    time.Duration
	seed    int64

	// Attached mode.
	attach     string
	clockStart time.Time
	clockEpoch time.Time
}

func parseFlags(args []string, stdout io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Float64Var(&o.speed, "speed", 60, "")
	fs.IntVar(&o.port, "port", 8005, "")
	fs.StringVar(&o.bind, "bind", "127.0.0.1", "")
	fs.StringVar(&o.dataDir, "data-dir", "./data-demo", "")
	fs.DurationVar(&o.poll, "poll", time.Second, "")
	fs.Int64Var(&o.seed, "seed", 1, "")
	fs.StringVar(&o.attach, "attach", "", "")
	clockStart := fs.String("clock-start", "", "")
	clockEpoch := fs.Int64("clock-epoch", 0, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return o, flag.ErrHelp
		}
		return o, fmt.Errorf("demo: %v\n%s", err, usage)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("demo: unexpected argument %q\n%s", fs.Arg(0), usage)
	}
	switch {
	case !(o.speed > 0) || o.speed > 1e6:
		return o, fmt.Errorf("demo: --speed %v must be a number above 0 and at most 1000000", o.speed)
	case o.port < 0 || o.port > 65535:
		return o, fmt.Errorf("demo: --port %d is not a port (0-65535)", o.port)
	case net.ParseIP(o.bind) == nil:
		return o, fmt.Errorf("demo: --bind %q is not an IP address (127.0.0.1, 0.0.0.0, ...)", o.bind)
	case strings.TrimSpace(o.dataDir) == "":
		return o, errors.New("demo: --data-dir must not be empty")
	case o.poll < 10*time.Millisecond:
		return o, fmt.Errorf("demo: --poll %s is too short (10ms or more)", o.poll)
	}
	if o.attach == "" {
		if *clockStart != "" || *clockEpoch != 0 {
			return o, errors.New("demo: --clock-start and --clock-epoch go with --attach")
		}
		return o, nil
	}
	u, err := url.Parse(o.attach)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return o, fmt.Errorf("demo: --attach %q is not an http(s) URL", o.attach)
	}
	if *clockStart == "" || *clockEpoch == 0 {
		return o, errors.New("demo: --attach needs --clock-start and --clock-epoch")
	}
	o.clockStart, err = time.Parse(time.RFC3339Nano, *clockStart)
	if err != nil {
		return o, fmt.Errorf("demo: --clock-start %q is not an RFC 3339 time", *clockStart)
	}
	o.clockEpoch = time.Unix(0, *clockEpoch)
	return o, nil
}

// linearClock is the simulator's clock seen from another process: start at
// the wall time epoch, running speed times faster than real time. The epoch
// carries no monotonic reading, so the difference is one of wall clocks,
// which both processes share.
func linearClock(start, epoch time.Time, speed float64) func() time.Time {
	return func() time.Time {
		return start.Add(time.Duration(float64(time.Since(epoch)) * speed))
	}
}

// demoLeagues are what the demo plays: an NFL and NHL week, and a tennis
// match, a UFC bout and a race within its first hour.
var demoLeagues = []string{"nfl", "nhl", "atp", "ufc", "f1"}

// startAt puts the simulated clock at 12:30 US Eastern of the next
// Sunday: the early NFL games (and the scripted ones among them) kick off
// 30 simulated minutes later, half a minute of real time at the default
// speed.
func startAt(now time.Time) time.Time {
	return simulator.SundayNoonET(now).Add(30 * time.Minute)
}

// Serve runs the service configured by getenv until ctx ends, logging to
// stdout; ready, when set, receives the listening address once requests
// are taken, and now is the clock games are judged by.
type Serve func(ctx context.Context, getenv func(string) string, stdout io.Writer, ready func(addr string), now func() time.Time) error

// Run runs the demo (sports-data demo [flags]) until ctx ends, serving
// through serve.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer, serve Serve) error {
	o, err := parseFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	out := &lineWriter{w: stdout}
	if o.attach != "" {
		return attached(ctx, o, getenv, out, serve)
	}

	if err := resetDir(o.dataDir); err != nil {
		return err
	}
	sim, err := simulator.New(simulator.Options{Leagues: demoLeagues, Start: startAt(time.Now()), Speed: o.speed, Seed: o.seed})
	if err != nil {
		return fmt.Errorf("demo: %v", err)
	}
	defer sim.Close()
	simURL, err := sim.Start(ctx)
	if err != nil {
		return fmt.Errorf("demo: %v", err)
	}

	secret, err := randomSecret()
	if err != nil {
		return err
	}
	rcv, err := startReceiver(secret, out)
	if err != nil {
		return err
	}
	defer rcv.close()

	env := withEnv(getenv, map[string]string{
		"PORT":               strconv.Itoa(o.port),
		"BIND_ADDRESS":       o.bind,
		"DATA_DIR":           o.dataDir,
		"ESPN_BASE_URL":      simURL,
		"POLL_LIVE_INTERVAL": o.poll.String(),
		"POLL_IDLE_INTERVAL": o.poll.String(),
		// Demo data never mixes with a configured InfluxDB.
		"STORE":   "sqlite",
		"LEAGUES": strings.Join(demoLeagues, ","),
	})
	if getenv("LOG_LEVEL") == "" {
		// The service's info lines would bury the event lines.
		env = withEnv(env, map[string]string{"LOG_LEVEL": "warn"})
	}

	setupCtx, cancelSetup := context.WithCancel(ctx)
	defer cancelSetup()
	var wg sync.WaitGroup
	defer wg.Wait()
	ready := func(addr string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base, err := localBase(addr)
			if err == nil {
				err = register(setupCtx, base, rcv.url, secret, getenv("API_KEY"))
			}
			if err != nil {
				if setupCtx.Err() == nil {
					out.printf("demo: the receiver could not be registered, so no events will be printed: %v", err)
				}
				return
			}
			out.print(banner(base, sim, o))
		}()
	}
	err = serve(ctx, env, out, ready, sim.Now)
	cancelSetup()
	return err
}

// demoAttached serves with another process's simulator and clock.
func attached(ctx context.Context, o options, getenv func(string) string, out *lineWriter, serve Serve) error {
	if err := os.MkdirAll(o.dataDir, 0o755); err != nil {
		return fmt.Errorf("demo: --data-dir: %v", err)
	}
	env := withEnv(getenv, map[string]string{
		"PORT":               strconv.Itoa(o.port),
		"BIND_ADDRESS":       o.bind,
		"DATA_DIR":           o.dataDir,
		"ESPN_BASE_URL":      o.attach,
		"POLL_LIVE_INTERVAL": o.poll.String(),
		"POLL_IDLE_INTERVAL": o.poll.String(),
	})
	return serve(ctx, env, out, nil, linearClock(o.clockStart, o.clockEpoch, o.speed))
}

// withEnv is getenv with some variables set.
func withEnv(getenv func(string) string, set map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := set[k]; ok {
			return v
		}
		return getenv(k)
	}
}

// resetDir empties the demo's folder (each demo starts a fresh
// simulated Sunday, which stored data of an earlier run would contradict)
// and marks it as the demo's. A folder with other content is refused.
func resetDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return fmt.Errorf("demo: --data-dir: %v", err)
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(dir, Marker)); err != nil {
			return fmt.Errorf("demo: --data-dir %s holds data the demo did not write; choose an empty or new folder", dir)
		}
		for _, e := range entries {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("demo: resetting %s: %v", dir, err)
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("demo: --data-dir: %v", err)
	}
	note := []byte("This folder belongs to `sports-data demo`, which empties it at every start.\n")
	if err := os.WriteFile(filepath.Join(dir, Marker), note, 0o644); err != nil {
		return fmt.Errorf("demo: --data-dir: %v", err)
	}
	return nil
}

// localBase turns the listening address into a URL this machine reaches:
// 127.0.0.1 when the service listens on every interface.
func localBase(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

func randomSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("demo: no randomness for the webhook secret: %v", err)
	}
	return hex.EncodeToString(b), nil
}

// register subscribes the receiver to every event of every game
// through the service's own API, as a user would.
func register(ctx context.Context, base, receiver, secret, apiKey string) error {
	body, _ := json.Marshal(map[string]any{
		"url":    receiver,
		"secret": secret,
		"events": []string{"game_start", "score_change", "game_end"},
	})
	client := &http.Client{Timeout: 5 * time.Second}
	var last error
	for attempt := 0; attempt < 10; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(300 * time.Millisecond):
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/ha/webhooks/register", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		if apiKey != "" {
			req.Header.Set("X-API-Key", apiKey)
		}
		resp, err := client.Do(req)
		if err != nil {
			last = err
			continue
		}
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		if resp.StatusCode == http.StatusCreated {
			return nil
		}
		last = fmt.Errorf("registration answered %d: %s", resp.StatusCode, bytes.TrimSpace(msg))
		if resp.StatusCode < 500 {
			return last
		}
	}
	return last
}

// banner tells the user what to open, the page first, naming a team whose
// game is on or next.
func banner(base string, sim *simulator.Sim, o options) string {
	tr := sim.Truth()
	team, what := "nfl-ne", ""
	var pick *simulator.GameTruth
	for i := range tr.Games {
		g := &tr.Games[i]
		if g.Final != nil || !g.PostponedAt.IsZero() {
			continue
		}
		// Live games first, then the earliest start; the scripted
		// quick-scores game breaks ties, since it scores soonest.
		better := pick == nil ||
			(!g.Start.IsZero() && pick.Start.IsZero()) ||
			(g.Start.IsZero() == pick.Start.IsZero() && g.Scheduled.Before(pick.Scheduled)) ||
			(g.Start.IsZero() == pick.Start.IsZero() && g.Scheduled.Equal(pick.Scheduled) && g.Scenario == simulator.ScenarioQuick && pick.Scenario != simulator.ScenarioQuick)
		if better {
			pick = g
		}
	}
	if pick != nil {
		team = pick.League + "-" + strings.ToLower(pick.Home.Abbreviation)
		what = fmt.Sprintf("   (%s: %s vs %s, %s ET)", strings.ToUpper(pick.League), pick.Home.Abbreviation,
			pick.Away.Abbreviation, pick.Scheduled.In(tz.Eastern).Format("Mon 15:04"))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "sports-data demo: a simulated NFL and NHL week, a tennis match, a UFC bout and a race from %s ET, %g× real time\n",
		tr.At.In(tz.Eastern).Format("Mon 2 Jan 15:04"), o.speed)
	fmt.Fprintf(&b, "  open           %s/ui/   (live games, each game's chart, webhooks)\n", base)
	fmt.Fprintf(&b, "  live games     %s/api/v1/games/live\n", base)
	fmt.Fprintf(&b, "  a team's game  %s/api/v1/ha/game-status/%s%s\n", base, team, what)
	fmt.Fprintf(&b, "  history        %s/api/v1/games/history?team=%s\n", base, team)
	fmt.Fprintf(&b, "  API docs       %s/docs\n", base)
	fmt.Fprintf(&b, "  data           %s (reset at every demo start)\n", o.dataDir)
	b.WriteString("Webhook events follow (simulated US Eastern time; signatures verified). Ctrl-C stops.")
	return b.String()
}
