package payout

import "slices"

// The history chain, RULEBOOK §6: a run for P computes every period E from
// the history start to P in order, each as its own run saw it (A_E), so the
// balances that cross months — withheld (§15.1) and carried overpayments
// (R-CARRY) — are recomputed from the inputs and never read from storage.
// Each agreement's chain is independent of every other agreement's.

type yearKey struct {
	y int
	s snapshot
}

// lineKey is a line of lines.csv within one agreement: role and payee.
type lineKey struct {
	role  Role
	payee string
}

// lineAcc accumulates one line's amounts in one period.
type lineAcc struct {
	entitlement, withheld, released, adjustments, carriedIn, net, carriedOut Ore
	claimed                                                                  Ore // a carry turned into a claim (R-CARRY)
	days                                                                     int
	// ofMonth marks the line that carries the period's own amounts (its
	// base, days and deduction); other lines of the same role carry only
	// corrections, releases or carried amounts.
	ofMonth bool
}

// chain walks one agreement through the history.
type chain struct {
	ix *index
	a  *agrInputs
	// state carried from one period to the next
	carried  map[lineKey]Ore
	origin   map[lineKey]Period // the period each carried overpayment arose in
	balances map[string]Ore     // breach_id → withheld, not released (made when needed)
	// The index's entries for the agreement's lists and schemes, looked up
	// once (resolve): a chain asks for them for every month.
	lists      []countGroups // the count versions of each of a.lists, by as_of
	lateCounts [][]Date      // index.listRecorded of each of a.lists
	rateIdx    []*rateIndex  // the rate index of each of a.schemes (nil: none)
	depends    []Date        // see recordedIn
	lastActive struct {      // see lastActiveDay
		ag   *Agreement
		day  Date
		rule string
	}
	// vikarOrTakeover: some version of a record is a takeover or an absence
	// covered by a municipal vikar (see checkYear)
	vikarOrTakeover bool
	quietRun        quietState // see validateQuiet
	trace           bool       // keep each month's days for explain
	period          Period     // the run's period P
	// memos (months, years, yearDates, absences) and scratch (chainmemo.go)
	*chainScratch
}

// periodOut is one agreement's outcome in one period.
type periodOut struct {
	period   Period
	asOf     Date
	month    *monthCalc
	lines    map[lineKey]*lineAcc
	adjust   []Adjustment
	outside  []Adjustment // corrections older than the retro window, not paid (W-OUTSIDE-WINDOW)
	claims   []Claim      // carried overpayments that can no longer be recovered
	unpaid   []Period     // window months still unknown at the run's as-of
	breaches []BreachStatus
	// shared: the earlier steps' outcome, whose lines come from accs
	// (newOut).
	shared bool
	accs   []lineAcc
}

// newOut is the outcome of step e. Only the run's own period's outcome
// leaves the chain; an earlier step's counts only through the state it
// leaves behind (carried, origin, balances: values, not its lines), so the
// earlier steps share one outcome (the worker's, see chainScratch) and its
// room for lines, cleared for each step.
func (c *chain) newOut(e Period, a Date, m *monthCalc) *periodOut {
	if e == c.period {
		return &periodOut{period: e, asOf: a, month: m, lines: map[lineKey]*lineAcc{}}
	}
	h := &c.history
	lines, accs := h.lines, h.accs[:0]
	if lines == nil {
		lines = map[lineKey]*lineAcc{}
	}
	clear(lines)
	*h = periodOut{period: e, asOf: a, month: m, lines: lines, shared: true, accs: accs}
	return h
}

// line returns line lk of o, adding it if new.
func (o *periodOut) line(lk lineKey) *lineAcc {
	acc := o.lines[lk]
	if acc == nil {
		acc = o.newAcc()
		o.lines[lk] = acc
	}
	return acc
}

// newAcc is a zero line: from the shared outcome's room (see newOut), else
// allocated.
func (o *periodOut) newAcc() *lineAcc {
	if !o.shared {
		return &lineAcc{}
	}
	if len(o.accs) == cap(o.accs) {
		// A full room: a larger one (the lines handed out keep the old).
		o.accs = make([]lineAcc, 0, max(4, 2*cap(o.accs)))
	}
	o.accs = append(o.accs, lineAcc{})
	return &o.accs[len(o.accs)-1]
}

// newChain is agreement a's chain, with s's memos and buffers (see
// chainScratch; nil: its own).
func newChain(ix *index, a *agrInputs, s *chainScratch) *chain {
	if s == nil {
		s = &chainScratch{}
	}
	s.reset()
	c := &chain{ix: ix, a: a, chainScratch: s}
	c.resolve()
	return c
}

