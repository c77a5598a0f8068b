package payout

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout/nb"
)

// Compute runs period p: every agreement's history chain from the history
// start (RULEBOOK §6), then the lines, payments, deductions, breaches,
// warnings and the controls of §8. Invalid input is returned as an
// ErrorList (every agreement's first problem); a failed control as an error
// wrapping ErrInvariant, with the Result for review.
func Compute(in *Inputs, p Period, opt Options) (*Result, error) {
	if err := in.Policy.Validate(); err != nil {
		return nil, err
	}
	in, moved := knownInputs(in, p, opt)
	ix := buildIndex(in)
	ix.setLate(moved)
	r := &Result{Period: p, PayDate: PayDate(p), Policy: in.Policy.InForce()}
	r.AsOf = asOfFunc(p, opt)(p)
	r.HistoryStart = historyStart(in, p, r.AsOf)
	r.KnowledgeByPeriod = knowledgeInHistory(opt.KnowledgeByPeriod, r.HistoryStart, p)
	for e, d := range opt.AsOfByPeriod {
		if e >= r.HistoryStart && e < p {
			if r.AsOfByPeriod == nil {
				r.AsOfByPeriod = map[Period]Date{}
			}
			r.AsOfByPeriod[e] = d
		}
	}
	rows := func(i int, out *periodOut) agreementRows { return agreementRowsOf(ix, r, ix.agrIDs[i], out) }
	parts, err := runChains(ix, r.HistoryStart, p, asOfTable(asOfFunc(p, opt), r.HistoryStart, p), rows, opt.Progress)
	if err != nil {
		return nil, err
	}
	orphans := ix.orphanLists()
	// Only payees and rates are read from here on: the records the chains
	// read (list counts, absences …, the bulk of the heap) are garbage
	// before the Result's rows are made (issue 16: a collection during
	// assemble or the controls then finds them no longer live).
	ix.dropChainRecords()
	if opt.ChainsDone != nil {
		opt.ChainsDone()
	}
	if err := assemble(ix, r, parts, orphans); err != nil {
		return nil, err
	}
	r.Controls = evaluateControls(r)
	if err := controlsError(r.Controls); err != nil {
		return r, err
	}
	return r, nil
}

// asOfFunc gives A_E: the run's own as-of for p, a released run's recorded
// as-of, else pay(E).
func asOfFunc(p Period, opt Options) func(Period) Date {
	return func(e Period) Date {
		if e == p && opt.AsOf != NoDate {
			return opt.AsOf
		}
		if d, ok := opt.AsOfByPeriod[e]; ok && e != p {
			return d
		}
		return PayDate(e)
	}
}

// asOfTable is asOf with A_h … A_p worked out once: every chain asks for
// each of them, and pay(E) walks the banking calendar.
func asOfTable(asOf func(Period) Date, h, p Period) func(Period) Date {
	tab := make([]Date, max(0, int(p-h)+1))
	for i := range tab {
		tab[i] = asOf(h + Period(i))
	}
	return func(e Period) Date {
		if e >= h && e <= p {
			return tab[e-h]
		}
		return asOf(e)
	}
}

// historyStart is RULEBOOK §6: policy history_start, else the earliest list
// count as_of, else p itself; never after p. Like every input, a count
// counts only when the run can see it (recorded_on ≤ asOf, RULEBOOK §0), so
// a count recorded later cannot move an earlier run's history.
func historyStart(in *Inputs, p Period, asOf Date) Period {
	h := p
	if in.Policy.HistoryStart != "" {
		if hs, err := ParsePeriod(in.Policy.HistoryStart); err == nil {
			h = hs
		}
	} else {
		first := h.First() // a count's period is before h when its as_of is before h's 1st
		for i := range in.ListCounts {
			c := &in.ListCounts[i]
			if c.AsOf < first && c.knownOn() <= asOf {
				h, first = c.AsOf.Period(), c.AsOf.Period().First()
			}
		}
	}
	return min(h, p)
}

