package payout

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// RULEBOOK §6 "Nothing is lost silently": an overpayment is carried while
// its line keeps being paid, and becomes a claim against its payee once it
// can no longer be recovered; never carried forever.
func TestCarryOrClaim_RCARRY(t *testing.T) {
	zeroCount := func(asOf, rec string) ListCount {
		return ListCount{ListID: "L1", AsOf: d(asOf), Count: 0, Version: recorded(rec)}
	}
	type claim struct {
		payee, amount, origin string
		cause                 ClaimCause
	}
	cases := []struct {
		name                    string
		edit                    func(in *Inputs)
		period                  string
		role                    Role
		payee                   string
		carriedIn, net, carried string
		claims                  []claim
	}{
		{"agreement ended: the correction is claimed at once", func(in *Inputs) {
			in.Agreements[0].ValidTo = d("2015-02-28")
			in.ListCounts = append(in.ListCounts, zeroCount("2015-02-01", "2015-03-05"))
		}, "2015-03", RoleHolder, "P1", "0", "0", "0", []claim{{"P1", "42100.00", "2015-03", ClaimAgreementEnded}}},
		{"agreement ended: nothing left to carry the month after", func(in *Inputs) {
			in.Agreements[0].ValidTo = d("2015-02-28")
			in.ListCounts = append(in.ListCounts, zeroCount("2015-02-01", "2015-03-05"))
		}, "2015-04", RoleHolder, "", "", "", "", nil},
		{"still paid: carried and recovered from the next month", func(in *Inputs) {
			in.ListCounts = append(in.ListCounts, zeroCount("2015-01-01", "2015-03-05"), zeroCount("2015-02-01", "2015-03-05"))
		}, "2015-04", RoleHolder, "P1", "-42100.00", "0", "0", nil},
		{"carried, then the agreement ends: claimed the first month after", func(in *Inputs) {
			in.Agreements[0].ValidTo = d("2015-03-31")
			in.ListCounts = append(in.ListCounts, zeroCount("2015-01-01", "2015-03-05"), zeroCount("2015-02-01", "2015-03-05"))
		}, "2015-04", RoleHolder, "P1", "-42100.00", "0", "0", []claim{{"P1", "42100.00", "2015-03", ClaimAgreementEnded}}},
		{"a vikar who no longer covers: claimed from the vikar", func(in *Inputs) {
			in.Absences = []Absence{absence("F1", "parental", "2015-01-01", "2015-02-25", "own_vikar"),
				vikarAbsence("F2", "parental", "2015-02-26", "2015-03-10")}
			late := absence("F2", "parental", "2015-02-26", "2015-03-10", "own_vikar")
			late.Version = recorded("2015-04-05")
			in.Absences = append(in.Absences, late)
		}, "2015-04", RoleVikar, "V1", "0", "0", "0", []claim{{"V1", "18091.36", "2015-04", ClaimPayeeNotPaid}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseInputs()
			in.ListCounts = counts("L1", 1200, "2015-01", "2015-12")
			c.edit(in)
			r := mustCompute(t, in, c.period)
			if c.payee == "" {
				require.Empty(t, r.Lines, "no line, nothing carried")
			} else {
				l := line(t, r, "A1", c.role, c.payee)
				requireAmount(t, c.carriedIn, l.CarriedIn, "carried in")
				requireAmount(t, c.net, l.Net, "net")
				requireAmount(t, c.carried, l.CarriedOut, "carried out")
			}
			require.Len(t, r.Claims, len(c.claims))
			warned := 0
			for _, w := range r.Warnings {
				if w.Code == WClaim {
					warned++
				}
			}
			require.Equal(t, len(c.claims), warned, "one W-CLAIM per claim")
			for i, want := range c.claims {
				got := r.Claims[i]
				require.Equal(t, want.payee, got.PayeeID)
				requireAmount(t, want.amount, got.Amount, "claim")
				require.Equal(t, want.origin, got.OriginPeriod.String())
				require.Equal(t, want.cause, got.Cause)
				requireAmount(t, want.amount, line(t, r, "A1", got.Role, got.PayeeID).Claimed, "the line's claimed amount")
			}
		})
	}
}

// RULEBOOK §6: a correction of a month older than the retro window is not
// paid, but listed with its amount for a manual decision (W-OUTSIDE-WINDOW),
// once: the run after it no longer sees it as new.
func TestOutsideWindowListed_RADJ(t *testing.T) {
	in := baseInputs()
	in.Policy.RetroWindowMonths = 1
	in.ListCounts = counts("L1", 1200, "2015-01", "2015-12")
	in.ListCounts = append(in.ListCounts,
		ListCount{ListID: "L1", AsOf: d("2015-01-01"), Count: 1000, Version: recorded("2015-03-05")},
		ListCount{ListID: "L1", AsOf: d("2015-02-01"), Count: 1100, Version: recorded("2015-03-05")})
	r := mustCompute(t, in, "2015-03")
	l := line(t, r, "A1", RoleHolder, "P1")
	requireAmount(t, "-3508.33", l.Adjustments, "February (inside the window) is corrected: 100 × 421 / 12")
	require.Len(t, r.OutsideWindow, 1)
	o := r.OutsideWindow[0]
	require.Equal(t, "2015-01", o.RefPeriod.String())
	requireAmount(t, "-7016.67", o.Amount, "January (outside) is listed: 200 × 421 / 12")
	require.Equal(t, AdjustmentReason("list_counts"), o.Reason)
	var codes []string
	for _, w := range r.Warnings {
		codes = append(codes, w.Code)
	}
	require.Equal(t, []string{WOutsideWindow}, codes)
	require.Contains(t, r.Warnings[0].Msg, "-7016.67 kr")
	ctl := r.Controls[len(r.Controls)-1]
	require.Equal(t, COutside, ctl.ID)
	require.Contains(t, ctl.Detail, "1 korreksjoner")

	r = mustCompute(t, in, "2015-04")
	require.Empty(t, r.OutsideWindow, "listed once, in the run that first sees it")
}
