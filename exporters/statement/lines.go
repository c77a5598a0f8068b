package statement

import (
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
)

// lineSection is one agreement and role: the basis of the amount, the rows
// from the base to the net, and a check that the rows add up to the net.
func (m *Month) lineSection(l *payout.Line) (section, error) {
	s := section{title: lineTitle(l), facts: m.lineFacts(l)}
	switch l.Role {
	case payout.RoleHolder:
		s.rows = append(s.rows, m.holderRows(l)...)
	case payout.RoleVikar:
		s.rows = append(s.rows, amountRow(fmt.Sprintf("Tilskudd for %s med kommunal vikar (§14)", days(l.VikarDays)), l.Entitlement))
	default:
		s.rows = append(s.rows, amountRow("Tilskudd for overtatt liste (§7.7)", l.Entitlement))
	}
	s.rows = append(s.rows, m.adjustmentRows(l)...)
	if !l.CarriedIn.IsZero() {
		text := "Overbetaling fra tidligere måneder, trukket nå"
		if l.Claimed.IsPositive() {
			text = "Overbetaling fra tidligere måneder"
		}
		s.rows = append(s.rows, amountRow(text, l.CarriedIn))
	}
	if l.CarriedOut.IsNegative() {
		// net_raw < 0: nothing is paid and the rest is owed (R-CARRY).
		s.rows = append(s.rows, amountRow("Overbetaling til gode for kommunen, trekkes i senere utbetalinger", l.CarriedOut.Neg()))
	}
	if l.Claimed.IsPositive() {
		// An overpayment later months cannot recover is claimed back
		// (RULEBOOK §6): net + carried_out − claimed = net_raw.
		s.rows = append(s.rows, amountRow(m.claimText(l), l.Claimed))
	}
	s.rows = append(s.rows, totalRow("Netto for avtalen", l.Net))
	var sum decimal.Decimal
	for _, r := range s.rows {
		if r.shown && !r.total {
			sum = sum.Add(r.amount)
		}
	}
	if !sum.Equal(l.Net) {
		return s, fmt.Errorf("agreement %s (%s, %s): the rows add up to %s, the line's net is %s",
			l.AgreementID, l.Role, l.PayeeID, sum.StringFixed(2), l.Net.StringFixed(2))
	}
	return s, nil
}

// claimText says why an overpayment is claimed back instead of carried.
func (m *Month) claimText(l *payout.Line) string {
	text := "Overbetaling som ikke kan trekkes i senere utbetalinger: krav om tilbakebetaling"
	for _, c := range m.res.Claims {
		if c.AgreementID != l.AgreementID || c.Role != l.Role || c.PayeeID != l.PayeeID {
			continue
		}
		why := "avtalen er avsluttet"
		if c.Cause == payout.ClaimPayeeNotPaid {
			why = "avtalen gir ikke lenger utbetaling til deg"
		}
		return fmt.Sprintf("%s (overbetalt fra %s; %s)", text, monthYear(c.OriginPeriod), why)
	}
	return text
}

func lineTitle(l *payout.Line) string {
	switch l.Role {
	case payout.RoleVikar:
		return "Vikar for avtale " + l.AgreementID + " – " + l.Name
	case payout.RoleTakeover:
		return "Overtakelse av avtale " + l.AgreementID + " – " + l.Name
	}
	return "Avtale " + l.AgreementID + " – " + l.Name
}

