package payout

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// RULEBOOK §6, DESIGN.md "When": a released month is seen later exactly as
// its release saw it — versions recorded on or before its as-of date and
// imported no later than its knowledge. A version imported after the
// release is new knowledge, paid by R-ADJ in the next run.

// lateCount is E01 with a Helfo correction of list L1 for month (1200 →
// 1300), recorded on recordedOn (before November's as-of) and brought by
// import 3.
func lateCount(month, recordedOn string) *Inputs {
	in := baseInputs()
	in.ListCounts = counts("L1", 1200, "2015-01", "2016-01")
	for i := range in.ListCounts {
		in.ListCounts[i].Import = 1
	}
	in.ListCounts = append(in.ListCounts, ListCount{ListID: "L1", AsOf: MustPeriod(month).First(), Count: 1300,
		Version: Version{RecordedOn: d(recordedOn), Import: 3}})
	return in
}

func TestKnowledge_R_ADJ(t *testing.T) {
	nov, dec := MustPeriod("2015-11"), MustPeriod("2015-12")
	novAsOf := PayDate(nov)
	// 100 members × 427 kr ÷ 12, the correction of one month.
	const oneMonth = "3558.33"
	tests := []struct {
		name      string
		month     string // the month the correction concerns
		known     map[Period]int64
		asOf      map[Period]Date
		period    Period
		want      string // the adjustment paid in period ("" none)
		wantWhy   string
		holderNov string // with period November: its own entitlement
	}{
		{name: "fixture reading: recorded before November's as-of, so November knew it",
			month: "2015-11", period: dec, want: ""},
		{name: "imported after November's release: paid in December",
			month: "2015-11", known: map[Period]int64{nov: 2}, asOf: map[Period]Date{nov: novAsOf}, period: dec,
			want: oneMonth, wantWhy: "list_counts (registrert etter frigivelsen av 2015-11)"},
		{name: "imported before November's release: November paid it",
			month: "2015-11", known: map[Period]int64{nov: 3}, asOf: map[Period]Date{nov: novAsOf}, period: dec, want: ""},
		{name: "an unreleased October is seen as November's release saw it",
			month: "2015-10", known: map[Period]int64{nov: 2}, asOf: map[Period]Date{nov: novAsOf}, period: dec,
			want: oneMonth, wantWhy: "list_counts (registrert etter frigivelsen av 2015-11)"},
		{name: "once December knows it, January pays nothing more",
			month: "2015-11", known: map[Period]int64{nov: 2, dec: 3}, asOf: map[Period]Date{nov: novAsOf}, period: dec + 1, want: ""},
		{name: "November re-derived with its own knowledge",
			month: "2015-11", known: map[Period]int64{nov: 2}, period: nov, holderNov: "42700.00"},
		{name: "November re-derived without a limit (fixture reading) sees the correction",
			month: "2015-11", period: nov, holderNov: "46258.33"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := lateCount(tt.month, "2015-11-20")
			if tt.month == "2015-10" {
				in = lateCount(tt.month, "2015-10-15")
			}
			r, err := Compute(in, tt.period, Options{AsOfByPeriod: tt.asOf, KnowledgeByPeriod: tt.known})
			require.NoError(t, err)
			require.NoError(t, CheckInvariants(r))
			l := line(t, r, "A1", RoleHolder, "P1")
			if tt.holderNov != "" {
				requireAmount(t, tt.holderNov, l.Entitlement, "November's entitlement")
				return
			}
			if tt.want == "" {
				require.Empty(t, r.Adjustments)
				return
			}
			require.Len(t, r.Adjustments, 1)
			a := r.Adjustments[0]
			require.Equal(t, MustPeriod(tt.month), a.RefPeriod)
			requireAmount(t, tt.want, a.Amount, "adjustment")
			requireAmount(t, tt.want, l.Adjustments, "line's adjustments")
			require.Equal(t, AdjustmentReason(tt.wantWhy), a.Reason)
			require.Equal(t, 1300, a.Now.Count)
			require.Equal(t, 1200, a.Was.Count)
		})
	}
}

// The knowledge limits a run used are in its Result (for the manifest),
// only those within its history.
func TestKnowledgeInResult(t *testing.T) {
	in := lateCount("2015-11", "2015-11-20")
	known := map[Period]int64{MustPeriod("2014-01"): 1, MustPeriod("2015-11"): 2, MustPeriod("2016-02"): 9}
	r, err := Compute(in, MustPeriod("2015-12"), Options{KnowledgeByPeriod: known})
	require.NoError(t, err)
	require.Equal(t, map[Period]int64{MustPeriod("2015-11"): 2}, r.KnowledgeByPeriod)
}

// Explain gives the adjustment the same reason as the run.
func TestKnowledgeExplain(t *testing.T) {
	in := lateCount("2015-11", "2015-11-20")
	opt := Options{KnowledgeByPeriod: map[Period]int64{MustPeriod("2015-11"): 2}}
	tr, err := Explain(in, MustPeriod("2015-12"), opt, "A1")
	require.NoError(t, err)
	require.Len(t, tr.Adjust, 1)
	require.Equal(t, AdjustmentReason("list_counts (registrert etter frigivelsen av 2015-11)"), tr.Adjust[0].Reason)
}

// A version imported after the run being re-derived is never seen by it.
func TestKnowledgeHidesLaterImports(t *testing.T) {
	in := lateCount("2015-12", "2015-11-20")
	r, err := Compute(in, MustPeriod("2015-12"), Options{KnowledgeByPeriod: map[Period]int64{MustPeriod("2015-12"): 2}})
	require.NoError(t, err)
	require.Equal(t, 1200, line(t, r, "A1", RoleHolder, "P1").Count)
}

