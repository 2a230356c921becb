// Command soak plays simulated NFL and NHL games at high speed through the
// real sports-data binary while it injects faults, then checks what the
// service stored and delivered against the simulator's own truth.
//
//	make soak         a simulated week, on SQLite and InfluxDB 1.8, 2.7 and 3 Core (minutes)
//	make soak-short   one busy simulated Sunday on the four (about five minutes)
//	go run ./cmd/soak -bin bin/sports-data -days 1 -speed 1200 -stores sqlite
//
// The soak owns the simulator (internal/simulator) and serves it on
// 127.0.0.1. The service runs as a child process,
//
//	sports-data demo --attach <simulator URL> --clock-start <RFC 3339>
//	    --clock-epoch <unix ns> --speed <x> --port <n> --data-dir <dir>
//
// which serves with the clock clock-start + speed × (wall time −
// clock-epoch). The soak reads the simulator's clock between two wall-clock
// readings and passes their midpoint as the epoch, so both processes agree
// to within a few simulated milliseconds, and a restarted service resumes
// on the same clock.
//
// Faults: ESPN answers 500, holds the request for a quarter of a second and
// answers 504, or sends half a body, on about 10 % of calls, and twice holds
// a request until the service's client gives up; InfluxDB is stopped with
// SIGTERM for a few seconds while games are live and started again; the
// service is killed with SIGKILL mid-game and started again; one webhook
// receiver fails the first attempt of every fourth event with 500, then
// holds every request until the sender gives up for ten seconds, and
// finally answers 410. Kills and InfluxDB outages do not overlap: a service
// started while its store is down cannot read the stored baseline and
// stores every game's current state once more (it says so in its log).
//
// Real time is compressed: at 1500× a one-second restart is 25 simulated
// minutes. A game that ended while nothing observed it for more than an
// hour gets no game_end by design (the service says so in its log); the
// soak accepts a missing game_end only where the first stored final lies
// more than an hour after the simulator's end of the game.
//
// At the end every game's stored timeline, every webhook delivery and
// every team's record are compared with the truth, the service's goroutine
// count with the one before the games, and its peak resident set is
// printed. The exit status is 1 when a check fails. Everything runs on
// 127.0.0.1; the run folder (logs of the service and InfluxDB) is kept
// when a check fails or with -keep.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sports-data/sports-data/internal/influxtest"
)

type options struct {
	bin       string
	days      int
	speed     float64
	poll      time.Duration
	seed      int64
	stores    []string
	binaries  map[influxtest.Kind]string
	faultRate float64
	workDir   string
	keep      bool
	limit     time.Duration
	// from is the day the simulated Sunday is looked for at or after;
	// today when zero.
	from time.Time
}