// runChains runs every agreement's chain, on all cores, and turns each
// outcome into the agreement's rows by rows(i, outcome) on the same core
// (the outcome is dropped then); results are kept in agreement order, so
// output order never depends on scheduling.
func runChains(ix *index, h, p Period, asOf func(Period) Date, rows func(int, *periodOut) agreementRows,
	progress func(done, total int)) ([]agreementRows, error) {
	outs := make([]agreementRows, len(ix.agrIDs))
	errs := make([]error, len(ix.agrIDs))
	var done, next atomic.Int64
	var wg sync.WaitGroup
	// Each worker takes the next agreement itself (no goroutine handing
	// them out over a channel: that was a third goroutine on two cores,
	// woken for every agreement).
	for range min(runtime.GOMAXPROCS(0), max(1, len(outs))) {
		wg.Go(func() {
			scratch := &chainScratch{}
			for {
				i := int(next.Add(1)) - 1
				if i >= len(outs) {
					return
				}
				out, err := newChain(ix, ix.perAgr[ix.agrIDs[i]], scratch).run(h, p, asOf)
				if errs[i] = err; err == nil {
					outs[i] = rows(i, out)
				}
				if progress != nil {
					progress(int(done.Add(1)), len(outs))
				}
			}
		})
	}
	wg.Wait()
	return outs, collectErrors(errs)
}

// collectErrors returns every input problem as one sorted ErrorList, or the
// first other error.
func collectErrors(errs []error) error {
	var list ErrorList
	for _, err := range errs {
		if err == nil {
			continue
		}
		var ie *InputError
		if !errors.As(err, &ie) {
			return err
		}
		list.Add(ie)
	}
	list.Sort()
	return list.Err()
}

// agreementRows are one agreement's rows of the Result, in the order
// assemble adds them.
type agreementRows struct {
	lines      []Line
	adjust     []Adjustment
	breaches   []BreachStatus
	deductions []Deduction
	warnings   []Warning
	outside    []Adjustment
	claims     []Claim
}

// agreementRowsOf turns agreement id's outcome for r's period into its
// rows; it only reads r (period, as-of, policy), so the chains' workers
// call it side by side.
func agreementRowsOf(ix *index, r *Result, id string, out *periodOut) agreementRows {
	var rows agreementRows
	ag := ix.perAgr[id].display(r.AsOf)
	rows.lines = buildLines(r.Period, ag, out)
	for _, a := range out.adjust {
		a.Bydel = ag.Bydel
		rows.adjust = append(rows.adjust, a)
	}
	for _, b := range out.breaches {
		b.Bydel = ag.Bydel
		rows.breaches = append(rows.breaches, b)
	}
	rows.deductions = deductions(ag, out.month)
	rows.warnings = append(rows.warnings, out.month.warnings...)
	rows.warnings = append(rows.warnings, ix.countWarnings(ag, out.month)...)
	for _, e := range out.unpaid {
		rows.warnings = append(rows.warnings, Warning{Code: WUnpaidMonth, AgreementID: ag.ID, Msg: fmt.Sprintf(
			"%s er ikke utbetalt: listetelling eller sats for %s mangler fortsatt (betales som korreksjon når den kommer)", e, e.First())})
	}
	unrecovered(&rows, r.Policy.RetroWindowMonths, ag, out)
	return rows
}

