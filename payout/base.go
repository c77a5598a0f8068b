package payout

import (
	"fmt"
	"math/bits"

	"github.com/shopspring/decimal"
)

// Base grant, RULEBOOK §1–2: rules R-8.4 (1/12 by the count of the 1st,
// Rammeavtalen §8.4), R-8.4-TIERS and R-8.4-WEIGHTED (statsavtalen's rate
// table), R-GRUNN (grunntilskudd floor), R-FYSIO (driftstilskudd),
// R-10.7-SHARED (share of a shared list), R-ACTIVE (pro rata) and
// R-16-AGE70 (§16: the agreement ends at 70).

var dec100 = decimal.NewFromInt(100)

// V is RULEBOOK §1's V(n) = annual × share × n ÷ (1200 × D(P)), computed
// exactly and rounded once to øre, half away from zero.
func V(annual, sharePercent decimal.Decimal, days, daysInPeriod int) decimal.Decimal {
	return vOre(annual, sharePercent, days, daysInPeriod).Dec()
}

// vOre is V in øre.
func vOre(annual, sharePercent decimal.Decimal, days, daysInPeriod int) Ore {
	if days == 0 {
		return 0
	}
	return mulDivOre(annual, sharePercent, decInt(days), 1200*int64(daysInPeriod))
}

// annualBasis is what the annual amount of one agreement in one period
// rests on.
type annualBasis struct {
	tiers   []*Rate
	count   *ListCount // fastlege only
	members decimal.Decimal
	// The annual amount, exact: as a fixed (annualFx, when exactFx) on the
	// hot path, which allocates nothing; otherwise, or once a Result or
	// explain needs it, as a decimal (annualDec, see annual).
	annualFx  fixed
	exactFx   bool
	annualDec decimal.Decimal
	decSet    bool
	rules     []string
	grunnApp  bool
	ruleBuf   [4]string // rules' room: a basis cites at most four rules
}

// annual returns the annual amount as a decimal, made once per basis.
func (b *annualBasis) annual() decimal.Decimal {
	if !b.decSet {
		b.annualDec, b.decSet = b.annualFx.dec(), true
	}
	return b.annualDec
}

// setAnnual records an annual amount computed as a fixed (ok) or, when a
// product did not fit, computes it with decimals by slow().
func (b *annualBasis) setAnnual(f fixed, ok bool, slow func() decimal.Decimal) {
	b.annualFx, b.exactFx, b.decSet = f, ok, false
	if !ok {
		b.annualDec, b.decSet = slow(), true
	}
}

// vOre is V() of this basis's annual amount, share sharePercent (as a
// fixed, fine when shareOK) and days of a period of daysInPeriod days.
func (b *annualBasis) vOre(share decimal.Decimal, shareFx fixed, shareOK bool, days, daysInPeriod int) Ore {
	if days == 0 {
		return 0
	}
	if b.exactFx && shareOK {
		if r, ok := mulDivFixed(b.annualFx, shareFx, fixed{int64(days), 0}, 1200*int64(daysInPeriod)); ok {
			return Ore(r)
		}
	}
	return vOre(b.annual(), share, days, daysInPeriod)
}

