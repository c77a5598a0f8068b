package bundle

import (
	"os"
	"testing"
	"time"

	"github.com/oslokommune/payout/fixtures/gen"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
)

// The exporters' share of issue 6: rendering every output file of a
// computed month (CSVs, report.xlsx, one workbook per district, manifest).
// Loading and computing happen once per workload and test binary, before
// the timed loop. The Norway decade is read from $PAYOUT_BENCH_NORWAY (make
// bench points it at its cached copy), else generated into a temp dir; it
// is skipped in -short mode.

// generatedNorway names the Norway decade generated when
// $PAYOUT_BENCH_NORWAY is unset; computed caches each workload's Inputs and
// Result by folder across -count runs.
var generatedNorway string

var computed = map[string]struct {
	in  *payout.Inputs
	res *payout.Result
}{}

func benchRender(b *testing.B, dir string, p payout.Period) {
	b.Helper()
	c, ok := computed[dir]
	if !ok {
		in, _, err := importers.LoadFolder(dir)
		if err != nil {
			b.Fatal(err)
		}
		res, err := payout.Compute(in, p, payout.Options{})
		if err != nil {
			b.Fatal(err)
		}
		c.in, c.res = in, res
		computed[dir] = c
	}
	in, res := c.in, c.res
	var err error
	b.ReportAllocs()
	var out *Bundle
	var cpu time.Duration
	for b.Loop() {
		start := cpuTime()
		if out, err = Render(res, in, nil); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - start
	}
	// CPU time of the whole process (every goroutine, the GC included) per
	// render: with the workbooks rendered in parallel, ns/op on an idle
	// machine is about cpu-ns/op divided by the cores.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	var n int64
	for _, f := range out.Files {
		n += int64(len(f.Data))
	}
	b.SetBytes(n)
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