// assemble adds the agreements' rows to the Result, in agreement order,
// then the orphan lists' warnings, and makes what spans agreements:
// payments, rates, the total. It reads only ix's payees and rates.
func assemble(ix *index, r *Result, parts []agreementRows, orphans []Warning) error {
	sizeRows(r, parts)
	for i := range parts {
		p := &parts[i]
		r.Lines = append(r.Lines, p.lines...)
		r.Adjustments = append(r.Adjustments, p.adjust...)
		r.Breaches = append(r.Breaches, p.breaches...)
		r.Deductions = append(r.Deductions, p.deductions...)
		r.Warnings = append(r.Warnings, p.warnings...)
		r.OutsideWindow = append(r.OutsideWindow, p.outside...)
		r.Claims = append(r.Claims, p.claims...)
		*p = agreementRows{} // copied: garbage from here on
	}
	r.Warnings = append(r.Warnings, orphans...)
	sortResult(r)
	r.Rates = ix.ratesInForce(r.Period, r.AsOf)
	payments, err := buildPayments(ix, r)
	if err != nil {
		return err
	}
	r.Payments = payments
	r.Total = decimal.Zero
	for _, l := range r.Lines {
		r.Total = r.Total.Add(l.Net)
	}
	return nil
}

// sizeRows makes r's row lists to the size of all parts' rows: appended
// one agreement at a time they would grow by a quarter each time, and the
// outgrown arrays (three times the lines' final size) are garbage the run's
// heap has to hold until the next collection.
func sizeRows(r *Result, parts []agreementRows) {
	var lines, adjust, breaches, deductions, warnings, outside, claims int
	for i := range parts {
		p := &parts[i]
		lines += len(p.lines)
		adjust += len(p.adjust)
		breaches += len(p.breaches)
		deductions += len(p.deductions)
		warnings += len(p.warnings)
		outside += len(p.outside)
		claims += len(p.claims)
	}
	r.Lines = sized[Line](lines)
	r.Adjustments = sized[Adjustment](adjust)
	r.Breaches = sized[BreachStatus](breaches)
	r.Deductions = sized[Deduction](deductions)
	r.Warnings = sized[Warning](warnings)
	r.OutsideWindow = sized[Adjustment](outside)
	r.Claims = sized[Claim](claims)
}

// sized is an empty list with room for n rows; nil for none, as appending
// nothing leaves it (a Result's empty lists stay nil).
func sized[T any](n int) []T {
	if n == 0 {
		return nil
	}
	return make([]T, 0, n)
}

// unrecovered adds what the run does not pay or recover automatically
// (RULEBOOK §6 "Nothing is lost silently"): corrections older than the
// retro window (W-OUTSIDE-WINDOW) and overpayments claimed back from their
// payee (W-CLAIM), each also a warning naming its amount.
func unrecovered(r *agreementRows, retroWindowMonths int, ag *Agreement, out *periodOut) {
	for _, a := range out.outside {
		a.Bydel = ag.Bydel
		r.outside = append(r.outside, a)
		r.warnings = append(r.warnings, Warning{Code: WOutsideWindow, AgreementID: ag.ID, Msg: fmt.Sprintf(
			"korreksjon av %s for %s/%s på %s kr (%s) er eldre enn %d måneder og utbetales ikke automatisk: til manuell behandling",
			a.RefPeriod, a.Role, a.PayeeID, nb.Money(a.Amount), a.Reason, retroWindowMonths)})
	}
	for _, cl := range out.claims {
		cl.Bydel = ag.Bydel
		r.claims = append(r.claims, cl)
		r.warnings = append(r.warnings, Warning{Code: WClaim, AgreementID: ag.ID, Msg: fmt.Sprintf(
			"tilbakebetalingskrav mot %s (%s): %s kr overbetalt fra %s kan ikke trekkes i senere utbetalinger (%s)",
			cl.PayeeID, cl.Role, nb.Money(cl.Amount), cl.OriginPeriod, nb.ClaimCauseName(cl.Cause))})
	}
}

