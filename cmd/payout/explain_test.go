package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

// explain writes bokmål: no English step names, percentages that read as
// they compute (× 15 %, never × 15 % ÷ 100), and a physiotherapist's lines
// cite the driftsavtale regulations, never the GPs' Rammeavtalen.
func TestExplainInBokmal(t *testing.T) {
	code, stdout, stderr := runCmd(t, "explain", "--period", "2015-04", "--fixtures", copyE04(t, same), "--agreement", "A1")
	require.Equal(t, 0, code, stderr)
	steps := stdout[strings.Index(stdout, "\nBeregning\n"):]
	for _, english := range []string{"annual", "base ", "absence_deduction", "entitlement", "withheld", "released ", "net ", "holder", "round("} {
		assert.NotContains(t, steps, english)
	}
	assert.NotContains(t, stdout, "÷ 100")
	assert.NotContains(t, stdout, "÷ (1200")
	assert.Contains(t, steps, "  Årsbeløp ")
	assert.Contains(t, steps, "× 100 % × 30 ÷ (12 × 30)")

	code, stdout, stderr = runCmd(t, "explain", "--period", "2022-12", "--fixtures", filepath.Join("..", "..", "fixtures", "oslo"), "--agreement", "FY00001")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, stdout, "Rammeavtalen")
	assert.Contains(t, stdout, "R-FYSIO  Regelverk for driftsavtaler for fysioterapeuter (Oslo kommune, 2021)")
}

func TestExplainUsage(t *testing.T) {
	code, _, stderr := runCmd(t, "explain", "--period", "2015-04", "--fixtures", "x")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--agreement is required")
}
