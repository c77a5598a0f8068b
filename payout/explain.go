package payout

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Explain runs agreement id's history chain for period p and returns the
// trace of p: the rate table and count used, every day with its status and
// the rule that decided it, and every amount with its formula filled in.
func Explain(in *Inputs, p Period, opt Options, id string) (*Trace, error) {
	if err := in.Policy.Validate(); err != nil {
		return nil, err
	}
	in, moved := knownInputs(in, p, opt)
	ix := buildIndex(in)
	ix.setLate(moved)
	a := ix.perAgr[id]
	if a == nil || len(a.versions) == 0 {
		return nil, fmt.Errorf("%w: agreement %s is not in agreements", ErrInvalidInput, id)
	}
	asOf := asOfFunc(p, opt)
	c := newChain(ix, a, nil)
	c.trace = true
	out, err := c.run(historyStart(in, p, asOf(p)), p, asOf)
	if err != nil {
		return nil, err
	}
	r := &Result{Period: p, AsOf: asOf(p)}
	ag := c.displayAgreement(r.AsOf)
	tr := &Trace{Period: p, AsOf: r.AsOf, PayDate: PayDate(p), Agreement: *ag}
	if pe := ix.payee(ag.PayeeID, r.AsOf); pe != nil {
		tr.Payee = *pe
	}
	m := out.month
	tr.Lines = buildLines(p, ag, out)
	slices.SortFunc(tr.Lines, func(a, b Line) int {
		return cmp.Or(strings.Compare(string(a.Role), string(b.Role)), strings.Compare(a.PayeeID, b.PayeeID))
	})
	tr.Adjust, tr.Breaches = out.adjust, out.breaches
	tr.Days = traceDays(p, m)
	if m.hasLine() {
		traceBasis(tr, m)
		tr.Steps = monthSteps(m)
	}
	tr.Steps = append(tr.Steps, chainSteps(out, tr.Lines)...)
	return tr, nil
}

func traceBasis(tr *Trace, m *monthCalc) {
	for _, t := range m.basis.tiers {
		tr.RateTiers = append(tr.RateTiers, *t)
	}
	if c := m.basis.count; c != nil {
		tr.HasCount, tr.Count, tr.Weighted = true, c.Count, c.Weighted
	}
	tr.Members, tr.Annual = m.basis.members, m.basis.annual()
}

func traceDays(p Period, m *monthCalc) []DayTrace {
	first := p.First()
	days := make([]DayTrace, p.Days())
	for i := range days {
		dt := DayTrace{Date: first + Date(i), Status: StatusInactive}
		if m.days != nil {
			info := m.days[i]
			dt.Status, dt.Rule, dt.Note = info.status, info.rule, info.note
			if dt.Status == StatusPaid && dt.Rule == "" {
				dt.Rule = m.basis.rules[0] // an ordinary paid day: or R-FYSIO
			}
			if info.abs != nil {
				dt.Kind, dt.Cover, dt.AbsenceID = info.abs.Kind, info.abs.Cover, info.abs.ID
			}
			dt.PayeeID = dayPayee(m, info, dt.Date)
		}
		days[i] = dt
	}
	return days
}

func dayPayee(m *monthCalc, info dayInfo, d Date) string {
	switch info.status {
	case StatusPaid:
		if len(m.segs) > 1 {
			return m.segs[segOf(m.segs, d)].payee
		}
		return m.holder
	case StatusToVikar:
		return info.abs.VikarPayeeID
	case StatusTakeover:
		ids := ""
		for i, s := range info.shares {
			if i > 0 {
				ids += ";"
			}
			ids += fmt.Sprintf("%s %s %%", s.rec.PayeeAgreementID, s.share)
		}
		return ids
	}
	return ""
}