// Imports out of order of recorded_on (RULEBOOK §1 "the one with the latest
// recorded_on ≤ A wins", §6): which version is in force is decided by the
// source's dates; which versions a released month saw, by import sequence.
// A late import of an older statement never overrides a newer one its
// release already knew, and late versions resolve among themselves by
// recorded_on whatever order they came in.
func TestKnowledgeOutOfOrderImports(t *testing.T) {
	nov, dec := MustPeriod("2015-11"), MustPeriod("2015-12")
	count := func(n int, rec string, imp int32, cancelled bool) ListCount {
		return ListCount{ListID: "L1", AsOf: nov.First(), Count: n, Version: Version{RecordedOn: d(rec), Import: imp, Cancelled: cancelled}}
	}
	// November's count is 1200 from the beginning (import 1); 427 kr a year
	// per member from 2015-07, 1300 members are 46 258,33 a month, 1250 are 44 479,17.
	tests := []struct {
		name     string
		versions []ListCount
		knownNov int64  // November's release knew imports ≤ this
		period   Period // the run
		want     string // December's adjustment of November ("" none)
		wantNov  int    // with period November: the count it re-derives
	}{
		{name: "older statement imported late: the newer one November paid stays in force",
			versions: []ListCount{count(1300, "2015-11-25", 2, false), count(1250, "2015-11-20", 3, false)},
			knownNov: 2, period: dec},
		{name: "newer statement imported late: paid in December",
			versions: []ListCount{count(1250, "2015-11-20", 2, false), count(1300, "2015-11-25", 3, false)},
			knownNov: 2, period: dec, want: "1779.16"},
		{name: "both late, newer first: the latest recorded_on wins",
			versions: []ListCount{count(1300, "2015-11-25", 3, false), count(1250, "2015-11-20", 4, false)},
			knownNov: 2, period: dec, want: "3558.33"},
		{name: "both late, older first: the same",
			versions: []ListCount{count(1250, "2015-11-20", 3, false), count(1300, "2015-11-25", 4, false)},
			knownNov: 2, period: dec, want: "3558.33"},
		{name: "a late cancellation dated before the statement November paid changes nothing",
			versions: []ListCount{count(1300, "2015-11-25", 2, false), count(1300, "2015-11-10", 3, true)},
			knownNov: 2, period: dec},
		{name: "November re-derived sees only what it knew, by recorded_on",
			versions: []ListCount{count(1300, "2015-11-25", 2, false), count(1250, "2015-11-20", 3, false)},
			knownNov: 2, period: nov, wantNov: 1300},
		{name: "November re-derived when it knew both: the latest recorded_on",
			versions: []ListCount{count(1300, "2015-11-25", 3, false), count(1250, "2015-11-20", 2, false)},
			knownNov: 3, period: nov, wantNov: 1300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInputs()
			in.ListCounts = counts("L1", 1200, "2015-01", "2016-01")
			for i := range in.ListCounts {
				in.ListCounts[i].Import = 1
			}
			in.ListCounts = append(in.ListCounts, tt.versions...)
			opt := Options{KnowledgeByPeriod: map[Period]int64{nov: tt.knownNov}, AsOfByPeriod: map[Period]Date{nov: PayDate(nov)}}
			r, err := Compute(in, tt.period, opt)
			require.NoError(t, err)
			require.NoError(t, CheckInvariants(r))
			l := line(t, r, "A1", RoleHolder, "P1")
			if tt.period == nov {
				require.Equal(t, tt.wantNov, l.Count)
				return
			}
			if tt.want == "" {
				require.Empty(t, r.Adjustments)
				return
			}
			require.Len(t, r.Adjustments, 1)
			requireAmount(t, tt.want, r.Adjustments[0].Amount, "adjustment of November")
			require.Equal(t, 1300, r.Adjustments[0].Now.Count)
		})
	}
}

// The same for a rate table (R-8.4 resolves rates through their own index):
// an older rate decision imported after November's release does not
// override the newer one November paid; a newer one does, from December on.
func TestKnowledgeOutOfOrderRates(t *testing.T) {
	nov, december := MustPeriod("2015-11"), MustPeriod("2015-12")
	rate := func(nok, rec string, imp int32) Rate {
		return Rate{Scheme: SchemeFastlege, ValidFrom: d("2015-07-01"), TierFrom: 1, AnnualNOK: dec(nok), Source: "Statsavtalen 2015",
			Version: Version{RecordedOn: d(rec), Import: imp}}
	}
	tests := []struct {
		name string
		late []Rate
		want string // December's adjustment of November ("" none)
	}{
		{"older decision imported late", []Rate{rate("430", "2015-11-20", 2), rate("433", "2015-11-05", 3)}, ""},
		// 1200 × (433 − 430) ÷ 12 = 300 kr.
		{"newer decision imported late", []Rate{rate("430", "2015-11-05", 2), rate("433", "2015-11-20", 3)}, "300.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInputs()
			in.Rates = append(in.Rates, tt.late...)
			opt := Options{KnowledgeByPeriod: map[Period]int64{nov: 2}, AsOfByPeriod: map[Period]Date{nov: PayDate(nov)}}
			r, err := Compute(in, december, opt)
			require.NoError(t, err)
			var got []Adjustment
			for _, a := range r.Adjustments {
				if a.RefPeriod == nov {
					got = append(got, a)
				}
			}
			if tt.want == "" {
				require.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			requireAmount(t, tt.want, got[0].Amount, "adjustment of November")
		})
	}
}
