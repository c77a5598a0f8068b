package payout

import (
	"sort"
	"strconv"
)

// index holds the inputs grouped for resolution: by key, every version
// sorted by recorded_on. It is built once per Compute and only read after.
type index struct {
	pol        Policy
	rates      map[Scheme]*rateIndex
	payees     map[string][]*Payee
	agreements map[string][]*Agreement
	agrIDs     []string
	counts     map[countKey][]*ListCount
	// listHolders: list_id → agreement ids that hold it in any version.
	listHolders map[string][]string
	perAgr      map[string]*agrInputs
}

type countKey struct {
	list string
	asOf Date
}

// rateIndex is one scheme's rate tables: valid_from → tier_from → versions.
type rateIndex struct {
	from     []Date // sorted ascending
	tables   map[Date]map[int][]*Rate
	recorded []Date // sorted recorded_on of every version (for snapshots)
}

// agrInputs are the records that concern one agreement.
type agrInputs struct {
	id         string
	versions   []*Agreement
	absences   [][]*Absence  // per absence_id, ids sorted
	caregivers map[int][]*Caregiver
	breaches   [][]*Breach   // per breach_id, ids sorted
	takeovers  [][]*Takeover // per takeover_id, ids sorted
	// changes are the recorded_on dates of every version that can change
	// this agreement's amounts; two as-of dates with the same number of
	// changes on or before them see the same inputs (see snapshot).
	changes []Date
}

func buildIndex(in *Inputs) *index {
	ix := &index{pol: in.Policy, rates: map[Scheme]*rateIndex{}, counts: map[countKey][]*ListCount{},
		listHolders: map[string][]string{}, perAgr: map[string]*agrInputs{}}
	ix.indexRates(in.Rates)
	ix.payees, _ = groupBy(in.Payees, func(p *Payee) string { return p.ID })
	ix.agreements, ix.agrIDs = groupBy(in.Agreements, func(a *Agreement) string { return a.ID })
	for i := range in.ListCounts {
		c := &in.ListCounts[i]
		k := countKey{c.ListID, c.AsOf}
		ix.counts[k] = append(ix.counts[k], c)
	}
	for _, vs := range ix.counts {
		sortVersions(vs)
	}
	for _, id := range ix.agrIDs {
		ix.perAgr[id] = &agrInputs{id: id, versions: ix.agreements[id], caregivers: map[int][]*Caregiver{}}
	}
	ix.indexAgreementRecords(in)
	ix.indexChanges(in)
	return ix
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
		ri.recorded = append(ri.recorded, r.RecordedOn)
	}
	for _, ri := range ix.rates {
		sortDates(ri.from)
		sortDates(ri.recorded)
		for _, t := range ri.tables {
			for _, vs := range t {
				sortVersions(vs)
			}
		}
	}
}

// indexAgreementRecords files absences, caregivers, breaches and takeovers
// under their agreement. Records naming an unknown agreement get an empty
// agrInputs so that CheckInputs can report them.
func (ix *index) indexAgreementRecords(in *Inputs) {
	abs, absIDs := groupBy(in.Absences, func(a *Absence) string { return a.ID })
	for _, id := range absIDs {
		a := ix.agr(abs[id][0].AgreementID)
		a.absences = append(a.absences, abs[id])
	}
	brs, brIDs := groupBy(in.Breaches, func(b *Breach) string { return b.ID })
	for _, id := range brIDs {
		a := ix.agr(brs[id][0].AgreementID)
		a.breaches = append(a.breaches, brs[id])
	}
	tos, toIDs := groupBy(in.Takeovers, func(t *Takeover) string { return t.ID })
	for _, id := range toIDs {
		a := ix.agr(tos[id][0].AgreementID)
		a.takeovers = append(a.takeovers, tos[id])
	}
	cgs, cgKeys := groupBy(in.Caregivers, func(c *Caregiver) string { return c.AgreementID + "\x00" + strconv.Itoa(c.Year) })
	for _, k := range cgKeys {
		c := cgs[k][0]
		ix.agr(c.AgreementID).caregivers[c.Year] = cgs[k]
	}
}

