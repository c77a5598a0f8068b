package payout

import (
	"errors"
	"sort"
	"strings"
)

// Corrections paid later, RULEBOOK §6 rule R-ADJ (Rammeavtalen §8.4 second
// paragraph: "skal kommunen utbetale etter disse så snart som mulig"): in
// the run of P, every earlier period E of the retro window is recomputed as
// seen at A_P and compared with E as seen at A_{P−1}; each difference is
// paid (or recovered) on its line, one adjustments.csv row per E.

// adjustments adds R-ADJ rows to out; prev is A_{P−1} (NoDate: first period).
func (c *chain) adjustments(out *periodOut, h Period, prev Date) error {
	if prev == NoDate || !c.recordedIn(min(prev, out.asOf), max(prev, out.asOf)) {
		return nil // nothing this agreement depends on was recorded since
	}
	from := max(h, out.period-Period(c.ix.pol.RetroWindowMonths))
	book := func(k partyKey, payee string, e Period, amounts [2]Ore, views [2]*monthCalc) {
		c.addAdjustment(out, k, payee, e, amounts, views, prev)
	}
	if err := c.compareMonths(out, from, out.period, prev, book); err != nil {
		return err
	}
	if out.period != c.period {
		return nil // only the run's own period reports what it does not pay
	}
	// RULEBOOK §6 "Nothing is lost silently": a correction of a month older
	// than the retro window is not paid (R-ADJ stops at the window), but
	// the run lists it with its amount for a manual decision
	// (W-OUTSIDE-WINDOW). It changes no balance, so history steps skip it.
	list := func(k partyKey, payee string, e Period, amounts [2]Ore, views [2]*monthCalc) {
		if amounts[0] == amounts[1] {
			return
		}
		out.outside = append(out.outside, c.adjustmentRow(out, k, payee, e, amounts, views, prev))
	}
	return c.compareMonths(out, h, from, prev, list)
}

// compareMonths compares every period in [from, to) as seen at prev and at
// out's as-of date, and hands each party's two amounts to book.
func (c *chain) compareMonths(out *periodOut, from, to Period, prev Date, book bookFunc) error {
	since := c.recordedBetween(prev, out.asOf)
	for e := from; e < to; e++ {
		if !since.touches(c, e) || c.sameInputs(e, prev, out.asOf) {
			continue // nothing period e depends on was recorded since
		}
		after, err := c.computeMonth(e, out.asOf)
		if err != nil {
			return err
		}
		before, err := c.computeMonth(e, prev)
		if err != nil {
			return err
		}
		if err := c.adjustPeriod(out, e, before, after, prev, book); err != nil { // R-ADJ: the difference of e's two views
			return err
		}
	}
	return nil
}

// sameInputs reports whether period e reads the same inputs as seen at a
// and at b: the same agreement version, rate table and list count, and the
// same classification of the month's days (the day codes name the absence
// versions). Its two views are then equal, so R-ADJ books nothing for it,
// and neither is built. It answers false when it cannot tell cheaply (a
// payee change, takeover days, explain's notes) and when working out a
// piece fails, so that computeMonth meets and reports the error as before.
func (c *chain) sameInputs(e Period, a, b Date) bool {
	if c.trace || c.a.payeeChanges {
		return false
	}
	ag := c.agreementAt(a)
	if ag != c.agreementAt(b) {
		return false
	}
	if ag == nil {
		return true // no version in force in either view: no line
	}
	if checkAgreement(ag) != nil {
		return false
	}
	if last, _ := c.lastActiveDay(ag); !c.ix.activeUntil(ag, last, e) {
		return true // no active day: no line (computeMonth stops there)
	}
	first := e.First()
	if !sameTiers(c.rateTable(ag.Scheme, first, a), c.rateTable(ag.Scheme, first, b)) {
		return false
	}
	if vs := countVersions(c.countsOf(ag.ListID), first); ag.Scheme == SchemeFastlege && vs.inForce(a) != vs.inForce(b) {
		return false // the count of the 1st differs (c.listCount at a and b)
	}
	if err := c.annualAmount(&c.basisBuf, ag, e, b); err != nil {
		// A count or rate still unknown in both: both views are unknown
		// months (computeMonth); any other problem is computeMonth's to report.
		return errors.Is(err, ErrMissingListCount) || errors.Is(err, ErrMissingRate)
	}
	ya, err := c.classifiedYear(ag, e.Year(), a)
	if err != nil {
		return false
	}
	yb, err := c.classifiedYear(ag, e.Year(), b)
	if err != nil {
		return false
	}
	return ya == yb || sameMonthDays(ya, yb, first, e.Last())
}

