package csvout

import (
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
)

// LinesHeader is the header of lines.csv (FORMATS.md).
var LinesHeader = []string{
	"period", "agreement_id", "hpr", "name", "bydel", "scheme", "role", "payee_id",
	"list_id", "count", "members", "annual_amount", "share_percent", "active_days",
	"paid_days", "unpaid_days", "vikar_days", "base", "absence_deduction",
	"vikar_amount", "entitlement", "withheld", "released", "adjustments",
	"carried_in", "net", "carried_out", "rules",
}

// AdjustmentsHeader is the header of adjustments.csv (FORMATS.md).
var AdjustmentsHeader = []string{
	"period", "agreement_id", "payee_id", "ref_period", "before", "after", "amount", "reason",
}

// PaymentsHeader is the header of payments.csv (FORMATS.md).
var PaymentsHeader = []string{
	"payee_id", "name", "account", "amount", "end_to_end_id", "remittance",
}

// Lines renders lines.csv: one row per line, in the Result's order.
func Lines(res *payout.Result) ([]byte, error) {
	t := newTable(LinesHeader)
	for _, l := range res.Lines {
		t.row([]string{
			l.Period.String(), text(l.AgreementID), text(l.HPR), text(l.Name),
			text(l.Bydel), string(l.Scheme), string(l.Role), text(l.PayeeID),
			text(l.ListID), itoa(l.Count), nb.Number(l.Members), nb.Money(l.AnnualAmount),
			nb.Number(l.SharePercent), itoa(l.ActiveDays), itoa(l.PaidDays),
			itoa(l.UnpaidDays), itoa(l.VikarDays), nb.Money(l.Base),
			nb.Money(l.AbsenceDeduction), nb.Money(l.VikarAmount), nb.Money(l.Entitlement),
			nb.Money(l.Withheld), nb.Money(l.Released), nb.Money(l.Adjustments),
			nb.Money(l.CarriedIn), nb.Money(l.Net), nb.Money(l.CarriedOut), text(nb.JoinRules(l.Rules)),
		})
	}
	return t.bytes()
}

// Adjustments renders adjustments.csv: one row per corrected earlier period.
func Adjustments(res *payout.Result) ([]byte, error) {
	t := newTable(AdjustmentsHeader)
	for _, a := range res.Adjustments {
		t.row([]string{
			a.Period.String(), text(a.AgreementID), text(a.PayeeID), a.RefPeriod.String(),
			nb.Money(a.Before), nb.Money(a.After), nb.Money(a.Amount), text(string(a.Reason)),
		})
	}
	return t.bytes()
}

// Payments renders payments.csv: one row per payee.
func Payments(res *payout.Result) ([]byte, error) {
	t := newTable(PaymentsHeader)
	for _, p := range res.Payments {
		t.row([]string{
			text(p.PayeeID), text(p.Name), text(p.Account), nb.Money(p.Amount),
			text(p.EndToEndID), text(p.Remittance),
		})
	}
	return t.bytes()
}
