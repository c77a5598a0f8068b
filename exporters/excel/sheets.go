package excel

import (
	"sort"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
)

// linesSheet: one row per line of lines.csv, same order and figures.
func linesSheet(w *workbook, v view) error {
	cols := []column{
		{"Periode", false}, {"Avtale", false}, {"HPR", false}, {"Navn", false},
		{"Bydel", false}, {"Ordning", false}, {"Rolle", false}, {"Mottaker", false},
		{"Liste", false}, {"Listelengde", false}, {"Grunnlag (innbyggere)", false},
		{"Årsbeløp", false}, {"Andel %", false}, {"Aktive dager", false},
		{"Betalte dager", false}, {"Ubetalte dager", false}, {"Vikardager", false},
		{"Basis", true}, {"Fraværstrekk", true}, {"Til vikar", true},
		{"Tilskudd", true}, {"Tilbakeholdt", true}, {"Frigitt", true},
		{"Korreksjoner", true}, {"Overført inn", true}, {"Netto utbetalt", true},
		{"Overført ut", true}, {"Regler", false},
	}
	b := newBlock(cols, true, len(v.res.Lines))
	for i := range v.res.Lines {
		l := &v.res.Lines[i]
		b.add(
			period(l.Period), txt(l.AgreementID), txt(l.HPR), txt(l.Name), txt(l.Bydel),
			txt(nb.SchemeName(l.Scheme)), txt(nb.RoleName(l.Role)), txt(l.PayeeID), txt(l.ListID),
			integer(l.Count), num(l.Members), money(l.AnnualAmount), num(l.SharePercent),
			integer(l.ActiveDays), integer(l.PaidDays), integer(l.UnpaidDays), integer(l.VikarDays),
			money(l.Base), money(l.AbsenceDeduction), money(l.VikarAmount), money(l.Entitlement),
			money(l.Withheld), money(l.Released), money(l.Adjustments), money(l.CarriedIn),
			money(l.Net), money(l.CarriedOut), txt(w.rulesText(v, l.Rules)),
		)
	}
	_, err := w.table(SheetLines, b)
	return err
}

// paymentsSheet: one row per payee. In a district workbook the amount is the
// district's part of the transfer.
func paymentsSheet(w *workbook, v view) error {
	cols := []column{
		{"Mottaker", false}, {"Navn", false}, {"Kontonummer", false},
		{"Org.nr.", false}, {"Beløp", true}, {"Ende-til-ende-ID", false},
		{"Melding", false}, {"Bydeler", false},
	}
	b := newBlock(cols, true, len(v.res.Payments))
	for i := range v.res.Payments {
		p := &v.res.Payments[i]
		b.add(
			txt(p.PayeeID), txt(p.Name), txt(v.account(p.Account)), txt(p.OrgNr), money(p.Amount),
			txt(p.EndToEndID), txt(p.Remittance), txt(strings.Join(p.Bydeler, ";")),
		)
	}
	_, err := w.table(SheetPayments, b)
	return err
}

// accountText writes an 11-digit account the way Norwegians read it:
// 1234.56.78903.
func accountText(a string) string {
	if len(a) != 11 {
		return a
	}
	return a[:4] + "." + a[4:6] + "." + a[6:]
}

// deductionsSheet: one row per agreement and absence rule (§13, §14).
func deductionsSheet(w *workbook, v view) error {
	names := v.names
	cols := []column{
		{"Avtale", false}, {"Navn", false}, {"Bydel", false}, {"Fraværstype", false},
		{"Regel", false}, {"Hjemmel", false}, {"Beskrivelse", false},
		{"Status", false}, {"Dager", true}, {"Beløp", true},
	}
	b := newBlock(cols, true, len(v.res.Deductions))
	for _, d := range v.res.Deductions {
		rule := v.rule(d.Rule)
		b.add(
			txt(d.AgreementID), txt(names[d.AgreementID]), txt(d.Bydel), txt(v.absenceKind(d)),
			txt(rule), txt(payout.ClauseFor(d.Rule, v.schemes[d.AgreementID])), txt(v.ruleTitle(rule)), txt(nb.StatusName(d.Status)),
			integer(d.Days), money(d.Amount),
		)
	}
	_, err := w.table(SheetDeductions, b)
	return err
}

// withholdingSheet: one row per breach (§15.1): withheld this month,
// released, and the balance carried.
func withholdingSheet(w *workbook, v view) error {
	names := v.names
	cols := []column{
		{"Brudd", false}, {"Avtale", false}, {"Navn", false}, {"Bydel", false},
		{"Vedtak", false}, {"Status", false}, {"Trekk fra", false}, {"Prosent", false},
		{"Saldo inn", true}, {"Tilbakeholdt", true}, {"Frigitt", true},
		{"Saldo ut", true}, {"Rettet dato", false},
	}
	b := block{cols: cols, totals: true}
	for _, br := range v.res.Breaches {
		state := nb.BreachStateName(br.State)
		b.rows = append(b.rows, []cell{
			txt(br.BreachID), txt(br.AgreementID), txt(names[br.AgreementID]), txt(br.Bydel),
			txt(br.DecisionRef), txt(state), period(br.WithholdFrom), num(br.Percent),
			money(br.BalanceIn), money(br.Withheld), money(br.Released), money(br.BalanceOut),
			date(br.RectifiedOn),
		})
	}
	_, err := w.table(SheetWithholding, b)
	return err
}