func main() {
	var o options
	var stores string
	flag.StringVar(&o.bin, "bin", "bin/sports-data", "the sports-data binary to run")
	flag.IntVar(&o.days, "days", 7, "simulated days from Sunday 08:00 US Eastern (1: the Sunday only)")
	flag.Float64Var(&o.speed, "speed", 0, "simulated seconds per real second (default 1200 for one day, 1500 for more)")
	flag.DurationVar(&o.poll, "poll", 50*time.Millisecond, "the service's polling interval (real time)")
	flag.Int64Var(&o.seed, "seed", 1, "the simulation's seed")
	flag.StringVar(&stores, "stores", strings.Join(allStores, ","), "stores to soak, in turn: "+strings.Join(allStores, ", "))
	bins := map[influxtest.Kind]*string{}
	for _, k := range influxKinds {
		bins[k] = flag.String(binaryFlags[k], influxtest.BinaryOf(k), k.Name()+" binary ("+installs[k]+")")
	}
	flag.Float64Var(&o.faultRate, "faults", 0.10, "share of ESPN calls that fail (500, held then 504, half a body)")
	flag.StringVar(&o.workDir, "dir", "", "run folder (default: a new temporary folder)")
	flag.BoolVar(&o.keep, "keep", false, "keep the run folder even when every check passes")
	flag.DurationVar(&o.limit, "timeout", 30*time.Minute, "give up after this long")
	var start string
	flag.StringVar(&start, "start", "", "simulate the Sunday on or after this day (YYYY-MM-DD, US Eastern; default: the next Sunday)")
	flag.Parse()
	o.binaries = map[influxtest.Kind]string{}
	for k, b := range bins {
		o.binaries[k] = *b
	}
	if start != "" {
		d, err := time.ParseInLocation("2006-01-02", start, eastern)
		if err != nil {
			fmt.Fprintf(os.Stderr, "soak: -start %q is not a YYYY-MM-DD date\n", start)
			os.Exit(2)
		}
		o.from = d
	}
	if o.speed == 0 {
		o.speed = 1200
		if o.days > 1 {
			o.speed = 1500
		}
	}
	for _, s := range strings.Split(stores, ",") {
		if s = strings.TrimSpace(s); s != "" {
			o.stores = append(o.stores, s)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ok, err := soak(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// The stores a run soaks: the embedded SQLite file and the three InfluxDB
// servers, each set up as the compose files set them up.
var (
	allStores   = []string{"sqlite", string(influxtest.V1), string(influxtest.V2), string(influxtest.V3)}
	influxKinds = []influxtest.Kind{influxtest.V1, influxtest.V2, influxtest.V3}
	binaryFlags = map[influxtest.Kind]string{influxtest.V1: "influxd", influxtest.V2: "influxd2", influxtest.V3: "influxdb3"}
	installs    = map[influxtest.Kind]string{
		influxtest.V1: "scripts/influxdb-test.sh build makes it",
		influxtest.V2: "scripts/influxdb2-test.sh install unpacks it",
		influxtest.V3: "scripts/influxdb3-test.sh install unpacks it",
	}
)

// influxKind is the server of a store name; "influxdb" is 1.8, as before
// there were three.
func influxKind(store string) (influxtest.Kind, bool) {
	if store == "influxdb" {
		return influxtest.V1, true
	}
	for _, k := range influxKinds {
		if store == string(k) {
			return k, true
		}
	}
	return "", false
}

// soak runs every store in turn and prints a table per run.
func soak(ctx context.Context, o options) (bool, error) {
	switch {
	case o.days < 1 || o.days > 14:
		return false, fmt.Errorf("-days %d outside 1..14", o.days)
	case !(o.speed > 0) || o.speed > 20000:
		return false, fmt.Errorf("-speed %v outside (0, 20000]", o.speed)
	case o.poll < 10*time.Millisecond:
		return false, fmt.Errorf("-poll %s is shorter than 10ms", o.poll)
	case o.faultRate < 0 || o.faultRate > 0.5:
		return false, fmt.Errorf("-faults %v outside 0..0.5", o.faultRate)
	case len(o.stores) == 0:
		return false, fmt.Errorf("-stores is empty")
	}
	for _, s := range o.stores {
		if _, ok := influxKind(s); !ok && s != "sqlite" {
			return false, fmt.Errorf("-stores: unknown store %q (%s)", s, strings.Join(allStores, ", "))
		}
	}
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return false, err
	}
	if _, err := os.Stat(bin); err != nil {
		return false, fmt.Errorf("the service binary: %v (make build makes it)", err)
	}
	o.bin = bin
	if o.workDir == "" {
		o.workDir, err = os.MkdirTemp("", "sports-data-soak-*")
		if err != nil {
			return false, err
		}
	} else if err := os.MkdirAll(o.workDir, 0o755); err != nil {
		return false, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.limit)
	defer cancel()

	allOK := true
	for _, store := range o.stores {
		if k, ok := influxKind(store); ok {
			if _, err := os.Stat(o.binaries[k]); err != nil {
				// Skipped on a developer's machine, failed in CI, like the
				// store tests (influxtest.Missing).
				fmt.Printf("\nsoak on %s skipped: %s is missing (%s)\n", k.Name(), o.binaries[k], installs[k])
				if os.Getenv("CI") == "true" {
					allOK = false
				}
				continue
			}
		}
		rep, err := soakRun(ctx, o, store)
		if rep != nil {
			rep.print(os.Stdout)
			allOK = allOK && rep.ok()
		}
		if err != nil {
			fmt.Printf("soak on %s stopped: %v\n", store, err)
			allOK = false
		}
		if ctx.Err() != nil {
			break
		}
	}
	if allOK && !o.keep {
		_ = os.RemoveAll(o.workDir)
	} else {
		fmt.Printf("\nlogs and data: %s\n", o.workDir)
	}
	if allOK {
		fmt.Println("\nsoak: every check passed")
	} else {
		fmt.Println("\nsoak: FAILED")
	}
	return allOK, nil
}
