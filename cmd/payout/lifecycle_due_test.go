package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// due for a cron job: what remains, and exit 1 when the payment will be
// late. July 2022: pay(P) is Thursday 28 July, the last day to release
// Tuesday 26 July.
func TestLifecycleDue(t *testing.T) {
	tests := []struct {
		name  string
		now   string
		setup func(w *lcWorld)
		args  []string
		code  int
		want  []string
	}{
		{name: "nothing computed yet", now: "2022-07-20T08:00:00Z", code: 0,
			want: []string{"next payment: 2022-07 on 2022-07-28; release by 2022-07-26 (4 banking day(s) left)", "compute the run: payout run --db"}},
		{name: "missing list counts", now: "2022-10-20T08:00:00Z", code: 0,
			want: []string{"list counts for 2022-10 missing for 1 active agreement(s): A1 (L1)"}},
		{name: "attested", now: "2022-07-25T08:00:00Z", code: 0, setup: func(w *lcWorld) {
			w.ok("run", "--period", "2022-07")
			w.as("kari").ok("attest", "--period", "2022-07")
		}, want: []string{"(1 banking day(s) left)", "approve the run (from another account than kari)"}},
		{name: "approved on the last day", now: "2022-07-26T08:00:00Z", code: 0, setup: func(w *lcWorld) { w.approve("2022-07") },
			want: []string{"today is the last day", "release the run (from a third account, not kari or ola): payout release"}},
		{name: "margin", now: "2022-07-25T08:00:00Z", args: []string{"--margin", "2"}, code: 1, setup: func(w *lcWorld) { w.approve("2022-07") },
			want: []string{"only 1 banking day(s) remain before the last day to release (2022-07-26)"}},
		{name: "late", now: "2022-07-27T08:00:00Z", code: 1, setup: func(w *lcWorld) { w.approve("2022-07") },
			want: []string{"the last day to release (2022-07-26) has passed: the payment on 2022-07-28 will be late"}},
		{name: "released", now: "2022-07-27T08:00:00Z", code: 0, setup: func(w *lcWorld) {
			w.approve("2022-07")
			w.as("per").ok("release", "--period", "2022-07")
		}, want: []string{"2022-07 is released (per"}},
		{name: "an earlier month never released", now: "2022-08-10T08:00:00Z", code: 1, setup: func(w *lcWorld) { w.approve("2022-07") },
			want: []string{"next payment: 2022-08", "2022-07 was due on 2022-07-28 and is not released"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newLCWorld(t)
			w.ok("import", w.fixtures())
			w.at("2022-07-20T08:00:00Z")
			if tt.setup != nil {
				tt.setup(w)
			}
			code, stdout, stderr := w.at(tt.now).cmd(append([]string{"due"}, tt.args...)...)
			assert.Equal(t, tt.code, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			for _, s := range tt.want {
				assert.Contains(t, stdout+stderr, s)
			}
		})
	}
}

// status shows each period with who did what, and warns about a release
// later than two banking days before the payment date.
func TestLifecycleStatus(t *testing.T) {
	w := newLCWorld(t)
	w.ok("import", w.fixtures())
	w.approve("2022-07")
	w.at("2022-07-27T10:00:00Z").as("per").ok("release", "--period", "2022-07")
	w.approve("2022-08")
	out := w.ok("status")
	assert.Contains(t, out, "2022-07  released          76 333,33 kr         1  2022-07-28  kari 2022-07-20 11:00 CEST ola 2022-07-20 11:00 CEST  per 2022-07-27 12:00 CEST")
	assert.Contains(t, out, "2022-08  approved")
	assert.Contains(t, out, "warning: 2022-07 was released on 2022-07-27, later than two banking days before the payment date 2022-07-28 (last day 2022-07-26)")
	detail := w.ok("status", "--period", "2022-07")
	assert.Contains(t, detail, "audit log (real time")
	assert.Contains(t, detail, "release  per (uid 1003)")
	assert.Contains(t, detail, "attest   kari (uid 1001)")
}