func (ix *index) agr(id string) *agrInputs {
	a := ix.perAgr[id]
	if a == nil {
		a = &agrInputs{id: id, caregivers: map[int][]*Caregiver{}}
		ix.perAgr[id] = a
	}
	return a
}

// indexChanges collects, per agreement, the recorded_on dates of every
// version its amounts depend on: its own versions, its lists' counts, its
// absences, caregivers and takeovers. Rates are tracked per scheme.
func (ix *index) indexChanges(in *Inputs) {
	countDates := map[string][]Date{}
	for i := range in.ListCounts {
		c := &in.ListCounts[i]
		countDates[c.ListID] = append(countDates[c.ListID], c.RecordedOn)
	}
	for _, id := range ix.agrIDs {
		a := ix.perAgr[id]
		lists := map[string]bool{}
		for _, v := range a.versions {
			a.changes = append(a.changes, v.RecordedOn)
			if v.ListID != "" && !lists[v.ListID] {
				lists[v.ListID] = true
				ix.listHolders[v.ListID] = append(ix.listHolders[v.ListID], id)
				a.changes = append(a.changes, countDates[v.ListID]...)
			}
		}
		for _, g := range a.absences {
			for _, v := range g {
				a.changes = append(a.changes, v.RecordedOn)
			}
		}
		for _, g := range a.takeovers {
			for _, v := range g {
				a.changes = append(a.changes, v.RecordedOn)
			}
		}
		for _, g := range a.caregivers {
			for _, v := range g {
				a.changes = append(a.changes, v.RecordedOn)
			}
		}
		sortDates(a.changes)
	}
}

func sortDates(ds []Date) { sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] }) }

// countAtOrBefore returns how many of the sorted dates are ≤ d.
func countAtOrBefore(ds []Date, d Date) int {
	return sort.Search(len(ds), func(i int) bool { return ds[i] > d })
}

// snapshot identifies what one agreement sees at an as-of date: equal
// snapshots mean equal visible inputs, hence equal amounts.
type snapshot struct{ agr, fastlege, fysio int }

func (ix *index) snapshot(a *agrInputs, asOf Date) snapshot {
	s := snapshot{agr: countAtOrBefore(a.changes, asOf)}
	if r := ix.rates[SchemeFastlege]; r != nil {
		s.fastlege = countAtOrBefore(r.recorded, asOf)
	}
	if r := ix.rates[SchemeFysio]; r != nil {
		s.fysio = countAtOrBefore(r.recorded, asOf)
	}
	return s
}

// rateTable returns the tiers in force for scheme on day first, as seen at
// asOf: the table with the latest valid_from ≤ first among visible records
// tiers sorted by tier_from.
func (ix *index) rateTable(s Scheme, first, asOf Date) []*Rate {
	ri := ix.rates[s]
	if ri == nil {
		return nil
	}
	for i := sort.Search(len(ri.from), func(i int) bool { return ri.from[i] > first }) - 1; i >= 0; i-- {
		t := ri.tables[ri.from[i]]
		var tiers []*Rate
		for _, vs := range t {
			if r := inForce(vs, asOf); r != nil {
				tiers = append(tiers, r)
			}
		}
		if len(tiers) > 0 {
			sort.Slice(tiers, func(a, b int) bool { return tiers[a].TierFrom < tiers[b].TierFrom })
			return tiers
		}
	}
	return nil
}

// listCount returns the count of list on day asOfDay, as seen at asOf.
func (ix *index) listCount(list string, day, asOf Date) *ListCount {
	return inForce(ix.counts[countKey{list, day}], asOf)
}

// agreement returns the version of agreement id in force at asOf.
func (ix *index) agreement(id string, asOf Date) *Agreement {
	return inForce(ix.agreements[id], asOf)
}

// payee returns the version of payee id in force at asOf.
func (ix *index) payee(id string, asOf Date) *Payee {
	return inForce(ix.payees[id], asOf)
}
