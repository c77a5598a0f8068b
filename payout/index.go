package payout

import (
	"cmp"
	"iter"
	"slices"
	"sort"
	"strings"
)

// index holds the inputs grouped for resolution: by key, every version
// sorted by recorded_on. It is built once per Compute and only read after.
type index struct {
	pol        Policy
	rates      map[Scheme]*rateIndex
	payees     map[string][]*Payee
	agreements map[string][]*Agreement
	agrIDs     []string
	// byList: list_id → the count versions of each as_of, sorted by as_of.
	byList map[string]countGroups
	// listRecorded: list_id → the knownOn dates of its count versions after
	// Beginning, sorted (see recordedSince: an as-of date is never before
	// Beginning, so a count known from the beginning changes no comparison).
	listRecorded map[string][]Date
	// listHolders: list_id → agreement ids that hold it in any version.
	listHolders map[string][]string
	perAgr      map[string]*agrInputs
	// late: versions imported after a release that did not know them
	// (knownInputs), named in the reason of the adjustment they cause.
	late late
}

// setLate records the versions knownInputs moved, for the reasons.
func (ix *index) setLate(moved late) { ix.late = moved }

// dropChainRecords lets go of what only the chains read: each agreement's
// records, the lists' counts and the late versions. What is left (policy,
// rates, payees, agreements by id) is what assemble reads. Nothing else
// holds the inputs during a run, so their list counts and absences become
// garbage here rather than when Compute returns.
func (ix *index) dropChainRecords() {
	ix.perAgr, ix.byList, ix.listRecorded, ix.listHolders, ix.late = nil, nil, nil, nil, nil
}

// rateIndex is one scheme's rate tables: valid_from → tier_from → versions.
type rateIndex struct {
	from     []Date // sorted ascending
	tables   map[Date]map[int][]*Rate
	all      []*Rate // every version (for snapshots)
	recorded []Date  // their recorded_on dates, sorted
	// upTo[k] are the sorted recorded_on dates of the versions whose
	// valid_from is one of the first k dates of from: the versions that can
	// be in force on a day with k valid_from dates on or before it.
	upTo [][]Date
	// views[i] is the table of valid_from from[i] at every state of
	// knowledge, made once: a run looks tables up millions of times.
	views []tableViews
}

// tableViews is one valid_from's table as each as-of date sees it: which
// versions are visible changes only on their recorded_on dates, so the
// tiers visible at asOf are tiers[k] with k = the number of those dates on
// or before asOf.
type tableViews struct {
	recorded []Date    // the distinct recorded_on dates of the table's versions, sorted
	tiers    [][]*Rate // len(recorded)+1 entries, each sorted by tier_from
}

// agrInputs are the records that concern one agreement.
type agrInputs struct {
	id         string
	versions   []*Agreement
	absences   groups[Absence]   // per absence_id, ids sorted
	caregivers groups[Caregiver] // per year, years ascending (caregiversIn)
	breaches   groups[Breach]    // per breach_id, ids sorted
	takeovers  groups[Takeover]  // per takeover_id, ids sorted
	// changes are the recorded_on dates of the agreement's own versions and
	// of its absences, caregivers and takeovers: two as-of dates with the
	// same number of changes on or before them see the same such records.
	// List counts and rates are tracked per month (see monthSnapshot).
	changes []Date
	// multiParty marks the periods touched by a takeover or a
	// municipal-vikar absence in any version (see chain.quiet).
	multiParty map[Period]bool
	lists      []string // every list_id of any version
	schemes    []Scheme // every scheme of any version
	// payeeChanges: some version names another payee or a payee_from, so
	// the holder payee is resolved per day (payee.go).
	payeeChanges bool
}

