package statement

import (
	"fmt"
	"runtime"
	"sort"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/oslokommune/payout/payout/parallel"
	"github.com/shopspring/decimal"
)

// Year renders each payee's statement of one year (`payout statement`):
// every month's grant, withheld, released, corrections, set-off and net,
// the year's total, and what is still held or owed at the end, which
// self-employed doctors need for their own accounts.
type Year struct {
	year    int
	months  []*payout.Result // one per period, in order
	byPayee []monthIndex     // of each month, what each payee's statement reads
	dir     *Directory
	payees  []string
	missing []payout.Period // months of the year without a run
}

// monthIndex is one month's lines and payment per payee and breaches per
// agreement, so that a payee's statement reads only its own (a year of a
// national run has thousands of payees).
type monthIndex struct {
	lines    map[string][]*payout.Line // in the Result's order
	paid     map[string]decimal.Decimal
	breaches map[string][]int // agreement → indices into the Result's Breaches
}

func newMonthIndex(r *payout.Result) monthIndex {
	x := monthIndex{lines: map[string][]*payout.Line{}, paid: map[string]decimal.Decimal{}, breaches: map[string][]int{}}
	for i := range r.Lines {
		l := &r.Lines[i]
		x.lines[l.PayeeID] = append(x.lines[l.PayeeID], l)
	}
	for _, pm := range r.Payments {
		x.paid[pm.PayeeID] = pm.Amount // of two, the last (as a statement has always shown)
	}
	for i, b := range r.Breaches {
		x.breaches[b.AgreementID] = append(x.breaches[b.AgreementID], i)
	}
	return x
}

// NewYear takes the runs of one year (each period once, as paid) and the
// directory that names the payees (that of the last run).
func NewYear(year int, results []*payout.Result, dir *Directory) (*Year, error) {
	y := &Year{year: year, dir: dir}
	seen := map[payout.Period]bool{}
	payees := map[string]bool{}
	for _, r := range results {
		if r.Period.Year() != year {
			return nil, fmt.Errorf("statement: the run of %s is not of %d", r.Period, year)
		}
		if seen[r.Period] {
			return nil, fmt.Errorf("statement: two runs of %s", r.Period)
		}
		seen[r.Period] = true
		y.months = append(y.months, r)
		for _, l := range r.Lines {
			payees[l.PayeeID] = true
		}
	}
	if len(y.months) == 0 {
		return nil, fmt.Errorf("statement: no released run in %d", year)
	}
	sort.Slice(y.months, func(i, j int) bool { return y.months[i].Period < y.months[j].Period })
	for _, r := range y.months {
		y.byPayee = append(y.byPayee, newMonthIndex(r))
	}
	for p := payout.NewPeriod(year, 1); p <= payout.NewPeriod(year, 12); p++ {
		if !seen[p] && p < y.months[len(y.months)-1].Period {
			y.missing = append(y.missing, p)
		}
	}
	for id := range payees {
		y.payees = append(y.payees, id)
	}
	sort.Strings(y.payees)
	return y, nil
}

// Payees are the payees with a line in any month of the year, sorted.
func (y *Year) Payees() []string { return y.payees }

// PDF renders one payee's yearly statement.
func (y *Year) PDF(payeeID string) ([]byte, error) {
	d, err := y.document(payeeID)
	if err != nil {
		return nil, err
	}
	return render(d)
}

