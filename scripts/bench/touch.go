//go:build ignore

// touch measures what the first write to fresh memory costs on this
// machine: it maps MiB of anonymous memory, writes one byte to each 4 KiB
// page, and prints the time per page (all of it system time: the kernel's
// fault and zeroing, and on a virtual machine the host's fault when the
// guest has not used that memory lately).
//
//	go run scripts/bench/touch.go 1600
//
// On the bench machine (a Firecracker guest) the first 1 600 MiB after a
// while of other work took 8–9.6 µs a page, the same again at once 1.3 µs:
// the difference is the host backing the guest's memory again, and it is
// system time of whichever process touches that memory first (BENCHMARKS.md,
// "scale (session 14)").
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

func main() {
	mib, err := strconv.Atoi(os.Args[len(os.Args)-1])
	if err != nil || mib <= 0 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/bench/touch.go MiB")
		os.Exit(2)
	}
	n := mib << 20
	start := time.Now()
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := 0; i < n; i += 4096 {
		b[i] = 1
	}
	took := time.Since(start)
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%d MiB: %.3f s, system %.3f s, %.2f µs a page\n", mib, took.Seconds(),
		time.Duration(ru.Stime.Nano()).Seconds(), float64(took.Microseconds())/float64(n/4096))
}
