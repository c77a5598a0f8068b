// Package prefault gives the kernel a large, fresh allocation's pages
// before anything reads them.
//
// Why (issue 16): the importers presize each kind's record slice (a
// million list counts, 60 MB at the national scale), and a collection
// during the read scans the whole slice, its empty tail too. On Linux
// reading a page never written maps the shared zero page; the record
// written there later faults a second time, to copy it, and flushes the
// old mapping from every CPU the process runs on (an inter-processor
// interrupt per 4 KiB page, 9 % of the CPU of the 4× Norway run).
// Slice asks the kernel for the pages, writable, at once: one fault
// each, none of them a copy, and no flush.
//
// It changes no byte of the slice (the pages are zero already, or
// present, and then untouched), so a failure (an older kernel, another
// system) only costs the faults it would have saved.
package prefault

import (
	"runtime"
	"unsafe"
)

// minBytes is the least worth a system call: smaller slices share their
// pages with other objects and are written soon anyway.
const minBytes = 1 << 20

// Slice populates the pages of s's whole capacity, writable. Its error
// (the kernel refused) is for tests: a caller has nothing to do about it.
func Slice[T any](s []T) error {
	var zero T
	size := uintptr(cap(s)) * unsafe.Sizeof(zero)
	if size < minBytes {
		return nil
	}
	err := populate(uintptr(unsafe.Pointer(unsafe.SliceData(s))), size)
	runtime.KeepAlive(s) // the array is only a number inside populate
	return err
}