func buildIndex(in *Inputs) *index {
	// The per-agreement maps are made to their size (at most one entry per
	// agreement record), not grown: a grown map is rebuilt at each doubling,
	// its entries scattered again over a table larger than the caches at a
	// national scale (issue 16).
	ix := &index{pol: in.Policy, rates: map[Scheme]*rateIndex{}, byList: map[string]countGroups{},
		listRecorded: map[string][]Date{}, listHolders: make(map[string][]string, len(in.Agreements)),
		perAgr: make(map[string]*agrInputs, len(in.Agreements))}
	ix.indexRates(in.Rates)
	ix.payees, _ = groupBy(in.Payees, func(p *Payee) string { return p.ID })
	ix.agreements, ix.agrIDs = groupBy(in.Agreements, func(a *Agreement) string { return a.ID })
	// The counts (byList, listRecorded) are the largest kind and nothing
	// else below reads them: grouped on another core meanwhile.
	counted := make(chan struct{})
	go func() {
		defer close(counted)
		ix.indexCounts(in.ListCounts)
	}()
	for _, id := range ix.agrIDs {
		ix.perAgr[id] = &agrInputs{id: id, versions: ix.agreements[id]}
	}
	ix.indexAgreementRecords(in)
	ix.indexChanges()
	<-counted
	return ix
}

// countGroups is one list's count versions sorted by as_of, each as_of's
// versions in version order. When the input's counts are in that order
// already (a file usually is), they are a run of Inputs.ListCounts itself;
// else pos lists their positions in it. The versions of one as_of are found
// by a search and the run of equal as_of after it, not kept per as_of:
// Norway has 810 000 counts, nearly one per as_of, and a run holds the
// index through the whole compute (its live heap sets the run's peak).
type countGroups struct {
	vs  []ListCount // the list's versions in order (pos nil), else every count of the input
	pos []int32     // the list's versions as positions in vs, in order; nil: vs is in order
}

func (g countGroups) len() int {
	if g.pos != nil {
		return len(g.pos)
	}
	return len(g.vs)
}

// at is the i-th version.
func (g countGroups) at(i int) *ListCount {
	if g.pos != nil {
		return &g.vs[g.pos[i]]
	}
	return &g.vs[i]
}

// sub is versions i … j−1.
func (g countGroups) sub(i, j int) countGroups {
	if g.pos != nil {
		return countGroups{vs: g.vs, pos: g.pos[i:j:j]}
	}
	return countGroups{vs: g.vs[i:j:j]}
}

// all yields the versions in order.
func (g countGroups) all() iter.Seq[*ListCount] {
	return func(yield func(*ListCount) bool) {
		for i := range g.len() {
			if !yield(g.at(i)) {
				return
			}
		}
	}
}

// inForce is inForce of the versions of one as_of (see countVersions).
func (g countGroups) inForce(asOf Date) *ListCount {
	v := g.latest(asOf)
	if v == nil || v.Cancelled {
		return nil
	}
	return v
}

// latest is latestVersion of the versions of one as_of.
func (g countGroups) latest(asOf Date) *ListCount {
	i := sort.Search(g.len(), func(i int) bool { return g.at(i).RecordedOn > asOf })
	for i--; i >= 0; i-- {
		if v := g.at(i); v.knownOn() <= asOf {
			return v
		}
	}
	return nil
}

// known is how many versions of one as_of are known at asOf: the visible
// set only grows with asOf, so equal counts mean equal visible versions.
func (g countGroups) known(asOf Date) int {
	i := sort.Search(g.len(), func(i int) bool { return g.at(i).RecordedOn > asOf })
	n := i
	for k := range i {
		if g.at(k).seenOn > asOf {
			n--
		}
	}
	return n
}

