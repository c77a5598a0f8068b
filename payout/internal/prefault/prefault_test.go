package prefault

import (
	"errors"
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type record struct {
	ID    string
	Count int
	Pad   [6]int
}

// Writing a populated slice takes no page fault: the kernel gave every page
// at once (where it can: the test needs Linux 5.14 or later, as CI has).
func TestSliceFaultsEveryPageAtOnce(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("MADV_POPULATE_WRITE is Linux's")
	}
	const n = 1 << 18          // 16 MiB of records: 4 096 pages, fresh from the system
	fill := func(s []record) { // every page written once, as the importers do
		for i := 0; i < cap(s); i += 8 {
			s = append(s[:i], record{Count: i})
		}
	}
	// Memory the runtime took back from the system once is fresh again
	// only after it is given back (a second -count reuses the first's).
	debug.FreeOSMemory()
	plain := make([]record, 0, n)
	before := minorFaults(t)
	fill(plain)
	faultsPlain := minorFaults(t) - before

	debug.FreeOSMemory()
	populated := make([]record, 0, n)
	if err := Slice(populated); errors.Is(err, syscall.EINVAL) {
		t.Skipf("this kernel (before Linux 5.14) has no MADV_POPULATE_WRITE: %v", err)
	} else {
		require.NoError(t, err)
	}
	before = minorFaults(t)
	fill(populated)
	faultsPopulated := minorFaults(t) - before

	assert.Greater(t, faultsPlain, int64(2000), "a fresh slice faults as it is written")
	assert.Less(t, faultsPopulated, faultsPlain/10, "a populated slice is written without faults")
	runtime.KeepAlive(plain)
}

// The slice's contents, and the memory around it, are unchanged.
func TestSliceChangesNoByte(t *testing.T) {
	s := make([]record, 1<<15, 1<<16)
	for i := range s {
		s[i] = record{ID: "L" + string(rune('a'+i%26)), Count: i}
	}
	require.NoError(t, Slice(s))
	for i := range s {
		require.Equal(t, record{ID: "L" + string(rune('a'+i%26)), Count: i}, s[i])
	}
	tail := s[len(s):cap(s)]
	for i := range tail {
		require.Equal(t, record{}, tail[i])
	}
	assert.NoError(t, Slice([]record(nil)))     // nothing to do
	assert.NoError(t, Slice(make([]record, 3))) // too small to be worth it
}

func minorFaults(t *testing.T) int64 {
	var ru syscall.Rusage
	require.NoError(t, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return ru.Minflt
}
