package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// runImportCmd runs one command line with a pinned clock.
func runImportCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Now: func() time.Time { return time.Date(2015, 4, 20, 9, 0, 0, 0, time.UTC) }}
	code := Main(context.Background(), env, args)
	return code, out.String(), errb.String()
}

const importTestdata = "../../importers/testdata"

func TestCheckCommand(t *testing.T) {
	valid := filepath.Join(importTestdata, "valid")
	tests := []struct {
		name        string
		args        []string
		code        int
		out, stderr string
	}{
		{"valid folder", []string{"check", "--fixtures", valid}, 0, `absences.csv              4 records
agreements.csv            5 records
breaches.csv              2 records
caregivers.csv            1 record
list_counts.csv           3 records
payees.csv                4 records
policy.json          policy
rates.csv                 4 records
takeovers.csv             1 record
OK: 9 files, 24 records, no problems found
`, filepath.Join(valid, "README.txt") + ": not an input file, skipped\n"},
		{"single files", []string{"check", filepath.Join(valid, "payees.csv")}, 0, `payees.csv                4 records
OK: 1 file, 4 records, no problems found
`, ""},
		{"every problem, one per line", []string{"check", "--fixtures", filepath.Join(importTestdata, "broken", "enumerations")}, 1, "",
			"payout check: " + filepath.Join(importTestdata, "broken", "enumerations") + ": agreements.csv (or agreements.xlsx) is missing; every fixture folder needs one\n" +
				"payout check: " + filepath.Join(importTestdata, "broken", "enumerations") + ": payees.csv (or payees.xlsx) is missing; every fixture folder needs one\n" +
				"payout check: " + filepath.Join(importTestdata, "broken", "enumerations") + ": rates.csv (or rates.xlsx) is missing; every fixture folder needs one\n" +
				"payout check: " + filepath.Join(importTestdata, "broken", "enumerations") + ": list_counts.csv (or list_counts.xlsx) is missing; every fixture folder needs one\n" +
				"payout check: absences.csv:2 (cover): \"kolleger\" is not a valid cover; use one of none, colleagues, own_vikar or municipal_vikar\n" +
				"payout check: absences.csv:2 (kind): \"sick\" is not a valid kind; use one of sickness, child_sickness, parental, education, union_public or military_service\n"},
		{"no input", []string{"check"}, 2, "", "payout check: give --fixtures DIR, or the files and folders to check\nTry: payout check -h\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runImportCmd(t, tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.out, out)
			assert.Equal(t, tt.stderr, stderr)
		})
	}
}

// TestCheckCommandEngineRules: problems only the engine's CheckInputs finds
// (a municipal vikar in the first 56 days) fail the check too.
func TestCheckCommandEngineRules(t *testing.T) {
	dir := t.TempDir()
	tmplCopyDir(t, filepath.Join(importTestdata, "valid"), dir)
	tmplWriteFile(t, filepath.Join(dir, "absences.csv"), "absence_id,agreement_id,kind,from,to,cover,vikar_payee_id\nM1,A2,parental,2015-04-01,2015-06-30,municipal_vikar,P3\n")
	code, out, stderr := runImportCmd(t, "check", "--fixtures", dir)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "payout check: absences.csv:2 (cover): ")
}