// indexCounts groups the list counts by list and as_of (byList), with
// each list's late counts (listRecorded).
func (ix *index) indexCounts(counts []ListCount) {
	pos := sortedOrder(counts, func(a, b *ListCount) int {
		return cmp.Or(strings.Compare(a.ListID, b.ListID), cmp.Compare(a.AsOf, b.AsOf))
	})
	all := countGroups{vs: counts, pos: pos}
	for i := 0; i < all.len(); { // each list's versions are a run: kept as a subslice, not copied
		id := all.at(i).ListID
		j := i + 1
		for j < all.len() && all.at(j).ListID == id {
			j++
		}
		g := all.sub(i, j)
		ix.byList[id] = g
		if ds := recordedAfterBeginning(g); len(ds) > 0 {
			ix.listRecorded[id] = ds
		}
		i = j
	}
}

// recordedAfterBeginning lists the knownOn dates after Beginning of the
// count versions of one list, sorted.
func recordedAfterBeginning(g countGroups) []Date {
	var ds []Date
	for v := range g.all() {
		if k := v.knownOn(); k > Beginning {
			ds = append(ds, k)
		}
	}
	sortDates(ds)
	return ds
}

// countVersions returns the versions of list's count on day (none if none).
func countVersions(g countGroups, day Date) countGroups {
	i := sort.Search(g.len(), func(i int) bool { return g.at(i).AsOf >= day })
	j := i
	for j < g.len() && g.at(j).AsOf == day {
		j++
	}
	return g.sub(i, j)
}

func (ix *index) indexRates(rates []Rate) {
	for i := range rates {
		r := &rates[i]
		ri := ix.rates[r.Scheme]
		if ri == nil {
			ri = &rateIndex{tables: map[Date]map[int][]*Rate{}}
			ix.rates[r.Scheme] = ri
		}
		t := ri.tables[r.ValidFrom]
		if t == nil {
			t = map[int][]*Rate{}
			ri.tables[r.ValidFrom] = t
			ri.from = append(ri.from, r.ValidFrom)
		}
		t[r.TierFrom] = append(t[r.TierFrom], r)
		ri.all = append(ri.all, r)
		ri.recorded = append(ri.recorded, r.knownOn())
	}
	for _, ri := range ix.rates {
		sortDates(ri.from)
		sortDates(ri.recorded)
		ri.upTo = make([][]Date, len(ri.from)+1)
		for k := 1; k <= len(ri.from); k++ {
			var ds []Date
			for _, r := range ri.all {
				if r.ValidFrom <= ri.from[k-1] {
					ds = append(ds, r.knownOn())
				}
			}
			sortDates(ds)
			ri.upTo[k] = ds
		}
		for _, t := range ri.tables {
			for _, vs := range t {
				sortVersions(vs)
			}
		}
		ri.views = make([]tableViews, len(ri.from))
		for i, from := range ri.from {
			ri.views[i] = ri.viewsOf(from)
		}
	}
}

// fromCount is the number of valid_from dates on or before day.
func (ri *rateIndex) fromCount(day Date) int {
	return sort.Search(len(ri.from), func(i int) bool { return ri.from[i] > day })
}

// viewsOf resolves the table of one valid_from at each of its versions'
// recorded_on dates (and before the first: nothing visible).
func (ri *rateIndex) viewsOf(from Date) tableViews {
	var v tableViews
	for _, vs := range ri.tables[from] {
		for _, r := range vs {
			v.recorded = append(v.recorded, r.knownOn())
		}
	}
	sortDates(v.recorded)
	v.recorded = slices.Compact(v.recorded)
	v.tiers = make([][]*Rate, len(v.recorded)+1)
	for k, asOf := range v.recorded {
		v.tiers[k+1] = ri.resolveTable(from, asOf)
	}
	return v
}

