package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The package's tests share one -update flag; whoever's file initialises
// first registers it.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestExplainTextGolden renders the hand-built trace of the exporters'
// fixture (so it does not depend on the engine) and compares it with
// testdata/explain-A1-2015-03.txt.
func TestExplainTextGolden(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, printTrace(&buf, fixture.Trace()))
	path := filepath.Join("testdata", "explain-A1-2015-03.txt")
	if updating() {
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "go test -update creates %s", path)
	assert.Equal(t, string(want), buf.String())
}

func TestExplainE04(t *testing.T) {
	fixtures := copyE04(t, same)
	out := t.TempDir()
	code, stdout, stderr := runCmd(t, "explain", "--period", "2015-04", "--fixtures", fixtures, "--agreement", "A1", "--out", out)
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{
		"Forklaring av avtale A1 for 2015-04",
		"Listelengde  1200 per 2015-04-01",
		"Statsavtalen 2014",           // the rate's legal source
		"2015-04-30  torsdag  betalt", // every day with its weekday
		"R-15.1-RELEASE",
		"58940.00",
		"BYDEL-01-2015-7",
	} {
		assert.Contains(t, stdout, want)
	}
	assert.Equal(t, 30, strings.Count(stdout, "\n  2015-04-"), "one row per day of April")
	data, err := os.ReadFile(filepath.Join(out, "explain-A1-2015-04.csv"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "section,item,date,weekday,status,rule,clause,detail,value\n"))
	assert.Contains(t, string(data), "dag,,2015-04-30,torsdag,betalt,")
	assert.Contains(t, string(data), "58940.00")
}

func TestExplainUsage(t *testing.T) {
	code, _, stderr := runCmd(t, "explain", "--period", "2015-04", "--fixtures", "x")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--agreement is required")
}
