package payout

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func breach(id, from, pct, rectified string, v Version) Breach {
	b := Breach{ID: id, AgreementID: "A1", DecisionRef: "VEDTAK-" + id, NoticeOn: d("2015-01-15"),
		WithholdFrom: MustPeriod(from), Percent: dec(pct), Version: v}
	if rectified != "" {
		b.RectifiedOn = d(rectified)
	}
	return b
}

func TestWithholding_R151(t *testing.T) {
	cases := []struct {
		name     string
		breaches []Breach
		period   string
		withheld string
		released string
		balance  string
	}{
		{"R-15.1-WITHHOLD 20 % from February", []Breach{breach("B1", "2015-02", "20", "", known())}, "2015-03", "8420.00", "0", "16840.00"},
		{"R-15.1-WITHHOLD not before withhold_from", []Breach{breach("B1", "2015-04", "20", "", known())}, "2015-03", "0", "0", "0"},
		{"R-15.1-WITHHOLD two breaches never pass 20 %", []Breach{breach("B1", "2015-02", "15", "", known()), breach("B2", "2015-02", "10", "", known())}, "2015-03", "8420.00", "0", ""},
		{"R-15.1-RELEASE on the first run that sees the rectification", []Breach{
			breach("B1", "2015-02", "20", "", known()), breach("B1", "2015-02", "20", "2015-04-10", recorded("2015-04-10"))}, "2015-04", "0", "16840.00", "0"},
		{"R-15.1-RELEASE rectification recorded after pay(P) waits for the next run", []Breach{
			breach("B1", "2015-02", "20", "", known()), breach("B1", "2015-02", "20", "2015-04-10", recorded("2015-04-29"))}, "2015-04", "8420.00", "0", "25260.00"},
		{"R-15.1-RELEASE a cancelled decision releases its balance", []Breach{
			breach("B1", "2015-02", "20", "", known()), {ID: "B1", AgreementID: "A1", DecisionRef: "V", NoticeOn: d("2015-01-15"),
				WithholdFrom: MustPeriod("2015-02"), Percent: dec("20"), Version: Version{RecordedOn: d("2015-04-01"), Cancelled: true}}},
			"2015-04", "0", "16840.00", "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseInputs()
			in.Breaches = c.breaches
			r := mustCompute(t, in, c.period)
			l := line(t, r, "A1", RoleHolder, "P1")
			requireAmount(t, c.withheld, l.Withheld, "withheld")
			requireAmount(t, c.released, l.Released, "released")
			requireAmount(t, l.Entitlement.Sub(l.Withheld).Add(l.Released).String(), l.Net, "net")
			if c.balance != "" {
				bal := dec("0")
				for _, b := range r.Breaches {
					bal = bal.Add(b.BalanceOut)
				}
				requireAmount(t, c.balance, bal, "outstanding balance")
			}
		})
	}
}

// A Helfo correction of a month's count: the adjustment names both counts,
// so a statement can say "listelengde 960 → 1 060" (R-ADJ).
func TestCountCorrectionBasis_RADJ(t *testing.T) {
	in := baseInputs()
	in.ListCounts = counts("L1", 960, "2015-01", "2015-04")
	fix := counts("L1", 1060, "2015-03", "2015-03")
	fix[0].RecordedOn = d("2015-04-10")
	in.ListCounts = append(in.ListCounts, fix...)
	r := mustCompute(t, in, "2015-04")
	require.Len(t, r.Adjustments, 1)
	a := r.Adjustments[0]
	require.Equal(t, "2015-03", a.RefPeriod.String())
	require.Equal(t, 960, a.Was.Count)
	require.Equal(t, 1060, a.Now.Count)
	requireAmount(t, "960", a.Was.Members, "members before")
	requireAmount(t, "3508.33", a.Amount, "100 × 421 / 12")
}