// indexAgreementRecords files absences, caregivers, breaches and takeovers
// under their agreement. Records naming an unknown agreement get an empty
// agrInputs so that CheckInputs can report them.
func (ix *index) indexAgreementRecords(in *Inputs) {
	byAgrThenID := func(agrA, agrB, idA, idB string) int {
		if c := strings.Compare(agrA, agrB); c != 0 {
			return c
		}
		return strings.Compare(idA, idB)
	}
	absences := sortedGroups(in.Absences, func(a, b *Absence) int { return byAgrThenID(a.AgreementID, b.AgreementID, a.ID, b.ID) })
	eachRun(absences, func(v *Absence) string { return v.AgreementID }, func(id string, run groups[Absence]) {
		ix.agr(id).absences = run
	})
	breaches := sortedGroups(in.Breaches, func(a, b *Breach) int { return byAgrThenID(a.AgreementID, b.AgreementID, a.ID, b.ID) })
	eachRun(breaches, func(v *Breach) string { return v.AgreementID }, func(id string, run groups[Breach]) {
		ix.agr(id).breaches = run
	})
	takeovers := sortedGroups(in.Takeovers, func(a, b *Takeover) int { return byAgrThenID(a.AgreementID, b.AgreementID, a.ID, b.ID) })
	eachRun(takeovers, func(v *Takeover) string { return v.AgreementID }, func(id string, run groups[Takeover]) {
		ix.agr(id).takeovers = run
	})
	caregivers := sortedGroups(in.Caregivers, func(a, b *Caregiver) int {
		return cmp.Or(strings.Compare(a.AgreementID, b.AgreementID), cmp.Compare(a.Year, b.Year))
	})
	eachRun(caregivers, func(v *Caregiver) string { return v.AgreementID }, func(id string, run groups[Caregiver]) {
		ix.agr(id).caregivers = run
	})
}

// eachRun calls set with each run of groups whose records have the same
// key (groups sorted by it), as groups sharing gs's arrays: one
// agreement's records are then no copy.
func eachRun[T any](gs groups[T], key func(*T) string, set func(key string, run groups[T])) {
	for i := 0; i < gs.len(); {
		k := key(gs.first(i))
		j := i + 1
		for j < gs.len() && key(gs.first(j)) == k {
			j++
		}
		set(k, gs.sub(i, j))
		i = j
	}
}

func (ix *index) agr(id string) *agrInputs {
	a := ix.perAgr[id]
	if a == nil {
		a = &agrInputs{id: id}
		ix.perAgr[id] = a
	}
	return a
}

// indexChanges collects, per agreement, the recorded_on dates of the
// versions its classification depends on, and the lists and schemes whose
// counts and rates its amounts depend on.
//
// The dates are kept once each: what reads them asks how many lie on or
// before a date (a key that sees the same records for the same count) or
// whether one lies between two, which repeats do not change. Most are
// Beginning (a record without recorded_on), and the index is live through
// the whole compute (issue 16): collected in one scratch list, each
// agreement's distinct dates are copied out to size.
func (ix *index) indexChanges() {
	var scratch []Date
	for _, id := range ix.agrIDs {
		a := ix.perAgr[id]
		if n := ix.changeCount(a); cap(scratch) < n {
			scratch = make([]Date, 0, n)
		}
		a.changes = scratch[:0]
		for _, v := range a.versions {
			a.changes = append(a.changes, v.knownOn())
			if v.PayeeID != a.versions[0].PayeeID || v.PayeeFrom != NoDate {
				a.payeeChanges = true
				// A month in which a payee may change pays two holders:
				// never passed by as quiet (chain.quiet).
				a.markMultiParty(v.RecordedOn, v.RecordedOn)
				if v.PayeeFrom != NoDate {
					a.markMultiParty(v.PayeeFrom, v.PayeeFrom)
				}
			}
			if v.ListID != "" && !containsString(a.lists, v.ListID) {
				a.lists = append(a.lists, v.ListID)
				ix.listHolders[v.ListID] = append(ix.listHolders[v.ListID], id)
			}
			if !containsScheme(a.schemes, v.Scheme) {
				a.schemes = append(a.schemes, v.Scheme)
			}
		}
		for _, v := range a.absences.versions() {
			a.changes = append(a.changes, v.knownOn())
			if v.Cover == CoverMunicipalVikar {
				a.markMultiParty(v.From, v.To)
			}
		}
		for _, v := range a.takeovers.versions() {
			a.changes = append(a.changes, v.knownOn())
			a.markMultiParty(v.From, v.To)
			for _, pv := range ix.agreements[v.PayeeAgreementID] {
				a.changes = append(a.changes, pv.knownOn())
			}
		}
		for _, v := range a.caregivers.versions() {
			a.changes = append(a.changes, v.knownOn())
		}
		sortDates(a.changes)
		scratch = a.changes
		a.changes = slices.Clone(slices.Compact(a.changes))
	}
}