// buildLines makes the rows of lines.csv for one agreement.
func buildLines(p Period, ag *Agreement, out *periodOut) []Line {
	m := out.month
	var lines []Line
	for lk, acc := range out.lines {
		var d lineDecs
		l := Line{Period: p, AgreementID: ag.ID, HPR: ag.HPR, Name: ag.Name, Bydel: ag.Bydel, Scheme: ag.Scheme,
			Role: lk.role, PayeeID: lk.payee, ListID: ag.ListID, SharePercent: ag.SharePercent,
			Members: decimal.Zero, AnnualAmount: decimal.Zero,
			Base: zero, AbsenceDeduction: zero, VikarAmount: zero,
			Entitlement: d.of(acc.entitlement), Withheld: d.of(acc.withheld), Released: d.of(acc.released),
			Adjustments: d.of(acc.adjustments), CarriedIn: d.of(acc.carriedIn), Net: d.of(acc.net), CarriedOut: d.of(acc.carriedOut),
			Claimed: d.of(acc.claimed)}
		rules := map[string]bool{}
		if m.hasLine() && acc.ofMonth {
			l.Members, l.AnnualAmount = m.basis.members, m.basis.annual()
			if m.basis.count != nil {
				l.Count = m.basis.count.Count
			}
			l.ActiveDays = m.activeDays
			fillRoleDays(&l, m, acc, rules, &d)
		}
		addAmountRules(&l, rules)
		l.Rules = sortedKeys(rules)
		lines = append(lines, l)
	}
	return lines
}

// lineDecs makes a line's amounts into decimals, one decimal for equal
// amounts: a line's entitlement, net and base are mostly one amount, and
// each decimal holds a big.Int of its own (decimals are never changed in
// place, so one value can stand for several, as zeroOre does for 0).
type lineDecs struct {
	n   int
	ore [4]Ore
	dec [4]decimal.Decimal
}

// of is o as a decimal (Ore.Dec), the one made before for the same amount.
func (d *lineDecs) of(o Ore) decimal.Decimal {
	if o == 0 {
		return zeroOre
	}
	for i := range d.n {
		if d.ore[i] == o {
			return d.dec[i]
		}
	}
	v := o.Dec()
	if d.n < len(d.ore) {
		d.ore[d.n], d.dec[d.n] = o, v
		d.n++
	}
	return v
}

// fillRoleDays sets the day counts and, on the holder row, the base,
// deduction and vikar total.
func fillRoleDays(l *Line, m *monthCalc, acc *lineAcc, rules map[string]bool, d *lineDecs) {
	switch l.Role {
	case RoleHolder:
		if l.PayeeID != m.holder {
			// An earlier payee of a month whose payee changed (payee_from):
			// its paid days and their value only (RULEBOOK §6).
			l.PaidDays = acc.days
			return
		}
		l.PaidDays, l.UnpaidDays, l.VikarDays = m.paidDays, m.unpaidDays, m.vikarDays
		if len(m.segs) > 1 {
			l.PaidDays = acc.days
		}
		l.Base, l.AbsenceDeduction, l.VikarAmount = d.of(m.base), d.of(m.deduction), d.of(m.vikarTotal)
		for _, r := range m.rules {
			rules[r] = true
		}
	case RoleVikar:
		l.VikarDays = acc.days
		rules[RVikar] = true
	case RoleTakeover:
		l.PaidDays = acc.days
		rules[RTakeover] = true
	}
}

func addAmountRules(l *Line, rules map[string]bool) {
	if !l.Withheld.IsZero() {
		rules[RWithhold] = true
	}
	if !l.Released.IsZero() {
		rules[RRelease] = true
	}
	if !l.Adjustments.IsZero() {
		rules[RAdjust] = true
	}
	if !l.CarriedIn.IsZero() || !l.CarriedOut.IsZero() {
		rules[RCarry] = true
	}
	if l.Role == RoleVikar {
		rules[RVikar] = true
	}
	if l.Role == RoleTakeover {
		rules[RTakeover] = true
	}
}

