package excel

import (
	"sort"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// emptied is a copy of res with the run-wide parts only.
func emptied(res *payout.Result) *payout.Result {
	c := *res
	c.Lines, c.Adjustments, c.Deductions, c.Breaches = nil, nil, nil, nil
	c.Claims, c.OutsideWindow = nil, nil
	c.Payments, c.Warnings = nil, nil
	c.Total = decimal.Zero
	return &c
}

// split returns, for every district code in res, the part of res that
// district may see: its lines, deductions, breaches, adjustments and claims, the
// payees of its lines with the district's part of each transfer, and the
// warnings about its agreements (and those about none). Controls, rates and
// the run's dates are run-wide and kept. It makes one pass over each list
// of res for all districts; rows keep the Result's order.
func split(res *payout.Result) map[string]*payout.Result {
	out := map[string]*payout.Result{}
	paid := map[string]map[string]*exactSum{}            // bydel → payee → net
	total := map[string]*exactSum{}                      // bydel → its lines' net
	mine := make(map[string][]string, len(res.Payments)) // agreement → its districts, in first-seen order (made to about its size)
	// Each district's lines made to size: a Line is large, and appending
	// grew each district's array by doubling.
	lines := map[string]int{}
	for i := range res.Lines {
		lines[res.Lines[i].Bydel]++
	}
	get := func(bydel, agreement string) *payout.Result {
		r := out[bydel]
		if r == nil {
			r = emptied(res)
			if n := lines[bydel]; n > 0 {
				r.Lines = make([]payout.Line, 0, n)
			}
			out[bydel] = r
			paid[bydel] = map[string]*exactSum{}
			total[bydel] = &exactSum{}
		}
		ds := mine[agreement]
		for _, d := range ds {
			if d == bydel {
				return r
			}
		}
		mine[agreement] = append(ds, bydel)
		return r
	}
	for i := range res.Lines {
		l := &res.Lines[i]
		r := get(l.Bydel, l.AgreementID)
		r.Lines = append(r.Lines, *l)
		p := paid[l.Bydel]
		sum := p[l.PayeeID]
		if sum == nil {
			sum = &exactSum{}
			p[l.PayeeID] = sum
		}
		sum.add(l.Net)
		total[l.Bydel].add(l.Net)
	}
	for b, t := range total {
		if lines[b] > 0 {
			out[b].Total = t.value()
		}
	}
	for _, a := range res.Adjustments {
		r := get(a.Bydel, a.AgreementID)
		r.Adjustments = append(r.Adjustments, a)
	}
	splitUnpaid(res, get)
	for _, d := range res.Deductions {
		r := get(d.Bydel, d.AgreementID)
		r.Deductions = append(r.Deductions, d)
	}
	for _, b := range res.Breaches {
		r := get(b.Bydel, b.AgreementID)
		r.Breaches = append(r.Breaches, b)
	}
	codes := make([]string, 0, len(out))
	for b := range out {
		codes = append(codes, b)
	}
	sort.Strings(codes)
	for _, p := range res.Payments {
		for _, b := range codes {
			if amt, ok := paid[b][p.PayeeID]; ok {
				q := p
				q.Amount, q.Bydeler = amt.value(), []string{b}
				out[b].Payments = append(out[b].Payments, q)
			}
		}
	}
	for _, wn := range res.Warnings {
		if wn.AgreementID == "" {
			for _, b := range codes {
				out[b].Warnings = append(out[b].Warnings, wn)
			}
			continue
		}
		for _, b := range mine[wn.AgreementID] {
			out[b].Warnings = append(out[b].Warnings, wn)
		}
	}
	return out
}

// splitUnpaid gives each district its claims and its corrections outside
// the retro window (RULEBOOK §6).
func splitUnpaid(res *payout.Result, get func(bydel, agreement string) *payout.Result) {
	for _, c := range res.Claims {
		r := get(c.Bydel, c.AgreementID)
		r.Claims = append(r.Claims, c)
	}
	for _, a := range res.OutsideWindow {
		r := get(a.Bydel, a.AgreementID)
		r.OutsideWindow = append(r.OutsideWindow, a)
	}
}
