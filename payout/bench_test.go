package payout_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/oslokommune/payout/fixtures/gen"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
)

// Engine benchmarks on the generated workloads (make bench). The Norway
// decade is generated once per process into a temporary folder, or read
// from $PAYOUT_BENCH_DATA/norway when set (make bench caches it there).

var (
	norwayOnce sync.Once
	norwayIn   *payout.Inputs
	norwayErr  error
)

func loadNorway(b *testing.B) *payout.Inputs {
	b.Helper()
	if testing.Short() {
		b.Skip("the Norway decade is not generated in -short mode")
	}
	norwayOnce.Do(func() {
		dir := filepath.Join(os.Getenv("PAYOUT_BENCH_DATA"), "norway")
		if os.Getenv("PAYOUT_BENCH_DATA") == "" {
			dir = filepath.Join(os.TempDir(), "payout-bench-norway-1")
		}
		if _, err := os.Stat(filepath.Join(dir, "rates.csv")); err != nil {
			if _, norwayErr = gen.Generate(dir, gen.Norway(), 1); norwayErr != nil {
				return
			}
		}
		norwayIn, _, norwayErr = importers.LoadFolder(dir)
	})
	if norwayErr != nil {
		b.Fatal(norwayErr)
	}
	return norwayIn
}

func benchCompute(b *testing.B, in *payout.Inputs, period string) {
	p := payout.MustPeriod(period)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := payout.Compute(in, p, payout.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkComputeOslo(b *testing.B) {
	in, _, err := importers.LoadFolder(filepath.Join("..", "fixtures", "oslo"))
	if err != nil {
		b.Fatal(err)
	}
	benchCompute(b, in, "2022-12")
}

func BenchmarkComputeNorwayDecade(b *testing.B) {
	benchCompute(b, loadNorway(b), "2025-12")
}

// BenchmarkRunDigestOslo digests the Oslo month's Result (the bundle does so
// beside rendering the files, on the same cores).
func BenchmarkRunDigestOslo(b *testing.B) {
	in, _, err := importers.LoadFolder(filepath.Join("..", "fixtures", "oslo"))
	if err != nil {
		b.Fatal(err)
	}
	res, err := payout.Compute(in, payout.MustPeriod("2022-12"), payout.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		payout.RunDigest(res)
	}
}
