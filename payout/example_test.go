package payout_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// One doctor with 1200 inhabitants on the list and 421 kr a year per
// inhabitant is paid 1/12 a month (§8.4), on the payment date 27 March 2015
// (the 28th is a Saturday).
func ExampleCompute() {
	known := payout.Version{RecordedOn: payout.Beginning}
	in := &payout.Inputs{
		Policy: payout.DefaultPolicy(),
		Rates: []payout.Rate{{Scheme: payout.SchemeFastlege, ValidFrom: payout.MustDate("2014-07-01"), TierFrom: 1,
			AnnualNOK: decimal.NewFromInt(421), Source: "Statsavtalen 2014", Version: known}},
		Payees: []payout.Payee{{ID: "P1", Name: "Lege A1", Account: "12000079195", Version: known}},
		Agreements: []payout.Agreement{{ID: "A1", Scheme: payout.SchemeFastlege, Name: "Lege A1", HPR: "1000001", Bydel: "01",
			ValidFrom: payout.MustDate("2010-01-01"), ValidTo: payout.Forever, PayeeID: "P1", ListID: "L1",
			SharePercent: decimal.NewFromInt(100), BirthDate: payout.MustDate("1965-05-05"), Version: known}},
		ListCounts: []payout.ListCount{{ListID: "L1", AsOf: payout.MustDate("2015-03-01"), Count: 1200, Version: known}},
	}
	res, err := payout.Compute(in, payout.MustPeriod("2015-03"), payout.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	l := res.Lines[0]
	fmt.Println(res.PayDate, l.AgreementID, l.Role, l.PayeeID, l.Net.StringFixed(2), l.Rules)
	// Output: 2015-03-27 A1 holder P1 42100.00 [R-8.4]
}

// V(n) is the value of n days of a month: annual × share × n ÷ (1200 ×
// D(P)), rounded once to øre, half away from zero.
func ExampleV() {
	fmt.Println(payout.V(decimal.NewFromInt(505200), decimal.NewFromInt(100), 8, 31).StringFixed(2))
	// Output: 10864.52
}

func ExamplePayDate() {
	fmt.Println(payout.PayDate(payout.MustPeriod("2027-03"))) // Easter Sunday is the 28th
	// Output: 2027-03-24
}