// resolve looks up the index's entries for the agreement's lists and
// schemes, into the scratch's arrays (the chain's while it runs).
func (c *chain) resolve() {
	c.lists, c.lateCounts, c.rateIdx = c.listsBuf[:0], c.lateBuf[:0], c.rateBuf[:0]
	for _, l := range c.a.lists {
		c.lists = append(c.lists, c.ix.byList[l])
		c.lateCounts = append(c.lateCounts, c.ix.listRecorded[l])
	}
	for _, sc := range c.a.schemes {
		c.rateIdx = append(c.rateIdx, c.ix.rates[sc])
	}
	c.depends = c.dependsOn(c.dependsBuf[:0])
	c.dependsBuf = c.depends
	c.vikarOrTakeover = c.a.takeovers.len() > 0
	for _, v := range c.a.absences.versions() {
		c.vikarOrTakeover = c.vikarOrTakeover || v.Cover == CoverMunicipalVikar
	}
	c.listsBuf, c.lateBuf, c.rateBuf = c.lists, c.lateCounts, c.rateIdx
}

// dependsOn appends to ds the dates recordedIn looks at, sorted: the
// agreement's changes, its lists' late counts and its schemes' rates
// recorded after Beginning (an as-of date is never before it). A chain asks
// once per month; one search of one array is cheaper than one per kind.
func (c *chain) dependsOn(ds []Date) []Date {
	ds = append(ds, c.a.changes...)
	for _, late := range c.lateCounts {
		ds = append(ds, late...)
	}
	for _, ri := range c.rateIdx {
		if ri != nil {
			for _, d := range ri.recorded {
				if d > Beginning {
					ds = append(ds, d)
				}
			}
		}
	}
	slices.Sort(ds)
	return ds
}

// rateIndexOf is the rate index of scheme s (nil: no rates).
func (c *chain) rateIndexOf(s Scheme) *rateIndex {
	for i, sc := range c.a.schemes {
		if sc == s {
			return c.rateIdx[i]
		}
	}
	return c.ix.rates[s]
}

// countsOf is index.byList[list], from the chain's lists.
func (c *chain) countsOf(list string) countGroups {
	for i, l := range c.a.lists {
		if l == list {
			return c.lists[i]
		}
	}
	return c.ix.byList[list]
}

// listCount is index.listCount from the chain's lists.
func (c *chain) listCount(list string, day, asOf Date) *ListCount {
	return countVersions(c.countsOf(list), day).inForce(asOf)
}

// lastActiveDay is index.lastActiveDay, remembered for the version asked
// last (R-16-AGE70's birthday arithmetic would otherwise run for every
// month built).
func (c *chain) lastActiveDay(ag *Agreement) (Date, string) {
	if l := &c.lastActive; l.ag != ag {
		l.ag = ag
		l.day, l.rule = c.ix.lastActiveDay(ag)
	}
	return c.lastActive.day, c.lastActive.rule
}

// agreementAt is index.agreement of the chain's agreement (a.versions are
// index.agreements[a.id]).
func (c *chain) agreementAt(asOf Date) *Agreement { return inForce(c.a.versions, asOf) }

// classifiedYear caches classifyYear per year and snapshot.
func (c *chain) classifiedYear(ag *Agreement, year int, asOf Date) (*yearClass, error) {
	k := yearKey{year, snapshot{agr: countAtOrBefore(c.yearChanges(year), asOf)}}
	if y, ok := c.years[k]; ok {
		return y, nil
	}
	recs, err := c.absencesAt(ag, asOf)
	if err != nil {
		return nil, err
	}
	y, err := c.ix.classifyYear(c.a, ag, recs, year, asOf, c.trace, &c.yearRooms)
	if err != nil {
		return nil, err
	}
	c.years[k] = y
	return y, nil
}

// run computes the periods h … p and returns p's outcome.
func (c *chain) run(h, p Period, asOfFor func(Period) Date) (*periodOut, error) {
	c.period = p
	var out *periodOut
	prev := NoDate
	for e := h; e <= p; e++ {
		a := asOfFor(e)
		if e < p && c.quiet(e, prev, a) {
			if err := c.validateQuiet(e, a); err != nil {
				return nil, err
			}
			prev = a
			continue
		}
		c.quietRun = quietState{} // what it saw may change from here
		var err error
		out, err = c.step(e, a, prev, h)
		if err != nil {
			return nil, err
		}
		prev = a
	}
	out.unpaid = c.unpaidMonths(h, p, prev)
	return out, nil
}

