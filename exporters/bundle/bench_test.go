package bundle

import (
	"os"
	"testing"

	"github.com/oslokommune/payout/fixtures/benchkit"
	"github.com/oslokommune/payout/fixtures/gen"
	"github.com/oslokommune/payout/payout"
)

// The exporters' share of issue 6: rendering every output file of a
// computed month (CSVs, report.xlsx, one workbook per district, manifest).
// Loading and computing happen once per workload and test binary, before
// the timed loop. The Norway decade is read from $PAYOUT_BENCH_NORWAY (make
// bench points it at its cached copy), else generated into a temp dir; it
// is skipped in -short mode.

// generatedNorway names the Norway decade generated when
// $PAYOUT_BENCH_NORWAY is unset (benchkit.Month computes each workload
// once per test binary).
var generatedNorway string

func benchRender(b *testing.B, dir string, p payout.Period) {
	b.Helper()
	res, in := benchkit.Month(b, dir, p)
	var out *Bundle
	benchkit.CPU(b, func() (int, error) {
		var err error
		out, err = Render(res, in, nil)
		if err != nil {
			return 0, err
		}
		n := 0
		for _, f := range out.Files {
			n += len(f.Data)
		}
		return n, nil
	})
	b.ReportMetric(float64(len(res.Lines)), "lines")
	b.ReportMetric(float64(len(out.Files)), "files")
}

func BenchmarkRenderOslo(b *testing.B) {
	benchRender(b, "../../fixtures/oslo", payout.MustPeriod("2022-12"))
}

func BenchmarkRenderNorway(b *testing.B) {
	if testing.Short() {
		b.Skip("the Norway decade is not loaded in -short mode")
	}
	dir := os.Getenv("PAYOUT_BENCH_NORWAY")
	if dir == "" {
		if generatedNorway == "" {
			tmp, err := os.MkdirTemp("", "payout-bundle-norway-")
			if err != nil {
				b.Fatal(err)
			}
			defer os.RemoveAll(tmp) // loaded below, and cached by its name
			if _, err := gen.Generate(tmp, gen.Norway(), gen.DefaultSeed); err != nil {
				b.Fatal(err)
			}
			generatedNorway = tmp
		}
		dir = generatedNorway
	}
	benchRender(b, dir, payout.MustPeriod("2025-12"))
}
