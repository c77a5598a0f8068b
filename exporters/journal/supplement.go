package journal

import (
	"fmt"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// The posting kinds of a supplement's voucher (issue 13).
const (
	KindReturned Kind = "returned" // the bank debited: the rejected payments came back
	KindRejected Kind = "rejected" // the clearing account credited: owed to the payees again
	KindRepaid   Kind = "repaid"   // the clearing account debited: paid again by the supplement
)

// CRejected is the control that a supplement clears what it books as owed.
const CRejected = "C-BILAG-AVVIST"

// SupplementVoucherNumber is supplement n's voucher: YYYYMM and sequence
// n+1 (the period's own voucher is 01).
func SupplementVoucherNumber(p payout.Period, n int) string {
	return fmt.Sprintf("%04d%02d%02d", p.Year(), p.Month(), n+1)
}

// BuildSupplement books supplement n of a period: res holds exactly the
// payments it pays again, dated its execution date. The expense was booked
// by the period's own voucher, which credited the bank with the whole
// control sum; the bank rejected these payments, so the money came back
// (the bank debited, the clearing account of rejected payments credited:
// owed to the payees), and the supplement pays it out again (the clearing
// account debited, the bank credited with the supplement's control sum).
// The clearing account nets to zero, and the bank's two lines match the
// bank statement's return and new payment.
func BuildSupplement(res *payout.Result, n int) (*Journal, error) {
	led := &res.Policy.Ledger
	if err := led.Validate(); err != nil {
		return nil, err
	}
	sum := paymentsSum(res)
	when, count := monthYear(res.Period), len(res.Payments)
	bank := func(kind Kind, account string, amount decimal.Decimal, text string) Posting {
		return Posting{Kind: kind, Account: account, Ansvar: led.Bank.Ansvar, Kapittel: led.Kapittel,
			Function: led.Bank.Function, Project: led.Bank.Project, Amount: amount, Text: text}
	}
	rejected := led.Bank.RejectedAccount()
	j := &Journal{Period: res.Period, Date: res.PayDate, Series: led.VoucherSeries, Number: SupplementVoucherNumber(res.Period, n)}
	j.Postings = []Posting{
		bank(KindReturned, led.Bank.Account, sum, fmt.Sprintf("Avviste betalinger %s returnert av banken, %d betalinger", when, count)),
		bank(KindRejected, rejected, sum.Neg(), fmt.Sprintf("Avviste betalinger %s, skyldes mottakerne", when)),
		bank(KindRepaid, rejected, sum, fmt.Sprintf("Avviste betalinger %s betalt på nytt i tilleggsutbetaling %d", when, n)),
		bank(KindBank, led.Bank.Account, sum.Neg(), fmt.Sprintf("Tilleggsutbetaling %d for %s, %d betalinger", n, when, count)),
	}
	j.Controls = supplementControls(res, j, rejected)
	var failed []string
	for _, c := range j.Controls {
		if !c.OK {
			failed = append(failed, c.ID+": "+c.Detail)
		}
	}
	if len(failed) > 0 {
		return nil, fmt.Errorf("journal of supplement %d of %s: %w: %s", n, res.Period, ErrControl, strings.Join(failed, "; "))
	}
	return j, nil
}

// supplementControls: the voucher balances, the bank is credited with the
// supplement's control sum, and the clearing account of rejected payments
// nets to zero (what was owed is paid).
func supplementControls(res *payout.Result, j *Journal, rejected string) []payout.Control {
	bank, clearing := bankCredit(j), j.Sum(rejected)
	return []payout.Control{
		balanceControl(j),
		{ID: CBank, Name: "Kreditering av bank = tilleggsutbetalingens kontrollsum (CtrlSum)",
			OK:     bank.Equal(res.Total) && res.Total.Sign() > 0,
			Detail: fmt.Sprintf("bank %s, CtrlSum %s", bank.StringFixed(2), res.Total.StringFixed(2))},
		{ID: CRejected, Name: "Avviste betalinger: det som skyldes mottakerne er betalt (mellomkontoen går i null)",
			OK:     clearing.IsZero(),
			Detail: fmt.Sprintf("konto %s netto %s", rejected, clearing.StringFixed(2))},
	}
}