// monthSteps are the formulas of the month's own amounts (§1–§3, §5).
func monthSteps(m *monthCalc) []Step {
	b, ag, dp := m.basis, m.ag, m.period.Days()
	annualRule := RBase
	if ag.Scheme == SchemeFysio {
		annualRule = RFysio
	}
	// V(n) = annual × share × n ÷ (1200 × D(P)) of RULEBOOK §1, written
	// with the share as a percentage: × 100 % × 31 ÷ (12 × 31), which
	// reads as it computes (not × 100 % ÷ 1200, which looks off by 100).
	v := func(n int) string {
		return fmt.Sprintf("%s × %s %% × %d ÷ (12 × %d)", b.annual(), ag.SharePercent, n, dp)
	}
	steps := []Step{
		{Name: "annual", Rule: annualRule, Formula: b.formula(ag), Value: b.annual()},
		{Name: "base", Rule: annualRule, Formula: "V(aktive dager) = " + v(m.activeDays), Value: m.base.Dec()},
		{Name: "absence_deduction", Rule: strings.Join(unpaidRuleIDs(m), ";"), Formula: "V(ubetalte dager) = " + v(m.unpaidDays), Value: m.deduction.Dec()},
	}
	for _, p := range m.parties {
		k, pa := p.key, p.partyAmount
		switch k.role {
		case RoleVikar:
			steps = append(steps, Step{Name: "vikar_amount " + k.party, Rule: RVikar, Formula: "V(vikardager) = " + v(pa.days), Value: pa.amount.Dec()})
		case RoleTakeover:
			steps = append(steps, Step{Name: "takeover " + k.party, Rule: RTakeover,
				Formula: fmt.Sprintf("%s × %s %% × Σ(dager × andel %%) ÷ (12 × %d)", b.annual(), ag.SharePercent, dp), Value: pa.amount.Dec()})
		}
	}
	steps = append(steps, Step{Name: "entitlement", Rule: annualRule,
		Formula: fmt.Sprintf("%s − %s − %s − %s", m.base, m.deduction, m.vikarTotal, m.takeoverTotal), Value: m.entitlement.Dec()})
	return steps
}

// chainSteps are the formulas of what crosses months (§4, §6).
func chainSteps(out *periodOut, lines []Line) []Step {
	var steps []Step
	for _, b := range out.breaches {
		if !b.Withheld.IsZero() || b.State == BreachActive {
			steps = append(steps, Step{Name: "withheld " + b.BreachID, Rule: RWithhold,
				Formula: fmt.Sprintf("avrundet %s × %s %%", out.month.entitlement, b.Percent), Value: b.Withheld})
		}
		if !b.Released.IsZero() {
			steps = append(steps, Step{Name: "released " + b.BreachID, Rule: RRelease,
				Formula: fmt.Sprintf("tilbakeholdt saldo før %s", out.period), Value: b.Released})
		}
	}
	for _, a := range out.adjust {
		steps = append(steps, Step{Name: fmt.Sprintf("adjustment %s %s %s", a.RefPeriod, a.Role, a.PayeeID), Rule: RAdjust,
			Formula: fmt.Sprintf("%s − %s (%s)", a.After, a.Before, a.Reason), Value: a.Amount})
	}
	for _, l := range lines {
		steps = append(steps, Step{Name: fmt.Sprintf("net %s %s", l.Role, l.PayeeID), Rule: RCarry,
			Formula: fmt.Sprintf("max(0, %s − %s + %s + %s + %s)", l.Entitlement, l.Withheld, l.Released, l.Adjustments, l.CarriedIn), Value: l.Net})
		if !l.CarriedOut.IsZero() {
			steps = append(steps, Step{Name: fmt.Sprintf("carried_out %s %s", l.Role, l.PayeeID), Rule: RCarry,
				Formula: "min(0, netto før avkorting)", Value: l.CarriedOut})
		}
		if !l.Claimed.IsZero() {
			steps = append(steps, Step{Name: fmt.Sprintf("claim %s %s", l.Role, l.PayeeID), Rule: RCarry,
				Formula: "overbetaling som ikke kan trekkes senere: tilbakebetalingskrav", Value: l.Claimed})
		}
	}
	return steps
}

// unpaidRuleIDs are the rules deciding m's unpaid days, sorted.
func unpaidRuleIDs(m *monthCalc) []string {
	var ids []string
	for _, u := range m.unpaidByRule() {
		ids = append(ids, u.rule)
	}
	return ids
}
