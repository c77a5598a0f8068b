package payout

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// RULEBOOK §6: a payee change takes effect on its payee_from (default: the
// version's recorded_on); corrections of days before it belong to the old
// payee, from it on to the new; an old payee's overpayment is never set off
// against the new payee's money.
func TestPayeeFrom_R6(t *testing.T) {
	type want struct {
		payee              string
		entitlement, adj   string
		net, claimed, base string
	}
	cases := []struct {
		name       string
		recorded   string
		payeeFrom  string
		edit       func(in *Inputs)
		period     string
		lines      []want
		claimCause ClaimCause
	}{
		{"no payee_from: from its recorded_on, the month split by days", "2015-03-10", "", nil, "2015-03", []want{
			{"P1", "12222.58", "0", "12222.58", "0", "0"}, // V(9 days)
			{"P2", "29877.42", "0", "29877.42", "0", "42100.00"},
		}, ""},
		{"from the 1st of the month", "2015-03-10", "2015-03-01", nil, "2015-03", []want{
			{"P2", "42100.00", "0", "42100.00", "0", "42100.00"},
		}, ""},
		{"retroactive: February moves to P2, P1 owes it back", "2015-03-10", "2015-02-01", nil, "2015-03", []want{
			{"P1", "0", "-42100.00", "0", "42100.00", "0"},
			{"P2", "42100.00", "42100.00", "84200.00", "0", "42100.00"},
		}, ClaimPayeeNotPaid},
		{"ahead of its day: March is still P1's", "2015-03-10", "2015-04-01", nil, "2015-03", []want{
			{"P1", "42100.00", "0", "42100.00", "0", "42100.00"},
		}, ""},
		{"ahead of its day: April is P2's", "2015-03-10", "2015-04-01", nil, "2015-04", []want{
			{"P2", "42100.00", "0", "42100.00", "0", "42100.00"},
		}, ""},
		{"the old payee's overpayment is not set off against the new payee", "2015-03-01", "2015-03-01", func(in *Inputs) {
			in.ListCounts = append(in.ListCounts, ListCount{ListID: "L1", AsOf: d("2015-02-01"), Count: 0, Version: recorded("2015-03-05")})
		}, "2015-03", []want{
			{"P1", "0", "-42100.00", "0", "42100.00", "0"},
			{"P2", "42100.00", "0", "42100.00", "0", "42100.00"},
		}, ClaimPayeeNotPaid},
		// P1 holds 1–9 March but is paid for none of them (an episode
		// unpaid after its 16th day, R-13.4-SICK), and from the 10th on P2
		// holds the agreement: P1 is no longer paid, so its overpayment of
		// February (V(16 of 28 days) = 24 057,14) is claimed in March, not
		// carried into April where it could meet P1's later corrections.
		{"an old payee paid for no day of the month: claimed in that month", "2015-03-10", "", func(in *Inputs) {
			in.Absences = append(in.Absences, absence("S1", "sickness", "2015-02-01", "2015-03-09", "none"))
			in.ListCounts = append(in.ListCounts, ListCount{ListID: "L1", AsOf: d("2015-02-01"), Count: 0, Version: recorded("2015-03-05")})
		}, "2015-03", []want{
			{"P1", "0", "-24057.14", "0", "24057.14", "0"},
			{"P2", "29877.42", "0", "29877.42", "0", "42100.00"},
		}, ClaimPayeeNotPaid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseInputs()
			v := in.Agreements[0]
			v.PayeeID, v.RecordedOn = "P2", d(c.recorded)
			if c.payeeFrom != "" {
				v.PayeeFrom = d(c.payeeFrom)
			}
			in.Agreements = append(in.Agreements, v)
			if c.edit != nil {
				c.edit(in)
			}
			r := mustCompute(t, in, c.period)
			require.Len(t, r.Lines, len(c.lines))
			for _, w := range c.lines {
				l := line(t, r, "A1", RoleHolder, w.payee)
				requireAmount(t, w.entitlement, l.Entitlement, w.payee+" entitlement")
				requireAmount(t, w.adj, l.Adjustments, w.payee+" adjustments")
				requireAmount(t, w.net, l.Net, w.payee+" net")
				requireAmount(t, w.claimed, l.Claimed, w.payee+" claimed")
				requireAmount(t, w.base, l.Base, w.payee+" base (on one holder line)")
			}
			if c.claimCause == "" {
				require.Empty(t, r.Claims)
				return
			}
			require.Len(t, r.Claims, 1)
			require.Equal(t, "P1", r.Claims[0].PayeeID)
			require.Equal(t, c.claimCause, r.Claims[0].Cause)
		})
	}
}

// R-ADJ (RULEBOOK §6): a retroactive payee change's two rows name the
// payee of each view, the other payee on the empty side, so the
// workbook shows who February moved from and to.
func TestPayeeChangeBasisNamesBothPayees_RADJ(t *testing.T) {
	in := baseInputs()
	v := in.Agreements[0]
	v.PayeeID, v.RecordedOn, v.PayeeFrom = "P2", d("2015-03-10"), d("2015-02-01")
	in.Agreements = append(in.Agreements, v)
	r := mustCompute(t, in, "2015-03")
	require.Len(t, r.Adjustments, 2)
	for _, a := range r.Adjustments {
		require.Equal(t, "P1", a.Was.Payee, a.PayeeID)
		require.Equal(t, "P2", a.Now.Payee, a.PayeeID)
	}
}
