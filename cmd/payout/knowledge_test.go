package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 11: no correction falls between two runs. July is released on its
// own as-of date (2022-07-28); a record dated before that as-of date is
// imported after the release; August's run pays the difference by R-ADJ,
// to the øre, and names the release; a second August run pays it once; and
// September, after August's release, pays nothing more.
//
// E07's list: 1 500 members at 653 kr (1–1 000) and 526 kr (1 001–),
// annual 916 000 kr, 76 333,33 kr a month.

func TestLateKnowledgePaidInTheNextRun(t *testing.T) {
	tests := []struct {
		name   string
		extra  map[string]string // files imported with the fixtures
		early  string            // a list_counts.csv imported after them, before July's release
		late   string            // the file imported after July's release
		lateAs string            // its name
		// want is the adjustments.csv row of August for July, or a line
		// column of August's holder line (released); neither: no adjustment.
		want     string
		released string
	}{
		{name: "Helfo corrects July's count (1 500 → 1 600) dated before July's as-of",
			lateAs: "list_counts.csv", late: "list_id,as_of,count,recorded_on\nL1,2022-07-01,1600,2022-07-20\n",
			// 100 more members at 526 kr: 80 716,67 − 76 333,33
			want: "2022-08,A1,P1,2022-07,76333.33,80716.67,4383.34,list_counts (registrert etter frigivelsen av 2022-07)"},
		{name: "a new rate from July recorded before July's as-of",
			lateAs: "rates.csv", late: "scheme,valid_from,tier_from,annual_amount,source,recorded_on\n" +
				"fastlege,2022-07-01,1,675,Statsavtalen 2022 §2.1,2022-07-15\nfastlege,2022-07-01,1001,544,Statsavtalen 2022 §2.1,2022-07-15\n",
			// (1 000 × 675 + 500 × 544) ÷ 12 = 78 916,67, less 76 333,33
			want: "2022-08,A1,P1,2022-07,76333.33,78916.67,2583.34,rates (registrert etter frigivelsen av 2022-07)"},
		{name: "an absence shortened after the release",
			extra: map[string]string{"absences.csv": "absence_id,agreement_id,kind,from,to,cover,recorded_on\nS1,A1,sickness,2022-07-01,2022-07-31,none,2022-07-01\n"},
			// 15 of 31 days unpaid (days 17–31), V(16) = 39 397,85; shortened to
			// days 1–20 only days 17–20 are unpaid, V(27) = 66 483,87: +V(11)
			lateAs: "absences.csv", late: "absence_id,agreement_id,kind,from,to,cover,recorded_on\nS1,A1,sickness,2022-07-01,2022-07-20,none,2022-07-22\n",
			want: "2022-08,A1,P1,2022-07,39397.85,66483.87,27086.02,absences (registrert etter frigivelsen av 2022-07)"},
		{name: "Helfo's older statement of July imported after the newer one July paid: nothing to correct",
			early:  "list_id,as_of,count,recorded_on\nL1,2022-07-01,1500,2022-07-08\n",
			lateAs: "list_counts.csv", late: "list_id,as_of,count,recorded_on\nL1,2022-07-01,1600,2022-07-05\n"},
		{name: "a breach rectified after the release",
			extra:  map[string]string{"breaches.csv": "breach_id,agreement_id,decision_ref,notice_on,withhold_from,percent,recorded_on\nB1,A1,VEDTAK-1,2022-06-20,2022-07,10,2022-06-20\n"},
			lateAs: "breaches.csv", late: "breach_id,agreement_id,decision_ref,notice_on,withhold_from,percent,rectified_on,recorded_on\nB1,A1,VEDTAK-1,2022-06-20,2022-07,10,2022-07-20,2022-07-20\n",
			// July withheld 10 % of 76 333,33 = 7 633,33; August releases it
			released: "7633.33"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newLCWorld(t).at("2022-07-10T09:00:00Z")
			fix := w.fixtures()
			for name, content := range tt.extra {
				w.file("fixtures/"+name, content)
			}
			w.ok("import", fix)
			if tt.early != "" {
				w.ok("import", w.file("early/list_counts.csv", tt.early))
			}
			w.at("2022-07-25T09:00:00Z").approve("2022-07")
			w.release("2022-07")

			out := w.at("2022-08-05T09:00:00Z").ok("import", w.file("late/"+tt.lateAs, tt.late))
			assert.Contains(t, out, "concern released period(s) 2022-07: the next run pays the corrections")

			w.at("2022-08-20T09:00:00Z")
			for i := 0; i < 2; i++ { // a second August run pays it once, not twice
				w.ok("run", "--period", "2022-08")
				adj := w.read("2022-08/adjustments.csv")
				switch {
				case tt.want != "":
					assert.Equal(t, 1, strings.Count(adj, "\n")-1, adj)
					assert.Contains(t, adj, tt.want)
				case tt.released != "":
					assert.Contains(t, w.read("2022-08/lines.csv"), ","+tt.released+",")
				default:
					assert.Equal(t, 0, strings.Count(adj, "\n")-1, "nothing to correct:\n%s", adj)
				}
			}
			w.as("kari").ok("attest", "--period", "2022-08")
			w.as("ola").ok("approve", "--period", "2022-08")
			w.release("2022-08")
			w.at("2022-09-20T09:00:00Z").ok("run", "--period", "2022-09")
			adj := w.read("2022-09/adjustments.csv")
			assert.Equal(t, 0, strings.Count(adj, "\n")-1, "September pays nothing more:\n%s", adj)
		})
	}
}