// sameTiers reports whether two rate tables are the same resolved table.
func sameTiers(x, y []*Rate) bool {
	return len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
}

// sameMonthDays reports whether two classifications of a year give the days
// first … last the same codes, none of them a takeover day (whose shares
// the codes do not hold).
func sameMonthDays(x, y *yearClass, first, last Date) bool {
	i, j := x.find(first), y.find(first)
	for ; i < len(x.special) && x.special[i].d <= last; i, j = i+1, j+1 {
		if j >= len(y.special) || x.special[i] != y.special[j] || statusCodes[x.special[i].code.status] == StatusTakeover {
			return false
		}
	}
	return j >= len(y.special) || y.special[j].d > last
}

// adjustPeriod compares one earlier period's two views, party by party:
// R-ADJ per (agreement, role, payee). A party's payee is resolved in each
// view (payeeOf): holder parties are their payees already, so when a
// payee_from moves days from one payee to another, the old payee gives back
// what it had for them and the new one is paid (RULEBOOK §6); a takeover
// whose payee agreement changed payee between the views likewise.
func (c *chain) adjustPeriod(out *periodOut, e Period, before, after *monthCalc, prev Date, book bookFunc) error {
	var buf [4]partyKey // a month has one to a few parties
	for _, k := range unionParties(buf[:0], before, after) {
		b, a := partyAmountOf(before, k), partyAmountOf(after, k)
		oldPayee, err := c.payeeOf(k, e, prev)
		if err != nil {
			return err
		}
		newPayee, err := c.payeeOf(k, e, out.asOf)
		if err != nil {
			return err
		}
		if oldPayee != newPayee {
			book(k, oldPayee, e, [2]Ore{b, 0}, [2]*monthCalc{before, nil})
			book(k, newPayee, e, [2]Ore{0, a}, [2]*monthCalc{nil, after})
			continue
		}
		book(k, newPayee, e, [2]Ore{b, a}, [2]*monthCalc{before, after})
	}
	return nil
}

// bookFunc receives one party's two amounts of one period (before and
// after) and the two views, whose bases a row names (nil: the zero basis;
// worked out only for a row that is written, see basisOf).
type bookFunc func(k partyKey, payee string, e Period, amounts [2]Ore, views [2]*monthCalc)

// addAdjustment books after − before (amounts[1] − amounts[0]) for one
// party, payee and period; views are the two views (see bookFunc).
func (c *chain) addAdjustment(out *periodOut, k partyKey, payee string, e Period, amounts [2]Ore, views [2]*monthCalc, prev Date) {
	diff := amounts[1] - amounts[0]
	if diff == 0 {
		return
	}
	acc := out.line(lineKey{k.role, payee})
	acc.adjustments += diff
	if out.period == c.period {
		// Only the run's own period reports its rows (adjustments.csv and
		// explain); an earlier step of the chain needs only the amount,
		// which crosses months through carry (R-CARRY), so it does not
		// work out each row's reason and bases.
		out.adjust = append(out.adjust, c.adjustmentRow(out, k, payee, e, amounts, views, prev))
	}
}

// adjustmentRow is one corrected period of one line (adjustments.csv).
func (c *chain) adjustmentRow(out *periodOut, k partyKey, payee string, e Period, amounts [2]Ore, views [2]*monthCalc, prev Date) Adjustment {
	before, after := amounts[0], amounts[1]
	return Adjustment{
		Period: out.period, AgreementID: c.a.id, Role: k.role, PayeeID: payee, RefPeriod: e,
		Before: before.Dec(), After: after.Dec(), Amount: (after - before).Dec(), Reason: c.changeReason(e, prev, out.asOf),
		Was: basisOf(views[0], k, payee), Now: basisOf(views[1], k, payee),
	}
}