// unpaidMonths lists the months of the retro window that are still unpaid
// at a because their count or rate is not known: a warning for the run,
// since R-ADJ pays them once the input arrives.
func (c *chain) unpaidMonths(h, p Period, a Date) []Period {
	ag := c.agreementAt(a)
	if ag == nil {
		return nil
	}
	var out []Period
	last, _ := c.lastActiveDay(ag)
	for e := max(h, p-Period(c.ix.pol.RetroWindowMonths)); e < p; e++ {
		if !c.ix.activeUntil(ag, last, e) {
			continue
		}
		// countMissing (R-8.4: fastlege only), from the chain's lists
		missing := ag.Scheme == SchemeFastlege && c.listCount(ag.ListID, e.First(), a) == nil
		if missing || c.rateTable(ag.Scheme, e.First(), a) == nil {
			out = append(out, e)
		}
	}
	return out
}

// step computes period e at as-of a; prev is A_{e−1} (NoDate at the start).
func (c *chain) step(e Period, a, prev Date, h Period) (*periodOut, error) {
	cur, err := c.computeMonth(e, a)
	if err != nil {
		return nil, err
	}
	out := c.newOut(e, a, cur)
	if cur.hasLine() {
		for _, p := range cur.parties {
			acc, err := c.acc(out, p.key, a)
			if err != nil {
				return nil, err
			}
			acc.entitlement += p.amount
			acc.days += p.days
			acc.ofMonth = true
		}
	}
	if err := c.adjustments(out, h, prev); err != nil {
		return nil, err
	}
	if err := c.withholding(out); err != nil {
		return nil, err
	}
	c.carry(out)
	return out, nil
}

// quiet reports whether step e (as-of a, after prev) provably changes
// nothing that crosses months, so the chain may pass it by: nothing is
// carried, the agreement has no breach, nothing it depends on was recorded
// in (prev, a] (so R-ADJ has nothing to pay), and no vikar or takeover
// record touches e (so each role's amount is a V() of its own days and the
// holder's entitlement cannot round below zero). Such a month pays exactly
// its own entitlement and leaves the state as it was; it is computed only
// if a later correction needs it. This is what makes a ten-year history
// cost in proportion to its changes, not its length.
func (c *chain) quiet(e Period, prev, a Date) bool {
	if len(c.carried) > 0 || c.a.breaches.len() > 0 || c.a.multiParty[e] {
		return false
	}
	return prev == NoDate || !c.recordedIn(min(prev, a), max(prev, a))
}

// validateQuiet applies to a month passed by the invalid-input rules its
// own run would have applied: the extension limit and the rules of its
// year.
func (c *chain) validateQuiet(e Period, a Date) error {
	q := &c.quietRun
	if !q.known {
		ag := c.agreementAt(a)
		if ag != nil {
			if err := checkAgreement(ag); err != nil {
				return err
			}
		}
		*q = quietState{known: true, ag: ag}
		if ag != nil {
			q.last, _ = c.lastActiveDay(ag)
		}
	}
	if q.ag == nil || !c.ix.activeUntil(q.ag, q.last, e) {
		return nil // no active day: no line, nothing to check
	}
	if q.year == e.Year() {
		return nil // its year was checked without a problem in this run
	}
	// A missing count or rate is no error here: the month counts as 0
	// until it is known (computeMonth).
	if err := c.checkYear(q.ag, e.Year(), a); err != nil {
		return err
	}
	q.year = e.Year()
	return nil
}

// checkYear applies the invalid-input rules of year's classification at
// asOf. Beyond those of the absences in force (absencesAt: overlaps,
// outside the agreement, R-13.5-PARENTAL's length), classifyYear refuses
// only R-14's municipal vikar among the year's first absence days and
// R-7.7's takeover shares; an agreement with no takeover and no absence
// covered by a municipal vikar, in any version, cannot meet those, so its
// year need not be classified to be checked.
func (c *chain) checkYear(ag *Agreement, year int, asOf Date) error {
	if c.vikarOrTakeover {
		_, err := c.classifiedYear(ag, year, asOf)
		return err
	}
	_, err := c.absencesAt(ag, asOf)
	return err
}

