package bank

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

func TestSupplementIDs(t *testing.T) {
	assert.Equal(t, "PAYOUT-OSLO-2022-12-S1", SupplementMsgID("PAYOUT-OSLO-2022-12", 1))
	assert.Equal(t, "BT202212-P00002-S2", SupplementEndToEndID("BT202212-P00002", 2))
	long := SupplementEndToEndID("BT202212-0123456789abcdef0123456789", 1)
	assert.Len(t, long, 35)
	assert.Equal(t, "-S1", long[32:])
}

func TestRepay(t *testing.T) {
	l := ledger(t)
	mustApply(t, l, statusReport("s.xml", "", group("PART"), tx("E2", "RJCT", Reason{Code: "AC04"}), tx("E3", "RJCT", Reason{Code: "AM04"})))
	orig := []payout.Payment{
		{PayeeID: "P2", EndToEndID: "E2", Amount: dec("200.00"), Account: "15031200002", Name: "To", Remittance: "Basistilskudd 2022-12; spes. P2-2022-12"},
		{PayeeID: "P3", EndToEndID: "E3", Amount: dec("300.00"), Account: "15031200003", Name: "Tre", Remittance: "Basistilskudd 2022-12; spes. P3-2022-12"},
	}
	payees := map[string]*payout.Payee{"P2": {ID: "P2", Name: "To", Account: "15031200002"}, "P3": {ID: "P3", Name: "Tre", Account: "15031200003"}}
	lookup := func(id string) *payout.Payee { return payees[id] }

	_, err := Repay(orig, l.Repayable(p12), 1, lookup)
	assert.EqualError(t, err, "bank: the supplement cannot be made:\n  payee P2's account is still 15031200002, which the bank rejected (AC04 kontoen er avsluttet): record the corrected account in payees first")

	payees["P2"] = &payout.Payee{ID: "P2", Name: "To", Account: "15031200099"}
	got, err := Repay(orig, l.Repayable(p12), 1, lookup)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "E2-S1", got[0].EndToEndID)
	assert.Equal(t, "15031200099", got[0].Account, "the corrected account")
	assert.Equal(t, "15031200003", got[1].Account, "AM04 is the debtor's: the same account")
	assert.Equal(t, "Basistilskudd 2022-12, ny utbetaling etter avvisning AC04; spes. P2-2022-12", got[0].Remittance)
	assert.Equal(t, "500.00", Sum(got).StringFixed(2))

	mustApply(t, l, notification("n.xml", booking("E3", "300.00")))
	_, err = Repay(orig, []*Track{l.Track("E3")}, 1, lookup)
	assert.EqualError(t, err, "bank: the supplement cannot be made:\n  E3 (payee P3) is booked, not an open rejection: it is never paid twice")
}

func TestNeedsNewAccount(t *testing.T) {
	for code, want := range map[string]bool{"AC01": true, "AC04": true, "MD07": true, "AC06": false, "AM04": false, "MS03": false} {
		assert.Equal(t, want, (&Track{Reason: &Reason{Code: code}}).NeedsNewAccount(), code)
	}
	assert.False(t, (&Track{}).NeedsNewAccount(), "a rejection without a reason")
}
