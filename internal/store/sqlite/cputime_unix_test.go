//go:build unix

package sqlite

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, user and system. The
// benchmarks report it per operation next to wall time, which on a shared
// machine says more about the load than about the store.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
