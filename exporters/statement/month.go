package statement

import (
	"fmt"
	"sort"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
)

// File is one rendered statement.
type File struct {
	Name string
	Data []byte
}

// Month renders the month's statements of one Result: one per payee with a
// line. It indexes the Result once; PDF is safe for concurrent use, so the
// statements can be rendered in parallel with the same bytes.
type Month struct {
	res         *payout.Result
	dir         *Directory
	payees      []string
	lines       map[string][]*payout.Line
	payments    map[string]*payout.Payment
	adjustments map[lineKey][]*payout.Adjustment
	deductions  map[string][]*payout.Deduction
	breaches    map[string][]*payout.BreachStatus
	rates       map[payout.Scheme]string // rateFacts of each scheme with a line
	// The same in every statement of the run, made once: monthYear of the
	// period, the period ("2022-12"), the payment and as-of dates as text,
	// and the payer ("Oslo kommune, org.nr. …").
	month, period, payDay, asOfDay, payer string
}

type lineKey struct {
	agreement string
	role      payout.Role
	payee     string
}

// NewMonth prepares the statements of res; dir names the payees.
func NewMonth(res *payout.Result, dir *Directory) *Month {
	// The per-payee maps are made to their size (one entry per payment):
	// see NewDirectory.
	m := &Month{res: res, dir: dir, lines: make(map[string][]*payout.Line, len(res.Payments)), payments: make(map[string]*payout.Payment, len(res.Payments)),
		adjustments: map[lineKey][]*payout.Adjustment{}, deductions: map[string][]*payout.Deduction{},
		breaches: map[string][]*payout.BreachStatus{}, rates: map[payout.Scheme]string{}, month: monthYear(res.Period),
		period: res.Period.String(), payDay: dateText(res.PayDate), asOfDay: dateText(res.AsOf),
		payer: payerText(res.Policy.Debtor), payees: Payees(res)}
	for i := range res.Lines {
		l := &res.Lines[i]
		m.lines[l.PayeeID] = append(m.lines[l.PayeeID], l)
		if _, ok := m.rates[l.Scheme]; !ok {
			m.rates[l.Scheme] = rateFacts(res.Rates, l.Scheme)
		}
	}
	for i := range res.Payments {
		m.payments[res.Payments[i].PayeeID] = &res.Payments[i]
	}
	for i := range res.Adjustments {
		a := &res.Adjustments[i]
		k := lineKey{a.AgreementID, a.Role, a.PayeeID}
		m.adjustments[k] = append(m.adjustments[k], a)
	}
	for i := range res.Deductions {
		d := &res.Deductions[i]
		m.deductions[d.AgreementID] = append(m.deductions[d.AgreementID], d)
	}
	for i := range res.Breaches {
		b := &res.Breaches[i]
		m.breaches[b.AgreementID] = append(m.breaches[b.AgreementID], b)
	}
	return m
}

// monthYear is "desember 2022", made once for the run's own period.
func (m *Month) monthYear(p payout.Period) string {
	if p == m.res.Period {
		return m.month
	}
	return monthYear(p)
}

// Payees are the payees with a statement, sorted.
func (m *Month) Payees() []string { return m.payees }

// Payees are the payees of res with a statement (a line), sorted: those of
// NewMonth(res, …), which lists them so, without its index (bundle names
// the statements' steps before any is rendered).
func Payees(res *payout.Result) []string {
	seen := make(map[string]bool, len(res.Payments))
	var ids []string
	for i := range res.Lines {
		if id := res.Lines[i].PayeeID; !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// PDF renders one payee's statement.
func (m *Month) PDF(payeeID string) ([]byte, error) {
	d, err := m.document(payeeID)
	if err != nil {
		return nil, err
	}
	return render(d)
}

// Files renders every payee's statement, in payee order.
func (m *Month) Files() ([]File, error) {
	files := make([]File, 0, len(m.payees))
	for _, id := range m.payees {
		data, err := m.PDF(id)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: FileName(id, m.res.Period), Data: data})
	}
	return files, nil
}

