// Package icaltest reads calendar feeds in tests with Python's "ical"
// library, the parser of Home Assistant's Remote Calendar: every version
// scripts/ical-venv.sh installed outside the repository (skipped where
// none is, a failure under CI).
package icaltest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/testenv"
)

// Event is one event as the library read it.
type Event struct {
	UID          string  `json:"uid"`
	Summary      string  `json:"summary"`
	Start        string  `json:"start"`
	End          string  `json:"end"`
	Location     *string `json:"location"`
	Description  *string `json:"description"`
	Status       *string `json:"status"`
	Sequence     *int    `json:"sequence"`
	LastModified *string `json:"last_modified"`
	DTStamp      string  `json:"dtstamp"`
}

// Read is what one version of the library read of a feed.
type Read struct {
	Version string // the library's version: "9.1.0"
	Name    *string
	Events  []Event
	// Next is the first event after the time asked, as Home Assistant's
	// calendar entity shows it; nil when none.
	Next *Event
}

// Pythons are the interpreters of the installed versions, by version.
func Pythons(t testing.TB) map[string]string {
	t.Helper()
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	found, _ := filepath.Glob(filepath.Join(cache, "sports-data", "ical-*", "bin", "python"))
	out := map[string]string{}
	for _, p := range found {
		dir := filepath.Base(filepath.Dir(filepath.Dir(p)))
		if filepath.Ext(dir) == ".partial" {
			continue
		}
		out[dir[len("ical-"):]] = p
	}
	testenv.Need(t, len(out) > 0, "Python's ical library is not installed: run scripts/ical-venv.sh")
	return out
}

// Parse reads feed with every installed version of the library, the next
// event looked for after now; a version that refuses the feed fails the
// test with its reason.
func Parse(t testing.TB, feed []byte, now time.Time) []Read {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(here), "check.py")
	pythons := Pythons(t)
	versions := make([]string, 0, len(pythons))
	for v := range pythons {
		versions = append(versions, v)
	}
	sort.Strings(versions)
	var out []Read
	for _, v := range versions {
		cmd := exec.Command(pythons[v], script, "--now", now.UTC().Format(time.RFC3339))
		cmd.Stdin = bytes.NewReader(feed)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("ical %s refused the feed: %v: %s", v, err, stderr.String())
		}
		r := Read{Version: v}
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatalf("ical %s: unreadable answer %q: %v", v, stdout.String(), err)
		}
		out = append(out, r)
	}
	return out
}
