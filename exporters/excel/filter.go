package excel

import (
	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// restrict returns the part of res one district may see: its lines,
// deductions, breaches and adjustments, the payees of its lines with the
// district's part of each transfer, and the warnings about its agreements.
// Controls, rates and the run's dates are run-wide and kept.
func restrict(res *payout.Result, bydel string) *payout.Result {
	out := *res
	out.Lines, out.Adjustments, out.Deductions, out.Breaches = nil, nil, nil, nil
	out.Payments, out.Warnings = nil, nil
	out.Total = decimal.Zero
	mine := map[string]bool{}
	paid := map[string]decimal.Decimal{}
	for _, l := range res.Lines {
		if l.Bydel == bydel {
			out.Lines = append(out.Lines, l)
			mine[l.AgreementID] = true
			paid[l.PayeeID] = paid[l.PayeeID].Add(l.Net)
			out.Total = out.Total.Add(l.Net)
		}
	}
	for _, a := range res.Adjustments {
		if a.Bydel == bydel {
			out.Adjustments = append(out.Adjustments, a)
			mine[a.AgreementID] = true
		}
	}
	for _, d := range res.Deductions {
		if d.Bydel == bydel {
			out.Deductions = append(out.Deductions, d)
			mine[d.AgreementID] = true
		}
	}
	for _, b := range res.Breaches {
		if b.Bydel == bydel {
			out.Breaches = append(out.Breaches, b)
			mine[b.AgreementID] = true
		}
	}
	for _, p := range res.Payments {
		if amt, ok := paid[p.PayeeID]; ok {
			p.Amount, p.Bydeler = amt, []string{bydel}
			out.Payments = append(out.Payments, p)
		}
	}
	for _, wn := range res.Warnings {
		if wn.AgreementID == "" || mine[wn.AgreementID] {
			out.Warnings = append(out.Warnings, wn)
		}
	}
	return &out
}