// deductions lists, per absence rule, the unpaid days and the days paid to
// a vikar, each valued V(days) for review.
func deductions(ag *Agreement, m *monthCalc) []Deduction {
	if !m.hasLine() {
		return nil
	}
	annual, share, dp := m.basis.annual(), ag.SharePercent, m.period.Days()
	var out []Deduction
	for _, u := range m.unpaidByRule() {
		out = append(out, Deduction{AgreementID: ag.ID, Bydel: ag.Bydel, Rule: u.rule, Kind: u.kind,
			Status: StatusUnpaid, Days: u.days, Amount: V(annual, share, u.days, dp)})
	}
	if m.vikarDays > 0 {
		out = append(out, Deduction{AgreementID: ag.ID, Bydel: ag.Bydel, Rule: RVikar, Kind: m.vikarKind,
			Status: StatusToVikar, Days: m.vikarDays, Amount: m.vikarTotal.Dec()})
	}
	return out
}

// countWarnings are the §8 count controls: above the list ceiling, or
// above 2500 on a shared list (§10.7). They never block payment.
func (ix *index) countWarnings(ag *Agreement, m *monthCalc) []Warning {
	if !m.hasLine() || m.basis.count == nil {
		return nil
	}
	var w []Warning
	n := m.basis.count.Count
	if ag.ListCeiling > 0 && n > ag.ListCeiling {
		w = append(w, Warning{Code: WCeiling, AgreementID: ag.ID,
			Msg: fmt.Sprintf("liste %s har %d innbyggere, over listetaket %d (utbetalt etter telling)", ag.ListID, n, ag.ListCeiling)})
	}
	shared := !ag.SharePercent.Equal(dec100) || len(ix.listHolders[ag.ListID]) > 1
	if shared && n > ix.pol.SharedListWarnCount {
		w = append(w, Warning{Code: WShared, AgreementID: ag.ID,
			Msg: fmt.Sprintf("deleliste %s har %d innbyggere, over %d (§10.7)", ag.ListID, n, ix.pol.SharedListWarnCount)})
	}
	return w
}

// ratesInForce lists the rate tiers in force for p at asOf, per scheme.
func (ix *index) ratesInForce(p Period, asOf Date) []Rate {
	var out []Rate
	for _, s := range []Scheme{SchemeFastlege, SchemeFysio} {
		for _, t := range ix.rateTable(s, p.First(), asOf) {
			out = append(out, *t)
		}
	}
	return out
}

// buildPayments sums the nets of each payee into one transfer (DESIGN.md:
// amounts of the same payee summed; no transfer for 0), and adds the
// warnings about its texts in the bank file (W-BANK-TEXT).
func buildPayments(ix *index, r *Result) ([]Payment, error) {
	type agg struct {
		amount  decimal.Decimal
		facts   remitFacts
		bydeler []string // distinct, sorted at the end: a payee's lines are in one or a few
		agrID   string
	}
	by := map[string]*agg{}
	for i := range r.Lines {
		l := &r.Lines[i]
		a := by[l.PayeeID]
		if a == nil {
			a = &agg{facts: remitFacts{schemes: map[Scheme]bool{}}, agrID: l.AgreementID}
			by[l.PayeeID] = a
		}
		a.amount = a.amount.Add(l.Net)
		a.facts.addLine(l)
		if l.Bydel != "" && !slices.Contains(a.bydeler, l.Bydel) {
			a.bydeler = append(a.bydeler, l.Bydel)
		}
	}
	for _, adj := range r.Adjustments {
		if a := by[adj.PayeeID]; a != nil && !adj.Amount.IsZero() {
			if a.facts.adjusted == nil { // made for the few payees with a correction
				a.facts.adjusted = map[Period]bool{}
			}
			a.facts.adjusted[adj.RefPeriod] = true
		}
	}
	positive := 0 // the transfers, counted so that out is made once, to size
	for _, a := range by {
		if a.amount.Sign() > 0 {
			positive++
		}
	}
	out := sized[Payment](positive)
	var problems ErrorList
	for _, id := range sortedKeys(by) {
		a := by[id]
		if a.amount.Sign() <= 0 {
			continue
		}
		pe := ix.payee(id, r.AsOf)
		if pe == nil {
			problems.Add(Problemf(ErrInvalidInput, "payee %s (agreement %s) is not known as of %s: add it to payees",
				id, a.agrID, r.AsOf).At(InputError{File: "payees", Column: "payee_id", Value: id}))
			continue
		}
		pay := Payment{PayeeID: id, Name: pe.Name, Account: pe.Account, OrgNr: pe.OrgNr, Address: pe.Address,
			Amount: a.amount, EndToEndID: EndToEndID(r.Period, id), Remittance: remittance(r.Period, id, &a.facts),
			Bydeler: sortedStrings(a.bydeler)}
		out = append(out, pay)
		r.Warnings = append(r.Warnings, bankTextWarnings(&pay, a.agrID)...)
	}
	sortWarnings(r.Warnings)
	return out, problems.Err()
}