// adjustmentsSheet: each corrected earlier month (R-ADJ, RULEBOOK §6),
// with beside its amounts the inputs that changed between the month's two
// views, old and new (changedCells); an input that did not change is
// blank.
func adjustmentsSheet(w *workbook, v view) error {
	names := v.names
	cols := []column{
		{"Avtale", false}, {"Navn", false}, {"Bydel", false}, {"Rolle", false},
		{"Mottaker", false}, {"Gjelder måned", false}, {"Før", true},
		{"Etter", true}, {"Differanse", true},
		{"Listelengde før", false}, {"Listelengde etter", false},
		{"Vektet før", false}, {"Vektet etter", false},
		{"Årsbeløp før", false}, {"Årsbeløp etter", false},
		{"Ubetalte dager før", false}, {"Ubetalte dager etter", false},
		{"Mottaker før", false}, {"Mottaker etter", false}, {"Årsak", false},
	}
	b := newBlock(cols, true, len(v.res.Adjustments))
	for i := range v.res.Adjustments {
		a := &v.res.Adjustments[i]
		b.add(
			txt(a.AgreementID), txt(names[a.AgreementID]), txt(a.Bydel), txt(nb.RoleName(a.Role)),
			txt(a.PayeeID), period(a.RefPeriod), money(a.Before), money(a.After), money(a.Amount),
		)
		changed := changedCells(a.Was, a.Now)
		b.extend(changed[:]...)
		b.extend(txt(nb.ReasonText(a.Reason)))
	}
	_, err := w.table(SheetAdjustments, b)
	return err
}

// changedCells are the pairs (before, after) of list count, weighted
// count, annual amount, unpaid days and payee; a pair is blank when the
// value is the same in both views, and a side is blank when that view had
// no line (the zero basis).
func changedCells(was, now payout.AdjustmentBasis) [10]cell {
	wasLine, nowLine := was.PaidDays+was.UnpaidDays > 0, now.PaidDays+now.UnpaidDays > 0
	var out [10]cell
	pair := func(i int, same bool, before, after cell) {
		if same {
			before, after = blank(), blank()
		}
		if !wasLine {
			before = blank()
		}
		if !nowLine {
			after = blank()
		}
		out[i], out[i+1] = before, after
	}
	pair(0, was.Count == now.Count, integer(was.Count), integer(now.Count))
	weighted := func(b payout.AdjustmentBasis) cell {
		if !b.HasWeighted {
			return blank()
		}
		return num(b.Weighted)
	}
	pair(2, was.HasWeighted == now.HasWeighted && was.Weighted.Equal(now.Weighted), weighted(was), weighted(now))
	pair(4, was.AnnualAmount.Equal(now.AnnualAmount), money(was.AnnualAmount), money(now.AnnualAmount))
	pair(6, was.UnpaidDays == now.UnpaidDays, integer(was.UnpaidDays), integer(now.UnpaidDays))
	if was.Payee != now.Payee {
		out[8], out[9] = txt(was.Payee), txt(now.Payee) // named on the empty side too
	} else {
		out[8], out[9] = blank(), blank()
	}
	return out
}

// claimsSheet: the overpayments claimed back from their payee
// (tilbakebetalingskrav, RULEBOOK §6), one row per claim, for finance to
// invoice.
func claimsSheet(w *workbook, v view) error {
	names := v.names
	cols := []column{
		{"Avtale", false}, {"Navn", false}, {"Bydel", false}, {"Rolle", false},
		{"Mottaker", false}, {"Overbetalt fra", false}, {"Krav", true}, {"Årsak", false},
	}
	b := block{cols: cols, totals: true}
	for _, c := range v.res.Claims {
		b.rows = append(b.rows, []cell{
			txt(c.AgreementID), txt(names[c.AgreementID]), txt(c.Bydel), txt(nb.RoleName(c.Role)),
			txt(c.PayeeID), period(c.OriginPeriod), money(c.Amount), txt(nb.ClaimCauseName(c.Cause)),
		})
	}
	_, err := w.table(SheetClaims, b)
	return err
}

// controlsSheet: every control of RULEBOOK §8, then the warnings.
func controlsSheet(w *workbook, v view) error {
	cols := []column{{"Kontroll", false}, {"Beskrivelse", false}, {"Resultat", false}, {"Tall og detaljer", false}}
	b := block{cols: cols}
	for _, c := range v.res.Controls {
		result := "OK"
		if !c.OK {
			result = "AVVIK"
		}
		b.rows = append(b.rows, []cell{txt(c.ID), txt(c.Name), txt(result), txt(c.Detail)})
	}
	pl, err := w.table(SheetControls, b)
	if err != nil {
		return err
	}
	row := pl.next + 1
	note := "Varsler (utbetales som beregnet)"
	if v.bydel != "" {
		note = "Varsler for bydelens avtaler (kontrollene over gjelder hele kjøringen)"
	}
	if err := w.heading(SheetControls, row, note); err != nil {
		return err
	}
	// Under the controls' columns: the message in the wide one.
	wb := block{cols: []column{{"Kode", false}, {"Melding", false}, {"Avtale", false}}}
	for _, wn := range v.res.Warnings {
		wb.rows = append(wb.rows, []cell{txt(wn.Code), txt(wn.Msg), txt(wn.AgreementID)})
	}
	if len(wb.rows) == 0 {
		wb.rows = append(wb.rows, []cell{blank(), txt("ingen varsler"), blank()})
	}
	_, err = w.writeBlock(SheetControls, row+1, wb)
	return err
}

func sorted(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}
