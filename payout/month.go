package payout

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// One agreement's amounts for one period as seen at one as-of date:
// base, absence deduction (R-13.x), vikar amounts and
// takeover amounts. Withholding, adjustments and carry come later in
// the chain (chain.go), because they depend on earlier periods' runs.

// partyKey identifies a line within an agreement: the holder by the payee
// of its days (payee.go), a vikar by payee_id, a takeover by payee
// agreement.
type partyKey struct {
	role  Role
	party string
}

// partyAmount is one party's amount and days in the period.
type partyAmount struct {
	amount Ore
	days   int
}

// monthCalc is the result of one agreement, period and as-of date.
type monthCalc struct {
	period Period
	asOf   Date
	ag     *Agreement // nil: no version in force; no line
	// unknown: an earlier month whose list count or rate was not known at
	// asOf; it has no line and counts as 0 (see computeMonth).
	unknown bool
	basis   *annualBasis
	// Rooms for basis, parties and rules: one allocation per month for
	// what almost every month needs.
	basisBuf annualBasis
	partyBuf [2]partyEntry
	ruleBuf  [6]string
	days     []dayInfo // the period's days (status inactive when not active)

	activeDays, paidDays, unpaidDays, vikarDays, takeoverDays int

	base, deduction, vikarTotal, takeoverTotal, entitlement Ore

	parties   []partyEntry // sorted by role, party; a month has one to a few
	segs      []holderSeg  // the holder payees' runs of days (nil: one payee, m.ag's)
	holder    string       // the holder payee whose line carries base and deduction
	rules     []string     // holder rules, sorted
	unpaid    []ruleDays   // unpaid days per deciding rule, in order of first day (nil: none)
	unpaidBuf [2]ruleDays  // unpaid's room: a month has one or two such rules
	vikarKind AbsenceKind  // the kind of the first day paid to a vikar
	warnings  []Warning
}

// hasLine reports whether the period has any active day (RULEBOOK §2: an
// agreement with no active day gets no line).
func (m *monthCalc) hasLine() bool { return m.ag != nil && m.activeDays > 0 && !m.unknown }

// amount returns a party's amount (0 when absent).
func (m *monthCalc) amount(k partyKey) Ore {
	if pa := m.party(k); pa != nil {
		return pa.amount
	}
	return 0
}

// partyEntry is one party of a month.
type partyEntry struct {
	key partyKey
	partyAmount
}

// party returns the party's amount, or nil.
func (m *monthCalc) party(k partyKey) *partyAmount {
	for i := range m.parties {
		if m.parties[i].key == k {
			return &m.parties[i].partyAmount
		}
	}
	return nil
}

// addParty returns the party's amount, adding it in sort order if new.
func (m *monthCalc) addParty(k partyKey) *partyAmount {
	if pa := m.party(k); pa != nil {
		return pa
	}
	i := 0
	for i < len(m.parties) && partyLess(m.parties[i].key, k) {
		i++
	}
	if m.parties == nil {
		m.parties = m.partyBuf[:0]
	}
	m.parties = append(m.parties, partyEntry{})
	copy(m.parties[i+1:], m.parties[i:])
	m.parties[i] = partyEntry{key: k}
	return &m.parties[i].partyAmount
}

func partyLess(a, b partyKey) bool {
	if a.role != b.role {
		return a.role < b.role
	}
	return a.party < b.party
}

