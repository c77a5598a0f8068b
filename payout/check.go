package payout

import "slices"

// CheckInputs applies the rulebook's invalid-input rules that depend on
// which versions are in force (RULEBOOK §3, §5): overlapping absences,
// absences outside the agreement, parental records over 52 weeks, a
// municipal vikar among the first 56 absence days of the year, takeover
// shares that do not sum to 100, an extension past the 75th birthday, and a
// share_percent on a fysio agreement (§7).
// It checks the latest versions (what a run
// today would see); Compute applies the same rules at every as-of date it
// uses. Every agreement's first problem is reported.
func CheckInputs(in *Inputs) ErrorList {
	ix := buildIndex(in)
	var list ErrorList
	scratch := &chainScratch{} // one for every agreement's chain, as in runChains
	for _, id := range ix.agrIDs {
		a := ix.perAgr[id]
		ag := inForce(a.versions, Forever)
		if ag == nil {
			continue
		}
		if err := checkAgreement(ag); err != nil {
			list.Add(err.(*InputError))
			continue
		}
		c := newChain(ix, a, scratch)
		for _, y := range touchedYears(a) {
			if _, err := c.classifiedYear(ag, y, Forever); err != nil {
				if ie, ok := err.(*InputError); ok {
					list.Add(ie)
				}
				break
			}
		}
	}
	list.Sort()
	return list
}

// touchedYears lists the years the agreement's absences and takeovers
// touch, in order.
func touchedYears(a *agrInputs) []int {
	seen := map[int]bool{}
	var years []int
	add := func(from, to Date) {
		for y := from.Year(); y <= to.Year(); y++ {
			if !seen[y] {
				seen[y] = true
				years = append(years, y)
			}
		}
	}
	for g := range a.absences.all() {
		if r := inForce(g, Forever); r != nil {
			add(r.From, r.To)
		}
	}
	for g := range a.takeovers.all() {
		if r := inForce(g, Forever); r != nil {
			add(r.From, r.To)
		}
	}
	slices.Sort(years)
	return years
}
