//go:build unix

package excel

import (
	"syscall"
	"time"
)

// cpuTime is the process's user and system CPU time so far: on a shared,
// busy machine it varies less than the wall time the benchmark reports.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
