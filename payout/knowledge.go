package payout

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Knowledge time, RULEBOOK §6 and DESIGN.md "When". An input version has
// two times: recorded_on, the date its source gives it, and, when it came
// through the store, the store's import sequence (Version.Import), the
// transaction time at which payout learnt it. A stored run knows exactly the
// versions imported up to its knowledge (the highest import sequence it
// read). When a later run reconstructs how an earlier month was paid, the
// month's view is (A_E, K_E): versions with recorded_on ≤ A_E and imported
// no later than K_E. K_E is the knowledge of the released run of E, or of
// the first released run after E that relied on E (that run saw E with what
// it knew); a month after the last release knows everything. A version
// imported after a release is therefore new knowledge, paid by R-ADJ in the
// next run, whatever its recorded_on. Fixture versions (Import 0) are known
// by recorded_on alone, as before.
//
// Within one chain the views are ordered: A_E grows (the store refuses an
// as-of outside [1st of E, pay(E)] for a run that can be released) and K_E
// never shrinks. A version's visibility is then one date, the as-of of the
// first view that sees it, and knownInputs records that date on the version
// (knownOn), so that every resolution, snapshot and R-ADJ comparison of the
// engine reads the two times through one date. The order of a key's
// versions stays that of recorded_on: a version imported late is new
// knowledge, but not newer than a version its source dated later (imports
// out of order of recorded_on resolve as the source dated them).

// late records, for the versions knownInputs made visible later, the last
// released period that did not know them (for the adjustment's reason).
type late map[*Version]Period

// invisible is a knownOn no view reaches: the version was imported after
// the run being reconstructed.
const invisible = Forever + 1

// hiddenUntil returns the last period of the run of p whose view cannot see
// a version imported at seq (the latest released period ≤ p whose knowledge
// is below seq), and false when every view can.
func hiddenUntil(known map[Period]int64, seq int64, p Period) (Period, bool) {
	var last Period
	found := false
	for r, k := range known {
		if r <= p && k < seq && (!found || r > last) {
			last, found = r, true
		}
	}
	return last, found
}

// knownInputs returns in with each version's knownOn set to the first as-of
// of the run of p at which it is known (see above), and the versions it
// made visible later than their recorded_on. It copies only the slices it
// changes; without knowledge limits it returns in itself.
func knownInputs(in *Inputs, p Period, opt Options) (*Inputs, late) {
	if len(opt.KnowledgeByPeriod) == 0 {
		return in, nil
	}
	asOf := asOfFunc(p, opt)
	moved := late{}
	shift := func(v *Version) {
		if v.Import == 0 {
			return
		}
		e, hidden := hiddenUntil(opt.KnowledgeByPeriod, int64(v.Import), p)
		if !hidden {
			return
		}
		moved[v] = e
		if e >= p {
			v.seenOn = invisible
		} else {
			v.seenOn = max(v.RecordedOn, asOf(e+1))
		}
	}
	least := leastKnowledge(opt.KnowledgeByPeriod, p)
	out := *in
	out.Rates = shiftAll(in.Rates, least, shift)
	out.Payees = shiftAll(in.Payees, least, shift)
	out.Agreements = shiftAll(in.Agreements, least, shift)
	out.ListCounts = shiftAll(in.ListCounts, least, shift)
	out.Absences = shiftAll(in.Absences, least, shift)
	out.Caregivers = shiftAll(in.Caregivers, least, shift)
	out.Breaches = shiftAll(in.Breaches, least, shift)
	out.Takeovers = shiftAll(in.Takeovers, least, shift)
	return &out, moved
}

// leastKnowledge is the least knowledge of the periods up to p: a version
// imported after it is limited (hiddenUntil finds a view it is not in).
// It is asked once per run, not per kind or record: a store run has a
// knowledge limit and a million versions.
func leastKnowledge(known map[Period]int64, p Period) int64 {
	least := int64(math.MaxInt64)
	for r, k := range known {
		if r <= p {
			least = min(least, k)
		}
	}
	return least
}

