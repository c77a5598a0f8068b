package payout

// What a period's run needs before it can be released on time, for the
// batch's scheduling (`payout due`, `status`, `release`): the last day to
// release and the list counts the run would stop on. Both are answered by
// the engine's own rules, so that `due` and `run` cannot disagree.

// ReleaseLeadBankingDays is how many banking days before pay(P) the payment
// file must reach the bank for it to pay on pay(P). It is an operating rule
// of the batch (the bank's lead time), not a clause of the rulebook.
const ReleaseLeadBankingDays = 2

// ReleaseDeadline is the last day to release P so the bank pays on time:
// two banking days before pay(P) (R-8.4-PAYDATE).
func ReleaseDeadline(p Period) Date {
	return BankingDaysBefore(PayDate(p), ReleaseLeadBankingDays)
}

// BankingDaysBetween counts the banking days after from, up to and
// including to: the days left to release when to is the deadline.
func BankingDaysBetween(from, to Date) int {
	n := 0
	for d := from + 1; d <= to; d++ {
		if IsBankingDay(d) {
			n++
		}
	}
	return n
}

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
