package journal_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/journal"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), string(got), "golden %s differs (go test -update rewrites it)", path)
}

// checkBalanced asserts what every voucher must satisfy, whatever the
// data: debits = credits, every control OK, the bank credit equal to the
// sum of the payments, and the expense equal to entitlement + adjustments.
func checkBalanced(t *testing.T, res *payout.Result, j *journal.Journal) {
	t.Helper()
	require.True(t, j.Debit().Equal(j.Credit()), "%s: debit %s, credit %s", res.Period, j.Debit(), j.Credit())
	for _, c := range j.Controls {
		require.True(t, c.OK, "%s: %s %s", res.Period, c.ID, c.Detail)
	}
	var ctrlSum, expense, want decimal.Decimal
	for _, pm := range res.Payments {
		ctrlSum = ctrlSum.Add(pm.Amount)
	}
	for _, l := range res.Lines {
		want = want.Add(l.Entitlement).Add(l.Adjustments)
	}
	var bank decimal.Decimal
	for _, p := range j.Postings {
		switch p.Kind {
		case journal.KindBank:
			bank = bank.Sub(p.Amount)
		case journal.KindBase, journal.KindAdjustment:
			expense = expense.Add(p.Amount)
		}
		require.NotEmpty(t, p.Account)
		require.NotEmpty(t, p.Ansvar)
		require.False(t, p.Amount.IsZero(), "a zero posting: %+v", p)
	}
	require.True(t, bank.Equal(ctrlSum), "bank %s, CtrlSum %s", bank, ctrlSum)
	require.True(t, expense.Equal(want), "expense %s, entitlement+adjustments %s", expense, want)
}

func TestGolden(t *testing.T) {
	res := fixture.Result()
	j, err := journal.Build(res)
	require.NoError(t, err)
	checkBalanced(t, res, j)
	data, err := j.CSV(res.Policy.Ledger.Layout)
	require.NoError(t, err)
	golden(t, "journal.csv", data)
}

// A GL07-like layout: tab separated, no header, YYYYMMDD, debit and credit
// columns, a fixed interface code; and a text holding the separator is
// quoted.
func TestLayout(t *testing.T) {
	res := fixture.Result()
	res.Policy.Ledger.Layout = payout.LedgerLayout{
		Columns: []payout.LedgerColumn{
			{Name: "interface", Value: "BI"}, {Name: "date", Field: "voucher_date"},
			{Name: "account", Field: "account"}, {Name: "debit", Field: "debit"},
			{Name: "credit", Field: "credit"}, {Name: "text", Field: "text"},
		},
		Separator: ",", DateFormat: "YYYYMMDD",
	}
	require.NoError(t, res.Policy.Validate())
	j, err := journal.Build(res)
	require.NoError(t, err)
	data, err := j.CSV(res.Policy.Ledger.Layout)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Len(t, lines, len(j.Postings), "no header row")
	assert.Equal(t, `BI,20150327,13701,64734.41,,"Basistilskudd fastlege mars 2015, Gamle Oslo"`, lines[0])
	assert.True(t, strings.HasPrefix(lines[len(lines)-1], "BI,20150327,21001,,137911.50,"), lines[len(lines)-1])
}

// A district without an ansvar, or a scheme without an account, is refused
// before anything is booked.
func TestMissingAccountRefused(t *testing.T) {
	res := fixture.Result()
	delete(res.Policy.Ledger.Ansvar, "12")
	_, err := journal.Build(res)
	require.ErrorContains(t, err, "ledger.ansvar has no responsibility code for bydel 12")

	res = fixture.Result()
	res.Policy.Ledger.Fysio.Accounts.Base = ""
	_, err = journal.Build(res)
	require.ErrorContains(t, err, "ledger.fysio.accounts.base is missing")

	res = fixture.Result()
	res.Policy.Ledger = payout.Ledger{} // a result stored before the ledger block existed
	_, err = journal.Build(res)
	require.ErrorContains(t, err, "ledger.voucher_series is missing")
}

// A Result whose breaches disagree with its lines fails the liability
// control instead of booking a voucher that hides the difference.
func TestControlFails(t *testing.T) {
	res := fixture.Result()
	res.Breaches[0].Withheld = decimal.RequireFromString("1.00")
	_, err := journal.Build(res)
	require.True(t, errors.Is(err, journal.ErrControl), "%v", err)
	require.ErrorContains(t, err, journal.CLiability)
}

// The liability of §15.1 over the life of two breaches: B1 withholds 20 %
// in February and March and is rectified in April; B2 withholds 10 % from
// March and is cancelled (the decision withdrawn) in May. Month by month the
// liability grows by what is withheld, falls by what is released, and ends
// at zero; the receivable and the bank balance every month too.
func TestLiabilityOverBreachLife(t *testing.T) {
	in, _, err := importers.LoadFolder(filepath.Join("testdata", "breach-life"))
	require.NoError(t, err)
	led := in.Policy.Ledger
	accounts := []string{led.Fastlege.Accounts.Withheld, led.Fysio.Accounts.Withheld}
	balance := map[string]decimal.Decimal{}
	var trail []string
	for p := payout.MustPeriod("2015-01"); p <= payout.MustPeriod("2015-06"); p++ {
		res, err := payout.Compute(in, p, payout.Options{})
		require.NoError(t, err)
		j, err := journal.Build(res)
		require.NoError(t, err)
		checkBalanced(t, res, j)
		var outstanding decimal.Decimal
		for _, b := range res.Breaches {
			outstanding = outstanding.Add(b.BalanceOut)
		}
		var held decimal.Decimal
		for _, a := range accounts {
			balance[a] = balance[a].Add(j.Sum(a))
			held = held.Sub(balance[a]) // a liability is a credit balance
		}
		require.True(t, held.Equal(outstanding), "%s: the ledger holds %s, the breaches %s", p, held, outstanding)
		trail = append(trail, p.String()+" "+held.StringFixed(2))
	}
	assert.Equal(t, []string{
		"2015-01 0.00", "2015-02 8420.00", "2015-03 17673.33", "2015-04 1666.66",
		"2015-05 0.00", "2015-06 0.00",
	}, trail)
	for _, a := range accounts {
		assert.True(t, balance[a].IsZero(), "account %s ends at %s", a, balance[a])
	}
}
