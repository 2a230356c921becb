// Package testenv is what the tests of every package share about the
// machine they run on: the rule for a server a test needs (skipped where
// it is missing, a failure under CI), and free local ports. It does not
// link the testing package: the soak command builds test-support packages
// into a program.
package testenv

import (
	"fmt"
	"os"

	"github.com/sports-data/sports-data/internal/childproc"
)

// TB is the part of testing.TB this package uses.
type TB interface {
	Helper()
	Fatal(args ...any)
	Skip(args ...any)
}

// Need is the one rule for what a test needs from the machine (a server, a
// binary): where it is missing the test is skipped, saying why, and under
// CI (CI=true) it fails instead: a CI run must not pass by skipping.
func Need(t TB, available bool, why string) {
	t.Helper()
	if available {
		return
	}
	if CI() {
		t.Fatal(why)
	} else {
		t.Skip(why)
	}
}

// CI reports whether the tests run under CI (CI=true).
func CI() bool { return os.Getenv("CI") == "true" }

// FreePort is a TCP port on 127.0.0.1 that nothing listens on now: for a
// server the test starts, or an address where nothing answers.
func FreePort(t TB) int {
	t.Helper()
	p, err := childproc.FreePort()
	if err != nil {
		t.Fatal("testenv: no free port: ", err)
	}
	return p
}

// FreeAddr is FreePort as "127.0.0.1:port".
func FreeAddr(t TB) string {
	t.Helper()
	return fmt.Sprintf("127.0.0.1:%d", FreePort(t))
}
