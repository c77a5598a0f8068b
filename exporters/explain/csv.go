package explain

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
)

// CSVHeader is the header of explain-<ID>-<P>.csv: one table for every
// part of the trace, told apart by section (avtale, sats, dag, beregning,
// linje, korreksjon, brudd), so a spreadsheet filter shows one part at a time.
var CSVHeader = []string{
	"section", "item", "date", "weekday", "status", "rule", "clause", "detail", "value",
}

// CSVFileName is the name explain --out writes the trace to.
func CSVFileName(agreementID string, p payout.Period) string {
	return fmt.Sprintf("explain-%s-%s.csv", agreementID, p)
}

// CSV renders the explanation of one agreement in one period as CSV; it
// holds the same facts as Text.
func CSV(tr *payout.Trace) ([]byte, error) {
	t := &table{rows: [][]string{CSVHeader}}
	traceFacts(t, tr)
	for _, r := range tr.RateTiers {
		t.row([]string{"sats", itoa(r.TierFrom), r.ValidFrom.String(), "", "",
			payout.RTiers, clause(tr, payout.RTiers), text(r.Source), nb.Money(r.AnnualNOK)})
	}
	for _, d := range tr.Days {
		t.row([]string{"dag", text(d.AbsenceID), d.Date.String(), nb.Weekday(d.Date.Weekday()),
			nb.StatusName(d.Status), d.Rule, clause(tr, d.Rule), text(dayDetail(d)), ""})
	}
	for _, s := range tr.Steps {
		t.row([]string{"beregning", stepName(s.Name), "", "", "", s.Rule, clause(tr, s.Rule), text(s.Formula), nb.Money(s.Value)})
	}
	for _, l := range tr.Lines {
		t.row([]string{"linje", nb.RoleName(l.Role) + " " + l.PayeeID, "", "", "", "", "",
			text(lineDetail(l)), nb.Money(l.Net)})
	}
	for _, a := range tr.Adjust {
		t.row([]string{"korreksjon", a.RefPeriod.String(), "", "", "", payout.RAdjust, clause(tr, payout.RAdjust),
			text(fmt.Sprintf("%s %s: før %s, etter %s; %s", nb.RoleName(a.Role), a.PayeeID, nb.Money(a.Before), nb.Money(a.After), a.Reason)),
			nb.Money(a.Amount)})
	}
	for _, b := range tr.Breaches {
		t.row([]string{"brudd", text(b.BreachID), b.RectifiedOn.String(), "", nb.BreachStateName(b.State), payout.RWithhold,
			clause(tr, payout.RWithhold), text(breachDetail(b)), nb.Money(b.Withheld)})
	}
	return t.bytes()
}

// traceFacts writes the agreement, payee and count facts as item/value rows.
func traceFacts(t *table, tr *payout.Trace) {
	a, p := tr.Agreement, tr.Payee
	facts := [][2]string{
		{"period", tr.Period.String()},
		{"as_of", tr.AsOf.String()},
		{"pay_date", tr.PayDate.String()},
		{"agreement_id", a.ID},
		{"name", a.Name},
		{"scheme", string(a.Scheme)},
		{"bydel", a.Bydel},
		{"hpr", a.HPR},
		{"valid_from", a.ValidFrom.String()},
		{"valid_to", validTo(a.ValidTo)},
		{"list_id", a.ListID},
		{"share_percent", nb.Number(a.SharePercent)},
		{"payee_id", p.ID},
		{"payee_name", p.Name},
		{"account", p.Account},
	}
	if tr.HasCount {
		facts = append(facts, [2]string{"count", itoa(tr.Count)})
	}
	if !tr.Weighted.IsZero() {
		facts = append(facts, [2]string{"weighted_count", nb.Number(tr.Weighted)})
	}
	facts = append(facts, [2]string{"members", nb.Number(tr.Members)}, [2]string{"annual_amount", nb.Money(tr.Annual)})
	for _, f := range facts {
		t.row([]string{"avtale", f[0], "", "", "", "", "", text(f[1]), ""})
	}
}

func validTo(d payout.Date) string {
	if d == payout.Forever {
		return ""
	}
	return d.String()
}

func dayDetail(d payout.DayTrace) string {
	var parts []string
	if d.Kind != 0 {
		parts = append(parts, nb.KindName(d.Kind))
	}
	if d.Cover != 0 {
		parts = append(parts, "dekning: "+nb.CoverName(d.Cover))
	}
	if d.PayeeID != "" {
		parts = append(parts, "betales til "+d.PayeeID)
	}
	if d.Note != "" {
		parts = append(parts, d.Note)
	}
	return strings.Join(parts, "; ")
}

func lineDetail(l payout.Line) string {
	return fmt.Sprintf("basis %s, fraværstrekk %s, vikar %s, tilskudd %s, tilbakeholdt %s, frigitt %s, korreksjoner %s, overført inn %s, netto %s, overført ut %s; regler %s",
		nb.Money(l.Base), nb.Money(l.AbsenceDeduction), nb.Money(l.VikarAmount), nb.Money(l.Entitlement),
		nb.Money(l.Withheld), nb.Money(l.Released), nb.Money(l.Adjustments), nb.Money(l.CarriedIn),
		nb.Money(l.Net), nb.Money(l.CarriedOut), nb.JoinRules(l.Rules))
}

func breachDetail(b payout.BreachStatus) string {
	return fmt.Sprintf("vedtak %s, fra %s, %s %%, saldo inn %s, tilbakeholdt %s, frigitt %s, saldo ut %s",
		b.DecisionRef, b.WithholdFrom, nb.Number(b.Percent), nb.Money(b.BalanceIn),
		nb.Money(b.Withheld), nb.Money(b.Released), nb.Money(b.BalanceOut))
}

// table collects the trace's rows for encoding/csv (`,`, `\n`, RFC 4180
// quoting); a trace is a few hundred rows, so the standard writer serves.
type table struct{ rows [][]string }

func (t *table) row(cells []string) { t.rows = append(t.rows, cells) }

func (t *table) bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := csv.NewWriter(&buf).WriteAll(t.rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// text neutralises a free-text cell.
func text(s string) string { return nb.Neutralise(s) }

func itoa(n int) string { return strconv.Itoa(n) }