// changeCount is the number of dates indexChanges records for a, so that
// its list is made once, to size (300 000 absences over 10 000 agreements
// would otherwise grow each list several times).
func (ix *index) changeCount(a *agrInputs) int {
	n := len(a.versions) + len(a.absences.versions()) + len(a.caregivers.versions())
	for _, v := range a.takeovers.versions() {
		n += 1 + len(ix.agreements[v.PayeeAgreementID])
	}
	return n
}

// display is the agreement version to name on a line at a: the
// one in force, else the latest known before (an ended or cancelled
// agreement still gets its releases and corrections).
func (a *agrInputs) display(asOf Date) *Agreement {
	vs := a.versions
	var last *Agreement
	for _, v := range vs {
		if v.RecordedOn > asOf {
			break
		}
		if !v.Cancelled && v.knownOn() <= asOf {
			last = v
		}
	}
	if last == nil {
		for _, v := range vs {
			if !v.Cancelled {
				return v
			}
		}
		return vs[0]
	}
	return last
}

// caregiversIn returns the versions of the agreement's caregiver record
// for year y (nil if none): a few years per agreement, searched in order
// rather than kept in a map per agreement.
func (a *agrInputs) caregiversIn(y int) []*Caregiver {
	for g := range a.caregivers.all() {
		if g[0].Year == y {
			return g
		}
	}
	return nil
}

