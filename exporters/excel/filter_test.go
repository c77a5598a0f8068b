package excel

import (
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// naiveRestrict is the plain reading of what a district may see, one pass
// over the Result per district: split must give the same for every district.
func naiveRestrict(res *payout.Result, bydel string) *payout.Result {
	out := *res
	out.Lines, out.Adjustments, out.Deductions, out.Breaches = nil, nil, nil, nil
	out.Payments, out.Warnings, out.Claims, out.OutsideWindow = nil, nil, nil, nil
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
	for _, c := range res.Claims {
		if c.Bydel == bydel {
			out.Claims = append(out.Claims, c)
			mine[c.AgreementID] = true
		}
	}
	for _, a := range res.OutsideWindow {
		if a.Bydel == bydel {
			out.OutsideWindow = append(out.OutsideWindow, a)
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

// naiveNames is the plain reading of Set.agreementNames.
func naiveNames(v view) map[string]string {
	names := map[string]string{}
	for _, l := range v.res.Lines {
		names[l.AgreementID] = l.Name
	}
	best := map[string]payout.Agreement{}
	for _, a := range v.in.Agreements {
		if a.RecordedOn > v.res.AsOf || (v.bydel != "" && a.Bydel != v.bydel) {
			continue
		}
		if cur, ok := best[a.ID]; !ok || a.RecordedOn >= cur.RecordedOn {
			best[a.ID] = a
		}
	}
	for id, a := range best {
		if _, ok := names[id]; !ok {
			names[id] = a.Name
		}
	}
	return names
}

func TestSplitAndNamesMatchThePlainReading(t *testing.T) {
	oslo, _, err := importers.LoadFolder("../../fixtures/oslo")
	require.NoError(t, err)
	osloRes, err := payout.Compute(oslo, payout.MustPeriod("2022-12"), payout.Options{})
	require.NoError(t, err)
	for name, c := range map[string]struct {
		res *payout.Result
		in  *payout.Inputs
	}{"fixture": {fixture.Result(), fixture.Inputs()}, "oslo": {osloRes, oslo}} {
		s := NewSet(c.res, c.in)
		codes := Districts(c.res)
		require.NotEmpty(t, codes, name)
		assert.Equal(t, naiveNames(view{res: c.res, in: c.in}), s.view("").names, name)
		for _, b := range append(codes, "99") {
			v := s.view(b)
			assert.Equal(t, naiveRestrict(c.res, b), v.res, "%s: district %s", name, b)
			assert.Equal(t, naiveNames(view{res: v.res, in: c.in, bydel: b}), v.names, "%s: district %s", name, b)
		}
	}
}

func TestCellNameIsExcelizes(t *testing.T) {
	for _, c := range [][2]int{{1, 1}, {26, 9}, {27, 10}, {28, 1048576}, {64, 3}, {65, 3}, {0, 1}, {1, 0}} {
		want, wantErr := excelize.CoordinatesToCellName(c[0], c[1])
		got, err := cellName(c[0], c[1])
		assert.Equal(t, want, got, "%v", c)
		assert.Equal(t, wantErr, err, "%v", c)
	}
}