// The fixture reading is unchanged: a folder has no import sequence, so a
// version dated on or before a month's as-of date was known to it.
func TestRecordedOnLaterThanTheClockIsRefused(t *testing.T) {
	w := newLCWorld(t).at("2022-07-10T09:00:00Z")
	w.ok("import", w.fixtures())
	code, _, errs := w.cmd("import", w.file("late/list_counts.csv", "list_id,as_of,count,recorded_on\nL1,2022-07-01,1600,2022-07-11\n"))
	require.Equal(t, 1, code)
	assert.Contains(t, errs, "list_counts.csv:2 (recorded_on): recorded_on 2022-07-11 is after today (2022-07-10)")
}

// An as-of outside [1st of P, pay(P)] is refused for a run that can be
// released, and allowed as a stated what-if from a folder.
func TestAsOfOutsideThePeriod(t *testing.T) {
	w := newLCWorld(t).at("2022-07-10T09:00:00Z")
	fix := w.fixtures()
	w.ok("import", fix)
	for _, asOf := range []string{"2022-07-29", "2022-06-30"} {
		code, _, errs := w.cmd("run", "--period", "2022-07", "--as-of", asOf)
		require.Equal(t, 2, code, errs)
		assert.Contains(t, errs, "a run from the store can be released")
	}
	w.ok("run", "--period", "2022-07", "--as-of", "2022-07-01")

	code, out, errs := lcMain(w, "run", "--fixtures", fix, "--period", "2022-07", "--as-of", "2022-08-15", "--out", w.out)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "what-if       as-of 2022-08-15 is after the payment date 2022-07-28 of 2022-07: not a run that can be released")
	assert.Contains(t, w.read("2022-07/manifest.json"), `"what_if": "as-of 2022-08-15 is after the payment date 2022-07-28 of 2022-07"`)
}

// A run prints every warning its summary counts, and a run from the store
// reports the warnings a run from the folder reports (an orphan list).
func TestWarningsAgreeOnBothPaths(t *testing.T) {
	w := newLCWorld(t).at("2022-07-10T09:00:00Z")
	fix := w.fixtures()
	counts := mustRead(t, fix+"/list_counts.csv")
	w.file("fixtures/list_counts.csv", counts+"L9,2022-07-01,100\n")
	w.ok("import", fix)
	w.at("2022-07-25T09:00:00Z")
	code, fout, ferr := lcMain(w, "run", "--fixtures", fix, "--period", "2022-07", "--out", w.dir+"/folder")
	require.Equal(t, 0, code, ferr)
	code, sout, serr := w.cmd("run", "--period", "2022-07")
	require.Equal(t, 0, code, serr)
	for _, run := range []struct{ out, errs string }{{fout, ferr}, {sout, serr}} {
		assert.Contains(t, run.errs, "warning: W-LIST-ORPHAN list_counts.csv:11: list L9 is held by no agreement")
		assert.Equal(t, 1, strings.Count(run.errs, "warning: "), run.errs)
		assert.Contains(t, run.out, "warnings      1\n")
	}
}

// status --check fails when a released folder is missing, and when a
// folder beside the released ones holds a release the store does not know
// (a copy of another store's release, or a lost store's).
func TestStatusCheckMissingOrUnknownReleasedFolder(t *testing.T) {
	w := newLCWorld(t).at("2022-07-10T09:00:00Z")
	w.ok("import", w.fixtures())
	w.at("2022-07-25T09:00:00Z").approve("2022-07")
	w.release("2022-07")
	assert.Contains(t, w.ok("status", "--check"), "ok: 1 release(s)")

	released := filepath.Join(w.out, "2022-07")
	moved := filepath.Join(w.dir, "moved-2022-07")
	require.NoError(t, os.Rename(released, moved))
	code, _, errs := w.cmd("status", "--check")
	require.Equal(t, 1, code)
	assert.Contains(t, errs, released+": the released folder of 2022-07 is missing")

	require.NoError(t, os.Rename(moved, released))
	other := newLCWorld(t).at("2022-07-10T09:00:00Z") // another store's release of August
	other.ok("import", other.fixtures())
	other.at("2022-07-25T09:00:00Z").approve("2022-07")
	other.release("2022-07")
	other.at("2022-08-20T09:00:00Z").approve("2022-08")
	other.release("2022-08")
	require.NoError(t, os.CopyFS(filepath.Join(w.out, "2022-08"), os.DirFS(filepath.Join(other.out, "2022-08"))))
	code, _, errs = w.cmd("status", "--check")
	require.Equal(t, 1, code)
	assert.Contains(t, errs, filepath.Join(w.out, "2022-08")+": holds a release the store does not know")
}
