package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// BenchmarkCommand runs the command line in $PAYOUT_BENCH_ARGS (words split
// on spaces), so that `go test -bench Command -cpuprofile …` profiles one
// whole command as the binary runs it (scripts/bench.sh profiles `run
// --db` and `import` this way). Without the variable there is nothing to
// measure and it is skipped. A command that must start from the same state
// each time (import into an empty store) is run with -benchtime 1x.
func BenchmarkCommand(b *testing.B) {
	args := strings.Fields(os.Getenv("PAYOUT_BENCH_ARGS"))
	if len(args) == 0 {
		b.Skip("PAYOUT_BENCH_ARGS is not set")
	}
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for b.Loop() {
		var out, errb bytes.Buffer
		env := &Env{Stdout: &out, Stderr: &errb, Now: func() time.Time { return at }, Actor: osActor}
		if code := Main(context.Background(), env, args); code != 0 {
			b.Fatalf("payout %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
		}
	}
}
