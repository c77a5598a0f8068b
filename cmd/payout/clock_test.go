package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout/store"
)

// PAYOUT_NOW is RFC 3339 or a date meaning 08:00 Europe/Oslo; anything else
// is refused, never silently the real clock.
func TestParseClock(t *testing.T) {
	tests := []struct {
		value  string
		want   time.Time
		pinned bool
		err    string
	}{
		{value: ""},
		{value: "2026-11-22T08:00:00Z", want: time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC), pinned: true},
		{value: "2026-11-22T08:00:00+01:00", want: time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC), pinned: true},
		{value: "2022-11-22", want: time.Date(2022, 11, 22, 7, 0, 0, 0, time.UTC), pinned: true}, // CET
		{value: "2022-07-20", want: time.Date(2022, 7, 20, 6, 0, 0, 0, time.UTC), pinned: true},  // CEST
		{value: "garbage", err: `PAYOUT_NOW="garbage" is not a time: give RFC 3339`},
		{value: "2022-11-22 08:00", err: "is not a time"},
		{value: "2022-13-01", err: "is not a time"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, pinned, err := parseClock(tt.value)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.pinned, pinned)
			assert.True(t, tt.want.Equal(got), "%v, want %v", got, tt.want)
		})
	}
}

// A pinned clock decides the period; the audit log records the real time
// and the pinned one beside it.
func TestPinnedClockNeverBackdatesTheAuditLog(t *testing.T) {
	w := newLCWorld(t)
	w.ok("import", w.fixtures())
	real := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	pinned := time.Date(2022, 7, 20, 6, 0, 0, 0, time.UTC)
	var out, errb bytes.Buffer
	env := w.envOf(&out, &errb)
	env.Now, env.Pinned, env.Real = func() time.Time { return pinned }, true, func() time.Time { return real }
	require.Equal(t, 0, Main(context.Background(), env, []string{"run", "--db", w.db, "--period", "current", "--out", w.out}), errb.String())
	s, err := store.OpenReadOnly(w.db, nil)
	require.NoError(t, err)
	defer s.Close()
	ev, err := s.Events("2022-07")
	require.NoError(t, err)
	require.Len(t, ev, 1)
	assert.Equal(t, real, ev[0].At)
	assert.Equal(t, pinned, ev[0].Pinned)
}