// lineFacts is what the amount is based on: the list count and rate of a
// GP, the hjemmel and rate of a physiotherapist, the share of a shared list.
func (m *Month) lineFacts(l *payout.Line) [][2]string {
	facts := append(make([][2]string, 0, 8),
		[2]string{"Ordning", grantName(l.Scheme)},
		[2]string{"Bydel", nb.BydelName(l.Bydel) + " (" + l.Bydel + ")"})
	if l.ActiveDays == 0 {
		// A line without active days carries only money of other months.
		return append(facts, [2]string{"Aktive avtaledager", "ingen i " + m.monthYear(l.Period)})
	}
	if l.Scheme == payout.SchemeFastlege {
		facts = append(facts, [2]string{"Listelengde", nb.Count(l.Count) + " per 1. " + m.monthYear(l.Period)})
		switch {
		case slices.Contains(l.Rules, payout.RWeighted):
			facts = append(facts, [2]string{"Vektet listelengde", members(l.Members) + " (Helfo)"})
		case slices.Contains(l.Rules, payout.RGrunn):
			facts = append(facts, [2]string{"Grunntilskudd", "betalt som for " + members(l.Members) + " innbyggere (statsavtalen)"})
		}
	} else if h, ok := m.hjemmel(l); ok {
		facts = append(facts, [2]string{"Hjemmel", pct(h)})
	}
	if rate := m.rates[l.Scheme]; rate != "" {
		facts = append(facts, [2]string{"Sats", rate})
	}
	shared := !l.SharePercent.IsZero() && !l.SharePercent.Equal(decimal.NewFromInt(100))
	if shared && l.Scheme == payout.SchemeFastlege {
		facts = append(facts, [2]string{"Andel av delt liste", pct(l.SharePercent) + " (§10.7)"})
	}
	facts = append(facts, [2]string{"Årsbeløp", kr(l.AnnualAmount)})
	if d := l.Period.Days(); l.ActiveDays != d {
		facts = append(facts, [2]string{"Aktive avtaledager", strconv.Itoa(l.ActiveDays) + " av " + strconv.Itoa(d)})
	}
	return facts
}

// hjemmel is a fysio agreement's hjemmel_percent: the agreement's, or else
// what its annual amount is of the rate (R-FYSIO: annual = rate × hjemmel ÷
// 100), to two decimals.
func (m *Month) hjemmel(l *payout.Line) (decimal.Decimal, bool) {
	if m.dir != nil {
		if h, ok := m.dir.Hjemmel[l.AgreementID]; ok {
			return h, true
		}
	}
	for _, r := range m.res.Rates {
		if r.Scheme == payout.SchemeFysio && r.TierFrom <= 1 && r.AnnualNOK.IsPositive() {
			return l.AnnualAmount.Mul(decimal.NewFromInt(100)).DivRound(r.AnnualNOK, 2), true
		}
	}
	return decimal.Zero, false
}

// holderRows: the base, what is deducted or paid to others, the month's
// grant, and the withholding and releases of §15.1.
func (m *Month) holderRows(l *payout.Line) []row {
	base := "1/12 av årsbeløpet for " + days(l.ActiveDays)
	if l.Scheme == payout.SchemeFastlege {
		base += " (§8.4)"
	}
	var rows []row
	if l.ActiveDays > 0 || !l.Base.IsZero() {
		rows = append(rows, amountRow(base, l.Base))
	}
	rows = append(rows, m.absenceRows(l)...)
	if !l.VikarAmount.IsZero() {
		rows = append(rows, amountRow(fmt.Sprintf("Til kommunal vikar for %s (§14)", days(l.VikarDays)), l.VikarAmount.Neg()))
	}
	takeover := l.Base.Sub(l.AbsenceDeduction).Sub(l.VikarAmount).Sub(l.Entitlement)
	if !takeover.IsZero() {
		n := l.ActiveDays - l.PaidDays - l.UnpaidDays - l.VikarDays
		rows = append(rows, amountRow(fmt.Sprintf("Til praksisfellesskapet som har overtatt listen, %s (§7.7)", days(n)), takeover.Neg()))
	}
	if len(rows) > 1 {
		rows = append(rows, totalRow("Tilskudd for måneden", l.Entitlement))
	}
	return append(rows, m.breachRows(l)...)
}