// document is one payee's month: the facts of the payment, one section per
// line, and the total, which must be the payment.
func (m *Month) document(payeeID string) (*document, error) {
	res, lines := m.res, m.lines[payeeID]
	if len(lines) == 0 {
		return nil, fmt.Errorf("statement: payee %s has no line in %s", payeeID, res.Period)
	}
	pe := m.dir.payee(payeeID)
	d := &document{
		title: "Utbetalingsspesifikasjon", subtitle: grantNames(lines) + " – " + m.month,
		subject: payeeID + "-" + m.period, issuer: res.Policy.Debtor.Name, created: res.AsOf,
		info:     payeeFacts(pe, m.payer, 9),
		sections: make([]section, 0, len(lines)),
	}
	d.info = append(d.info,
		[2]string{"Periode", m.month},
		[2]string{"Utbetalingsdato", m.payDay},
		[2]string{"Spesifikasjon", d.subject},
		[2]string{"Opplysninger per", m.asOfDay})
	var total, carried, claimed decimal.Decimal
	for _, l := range lines {
		s, err := m.lineSection(l)
		if err != nil {
			return nil, fmt.Errorf("statement %s: %w", d.subject, err)
		}
		d.sections = append(d.sections, s)
		total, carried, claimed = total.Add(l.Net), carried.Add(l.CarriedOut), claimed.Add(l.Claimed)
	}
	paid := decimal.Zero
	if pm := m.payments[payeeID]; pm != nil {
		paid = pm.Amount
	}
	if !paid.Equal(total) {
		return nil, fmt.Errorf("statement %s: the lines' net %s is not the payment %s", d.subject, total.StringFixed(2), paid.StringFixed(2))
	}
	d.summary = summary(total, carried, m.payDay, pe.Account)
	if claimed.IsPositive() {
		d.summary = append(d.summary, noteRow("Kommunen krever tilbakebetalt: "+kr(claimed)+" (faktura sendes for seg)."))
	}
	d.notes = monthNotes(d.subject, res.Policy.Debtor)
	return d, nil
}

// grantNames names the grants of the lines.
func grantNames(lines []*payout.Line) string {
	fastlege, fysio := false, false
	for _, l := range lines {
		fastlege = fastlege || l.Scheme == payout.SchemeFastlege
		fysio = fysio || l.Scheme == payout.SchemeFysio
	}
	grant := grantName(payout.SchemeFastlege)
	switch {
	case fastlege && fysio:
		grant = "Basistilskudd og driftstilskudd"
	case fysio:
		grant = grantName(payout.SchemeFysio)
	}
	return grant
}

// payeeFacts are who is paid and by whom, in a slice with room for more.
func payeeFacts(pe payout.Payee, payer string, room int) [][2]string {
	name := pe.Name
	if name == "" {
		name = pe.ID
	}
	info := append(make([][2]string, 0, 5+room), [2]string{"Mottaker", name}, [2]string{"Mottaker-ID", pe.ID})
	if pe.OrgNr != "" {
		info = append(info, [2]string{"Organisasjonsnummer", pe.OrgNr})
	}
	info = append(info, [2]string{"Konto", MaskAccount(pe.Account)})
	return append(info, [2]string{"Utbetaler", payer})
}

// payerText is the payer as a statement names it.
func payerText(debtor payout.Debtor) string {
	if debtor.OrgNr != "" {
		return debtor.Name + ", org.nr. " + debtor.OrgNr
	}
	return debtor.Name
}

// summary is the statement's total: what is paid, when (payDay, as text)
// and where, and what is still owed to the municipality.
func summary(total, carried decimal.Decimal, payDay, account string) []row {
	rows := append(make([]row, 0, 4), totalRow("Til utbetaling", total))
	if total.IsPositive() {
		rows = append(rows, noteRow("Utbetales "+payDay+" til konto "+MaskAccount(account)+"."))
	} else {
		rows = append(rows, noteRow("Ingen utbetaling denne måneden."))
	}
	if carried.IsNegative() {
		rows = append(rows, noteRow("Til gode for kommunen, trekkes i senere utbetalinger: "+kr(carried.Neg())+"."))
	}
	return rows
}

func monthNotes(id string, debtor payout.Debtor) []string {
	return []string{
		"Fravær er oppgitt etter bestemmelsen i rammeavtalen som gjelder, ikke etter fraværets art.",
		"Beløp i kroner. Korreksjoner gjelder tidligere måneder som er beregnet på nytt med opplysninger " +
			"som er kommet til siden (rammeavtalen §8.4).",
		"Oppgi spesifikasjonsnummeret " + id + " ved spørsmål til " + debtor.Name + ".",
	}
}

// rateFacts describes the rate tiers of a scheme in force for the period.
func rateFacts(rates []payout.Rate, s payout.Scheme) string {
	var tiers []payout.Rate
	for _, r := range rates {
		if r.Scheme == s {
			tiers = append(tiers, r)
		}
	}
	sort.Slice(tiers, func(i, j int) bool { return tiers[i].TierFrom < tiers[j].TierFrom })
	if len(tiers) == 0 {
		return ""
	}
	if s == payout.SchemeFysio {
		return fmt.Sprintf("%s per år for 100 %% hjemmel (%s)", kr(tiers[0].AnnualNOK), tiers[0].Source)
	}
	text := ""
	for i, t := range tiers {
		if i > 0 {
			text += ", "
		}
		switch {
		case len(tiers) == 1:
			text += kr(t.AnnualNOK) + " per innbygger og år"
		case i == len(tiers)-1:
			text += fmt.Sprintf("%s fra listeplass %s", kr(t.AnnualNOK), nb.Count(t.TierFrom))
		default:
			text += fmt.Sprintf("%s per innbygger og år for listeplass %s–%s", kr(t.AnnualNOK), nb.Count(t.TierFrom), nb.Count(tiers[i+1].TierFrom-1))
		}
	}
	return text + " (" + tiers[0].Source + ")"
}