// computeMonth computes agreement a in period p as seen at asOf.
func (c *chain) computeMonth(p Period, asOf Date) (*monthCalc, error) {
	ix := c.ix
	m := c.newMonth(p, asOf)
	m.ag = c.agreementAt(asOf)
	if m.ag == nil {
		return m, nil
	}
	if err := checkAgreement(m.ag); err != nil {
		return nil, err
	}
	last, endRule := c.lastActiveDay(m.ag)
	active, cutRules := ix.activeDaysInto(c.activeBuf[:0], m.ag, last, endRule, p)
	c.activeBuf = active
	for _, ok := range active {
		if ok {
			m.activeDays++
		}
	}
	if m.activeDays == 0 {
		return m, nil
	}
	err := c.annualAmount(&m.basisBuf, m.ag, p, asOf)
	if err != nil && p < c.period && (errors.Is(err, ErrMissingListCount) || errors.Is(err, ErrMissingRate)) {
		// An earlier month whose count or rate was not yet known at this
		// as-of date was not paid then: it counts as 0 here and is paid by
		// R-ADJ in the first run that sees the count (policy reading, see
		// README). Only the run's own period stops on it.
		m.unknown = true
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	m.basis = &m.basisBuf
	basis := m.basis
	yc, err := c.classifiedYear(m.ag, p.Year(), asOf)
	if err != nil {
		return nil, err
	}
	rules := ruleSet(append(append(m.ruleBuf[:0], basis.rules...), cutRules...))
	if !m.ag.SharePercent.Equal(dec100) {
		rules.add(RShared) // R-10.7-SHARED: the agreement's share of a shared list
	}
	m.segs = c.holderSegs(m, active)
	takeoverWeight := c.tallyDays(m, active, yc, &rules)
	m.amounts(takeoverWeight)
	m.rules = rules // sorted when a line is built
	return m, nil
}

// newMonth is a zero month p at asOf, from the worker's room: an earlier
// period's is read only while the chain runs (the rows it gives R-ADJ hold
// copies), and the run's own period's, which leaves the chain
// (periodOut.month), is read by the rows made of it (runChains) before the
// worker's next chain resets the room; Explain's chain has a room of its
// own. (Allocated, the run's months were 8 MB of garbage made while the
// heap holds the inputs, issue 16.)
func (c *chain) newMonth(p Period, asOf Date) *monthCalc {
	m := c.monthRoom.new()
	m.period, m.asOf = p, asOf
	return m
}

// ruleSet is a small set of rule IDs (a month cites a handful).
type ruleSet []string

func (s *ruleSet) add(id string) {
	for _, x := range *s {
		if x == id {
			return
		}
	}
	*s = append(*s, id)
}

func (s ruleSet) sorted() []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// tallyDays counts the period's days from the classified year (keeping
// them only when explaining); it returns Σ days × share per takeover payee
// agreement.
func (c *chain) tallyDays(m *monthCalc, active []bool, yc *yearClass, rules *ruleSet) map[*Takeover]decimal.Decimal {
	first := m.period.First()
	if c.trace {
		m.days = make([]dayInfo, len(active))
	}
	var weight map[*Takeover]decimal.Decimal
	next := yc.find(first) // the next special day of the year
	split := len(m.segs) > 1
	for i, ok := range active {
		d := first + Date(i)
		at := next // yc.find(d): the days are walked in order
		if next < len(yc.special) && yc.special[next].d == d {
			next++
		} else if ok && m.days == nil && !split {
			m.paidDays++ // the common day: active, no absence, no takeover
			continue
		}
		info := yc.dayAt(at, d)
		if info.rule == RAbsenceIgnore {
			m.warnings = append(m.warnings, Warning{Code: WAbsenceInactive, AgreementID: m.ag.ID,
				Msg: fmt.Sprintf("fravær %s %s ligger etter avtalens opphør og er sett bort fra", info.abs.ID, d)})
		}
		if !ok {
			info = dayInfo{status: StatusInactive, rule: info.rule, abs: info.abs, note: info.note}
		} else if info.status == StatusInactive {
			// prorate_partial_months false pays the whole month to the
			// holder on the 1st, also the days past the agreement's end.
			info = dayInfo{status: StatusPaid, note: "betalt hele måneden (innehaver den 1.)"}
		}
		if m.days != nil {
			m.days[i] = info
		}
		if info.status == StatusTakeover && weight == nil {
			weight = map[*Takeover]decimal.Decimal{}
		}
		c.tallyDay(m, &info, weight, rules)
		if split && info.status == StatusPaid {
			m.segs[segOf(m.segs, d)].paid++
		}
	}
	return weight
}

func (c *chain) tallyDay(m *monthCalc, info *dayInfo, weight map[*Takeover]decimal.Decimal, rules *ruleSet) {
	switch info.status {
	case StatusPaid:
		m.paidDays++
		if info.abs != nil {
			rules.add(info.rule)
		}
	case StatusUnpaid:
		m.unpaidDays++
		m.addUnpaid(info.rule, info.abs.Kind)
		rules.add(info.rule)
	case StatusToVikar:
		m.vikarDays++
		rules.add(RVikar)
		m.addParty(partyKey{RoleVikar, info.abs.VikarPayeeID}).days++
		if m.vikarKind == 0 {
			m.vikarKind = info.abs.Kind
		}
	case StatusTakeover:
		m.takeoverDays++
		rules.add(RTakeover)
		for _, s := range info.shares {
			weight[s.rec] = weight[s.rec].Add(s.share)
			m.addParty(partyKey{RoleTakeover, s.rec.PayeeAgreementID}).days++
		}
	}
}

// ruleDays are a month's unpaid days of one deciding rule, and the kind of
// its first.
type ruleDays struct {
	rule string
	days int
	kind AbsenceKind
}

// addUnpaid counts an unpaid day decided by rule: a small list, not two
// maps per month (a month with an absence cites one or two rules).
func (m *monthCalc) addUnpaid(rule string, kind AbsenceKind) {
	for i := range m.unpaid {
		if m.unpaid[i].rule == rule {
			m.unpaid[i].days++
			return
		}
	}
	if m.unpaid == nil {
		m.unpaid = m.unpaidBuf[:0]
	}
	m.unpaid = append(m.unpaid, ruleDays{rule: rule, days: 1, kind: kind})
}

// unpaidByRule is unpaid sorted by rule.
func (m *monthCalc) unpaidByRule() []ruleDays {
	out := slices.Clone(m.unpaid)
	slices.SortFunc(out, func(a, b ruleDays) int { return strings.Compare(a.rule, b.rule) })
	return out
}

// amounts applies V(·), the deduction, the vikar amounts and
// the takeover amounts, each rounded once; the holder's entitlement
// is what remains, so the roles add up to base − deduction to the øre.
func (m *monthCalc) amounts(takeoverWeight map[*Takeover]decimal.Decimal) {
	b, share, dp := m.basis, m.ag.SharePercent, m.period.Days()
	shareFx, shareOK := fixedOf(share)
	v := func(days int) Ore { return b.vOre(share, shareFx, shareOK, days, dp) }
	m.base = v(m.activeDays)
	m.deduction = v(m.unpaidDays)
	m.vikarTotal, m.takeoverTotal = 0, 0
	for i := range m.parties {
		if pa := &m.parties[i].partyAmount; m.parties[i].key.role == RoleVikar {
			pa.amount = v(pa.days)
			m.vikarTotal += pa.amount
		}
	}
	// for each takeover record, round(annual × share × days ×
	// takeover_share ÷ (120000 × D(P))); a payee's line sums its records.
	var recs []*Takeover
	for t := range takeoverWeight {
		recs = append(recs, t)
	}
	if len(recs) > 1 {
		sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	}
	for _, t := range recs {
		amt := mulDivOre(b.annual(), share, takeoverWeight[t], 120000*int64(dp))
		pa := m.party(partyKey{RoleTakeover, t.PayeeAgreementID})
		pa.amount += amt
		m.takeoverTotal += amt
	}
	m.entitlement = m.base - m.deduction - m.vikarTotal - m.takeoverTotal
	m.splitHolder(v)
}

// splitHolder gives the holder's entitlement to the payees of its days
// (RULEBOOK §6, payee_from). With one payee it is that payee's. When the
// payee changes within the month, each payee but one gets V(its paid days),
// rounded once, and the last payee with a paid day (else the last) gets the
// rest, so the holder lines add up to the entitlement to the øre; that
// line carries the month's base and deduction.
func (m *monthCalc) splitHolder(v func(days int) Ore) {
	if len(m.segs) == 0 {
		m.holder = m.ag.PayeeID
	} else {
		m.holder = m.segs[len(m.segs)-1].payee
	}
	if len(m.segs) < 2 {
		*m.addParty(partyKey{RoleHolder, m.holder}) = partyAmount{amount: m.entitlement, days: m.paidDays}
		return
	}
	main := len(m.segs) - 1
	for main > 0 && m.segs[main].paid == 0 {
		main--
	}
	if m.segs[main].paid == 0 {
		main = len(m.segs) - 1
	}
	m.holder = m.segs[main].payee
	for _, sg := range m.segs { // paid days per payee, V() once per payee
		// A payee who holds days of the month but is paid for none of them
		// has no amount of its own in it (R-CARRY, W-CLAIM, RULEBOOK §6 "the line's
		// payee is no longer paid"): no party, so an overpayment of its line
		// is claimed now, not carried (chain.carry).
		if sg.paid > 0 || sg.payee == m.holder {
			m.addParty(partyKey{RoleHolder, sg.payee}).days += sg.paid
		}
	}
	rest := m.entitlement
	for i := range m.parties {
		if k := m.parties[i].key; k.role == RoleHolder && k.party != m.holder {
			pa := &m.parties[i].partyAmount
			pa.amount = v(pa.days)
			rest -= pa.amount
		}
	}
	m.addParty(partyKey{RoleHolder, m.holder}).amount = rest
}

// sortedKeys returns the non-empty keys of a map, sorted.
func sortedKeys[V any](set map[string]V) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
