package payout_test

// The reference model against the engine when inputs arrive in several
// imports over several months (RULEBOOK §6, DESIGN.md "When"): each
// version is imported some days after its recorded_on (random, around the
// release dates, often out of order of recorded_on), months are released on
// random days before their payment date with the knowledge the store had
// then, and P is run with everything imported by its payment date. The
// model reads each view literally (recorded_on ≤ A_E and imported no later
// than K_E, the latest recorded_on of those in force); the engine gives
// each version the first as-of at which it is known (knownOn).

import (
	"errors"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/oslokommune/payout/payout"
)

// refKnowledgeSeeds is how many random import histories the test runs.
const refKnowledgeSeeds = 150

func TestReferenceModelKnowledgeMatchesEngine(t *testing.T) {
	ran, failed, refused := 0, 0, 0
	var st historyStats
	for seed := uint64(1); seed <= refKnowledgeSeeds; seed++ {
		in, P := genRefInputs(seed)
		h := importHistory(seed, in, P)
		opt, n := h.opt, h.stats
		st.late, st.outOfOrder, st.superseded = st.late+n.late, st.outOfOrder+n.outOfOrder, st.superseded+n.superseded
		_, err := newRefModel(in, opt).run(P)
		switch {
		case errors.Is(err, payout.ErrMissingListCount) || errors.Is(err, payout.ErrMissingRate):
			continue // P's own count is not imported by its payment date
		case errors.As(err, new(errRefInvalid)):
			// What has arrived is not a valid world yet (a correction that
			// only its later companion makes valid): both must refuse it.
			if _, eerr := payout.Compute(in, P, opt); !errors.Is(eerr, payout.ErrInvalidInput) {
				failed++
				t.Errorf("seed %d: the model refuses (%v), the engine does not (%v)", seed, err, eerr)
			}
			refused++
			continue
		}
		ran++
		if msg := compareRefRun(in, P, opt); msg != "" {
			failed++
			if failed <= 5 {
				t.Errorf("seed %d, period %s, options %+v:\n%s", seed, P, opt, msg)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d import histories differ", failed, ran+refused)
	}
	// The test must exercise what it is about: half the histories run, many
	// versions arrive after a release that did not know them, and many
	// arrive after versions their source dated later.
	t.Logf("%d histories ran, %d refused by both; %d versions late, %d imports out of order, %d late behind a later-dated version",
		ran, refused, st.late, st.outOfOrder, st.superseded)
	if ran < refKnowledgeSeeds/2 || st.late < refKnowledgeSeeds || st.outOfOrder < refKnowledgeSeeds || st.superseded < 20 {
		t.Fatalf("only %d of %d histories ran, with %d versions imported after a release, %d imports out of order, %d late behind a later-dated version",
			ran, refKnowledgeSeeds, st.late, st.outOfOrder, st.superseded)
	}
}

// historyStats says what an import history exercises: versions a release
// did not know although recorded by its as-of, and recorded_on dates whose
// import came after that of a later recorded_on, and late versions of a
// key whose release knew a version dated later (supersededLate).
type historyStats struct{ late, outOfOrder, superseded int }

// importHistory gives every version of in an import sequence and returns
// the options of P's run from the store: the released months' as-of dates
// and knowledge. Versions not yet imported by pay(P) are dropped from in.
// The versions of one recorded_on arrive in one import some days later;
// the delays are independent, so a version its source dated earlier often
// arrives after one dated later (imports out of order of recorded_on), and
// some versions that have a later-dated version of their key arrive after
// it on purpose (a straggler: Helfo's older file sent again). It also
// returns the import dates and the releases, for a store to replay them.
func importHistory(seed uint64, in *payout.Inputs, P payout.Period) refHistory {
	g := &refGen{r: rand.New(rand.NewPCG(seed, 0x1a7e))}
	H := P
	for _, c := range in.ListCounts {
		H = min(H, c.AsOf.Period())
	}
	var recorded []payout.Date
	in.EachVersion(func(v *payout.Version) { recorded = append(recorded, max(v.RecordedOn, payout.Beginning)) })
	slices.Sort(recorded)
	recorded = slices.Compact(recorded)
	// importedOn[i]: the import date of the versions recorded on recorded[i].
	importedOn := make([]payout.Date, len(recorded))
	start := H.First() - 1
	for i, r := range recorded {
		if r == payout.Beginning {
			importedOn[i] = start // the routine starts with the whole folder
			continue
		}
		delay := g.intn(0, 3) // usually imported within days
		if g.chance(0.3) {
			delay = g.intn(0, 35) // Helfo's file, a late rate, a bydel's late sheet
		}
		importedOn[i] = max(r, start) + payout.Date(delay)
	}
	var st historyStats
	for i := 1; i < len(importedOn); i++ {
		if importedOn[i-1] > importedOn[i] {
			st.outOfOrder++
		}
	}
	// Until the sequences are known, Import holds the import date.
	in.EachVersion(func(v *payout.Version) {
		i, _ := slices.BinarySearch(recorded, max(v.RecordedOn, payout.Beginning))
		v.Import = int32(importedOn[i])
	})
	stragglers(g, in)
	runDate := payout.PayDate(P)
	dropNotImported(in, func(v payout.Version) bool { return payout.Date(v.Import) <= runDate })
	var imports []payout.Date // one import per day, in order
	in.EachVersion(func(v *payout.Version) { imports = append(imports, payout.Date(v.Import)) })
	slices.Sort(imports)
	imports = slices.Compact(imports)
	in.EachVersion(func(v *payout.Version) {
		j, _ := slices.BinarySearch(imports, payout.Date(v.Import))
		v.Import = int32(j + 1)
	})

	opt := payout.Options{AsOfByPeriod: map[payout.Period]payout.Date{}, KnowledgeByPeriod: map[payout.Period]int64{}}
	var releases []refRelease
	first := H + payout.Period(g.intn(0, int(P-H)))
	for E := first; E < P; E++ {
		if g.chance(0.1) {
			continue // a month the store never released
		}
		releasedOn := payout.PayDate(E) - payout.Date(g.intn(0, 6))
		asOf := payout.PayDate(E)
		if g.chance(0.3) {
			asOf = g.day(E.First(), payout.PayDate(E))
		}
		// The knowledge of a run computed on releasedOn: the imports up to it.
		opt.AsOfByPeriod[E] = asOf
		opt.KnowledgeByPeriod[E] = int64(sort.Search(len(imports), func(i int) bool { return imports[i] > releasedOn }))
		releases = append(releases, refRelease{period: E, on: releasedOn, asOf: asOf})
	}
	in.EachVersion(func(v *payout.Version) {
		for E, k := range opt.KnowledgeByPeriod {
			if int64(v.Import) > k && v.RecordedOn <= opt.AsOfByPeriod[E] {
				st.late++
				return
			}
		}
	})
	st.superseded = supersededLate(in, opt)
	return refHistory{opt: opt, stats: st, imports: imports, releases: releases}
}

// refHistory is an import history: the options of P's run, what it
// exercises, the day of each import sequence (imports[seq-1]) and the
// planned releases in period order.
type refHistory struct {
	opt      payout.Options
	stats    historyStats
	imports  []payout.Date
	releases []refRelease
}

// refRelease is a month released on a day with an as-of date.
type refRelease struct {
	period   payout.Period
	on, asOf payout.Date
}

// stragglers delays, for a quarter of the versions that have a version of
// their key dated later, the import to some days after that version's
// (Import holds import dates here); the first folder is never late.
func stragglers(g *refGen, in *payout.Inputs) {
	for _, k := range payout.RecordKinds {
		byKey := map[payout.RecordKey][]int{}
		for i := range k.Len(in) {
			byKey[k.Key(in, i)] = append(byKey[k.Key(in, i)], i)
		}
		for i := range k.Len(in) {
			v := k.Version(in, i)
			if v.RecordedOn <= payout.Beginning {
				continue // the folder the routine starts with
			}
			for _, j := range byKey[k.Key(in, i)] {
				if w := k.Version(in, j); w.RecordedOn > v.RecordedOn && g.chance(0.25) {
					v.Import = max(v.Import, w.Import+int32(g.intn(1, 40)))
				}
			}
		}
	}
}

// supersededLate counts the versions a release did not know, recorded by
// its as-of, whose key it knew in a version its source dated later: the
// late import of an older statement, which must not override the newer.
func supersededLate(in *payout.Inputs, opt payout.Options) int {
	n := 0
	for _, k := range payout.RecordKinds {
		byKey := map[payout.RecordKey][]*payout.Version{}
		for i := range k.Len(in) {
			byKey[k.Key(in, i)] = append(byKey[k.Key(in, i)], k.Version(in, i))
		}
		for _, vs := range byKey {
			for _, v := range vs {
				if slices.ContainsFunc(vs, func(w *payout.Version) bool {
					for E, known := range opt.KnowledgeByPeriod {
						A := opt.AsOfByPeriod[E]
						if int64(v.Import) > known && v.RecordedOn <= A && int64(w.Import) <= known && w.RecordedOn > v.RecordedOn && w.RecordedOn <= A {
							return true
						}
					}
					return false
				}) {
					n++
				}
			}
		}
	}
	return n
}

// dropNotImported keeps the versions keep accepts.
func dropNotImported(in *payout.Inputs, keep func(payout.Version) bool) {
	in.Rates = slices.DeleteFunc(in.Rates, func(r payout.Rate) bool { return !keep(r.Version) })
	in.Payees = slices.DeleteFunc(in.Payees, func(r payout.Payee) bool { return !keep(r.Version) })
	in.Agreements = slices.DeleteFunc(in.Agreements, func(r payout.Agreement) bool { return !keep(r.Version) })
	in.ListCounts = slices.DeleteFunc(in.ListCounts, func(r payout.ListCount) bool { return !keep(r.Version) })
	in.Absences = slices.DeleteFunc(in.Absences, func(r payout.Absence) bool { return !keep(r.Version) })
	in.Caregivers = slices.DeleteFunc(in.Caregivers, func(r payout.Caregiver) bool { return !keep(r.Version) })
	in.Breaches = slices.DeleteFunc(in.Breaches, func(r payout.Breach) bool { return !keep(r.Version) })
	in.Takeovers = slices.DeleteFunc(in.Takeovers, func(r payout.Takeover) bool { return !keep(r.Version) })
}
