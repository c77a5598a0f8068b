package payout_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/fixtures/gen"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
)

// The optimised engine (snapshots, memoised years, integer øre) against the
// plain day-by-day reference model on generated data sets of realistic
// shape: the small preset (80 agreements, two years of history with late
// corrections, breaches, takeovers and vikars) for three seeds.
func TestEngineEquivalentToReferenceModelOnGeneratedData(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		dir := t.TempDir()
		_, err := gen.Generate(dir, gen.Small(), seed)
		require.NoError(t, err)
		in, _, err := importers.LoadFolder(dir)
		require.NoError(t, err)
		periods := []string{"2022-12"}
		if seed == 1 {
			periods = append(periods, "2022-09") // the month the late rate arrives
		}
		for _, p := range periods {
			start := time.Now()
			diff := compareRefRun(in, payout.MustPeriod(p), payout.Options{})
			require.Emptyf(t, diff, "seed %d, period %s", seed, p)
			t.Logf("seed %d %s agrees (%s)", seed, p, time.Since(start).Round(time.Millisecond))
		}
	}
}