// annualAmount computes `annual` for agreement ag in period p as seen at
// asOf (RULEBOOK §1 and §7) into b. Each annual amount is an exact product
// (no rounding); it is computed in 64-bit integers and with decimals only
// when a product would overflow.
func (c *chain) annualAmount(b *annualBasis, ag *Agreement, p Period, asOf Date) error {
	ix := c.ix
	first := p.First()
	tiers := c.rateTable(ag.Scheme, first, asOf)
	if len(tiers) == 0 {
		return missingRate(ag, first, asOf)
	}
	*b = annualBasis{tiers: tiers}
	rate := tiers[0].AnnualNOK
	if ag.Scheme == SchemeFysio {
		// R-FYSIO: rate × hjemmel_percent ÷ 100 per agreement.
		b.members = decimal.Zero
		f, ok := mulDecimals(rate, ag.HjemmelPercent, -2)
		b.setAnnual(f, ok, func() decimal.Decimal {
			return rate.Mul(ag.HjemmelPercent).Shift(-2) // ÷ 100, exactly
		})
		b.rules = append(b.ruleBuf[:0], RFysio)
		return checkAnnual(ag, b)
	}
	lc := c.listCount(ag.ListID, first, asOf)
	if lc == nil {
		return missingCount(ag, p, asOf)
	}
	b.count = lc
	b.rules = append(b.ruleBuf[:0], RBase) // 1/12 of the annual amount by the count of the 1st
	b.members = decInt(lc.Count)
	if lc.HasWeighted {
		b.members = lc.Weighted
		b.rules = append(b.rules, RWeighted) // R-8.4-WEIGHTED: Helfo's weighted count
	}
	ix.applyGrunn(ag, p, b)
	if lc.HasWeighted {
		// R-8.4-WEIGHTED: weighted count × the first tier's rate, no tiers.
		members := b.members
		f, ok := mulDecimals(members, rate, 0)
		b.setAnnual(f, ok, func() decimal.Decimal { return members.Mul(rate) })
		return checkAnnual(ag, b)
	}
	members := b.members.IntPart()
	total, exp, ok := tieredAnnualInt(members, tiers)
	b.setAnnual(fixed{total, exp}, ok, func() decimal.Decimal { return tieredAnnual(members, tiers) })
	if len(tiers) > 1 {
		b.rules = append(b.rules, RTiers) // R-8.4-TIERS: more than one tier in force
	}
	return checkAnnual(ag, b)
}

// mulDecimals is x × y × 10^shift as a fixed, false when it does not fit.
func mulDecimals(x, y decimal.Decimal, shift int32) (fixed, bool) {
	fx, okX := fixedOf(x)
	fy, okY := fixedOf(y)
	if !okX || !okY {
		return fixed{}, false
	}
	return mulFixed(fx, fy, shift)
}

// maxAnnualNOK bounds an annual amount (a thousand times Norway's whole
// yearly basistilskudd): anything above is a typing error in a rate or a
// count, and the bound keeps every øre amount exact in 64 bits.
var maxAnnualNOK = decimal.New(1, 12)

func checkAnnual(ag *Agreement, b *annualBasis) error {
	if b.exactFx && b.annualFx.e <= 0 && absU64(b.annualFx.c) < 1e12 {
		return nil // below 10^12 without a decimal
	}
	annual := b.annual()
	if annual.Exponent() <= 0 && annual.NumDigits() <= 12 {
		return nil
	}
	if annual.Abs().GreaterThan(maxAnnualNOK) {
		return SourceErrorf(ag.Src, "", ag.ID,
			"the annual amount of agreement %s would be %s kr, above %s: check its rate and list count", ag.ID, annual, maxAnnualNOK)
	}
	return nil
}

func missingRate(ag *Agreement, first, asOf Date) error {
	return SourceErrorf(ag.Src, "scheme", string(ag.Scheme),
		"no %s rate in force on %s (as of %s): add the rate table to rates", ag.Scheme, first, asOf).wrap(ErrMissingRate)
}

// missingCount: an active fastlege agreement with no count for P stops the
// run; it is never silently zero.
func missingCount(ag *Agreement, p Period, asOf Date) error {
	return SourceErrorf(ag.Src, "list_id", ag.ListID,
		"agreement %s is active in %s but list %s has no count as of %s (as known on %s): add it to list_counts",
		ag.ID, p, ag.ListID, p.First(), asOf).wrap(ErrMissingListCount)
}

// applyGrunn is R-GRUNN: a list under the floor whose ceiling is at least
// the floor is paid as the floor while P starts before valid_from + months.
func (ix *index) applyGrunn(ag *Agreement, p Period, b *annualBasis) {
	// The period first: most agreements are past their first months, and
	// the members of a weighted count are a decimal to read.
	if ag.ListCeiling < ix.pol.GrunntilskuddMembers || p.First() >= ag.ValidFrom.AddMonths(ix.pol.GrunntilskuddMonths) ||
		!b.membersBelow(ix.pol.GrunntilskuddMembers) {
		return
	}
	b.members = decInt(ix.pol.GrunntilskuddMembers)
	b.grunnApp = true
	b.rules = append(b.rules, RGrunn) // R-GRUNN: the floor applies
}

// membersBelow reports whether b.members < n: by the count itself when the
// members are the count (the common case, no decimal arithmetic).
func (b *annualBasis) membersBelow(n int) bool {
	if b.count != nil && !b.count.HasWeighted {
		return b.count.Count < n
	}
	return lessThanInt(b.members, n)
}