// sortedStrings sorts ss in place and returns it, never nil (as
// sortedKeys of a set: a payment's Bydeler is an empty list, not none).
func sortedStrings(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	slices.Sort(ss)
	return ss
}

// EndToEndID is the payment's deterministic end-to-end id (at most 35
// characters, ISO 20022): period and payee, hashed when too long.
func EndToEndID(p Period, payeeID string) string {
	id := "BT" + strings.ReplaceAll(p.String(), "-", "") + "-" + payeeID
	if len(id) <= 35 && isPlainID(payeeID) {
		return id
	}
	sum := sha256.Sum256([]byte(payeeID))
	return "BT" + strings.ReplaceAll(p.String(), "-", "") + "-" + hex.EncodeToString(sum[:])[:26]
}

func isPlainID(s string) bool {
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// sortResult orders every row list (FORMATS.md: lines by bydel,
// agreement_id, role, payee_id).
func sortResult(r *Result) {
	slices.SortFunc(r.Lines, func(a, b Line) int {
		return cmp.Or(strings.Compare(a.Bydel, b.Bydel), strings.Compare(a.AgreementID, b.AgreementID),
			strings.Compare(string(a.Role), string(b.Role)), strings.Compare(a.PayeeID, b.PayeeID))
	})
	slices.SortStableFunc(r.Adjustments, func(a, b Adjustment) int {
		return cmp.Or(strings.Compare(a.AgreementID, b.AgreementID), strings.Compare(string(a.Role), string(b.Role)),
			strings.Compare(a.PayeeID, b.PayeeID), cmp.Compare(a.RefPeriod, b.RefPeriod))
	})
	byLineRef := func(a, b Adjustment) int {
		return cmp.Or(strings.Compare(a.AgreementID, b.AgreementID), strings.Compare(string(a.Role), string(b.Role)),
			strings.Compare(a.PayeeID, b.PayeeID), cmp.Compare(a.RefPeriod, b.RefPeriod))
	}
	slices.SortStableFunc(r.OutsideWindow, byLineRef)
	slices.SortStableFunc(r.Claims, func(a, b Claim) int {
		return cmp.Or(strings.Compare(a.AgreementID, b.AgreementID), strings.Compare(string(a.Role), string(b.Role)),
			strings.Compare(a.PayeeID, b.PayeeID))
	})
	slices.SortStableFunc(r.Breaches, func(a, b BreachStatus) int { return strings.Compare(a.BreachID, b.BreachID) })
	slices.SortStableFunc(r.Deductions, func(a, b Deduction) int {
		return cmp.Or(strings.Compare(a.Bydel, b.Bydel), strings.Compare(a.AgreementID, b.AgreementID), strings.Compare(a.Rule, b.Rule))
	})
	sortWarnings(r.Warnings)
}

func sortWarnings(ws []Warning) {
	slices.SortStableFunc(ws, func(a, b Warning) int {
		return cmp.Or(strings.Compare(a.AgreementID, b.AgreementID), strings.Compare(a.Code, b.Code), strings.Compare(a.Msg, b.Msg))
	})
}
