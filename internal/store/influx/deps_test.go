package influx_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGRPCHasTheFlightFix: the Flight (SQL) query path runs on grpc-go,
// which must be at least 1.82.1 (GO-2026-6061).
func TestGRPCHasTheFlightFix(t *testing.T) {
	// Test binaries carry no module list, so the requirement is read
	// where the build takes it from.
	mod, err := os.ReadFile(filepath.Join("..", "..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mod), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "google.golang.org/grpc" {
			if older(f[1], [3]int{1, 82, 1}) {
				t.Fatalf("go.mod requires google.golang.org/grpc %s; at least v1.82.1 is needed", f[1])
			}
			return
		}
	}
	t.Fatal("go.mod does not require google.golang.org/grpc: is the Flight query path gone?")
}

// older reports whether a vX.Y.Z version is below want.
func older(v string, want [3]int) bool {
	parts := strings.SplitN(strings.SplitN(strings.TrimPrefix(v, "v"), "-", 2)[0], ".", 3)
	for i := 0; i < 3; i++ {
		n := 0
		if i < len(parts) {
			n, _ = strconv.Atoi(parts[i])
		}
		if n != want[i] {
			return n < want[i]
		}
	}
	return strings.Contains(v, "-") // a pre-release of want is older
}
