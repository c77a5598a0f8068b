package statement_test

import (
	"path/filepath"
	"testing"

	"github.com/oslokommune/payout/exporters/statement"
	"github.com/oslokommune/payout/fixtures/gen"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
)

// BenchmarkOsloMonth renders every statement of the Oslo data set's last
// month (about 670 payees), one after the other.
func BenchmarkOsloMonth(b *testing.B) {
	in, _, err := importers.LoadFolder(filepath.Join("..", "..", "fixtures", "oslo"))
	if err != nil {
		b.Fatal(err)
	}
	res, err := payout.Compute(in, gen.Oslo().To, payout.Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := statement.NewMonth(res, statement.NewDirectory(res, in))
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Files(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(m.Payees())), "statements/op")
}
