package journal_test

import (
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/journal"
	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// supplementOf is a supplement paying two of the fixture's payments again.
func supplementOf(t *testing.T) *payout.Result {
	res := fixture.Result()
	require.GreaterOrEqual(t, len(res.Payments), 2)
	sup := &payout.Result{Period: res.Period, PayDate: res.PayDate + 5, Policy: res.Policy}
	for _, pm := range res.Payments[:2] {
		sup.Payments = append(sup.Payments, pm)
		sup.Total = sup.Total.Add(pm.Amount)
	}
	return sup
}

// A supplement's voucher: numbered after the period's own, dated its
// execution date; the bank debited with the returned payments and credited
// with the supplement, the clearing account of rejected payments netting to
// zero; every control holds.
func TestSupplementVoucher(t *testing.T) {
	sup := supplementOf(t)
	j, err := journal.BuildSupplement(sup, 1)
	require.NoError(t, err)
	assert.Equal(t, journal.SupplementVoucherNumber(sup.Period, 1), j.Number)
	assert.Equal(t, "20150302", j.Number)
	assert.Equal(t, sup.PayDate, j.Date)
	for _, c := range j.Controls {
		assert.True(t, c.OK, "%s %s", c.ID, c.Detail)
	}
	assert.True(t, j.Debit().Equal(j.Credit()))
	assert.True(t, j.Sum(payout.DefaultRejectedAccount).IsZero())
	assert.True(t, j.Sum(sup.Policy.Ledger.Bank.Account).IsZero(), "the bank gets back what it pays again")
	require.Len(t, j.Postings, 4)
	assert.True(t, j.Postings[3].Amount.Equal(sup.Total.Neg()), "the bank credit is the supplement's CtrlSum")
	data, err := j.CSV(sup.Policy.Ledger.Layout)
	require.NoError(t, err)
	golden(t, "journal-supplement.csv", data)
}

// The policy's clearing account is used when set; a supplement whose total
// disagrees with its payments fails the bank control.
func TestSupplementVoucherAccountAndControl(t *testing.T) {
	sup := supplementOf(t)
	sup.Policy.Ledger.Bank.Rejected = "23999"
	j, err := journal.BuildSupplement(sup, 2)
	require.NoError(t, err)
	assert.Equal(t, "23999", j.Postings[1].Account)
	assert.Equal(t, "20150303", j.Number)

	sup.Total = sup.Total.Add(decimal.RequireFromString("0.01"))
	_, err = journal.BuildSupplement(sup, 2)
	require.ErrorIs(t, err, journal.ErrControl)
	require.ErrorContains(t, err, journal.CBank)
}