// absenceRows names each deduction by its clause and days, never by the
// kind of absence. Rules of the same clause (§13.4 covers the doctor's and
// a child's sickness) make one row. With one clause the row carries the
// line's deduction; with several, each shows its days and one row the
// deduction, which is rounded once over all days (RULEBOOK §1).
func (m *Month) absenceRows(l *payout.Line) []row {
	byClause := map[string]int{}
	var clauses []string
	for _, d := range m.deductions[l.AgreementID] {
		if d.Status != payout.StatusUnpaid {
			continue // days paid to a vikar are their own row
		}
		c := clause(d.Rule)
		if _, ok := byClause[c]; !ok {
			clauses = append(clauses, c)
		}
		byClause[c] += d.Days
	}
	sort.Strings(clauses)
	if l.AbsenceDeduction.IsZero() {
		return nil
	}
	if len(clauses) == 1 {
		return []row{amountRow(fmt.Sprintf("Trekk for fravær etter %s, %s uten tilskudd", clauses[0], days(byClause[clauses[0]])), l.AbsenceDeduction.Neg())}
	}
	var rows []row
	for _, c := range clauses {
		rows = append(rows, noteRow(fmt.Sprintf("Fravær etter %s: %s uten tilskudd", c, days(byClause[c]))))
	}
	return append(rows, amountRow(fmt.Sprintf("Trekk for fravær, %s uten tilskudd i alt", days(l.UnpaidDays)), l.AbsenceDeduction.Neg()))
}

// breachRows: each decision's withholding this month and the balance still
// held, and each release (§15.1). When the breaches do not account for the
// line's amounts (two holder lines of one agreement), the line's own
// amounts are shown instead.
func (m *Month) breachRows(l *payout.Line) []row {
	var withheld, released decimal.Decimal
	bs := m.breaches[l.AgreementID]
	for _, b := range bs {
		withheld, released = withheld.Add(b.Withheld), released.Add(b.Released)
	}
	if !withheld.Equal(l.Withheld) || !released.Equal(l.Released) {
		var rows []row
		if !l.Withheld.IsZero() {
			rows = append(rows, amountRow("Tilbakeholdt etter §15.1", l.Withheld.Neg()))
		}
		if !l.Released.IsZero() {
			rows = append(rows, amountRow("Utbetaling av tidligere tilbakeholdt beløp (§15.1)", l.Released))
		}
		return rows
	}
	var rows []row
	n := 0
	for _, b := range bs {
		if !b.Withheld.IsZero() {
			n++
		}
	}
	for _, b := range bs {
		if !b.Withheld.IsZero() {
			rows = append(rows, amountRow(fmt.Sprintf("Tilbakeholdt etter §15.1, vedtak %s (%s)", b.DecisionRef, pct(b.Percent)), b.Withheld.Neg()))
		}
		if !b.Released.IsZero() {
			rows = append(rows, amountRow(fmt.Sprintf("Utbetalt tilbakeholdt (§15.1), vedtak %s, %s", b.DecisionRef, releaseReason(b)), b.Released))
		}
		if b.BalanceOut.IsPositive() {
			rows = append(rows, noteRow(fmt.Sprintf("Fortsatt tilbakeholdt etter vedtak %s: %s (utbetales når det er rettet)", b.DecisionRef, kr(b.BalanceOut))))
		}
	}
	if n > 1 {
		rows = append(rows, noteRow("Tilbakeholdt denne måneden i alt: "+kr(l.Withheld)))
	}
	return rows
}

func releaseReason(b *payout.BreachStatus) string {
	if b.State == "cancelled" {
		return "opphevet"
	}
	if b.RectifiedOn != payout.NoDate {
		return "rettet " + dateText(b.RectifiedOn)
	}
	return "rettet"
}

// adjustmentRows: each corrected earlier month with the old and new value
// and the difference (R-ADJ).
func (m *Month) adjustmentRows(l *payout.Line) []row {
	var rows []row
	var sum decimal.Decimal
	for _, a := range m.adjustments[lineKey{l.AgreementID, l.Role, l.PayeeID}] {
		text := fmt.Sprintf("Korreksjon av %s: før %s, nå %s", monthYear(a.RefPeriod), nb.Kroner(a.Before), nb.Kroner(a.After))
		if c := changeText(a); c != "" {
			text += " (" + c + ")"
		}
		rows = append(rows, amountRow(text, a.Amount))
		sum = sum.Add(a.Amount)
	}
	if !sum.Equal(l.Adjustments) {
		// The rows do not account for the line's adjustments: show the sum.
		return []row{amountRow("Korreksjoner av tidligere måneder", l.Adjustments)}
	}
	if len(rows) > 1 {
		rows = append(rows, noteRow("Korreksjoner i alt: "+kr(sum)))
	}
	return rows
}
