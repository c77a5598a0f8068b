package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The auditor's package (issue 11): three months run from the store with
// inputs from several files, a late correction among them; each released
// month exported, then verified from the export byte for byte and re-run
// from it with the same lines; verify and explain straight from the store;
// and a month never released exported as its last computed run.
func TestExportVerifiesEveryReleasedMonth(t *testing.T) {
	w := newLCWorld(t).at("2022-07-10T09:00:00Z")
	w.ok("import", w.fixtures())
	w.at("2022-07-25T09:00:00Z").approve("2022-07")
	w.release("2022-07")

	// August: Helfo's file corrects July (dated before July's as-of) and
	// brings the next count.
	w.at("2022-08-05T09:00:00Z").ok("import", w.file("aug/list_counts.csv",
		"list_id,as_of,count,recorded_on\nL1,2022-07-01,1600,2022-07-20\nL1,2022-08-01,1610,2022-08-02\n"))
	w.at("2022-08-20T09:00:00Z").approve("2022-08")
	w.release("2022-08")

	// September: the 2022 statsavtale, recorded late, and another count file.
	w.at("2022-09-16T09:00:00Z").ok("import", w.file("sep/rates.csv",
		"scheme,valid_from,tier_from,annual_amount,source,recorded_on\n"+
			"fastlege,2022-07-01,1,675,Statsavtalen 2022 §2.1,2022-09-15\nfastlege,2022-07-01,1001,544,Statsavtalen 2022 §2.1,2022-09-15\n"),
		w.file("sep/list_counts.csv", "list_id,as_of,count,recorded_on\nL1,2022-09-01,1620,2022-09-02\nL1,2022-10-01,1630,2022-09-15\n"))
	w.at("2022-09-20T09:00:00Z").approve("2022-09")
	w.release("2022-09")
	// October is computed, never released.
	w.at("2022-10-20T09:00:00Z").ok("run", "--period", "2022-10")

	for _, p := range []string{"2022-07", "2022-08", "2022-09", "2022-10"} {
		t.Run(p, func(t *testing.T) {
			exp := filepath.Join(w.dir, "export-"+p)
			out := w.ok("export", "--period", p, "--out", exp)
			assert.Contains(t, out, "exported the ")
			if p == "2022-08" {
				counts, err := os.ReadFile(filepath.Join(exp, "list_counts.csv"))
				require.NoError(t, err)
				assert.Contains(t, string(counts), "L1,2022-07-01,1600,,2022-07-20,false,2", "every version with its recorded_on and import")
			}
			code, vout, verr := lcMain(w, "verify", "--fixtures", exp, "--period", p, "--out", w.out)
			require.Equal(t, 0, code, "verify from the export:\n%s%s", vout, verr)
			assert.Contains(t, vout, "identical")

			code, vout, verr = w.cmd("verify", "--period", p, "--out", w.out)
			require.Equal(t, 0, code, "verify --db:\n%s%s", vout, verr)

			again := filepath.Join(w.dir, "again-"+p)
			code, _, rerr := lcMain(w, "run", "--fixtures", exp, "--period", p, "--out", again)
			require.Equal(t, 0, code, rerr)
			for _, f := range []string{"lines.csv", "adjustments.csv", "payments.csv"} {
				got, err := os.ReadFile(filepath.Join(again, p, f))
				require.NoError(t, err)
				assert.Equal(t, w.read(p+"/"+f), string(got), "%s of the run from the export", f)
			}
		})
	}

	// August paid July's late correction and says why, in the run and in
	// explain straight from the store.
	assert.Contains(t, w.read("2022-08/adjustments.csv"), "2022-07,76333.33,80716.67,4383.34,list_counts (registrert etter frigivelsen av 2022-07)")
	out := w.ok("explain", "--period", "2022-08", "--agreement", "A1")
	assert.Contains(t, out, "registrert etter frigivelsen av 2022-07")
}

// A verify difference names the file and the line or cell, and an input
// difference the input file by path.
func TestVerifyNamesTheDifference(t *testing.T) {
	w := newLCWorld(t).at("2022-07-10T09:00:00Z")
	w.ok("import", w.fixtures())
	w.at("2022-07-25T09:00:00Z").ok("run", "--period", "2022-07")
	exp := filepath.Join(w.dir, "export")
	w.ok("export", "--period", "2022-07", "--out", exp)

	lines := filepath.Join(w.out, "2022-07", "lines.csv")
	data, err := os.ReadFile(lines)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(lines, []byte(strings.Replace(string(data), "76333.33", "76333.34", 1)), 0o600))
	code, _, errs := w.cmd("verify", "--period", "2022-07", "--out", w.out)
	require.Equal(t, 1, code)
	assert.Contains(t, errs, "lines.csv: differs from the re-run")
	assert.Contains(t, errs, "line 2: folder")

	require.NoError(t, os.WriteFile(lines, data, 0o600))
	counts := filepath.Join(exp, "list_counts.csv")
	require.NoError(t, os.WriteFile(counts, []byte(strings.Replace(mustRead(t, counts), ",1500,", ",1501,", 1)), 0o600))
	require.NoError(t, os.Remove(filepath.Join(exp, "knowledge.json")))
	code, _, errs = lcMain(w, "verify", "--fixtures", exp, "--period", "2022-07", "--out", w.out)
	require.Equal(t, 1, code)
	assert.Contains(t, errs, "input "+counts+": SHA-256")
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}