// Files renders the yearly statements of the payees given (nil: every
// payee), in that order, in parallel on up to GOMAXPROCS goroutines; the
// bytes and the error returned (the first payee's in that order) do not
// depend on the schedule.
func (y *Year) Files(payees []string) ([]File, error) {
	if payees == nil {
		payees = y.payees
	}
	files := make([]File, len(payees))
	err := parallel.Each(len(payees), runtime.GOMAXPROCS(0), func(i int) error {
		var err error
		files[i].Name = YearFileName(payees[i], y.year)
		files[i].Data, err = y.PDF(payees[i])
		return err
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// sums are one payee's amounts of a month or an agreement.
type sums struct {
	entitlement, withheld, released, adjustments, setOff, net decimal.Decimal
	claimed                                                   decimal.Decimal
}

func (s *sums) add(l *payout.Line) {
	s.entitlement = s.entitlement.Add(l.Entitlement)
	s.withheld = s.withheld.Add(l.Withheld)
	s.released = s.released.Add(l.Released)
	s.adjustments = s.adjustments.Add(l.Adjustments)
	// carried_in recovers an earlier overpayment; carried_out is what the
	// month could not pay and is owed, claimed what is claimed back
	// instead: net = the rest (R-CARRY, RULEBOOK §6).
	s.setOff = s.setOff.Add(l.CarriedIn).Sub(l.CarriedOut).Add(l.Claimed)
	s.claimed = s.claimed.Add(l.Claimed)
	s.net = s.net.Add(l.Net)
}

func (s *sums) cells(first string) []string {
	return []string{first, nb.Kroner(s.entitlement), nb.Kroner(s.withheld.Neg()), nb.Kroner(s.released),
		nb.Kroner(s.adjustments), nb.Kroner(s.setOff), nb.Kroner(s.net)}
}

func (y *Year) document(payeeID string) (*document, error) {
	last := y.months[len(y.months)-1]
	id := fmt.Sprintf("%s-%04d", payeeID, y.year)
	pe := y.dir.payee(payeeID)
	d := &document{
		title: "Årsoversikt", subtitle: fmt.Sprintf("Utbetalt basistilskudd og driftstilskudd %d", y.year),
		subject: id, issuer: last.Policy.Debtor.Name, created: last.AsOf,
		info: payeeFacts(pe, payerText(last.Policy.Debtor), 3),
	}
	d.info = append(d.info, [2]string{"År", fmt.Sprint(y.year)}, [2]string{"Spesifikasjon", id},
		[2]string{"Opplysninger per", dateText(last.AsOf)})
	monthly, total, err := y.monthTable(payeeID)
	if err != nil {
		return nil, fmt.Errorf("statement %s: %w", id, err)
	}
	d.sections = []section{
		{title: "Måned for måned", table: monthly},
		{title: "Per avtale", table: y.agreementTable(payeeID)},
	}
	d.summary = []row{totalRow(fmt.Sprintf("Utbetalt i %d", y.year), total.net)}
	held, owed := y.balances(payeeID)
	if held.IsPositive() {
		d.summary = append(d.summary, noteRow(fmt.Sprintf("Tilbakeholdt etter §15.1 ved utgangen av %s, utbetales når forholdet er rettet: %s.", monthYear(last.Period), kr(held))))
	}
	if total.claimed.IsPositive() {
		d.summary = append(d.summary, noteRow(fmt.Sprintf("Krevd tilbakebetalt i %d (faktura sendes for seg): %s.", y.year, kr(total.claimed))))
	}
	if owed.IsPositive() {
		d.summary = append(d.summary, noteRow(fmt.Sprintf("Til gode for kommunen ved utgangen av %s, trekkes i senere utbetalinger: %s.", monthYear(last.Period), kr(owed))))
	}
	d.notes = y.notes(id, last.Policy.Debtor)
	return d, nil
}

// monthTable is one row per month with a line for the payee, and the sum.
// Each month's net must be the payment of that month.
func (y *Year) monthTable(payeeID string) (*table, sums, error) {
	t := &table{head: []string{"Måned", "Tilskudd", "Tilbakeholdt", "Frigitt", "Korreksjoner", "Motregnet", "Utbetalt"},
		widths: []float64{30, 24, 24, 24, 24, 24, 24}, lastTotal: true}
	var total sums
	for m, r := range y.months {
		lines := y.byPayee[m].lines[payeeID]
		if len(lines) == 0 {
			continue
		}
		var s sums
		for _, l := range lines {
			s.add(l)
			total.add(l)
		}
		paid := y.byPayee[m].paid[payeeID] // zero when not paid
		if !paid.Equal(s.net) {
			return nil, total, fmt.Errorf("%s: the lines' net %s is not the payment %s", r.Period, s.net.StringFixed(2), paid.StringFixed(2))
		}
		t.rows = append(t.rows, s.cells(monthYear(r.Period)))
	}
	t.rows = append(t.rows, total.cells(fmt.Sprintf("Sum %d", y.year)))
	return t, total, nil
}

// agreementTable sums the year per agreement and role.
func (y *Year) agreementTable(payeeID string) *table {
	type key struct {
		agreement string
		role      payout.Role
	}
	byKey := map[key]*sums{}
	names := map[key]string{}
	var keys []key
	for m := range y.months {
		for _, l := range y.byPayee[m].lines[payeeID] {
			k := key{l.AgreementID, l.Role}
			if byKey[k] == nil {
				byKey[k] = &sums{}
				keys = append(keys, k)
			}
			byKey[k].add(l)
			names[k] = l.Name
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].agreement != keys[j].agreement {
			return keys[i].agreement < keys[j].agreement
		}
		return keys[i].role < keys[j].role
	})
	t := &table{head: []string{"Avtale", "Tilskudd", "Tilbakeholdt", "Frigitt", "Korreksjoner", "Motregnet", "Utbetalt"},
		widths: []float64{30, 24, 24, 24, 24, 24, 24}}
	for _, k := range keys {
		label := k.agreement
		if k.role != payout.RoleHolder {
			label += " (" + nb.RoleName(k.role) + ")"
		}
		t.rows = append(t.rows, byKey[k].cells(label))
	}
	return t
}

// balances are what is still withheld from the payee's agreements (each
// breach's balance in the last month it was reported for an agreement the
// payee held) and what the payee still owes at the end of the last month.
func (y *Year) balances(payeeID string) (held, owed decimal.Decimal) {
	balance := map[string]decimal.Decimal{}
	for m, r := range y.months {
		// The breaches of the agreements the payee held this month, in
		// the Result's order, so a later report of a breach wins.
		var mine []int
		seen := map[string]bool{}
		for _, l := range y.byPayee[m].lines[payeeID] {
			if l.Role == payout.RoleHolder && !seen[l.AgreementID] {
				seen[l.AgreementID] = true
				mine = append(mine, y.byPayee[m].breaches[l.AgreementID]...)
			}
		}
		sort.Ints(mine)
		for _, i := range mine {
			b := &r.Breaches[i]
			balance[b.BreachID] = b.BalanceOut
		}
	}
	for _, b := range balance {
		held = held.Add(b)
	}
	for _, l := range y.byPayee[len(y.months)-1].lines[payeeID] {
		owed = owed.Sub(l.CarriedOut)
	}
	return held, owed
}

func (y *Year) notes(id string, debtor payout.Debtor) []string {
	notes := []string{
		"Tilskudd er månedens tilskudd etter fravær og vikar; korreksjoner gjelder tidligere måneder; motregnet er " +
			"overbetalinger som er trukket (negativt) eller overført til senere måneder (positivt).",
		"Månedsspesifikasjonene viser grunnlaget for hver måned.",
	}
	if len(y.missing) > 0 {
		var ms []string
		for _, p := range y.missing {
			ms = append(ms, monthYear(p))
		}
		notes = append(notes, "Uten frigitt utbetaling: "+strings.Join(ms, ", ")+".")
	}
	return append(notes, fmt.Sprintf("Oppgi spesifikasjonsnummeret %s ved spørsmål til %s.", id, debtor.Name))
}
