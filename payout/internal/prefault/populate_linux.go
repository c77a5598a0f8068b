//go:build linux

package prefault

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// pageSize is the kernel's (4 KiB on amd64, up to 64 KiB on arm64).
var pageSize = uintptr(syscall.Getpagesize())

// populate is madvise(MADV_POPULATE_WRITE) on the whole pages inside
// [p, p+size) (Linux 5.14 and later; earlier ones refuse it, harmlessly).
// The address is a number, not a pointer, on the way in: Slice keeps the
// slice live until the call returns.
func populate(p, size uintptr) error {
	start := (p + pageSize - 1) &^ (pageSize - 1)
	end := (p + size) &^ (pageSize - 1)
	if end <= start {
		return nil
	}
	if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, start, end-start, unix.MADV_POPULATE_WRITE); e != 0 {
		return e
	}
	return nil
}