// tierMembers splits members over the tiers (R-8.4-TIERS): tier i covers
// list positions tier_from(i) … tier_from(i+1)−1.
func tierMembers(members int64, tiers []*Rate) []int64 {
	return tierMembersInto(make([]int64, 0, len(tiers)), members, tiers)
}

// tierMembersInto is tierMembers appending to out (a caller's buffer).
func tierMembersInto(out []int64, members int64, tiers []*Rate) []int64 {
	for i, t := range tiers {
		hi := members
		if i+1 < len(tiers) && int64(tiers[i+1].TierFrom)-1 < hi {
			hi = int64(tiers[i+1].TierFrom) - 1
		}
		out = append(out, max(0, hi-int64(t.TierFrom)+1))
	}
	return out
}

// tieredAnnual sums members in each tier × the tier's rate.
func tieredAnnual(members int64, tiers []*Rate) decimal.Decimal {
	if v, exp, ok := tieredAnnualInt(members, tiers); ok {
		return decimal.New(v, exp)
	}
	total := decimal.Zero
	for i, n := range tierMembers(members, tiers) {
		if n > 0 {
			total = total.Add(decimal.NewFromInt(n).Mul(tiers[i].AnnualNOK))
		}
	}
	return total
}

// tieredAnnualInt is tieredAnnual in 64-bit integers at the finest
// exponent of the tiers' rates (the sum's coefficient and exponent); false
// when a step would overflow.
func tieredAnnualInt(members int64, tiers []*Rate) (int64, int32, bool) {
	exp := int32(0)
	for _, t := range tiers {
		if t.AnnualNOK.NumDigits() > 12 || t.AnnualNOK.Exponent() < -6 {
			return 0, 0, false
		}
		exp = min(exp, t.AnnualNOK.Exponent())
	}
	var total int64
	var buf [8]int64
	for i, n := range tierMembersInto(buf[:0], members, tiers) {
		c := tiers[i].AnnualNOK.CoefficientInt64()
		for e := tiers[i].AnnualNOK.Exponent(); e > exp; e-- {
			c *= 10 // ≤ 12 digits and ≤ 6 steps: no overflow
		}
		hi, lo := bits.Mul64(uint64(n), uint64(max(c, -c)))
		if hi != 0 || lo >= 1<<62 || n < 0 {
			return 0, 0, false
		}
		if c < 0 {
			total -= int64(lo)
		} else {
			total += int64(lo)
		}
		if total > 1<<62 || total < -(1<<62) {
			return 0, 0, false
		}
	}
	return total, exp, true
}

// formula writes the annual amount's arithmetic for explain.
func (b *annualBasis) formula(ag *Agreement) string {
	switch {
	case ag.Scheme == SchemeFysio:
		return fmt.Sprintf("%s × %s %% = %s", b.tiers[0].AnnualNOK, ag.HjemmelPercent, b.annual())
	case b.count != nil && b.count.HasWeighted:
		return fmt.Sprintf("%s × %s = %s", b.members, b.tiers[0].AnnualNOK, b.annual())
	}
	text := ""
	for i, n := range tierMembers(b.members.IntPart(), b.tiers) {
		if n > 0 {
			if text != "" {
				text += " + "
			}
			text += fmt.Sprintf("%d × %s", n, b.tiers[i].AnnualNOK)
		}
	}
	if text == "" {
		text = "0"
	}
	return fmt.Sprintf("%s = %s", text, b.annual())
}

// lastActiveDay is the last day ag is active (R-ACTIVE, R-16-AGE70): its
// valid_to, or the day before the 70th birthday unless an extension runs
// longer (§16; a 29 February birthday turns 70 on 1 March).
func (ix *index) lastActiveDay(ag *Agreement) (Date, string) {
	if !ix.age70Applies(ag) {
		return ag.ValidTo, RActive
	}
	end70 := max(ag.BirthDate.AddYears(70)-1, ag.ExtensionTo)
	if end70 < ag.ValidTo {
		return end70, RAge70 // R-16-AGE70: ends at 70 (or with its extension)
	}
	return ag.ValidTo, RActive
}

// activeDay reports whether day d is active for ag, last being
// lastActiveDay(ag).
func (ix *index) activeDay(ag *Agreement, last, d Date) bool {
	return d >= ag.ValidFrom && d <= last
}

