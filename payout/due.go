package payout

// What a period's run needs before it can be released on time, for the
// batch's scheduling (`payout due`, `status`, `release`): the last day to
// release and the list counts the run would stop on. Both are answered by
// the engine's own rules, so that `due` and `run` cannot disagree.

// MissingCount is an agreement whose list has no count for a period's 1st.
type MissingCount struct {
	AgreementID string
	ListID      string
}

// MissingListCounts lists, sorted by agreement ID, the fastlege agreements
// on which Compute(in, p, Options{AsOf: asOf}) stops with
// ErrMissingListCount (R-8.4: a count is never silently zero). The engine's
// own resolution decides: the agreement version in force at asOf (NoDate:
// pay(P), Compute's default), active in p under R-ACTIVE and R-16-AGE70 and
// the policy, and no count in force for p's 1st at asOf.
func MissingListCounts(in *Inputs, p Period, asOf Date) []MissingCount {
	if asOf == NoDate {
		asOf = PayDate(p)
	}
	ix := buildIndex(in)
	var out []MissingCount
	for _, id := range ix.agrIDs {
		ag := ix.agreement(id, asOf)
		if ag != nil && ix.activeIn(ag, p) && ix.countMissing(ag, p, asOf) {
			out = append(out, MissingCount{AgreementID: ag.ID, ListID: ag.ListID})
		}
	}
	return out // agrIDs is sorted
}
