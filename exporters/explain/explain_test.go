package explain_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/explain"
	"github.com/oslokommune/payout/payout"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The hand-built trace of the exporters' fixture (so these goldens do not
// depend on the engine), as text and as CSV.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name   string
		render func() ([]byte, error)
	}{
		{"explain-A1-2015-03.txt", func() ([]byte, error) {
			var buf bytes.Buffer
			err := explain.Text(&buf, fixture.Trace())
			return buf.Bytes(), err
		}},
		{"explain-A1-2015-03.csv", func() ([]byte, error) { return explain.CSV(fixture.Trace()) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.render()
			require.NoError(t, err)
			path := filepath.Join("testdata", tc.name)
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "go test -update creates %s", path)
			assert.Equal(t, string(want), string(got), "golden %s differs (go test -update rewrites it)", path)
		})
	}
}

func TestCSVFileName(t *testing.T) {
	assert.Equal(t, "explain-A1-2015-03.csv", explain.CSVFileName("A1", payout.MustPeriod("2015-03")))
}