// activeIn reports whether ag has an active day in p (activeDays without
// building the days): with prorate_partial_months false, whether the 1st is.
func (ix *index) activeIn(ag *Agreement, p Period) bool {
	last, _ := ix.lastActiveDay(ag)
	return ix.activeUntil(ag, last, p)
}

// activeUntil is activeIn with ag's lastActiveDay known (last).
func (ix *index) activeUntil(ag *Agreement, last Date, p Period) bool {
	if !ix.pol.ProratePartialMonths {
		return ix.activeDay(ag, last, p.First())
	}
	return max(ag.ValidFrom, p.First()) <= min(last, p.Last())
}

// classifiedDay reports whether the absence and takeover rules apply to day
// d: every day of the agreement, and with prorate_partial_months false also
// the rest of a month whose 1st is active (the holder on the 1st is paid
// for, and answers for, the whole month). The counters count these days, so
// §14's eight weeks are weeks the doctor was really away even in a month
// that is not paid under that reading.
func (ix *index) classifiedDay(ag *Agreement, last, d Date) bool {
	if ix.activeDay(ag, last, d) {
		return true
	}
	return !ix.pol.ProratePartialMonths && ix.activeDay(ag, last, d.Period().First())
}

// checkAgreement applies the invalid-input rules of one agreement version:
// R-16-AGE70's extension limit and R-FYSIO's share.
func checkAgreement(ag *Agreement) error {
	if err := checkExtension(ag); err != nil {
		return err
	}
	return checkFysioShare(ag)
}

// checkFysioShare is RULEBOOK §7 (R-FYSIO): a fysio agreement has no list,
// so a share_percent other than empty or 100 is invalid input (its size is
// its hjemmel_percent); it must never silently scale the payment.
func checkFysioShare(ag *Agreement) error {
	if ag.Scheme != SchemeFysio || ag.SharePercent.Equal(dec100) {
		return nil
	}
	return SourceErrorf(ag.Src, "share_percent", ag.SharePercent.String(),
		"share_percent %s on fysio agreement %s: a driftsavtale has no shared list (RULEBOOK §7); leave it empty or 100 and give the size in hjemmel_percent",
		ag.SharePercent, ag.ID)
}

// checkExtension is R-16-AGE70's limit: an extension_to on or after the
// 75th birthday is invalid input.
func checkExtension(ag *Agreement) error {
	if ag.ExtensionTo == NoDate || ag.BirthDate == NoDate || ag.ExtensionTo < ag.BirthDate.AddYears(75) {
		return nil
	}
	return SourceErrorf(ag.Src, "extension_to", ag.ExtensionTo.String(),
		"extension_to %s of agreement %s is on or after the 75th birthday (%s): an extension past 75 is not possible (§16)",
		ag.ExtensionTo, ag.ID, ag.BirthDate.AddYears(75))
}

func (ix *index) age70Applies(ag *Agreement) bool {
	if ag.BirthDate == NoDate {
		return false
	}
	return ag.Scheme == SchemeFastlege || ix.pol.FysioAge70
}

// activeDaysInto returns, per day of p (index 0 = the 1st), whether it is active,
// and the rules that cut days. With prorate_partial_months false, an
// agreement active on the 1st is active all month and one that becomes
// active later gets no day (the "holder on the 1st" reading).
// buf is the caller's scratch, reused from month to month (nothing keeps
// the days); last and endRule are lastActiveDay(ag).
func (ix *index) activeDaysInto(buf []bool, ag *Agreement, last Date, endRule string, p Period) ([]bool, []string) {
	n := p.Days()
	act := append(buf[:0], make([]bool, n)...)
	first := p.First()
	cut := ruleSet{}
	for i := 0; i < n; i++ {
		d := first + Date(i)
		act[i] = ix.activeDay(ag, last, d)
		switch {
		case act[i]:
		case d < ag.ValidFrom:
			cut.add(RActive) // R-ACTIVE: before valid_from, pro rata
		default:
			cut.add(endRule) // R-ACTIVE past valid_to, or R-16-AGE70
		}
	}
	if !ix.pol.ProratePartialMonths {
		for i := range act {
			act[i] = act[0]
		}
		return act, nil
	}
	return act, cut.sorted()
}