// shiftAll applies shift to a copy of recs when any of them is limited by
// knowledge (imported after least, see leastKnowledge), else returns recs
// unchanged.
func shiftAll[T any, PT interface {
	*T
	versioned
}](recs []T, least int64, shift func(*Version)) []T {
	if !limited[T, PT](recs, least) {
		return recs
	}
	out := slices.Clone(recs)
	for i := range out {
		shift(PT(&out[i]).version())
	}
	return out
}

// limited reports a version of recs imported after least.
func limited[T any, PT interface {
	*T
	versioned
}](recs []T, least int64) bool {
	for i := range recs {
		if v := PT(&recs[i]).version(); v.Import > 0 && int64(v.Import) > least {
			return true
		}
	}
	return false
}

// knowledgeInHistory keeps the knowledge limits of the periods the run of p
// reconstructs (history start … p), for the Result and its manifest.
func knowledgeInHistory(known map[Period]int64, h, p Period) map[Period]int64 {
	var out map[Period]int64
	for e, k := range known {
		if e >= h && e <= p {
			if out == nil {
				out = map[Period]int64{}
			}
			out[e] = k
		}
	}
	return out
}

// lateReason is the note an adjustment's reason gets when some of the
// versions behind it were imported after a release that was computed
// without them (bokmål, as the reason is shown to clerks and payees).
func lateReason(periods []Period) string {
	if len(periods) == 0 {
		return ""
	}
	slices.Sort(periods)
	periods = slices.Compact(periods)
	names := make([]string, len(periods))
	for i, e := range periods {
		names[i] = e.String()
	}
	return fmt.Sprintf(" (registrert etter frigivelsen av %s)", strings.Join(names, ", "))
}

// EachVersion calls f with every version of in, kind by kind.
func (in *Inputs) EachVersion(f func(*Version)) {
	for i := range in.Rates {
		f(&in.Rates[i].Version)
	}
	for i := range in.Payees {
		f(&in.Payees[i].Version)
	}
	for i := range in.Agreements {
		f(&in.Agreements[i].Version)
	}
	for i := range in.ListCounts {
		f(&in.ListCounts[i].Version)
	}
	for i := range in.Absences {
		f(&in.Absences[i].Version)
	}
	for i := range in.Caregivers {
		f(&in.Caregivers[i].Version)
	}
	for i := range in.Breaches {
		f(&in.Breaches[i].Version)
	}
	for i := range in.Takeovers {
		f(&in.Takeovers[i].Version)
	}
}

// KnowledgeOf is the knowledge of a run that read in: the highest import
// sequence among its versions (0 for a fixture folder's records).
func KnowledgeOf(in *Inputs) int64 {
	var k int64
	in.EachVersion(func(v *Version) { k = max(k, int64(v.Import)) })
	return k
}

// WhatIf describes an as-of date that no run to be released may have: after
// pay(p) (it would see what was not known when the money left) or before
// the 1st of p. "" for an as-of in [1st of p, pay(p)] or NoDate (pay(p)).
// A fixture run may use one as a what-if; the summary and the manifest say
// so.
func WhatIf(p Period, asOf Date) string {
	switch {
	case asOf == NoDate:
		return ""
	case asOf > PayDate(p):
		return fmt.Sprintf("as-of %s is after the payment date %s of %s", asOf, PayDate(p), p)
	case asOf < p.First():
		return fmt.Sprintf("as-of %s is before the first day of %s", asOf, p)
	}
	return ""
}

// CheckRecordedBy refuses versions recorded after today (the clock of the
// import): recorded_on is the date the source knew the version, and no
// source knows tomorrow. Each is named by file, line and value.
func CheckRecordedBy(in *Inputs, today Date) error {
	var errs ErrorList
	in.EachVersion(func(v *Version) {
		if v.RecordedOn > today {
			errs.Add(SourceErrorf(v.Src, "recorded_on", v.RecordedOn.String(),
				"recorded_on %s is after today (%s): a version cannot be known before it is recorded; give the date it became known", v.RecordedOn, today).wrap(ErrOutOfRange))
		}
	})
	errs.Sort()
	return errs.Err()
}
