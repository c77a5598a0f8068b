package excel

import (
	"os"
	"testing"

	"github.com/oslokommune/payout/fixtures/benchkit"
	"github.com/oslokommune/payout/payout"
)

// The workbooks of issue 16: report.xlsx and every district's workbook of
// one computed month, rendered one after the other (bundle.Render renders
// them in parallel with the other files), and report.xlsx's Linjer sheet
// alone, the sheet the SheetJS peer of make bench writes. Loading and
// computing happen once per workload, before the timed loop. The Norway
// decade is read from $PAYOUT_BENCH_NORWAY (make bench's cached copy) and
// skipped without it.

func benchMonth(b *testing.B, workload string) (*payout.Result, *payout.Inputs) {
	b.Helper()
	dir, p := "../../fixtures/oslo", payout.MustPeriod("2022-12")
	if workload == "norway" {
		if dir = os.Getenv("PAYOUT_BENCH_NORWAY"); dir == "" || testing.Short() {
			b.Skip("set PAYOUT_BENCH_NORWAY to the Norway decade's folder")
		}
		p = payout.MustPeriod("2025-12")
	}
	return benchkit.Month(b, dir, p)
}

func benchWorkbooks(b *testing.B, workload string) {
	res, in := benchMonth(b, workload)
	benchkit.CPU(b, func() (int, error) {
		s := NewSet(res, in)
		data, err := s.Report()
		n := len(data)
		for _, d := range Districts(res) {
			if err != nil {
				break
			}
			data, err = s.District(d)
			n += len(data)
		}
		return n, err
	})
}

func benchLines(b *testing.B, workload string) {
	res, in := benchMonth(b, workload)
	benchkit.CPU(b, func() (int, error) {
		data, err := linesOnly(NewSet(res, in).view(""))
		return len(data), err
	})
}

func BenchmarkWorkbooksOslo(b *testing.B)   { benchWorkbooks(b, "oslo") }
func BenchmarkWorkbooksNorway(b *testing.B) { benchWorkbooks(b, "norway") }
func BenchmarkLinesOslo(b *testing.B)       { benchLines(b, "oslo") }
func BenchmarkLinesNorway(b *testing.B)     { benchLines(b, "norway") }
