package importers

import (
	"os"
	"sync"
	"testing"

	"github.com/oslokommune/payout/fixtures/gen"
)

// The importer's share of issue 6: reading a fixture folder into Inputs.
// Oslo is the committed demo set; the Norway decade (≈810 000 list counts,
// ≈300 000 absences) is read from $PAYOUT_BENCH_NORWAY when make bench has
// cached it, else generated once per test binary into a temp dir.

var (
	norwayOnce sync.Once
	norwayDir  string
	norwayErr  error
)

// norwayFolder returns the Norway decade folder, generating it on first use.
func norwayFolder(b *testing.B) string {
	b.Helper()
	if testing.Short() {
		b.Skip("the Norway decade is not generated in -short mode")
	}
	norwayOnce.Do(func() {
		if norwayDir = os.Getenv("PAYOUT_BENCH_NORWAY"); norwayDir != "" {
			return
		}
		// Not b.TempDir: the folder outlives this benchmark's sub-runs.
		if norwayDir, norwayErr = os.MkdirTemp("", "payout-importers-norway-"); norwayErr == nil {
			_, norwayErr = gen.Generate(norwayDir, gen.Norway(), gen.DefaultSeed)
		}
	})
	if norwayErr != nil {
		b.Fatal(norwayErr)
	}
	return norwayDir
}

func benchLoad(b *testing.B, dir string) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := LoadFolder(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadOslo(b *testing.B) { benchLoad(b, "../fixtures/oslo") }

func BenchmarkLoadNorway(b *testing.B) { benchLoad(b, norwayFolder(b)) }