// basisOf is what a month's view was based on (R-ADJ, RULEBOOK §6: the
// inputs whose change a correction pays, so the workbook and the
// statement can show them beside the amounts); a month without a line has
// the zero basis (m nil: the row has no such view). The payee is party k's in the view: the holder payee
// of the month for a holder party (a payee_from moves the holder's days,
// RULEBOOK §6), else payee.
func basisOf(m *monthCalc, k partyKey, payee string) AdjustmentBasis {
	if m == nil || !m.hasLine() || m.basis == nil {
		return AdjustmentBasis{}
	}
	if k.role == RoleHolder {
		payee = m.holder
	}
	b := AdjustmentBasis{Members: m.basis.members, AnnualAmount: m.basis.annual(), PaidDays: m.paidDays,
		UnpaidDays: m.unpaidDays, Payee: payee}
	if c := m.basis.count; c != nil {
		b.Count = c.Count
		if c.HasWeighted {
			b.Weighted, b.HasWeighted = c.Weighted, true // R-8.4-WEIGHTED
		}
	}
	return b
}

// partyAmountOf is a party's amount; a period without a line counts as 0.
func partyAmountOf(m *monthCalc, k partyKey) Ore {
	if !m.hasLine() {
		return 0
	}
	return m.amount(k)
}

// unionParties appends to keys (a caller's buffer) the parties of a and b,
// sorted, each once.
func unionParties(keys []partyKey, a, b *monthCalc) []partyKey {
	for _, m := range []*monthCalc{a, b} {
		if !m.hasLine() {
			continue
		}
		for _, p := range m.parties {
			i := 0
			for i < len(keys) && partyLess(keys[i], p.key) {
				i++
			}
			if i < len(keys) && keys[i] == p.key {
				continue
			}
			keys = append(keys, partyKey{})
			copy(keys[i+1:], keys[i:])
			keys[i] = p.key
		}
	}
	return keys
}

// changeReason names the kinds of input recorded in (prev, now] that can
// change period e of this agreement.
func (c *chain) changeReason(e Period, prev, now Date) AdjustmentReason {
	var late []Period
	in := func(v *Version) bool {
		if k := v.knownOn(); k <= prev || k > now {
			return false
		}
		if e, ok := c.ix.late[v]; ok {
			late = append(late, e)
		}
		return true
	}
	var kindBuf [8]string // a reason names at most the six input kinds
	kinds := kindBuf[:0]
	add := func(k FileKind) {
		for _, x := range kinds {
			if x == string(k) {
				return
			}
		}
		kinds = append(kinds, string(k))
	}
	for _, v := range c.a.versions {
		if in(&v.Version) {
			add(FileAgreements)
		}
	}
	ag := c.displayAgreement(now)
	if ri := c.rateIndexOf(ag.Scheme); ri != nil {
		for _, r := range ri.all {
			if in(&r.Version) && r.ValidFrom <= e.First() {
				add(FileRates)
				break
			}
		}
	}
	for v := range countVersions(c.countsOf(ag.ListID), e.First()).all() {
		if in(&v.Version) {
			add(FileListCounts)
		}
	}
	yearFirst := NewDate(e.Year(), 1, 1)
	for _, v := range c.a.absences.versions() {
		if in(&v.Version) && v.From <= e.Last() && v.To >= yearFirst-366 {
			add(FileAbsences)
		}
	}
	for _, v := range c.a.caregiversIn(e.Year()) {
		if in(&v.Version) {
			add(FileCaregivers)
		}
	}
	for _, v := range c.a.takeovers.versions() {
		if in(&v.Version) {
			add(FileTakeovers)
		}
	}
	sort.Strings(kinds)
	if len(kinds) == 0 {
		return ReasonInputs + AdjustmentReason(lateReason(late))
	}
	return AdjustmentReason(strings.Join(kinds, ";") + lateReason(late))
}

func (c *chain) unknownTakeoverPayee(id string, a Date) error {
	for g := range c.a.takeovers.all() {
		if t := inForce(g, a); t != nil && t.PayeeAgreementID == id {
			return SourceErrorf(t.Src, "payee_agreement_id", id,
				"takeover %s names payee agreement %s, which is not known as of %s: add it to agreements", t.ID, id, a)
		}
	}
	return SourceErrorf(NewSource("takeovers", "", 0), "payee_agreement_id", id, "unknown payee agreement %s", id)
}