func TestRetroRate_RADJ(t *testing.T) {
	// E07: the 1.7 rate recorded on 15 September is paid for July and
	// August in September's run.
	in := baseInputs()
	in.ListCounts = counts("L1", 1500, "2015-01", "2015-12")
	in.Rates = in.Rates[:1]
	in.Rates = append(in.Rates,
		Rate{Scheme: SchemeFastlege, ValidFrom: d("2015-07-01"), TierFrom: 1, AnnualNOK: dec("675"), Version: recorded("2015-09-15")},
		Rate{Scheme: SchemeFastlege, ValidFrom: d("2015-07-01"), TierFrom: 1001, AnnualNOK: dec("544"), Version: recorded("2015-09-15")},
		Rate{Scheme: SchemeFastlege, ValidFrom: d("2014-07-01"), TierFrom: 1001, AnnualNOK: dec("421"), Version: known()})
	r := mustCompute(t, in, "2015-09")
	l := line(t, r, "A1", RoleHolder, "P1")
	requireAmount(t, "78916.67", l.Entitlement, "September at the new rate")
	requireAmount(t, "52583.34", l.Adjustments, "2 × (78916.67 − 1500 × 421 / 12)")
	require.Len(t, r.Adjustments, 2)
	require.Equal(t, "2015-07", r.Adjustments[0].RefPeriod.String())
	require.Equal(t, AdjustmentReason("rates"), r.Adjustments[0].Reason)
	require.Contains(t, l.Rules, RAdjust)
	// Both views of July: the same list, the annual amount of the old
	// rate and of the new tiers (1000 × 675 + 500 × 544).
	was, now := r.Adjustments[0].Was, r.Adjustments[0].Now
	require.Equal(t, 1500, was.Count)
	require.Equal(t, 1500, now.Count)
	requireAmount(t, "631500", was.AnnualAmount, "July's annual amount before")
	requireAmount(t, "947000", now.AnnualAmount, "July's annual amount after")
	require.Equal(t, 31, now.PaidDays)

	// The window: with retro_window_months = 1 only August is corrected.
	in.Policy.RetroWindowMonths = 1
	r = mustCompute(t, in, "2015-09")
	require.Len(t, r.Adjustments, 1)
}

func TestTakeover_R77(t *testing.T) {
	in := baseInputs()
	in.Agreements = append(in.Agreements, agreement("A2", "P2", "L2"))
	in.ListCounts = append(in.ListCounts, counts("L2", 1000, "2015-01", "2015-12")...)
	in.Takeovers = []Takeover{{ID: "T1", AgreementID: "A1", From: d("2015-03-11"), To: d("2015-03-31"), PayeeAgreementID: "A2", SharePercent: dec("100"), Version: known()}}
	in.Absences = []Absence{absence("S1", "sickness", "2015-02-01", "2015-03-31", "none")}
	r := mustCompute(t, in, "2015-03")
	h := line(t, r, "A1", RoleHolder, "P1")
	tk := line(t, r, "A1", RoleTakeover, "P2")
	requireAmount(t, "28519.35", tk.Entitlement, "21 days to A2's payee")
	require.Equal(t, 10, h.UnpaidDays, "1–10 March are sickness days 29–38")
	requireAmount(t, "42100.00", h.Base, "base")
	requireAmount(t, h.Base.Sub(h.AbsenceDeduction).Sub(tk.Entitlement).String(), h.Entitlement, "holder keeps the rest")

	in.Takeovers[0].SharePercent = dec("60")
	_, err := Compute(in, MustPeriod("2015-03"), Options{})
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Contains(t, err.Error(), "sum to 60 %")
}

func TestReleasedRunsAsOf_R6(t *testing.T) {
	// The February run was released with as-of 10 March, after the
	// rectification was recorded: it saw it, so March releases nothing.
	in := baseInputs()
	in.Breaches = []Breach{breach("B1", "2015-01", "20", "", known()), breach("B1", "2015-01", "20", "2015-03-01", recorded("2015-03-01"))}
	r := mustCompute(t, in, "2015-03")
	requireAmount(t, "16840.00", line(t, r, "A1", RoleHolder, "P1").Released, "released in March as usual")
	opt := Options{AsOfByPeriod: map[Period]Date{MustPeriod("2015-02"): d("2015-03-10"), MustPeriod("2016-01"): d("2016-01-05")}}
	r, err := Compute(in, MustPeriod("2015-03"), opt)
	require.NoError(t, err)
	requireAmount(t, "0", line(t, r, "A1", RoleHolder, "P1").Released, "nothing left to release")
	require.Equal(t, map[Period]Date{MustPeriod("2015-02"): d("2015-03-10")}, r.AsOfByPeriod, "only earlier periods are recorded")
}
