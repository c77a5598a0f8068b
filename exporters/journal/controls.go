package journal

import (
	"fmt"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// controls checks the voucher against figures it was not built from: the
// payments (the payment file's CtrlSum), the line nets (the run's total) and
// the breaches' own withheld and released amounts (§15.1).
func controls(res *payout.Result, j *Journal) []payout.Control {
	ctrlSum, bank := paymentsSum(res), bankCredit(j)
	var liability, withheld, released, balIn, balOut decimal.Decimal
	for _, p := range j.Postings {
		if p.Kind == KindWithheld || p.Kind == KindReleased {
			liability = liability.Sub(p.Amount) // a credit raises the liability
		}
	}
	for _, b := range res.Breaches {
		withheld, released = withheld.Add(b.Withheld), released.Add(b.Released)
		balIn, balOut = balIn.Add(b.BalanceIn), balOut.Add(b.BalanceOut)
	}
	return []payout.Control{
		balanceControl(j),
		{ID: CBank, Name: "Kreditering av bank = betalingsfilens kontrollsum (CtrlSum) = sum netto utbetalt",
			OK:     bank.Equal(ctrlSum) && ctrlSum.Equal(res.Total),
			Detail: fmt.Sprintf("bank %s, CtrlSum %s, sum netto %s", bank.StringFixed(2), ctrlSum.StringFixed(2), res.Total.StringFixed(2))},
		{ID: CLiability, Name: "Endring i tilbakeholdt tilskudd = tilbakeholdt − frigitt i perioden (§15.1)",
			OK: liability.Equal(withheld.Sub(released)) && liability.Equal(balOut.Sub(balIn)),
			Detail: fmt.Sprintf("bokført endring %s, tilbakeholdt %s, frigitt %s, saldo %s → %s",
				liability.StringFixed(2), withheld.StringFixed(2), released.StringFixed(2), balIn.StringFixed(2), balOut.StringFixed(2))},
	}
}

// balanceControl is C-BILAG-BALANSE, of a period's voucher and of a
// supplement's alike: the debits equal the credits.
func balanceControl(j *Journal) payout.Control {
	debit, credit := j.Debit(), j.Credit()
	return payout.Control{ID: CBalance, Name: "Bilaget balanserer: sum debet = sum kredit",
		OK:     debit.Equal(credit),
		Detail: fmt.Sprintf("debet %s, kredit %s", debit.StringFixed(2), credit.StringFixed(2))}
}

// paymentsSum is the sum of the run's payments: the payment file's
// CtrlSum.
func paymentsSum(res *payout.Result) decimal.Decimal {
	var sum decimal.Decimal
	for _, pm := range res.Payments {
		sum = sum.Add(pm.Amount)
	}
	return sum
}

// bankCredit is what the voucher's bank postings credit, as a positive
// amount.
func bankCredit(j *Journal) decimal.Decimal {
	var bank decimal.Decimal
	for _, p := range j.Postings {
		if p.Kind == KindBank {
			bank = bank.Sub(p.Amount)
		}
	}
	return bank
}