// quietState is what validateQuiet found for a run of quiet months, in
// which no date the agreement depends on lies between one month's as-of
// date and the next's (chain.quiet: a.changes holds the dates of every
// version its classification and version in force are read from), so the
// version in force, its checks and the classification of a year stay what
// they were for the first month of the run. Any other step ends the run.
type quietState struct {
	known bool
	ag    *Agreement // the version in force (nil: none)
	last  Date       // its lastActiveDay
	year  int        // a year classified without a problem (0: none yet)
}

// acc returns the line of party k in out, resolving the payee at a.
func (c *chain) acc(out *periodOut, k partyKey, a Date) (*lineAcc, error) {
	payee, err := c.payeeOf(k, out.period, a)
	if err != nil {
		return nil, err
	}
	return out.line(lineKey{k.role, payee}), nil
}

// payeeOf resolves who is paid for party k's amounts of period e as seen at
// a. A holder party is already its payee: the payee of its days (RULEBOOK
// §6, payee_from), so a correction of e belongs to whoever held e's days; a
// vikar party is the vikar. A takeover is paid to the payee agreement's
// payee on e's last day (R-7.7 "payee = the payee of payee_agreement_id").
func (c *chain) payeeOf(k partyKey, e Period, a Date) (string, error) {
	if k.role != RoleTakeover {
		return k.party, nil
	}
	if c.ix.agreement(k.party, a) == nil {
		return "", c.unknownTakeoverPayee(k.party, a)
	}
	return c.ix.perAgr[k.party].holderPayee(e.Last(), a), nil
}

// mainHolder is the holder payee of out's period that is withheld from and
// receives releases (§4): the one whose line carries the month's base, or,
// in a month without active days, the payee on its last day.
func (c *chain) mainHolder(out *periodOut) string {
	if out.month.hasLine() {
		return out.month.holder
	}
	return c.a.holderPayee(out.period.Last(), out.asOf)
}

// displayAgreement is agrInputs.display for the chain's agreement.
func (c *chain) displayAgreement(a Date) *Agreement { return c.a.display(a) }

// carry is R-CARRY: net_raw = entitlement − withheld + released +
// adjustments + carried_in; net = max(0, net_raw); carried_out = min(0,
// net_raw), the next period's carried_in for the same line — unless the
// overpayment can no longer be recovered, when it becomes a claim.
//
// When a carry becomes a claim (RULEBOOK §6 "Nothing is lost silently"): an
// overpayment is recovered only from the same line's own later amounts, so
// it is claimed from the payee (tilbakebetalingskrav) in the first period,
// from the one it arises in on, in which its line (agreement, role, payee)
// has no amount of its own: the agreement has no active day in that period
// as seen at its as-of date (it ended or was cancelled: the first period
// after its last active day), or the line's payee is paid for no day of it
// (a new payee from payee_from, a vikar who no longer covers, a takeover
// that ended). An earlier month whose count or rate is not known yet
// (W-UNPAID-MONTH) decides nothing: it carries on. A claim is final: it
// leaves the chain and is never set off against later money.
func (c *chain) carry(out *periodOut) {
	for lk, cin := range c.carried {
		out.line(lk).carriedIn = cin
	}
	var next map[lineKey]Ore
	var origin map[lineKey]Period
	for lk, acc := range out.lines {
		raw := acc.entitlement - acc.withheld + acc.released + acc.adjustments + acc.carriedIn
		if raw >= 0 {
			acc.net, acc.carriedOut = raw, 0
			continue
		}
		from := out.period
		if o, ok := c.origin[lk]; ok && acc.carriedIn < 0 {
			from = o
		}
		acc.net = 0
		if cause := unrecoverable(out.month, acc); cause != "" {
			acc.carriedOut, acc.claimed = 0, -raw
			out.claims = append(out.claims, Claim{Period: out.period, AgreementID: c.a.id, Role: lk.role, PayeeID: lk.payee,
				Amount: (-raw).Dec(), OriginPeriod: from, Cause: cause})
			continue
		}
		if next == nil {
			next, origin = map[lineKey]Ore{}, map[lineKey]Period{}
		}
		acc.carriedOut = raw // R-CARRY: an overpayment carried to later months
		next[lk], origin[lk] = raw, from
	}
	c.carried, c.origin = next, origin
}

// unrecoverable says why a line's overpayment can no longer be recovered
// from later months ("" when it can): see carry.
func unrecoverable(m *monthCalc, acc *lineAcc) ClaimCause {
	switch {
	case m.unknown || acc.ofMonth:
		return ""
	case !m.hasLine():
		return ClaimAgreementEnded
	}
	return ClaimPayeeNotPaid
}