func (a *agrInputs) markMultiParty(from, to Date) {
	if a.multiParty == nil {
		a.multiParty = map[Period]bool{}
	}
	for p := from.Period(); p <= to.Period(); p++ {
		a.multiParty[p] = true
	}
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func containsScheme(xs []Scheme, x Scheme) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func sortDates(ds []Date) { slices.Sort(ds) }

// countAtOrBefore returns how many of the sorted dates are ≤ d.
func countAtOrBefore(ds []Date, d Date) int {
	return sort.Search(len(ds), func(i int) bool { return ds[i] > d })
}

// snapshot identifies what one agreement sees of one period at an as-of
// date: equal snapshots mean equal visible inputs, hence equal amounts, so
// unchanged months are never compared (RULEBOOK §6 stays exact; this only
// avoids work; see recordedSince).
type snapshot struct{ agr, counts, rates int }

// monthSnapshot identifies what period p of the chain's agreement sees at
// asOf: the year's own records, the count versions of the period's 1st and
// the rate versions that can be in force on it.
func (c *chain) monthSnapshot(p Period, asOf Date) snapshot {
	s := snapshot{agr: countAtOrBefore(c.yearChanges(p.Year()), asOf)}
	first := p.First()
	for _, groups := range c.lists {
		s.counts += countVersions(groups, first).known(asOf)
	}
	for _, ri := range c.rateIdx {
		if ri != nil {
			s.rates += countAtOrBefore(ri.upTo[ri.fromCount(first)], asOf)
		}
	}
	return s
}

// yearChanges are the recorded_on dates of the versions the classification
// of year y can depend on: the agreement's own versions, the year's
// caregiver records, and absences and takeovers touching y or the two years
// before it (a sickness episode runs across year ends).
func (c *chain) yearChanges(y int) []Date {
	if ds, ok := c.yearDates[y]; ok {
		return ds
	}
	lo, hi := NewDate(y-2, 1, 1), NewDate(y, 12, 31)
	start := len(c.dateRoom)
	ds := c.dateRoom // appended to the worker's room (see chainScratch)
	for _, v := range c.a.versions {
		ds = append(ds, v.knownOn())
	}
	for _, v := range c.a.caregiversIn(y) {
		ds = append(ds, v.knownOn())
	}
	// A record counts with all its versions when any version touches the
	// years: a correction can move a record out of a year as well as in.
	for g := range c.a.absences.all() {
		if anyTouches(g, lo, hi, func(v *Absence) (Date, Date) { return v.From, v.To }) {
			for _, v := range g {
				ds = append(ds, v.knownOn())
			}
		}
	}
	for g := range c.a.takeovers.all() {
		if anyTouches(g, lo, hi, func(v *Takeover) (Date, Date) { return v.From, v.To }) {
			for _, v := range g {
				ds = append(ds, v.knownOn())
				// Whom a takeover line pays is the payee agreement's payee.
				for _, pv := range c.ix.agreements[v.PayeeAgreementID] {
					ds = append(ds, pv.knownOn())
				}
			}
		}
	}
	c.dateRoom = ds
	ds = ds[start:len(ds):len(ds)]
	sortDates(ds)
	c.yearDates[y] = ds
	return ds
}

func anyTouches[T any](vs []*T, lo, hi Date, span func(*T) (Date, Date)) bool {
	for _, v := range vs {
		if from, to := span(v); to >= lo && from <= hi {
			return true
		}
	}
	return false
}

// rateTable is index.rateTable from the chain's own rate indexes.
func (c *chain) rateTable(s Scheme, first, asOf Date) []*Rate {
	return c.rateIndexOf(s).table(first, asOf)
}

// rateTable returns the tiers in force for scheme on day first, as seen at
// asOf: the table with the latest valid_from ≤ first among visible records
// tiers sorted by tier_from.
func (ix *index) rateTable(s Scheme, first, asOf Date) []*Rate {
	return ix.rates[s].table(first, asOf)
}

// table is rateTable of this scheme (nil: a scheme without rates).
func (ri *rateIndex) table(first, asOf Date) []*Rate {
	if ri == nil {
		return nil
	}
	for i := ri.fromCount(first) - 1; i >= 0; i-- {
		v := &ri.views[i]
		if tiers := v.tiers[countAtOrBefore(v.recorded, asOf)]; len(tiers) > 0 {
			return tiers
		}
	}
	return nil
}

// resolveTable returns the tiers of one valid_from visible at asOf, sorted
// by tier_from (made once per state of knowledge, see viewsOf).
func (ri *rateIndex) resolveTable(from, asOf Date) []*Rate {
	var tiers []*Rate
	for _, vs := range ri.tables[from] {
		if r := inForce(vs, asOf); r != nil {
			tiers = append(tiers, r)
		}
	}
	sort.Slice(tiers, func(a, b int) bool { return tiers[a].TierFrom < tiers[b].TierFrom })
	return tiers
}

// listCount returns the count of list on day asOfDay, as seen at asOf.
func (ix *index) listCount(list string, day, asOf Date) *ListCount {
	return countVersions(ix.byList[list], day).inForce(asOf)
}

// countMissing reports whether ag needs a list count for p's 1st that is
// not in force at asOf (R-8.4: fastlege only).
func (ix *index) countMissing(ag *Agreement, p Period, asOf Date) bool {
	return ag.Scheme == SchemeFastlege && ix.listCount(ag.ListID, p.First(), asOf) == nil
}

// agreement returns the version of agreement id in force at asOf.
func (ix *index) agreement(id string, asOf Date) *Agreement {
	return inForce(ix.agreements[id], asOf)
}

// payee returns the version of payee id in force at asOf.
func (ix *index) payee(id string, asOf Date) *Payee {
	return inForce(ix.payees[id], asOf)
}
