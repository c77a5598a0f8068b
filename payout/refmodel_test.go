package payout_test

// A deliberately naive reference model of RULEBOOK.md (STYLE.md, Tests:
// TigerBeetle's simple reference model). It is written from the rulebook
// text and the exported domain types only, never from the engine's code, so
// that the two can be compared on random inputs (refmodel_cmp_test.go).
//
// Everything is recomputed from scratch and day by day: for every period of
// the history chain the model builds a snapshot of the inputs as seen at an
// as-of date, walks every day of the calendar year with its counters,
// recomputes every earlier period it needs for R-ADJ, and carries balances
// in plain maps. Money before rounding is a big.Rat; every amount is rounded
// once to øre, half away from zero (RULEBOOK §0).
//
// Readings of the rulebook where the text leaves room (the engine may read
// them otherwise; the generator avoids the cases where it matters unless
// noted):
//   - history start: the earliest list count as_of over all records, whatever
//     their recorded_on (the generator records it from the beginning).
//   - vikar_amount on the holder line is the sum of the per-payee V(days)
//     rounded per vikar payee (FORMATS: "the total sent to vikars"), so that
//     the roles add up to base − absence_deduction to the øre.
//   - takeover amounts are rounded per takeover record and summed per payee
//     (the generator makes at most one record per payee and month).
//   - withholding applies to the holder line only; releases and adjustments
//     go to the holder line of the agreement's payee at the run's as-of,
//     even in a month without active days (a line with base 0).
//   - child-sickness quota: the largest of the applicable quotas (chronic 20
//     beats many children 15), then doubled for a sole caregiver.
//   - counters count the absence days that are active days (inactive ones
//     are "ignored", §3), but a sickness episode is the literal run of
//     calendar days covered by sickness records; colleague-covered days
//     count whether or not the kind accepts colleague cover.

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oslokommune/payout/fixtures/sharedtest"
	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// refKey identifies a line of a period: (agreement, role, payee).
type refKey struct {
	Agreement string
	Role      payout.Role
	Payee     string
}

func (k refKey) String() string { return fmt.Sprintf("%s/%s/%s", k.Agreement, k.Role, k.Payee) }

// refLine holds the amounts of one line that the comparison checks.
type refLine struct {
	Base, AbsenceDeduction, VikarAmount, Entitlement decimal.Decimal
	Withheld, Released, Adjustments, CarriedIn       decimal.Decimal
	Net, CarriedOut                                  decimal.Decimal
}

// refAmountNames and amounts list the compared amounts in a fixed order.
var refAmountNames = []string{"base", "absence_deduction", "vikar_amount", "entitlement",
	"withheld", "released", "adjustments", "carried_in", "net", "carried_out"}

func (l *refLine) amounts() []decimal.Decimal {
	return []decimal.Decimal{l.Base, l.AbsenceDeduction, l.VikarAmount, l.Entitlement,
		l.Withheld, l.Released, l.Adjustments, l.CarriedIn, l.Net, l.CarriedOut}
}

// errRefInvalid marks inputs the rulebook calls invalid. The generator must
// never produce them, so the model finding one is a generator bug.
type errRefInvalid struct{ msg string }

func (e errRefInvalid) Error() string { return "invalid input (model): " + e.msg }

func refInvalid(format string, a ...any) error { return errRefInvalid{fmt.Sprintf(format, a...)} }

// refModel computes runs of one input set.
type refModel struct {
	in      *payout.Inputs
	pol     payout.Policy
	opt     payout.Options
	target  payout.Period
	views   map[refAt]*refView
	periods map[refPeriodKey]map[refKey]*refLine
	// what the target period does not pay: claims (RULEBOOK §6) and
	// corrections older than the retro window (W-OUTSIDE-WINDOW)
	claims  map[refKey]refClaim
	outside map[refOutsideKey]decimal.Decimal
}

// refClaim is an overpayment claimed back from a line's payee.
type refClaim struct {
	Amount decimal.Decimal
	Origin payout.Period
}

// refOutsideKey is one line's correction of one month outside the window.
type refOutsideKey struct {
	refKey
	Ref payout.Period
}

type refPeriodKey struct {
	E  payout.Period
	at refAt
}

// refAt is what one view knows (RULEBOOK §6, DESIGN.md "When"): versions
// recorded on or before asOf and imported no later than known.
type refAt struct {
	asOf  payout.Date
	known int64
}

// everything is the knowledge of a view no stored run limits.
const everything = int64(math.MaxInt64)

func newRefModel(in *payout.Inputs, opt payout.Options) *refModel {
	return &refModel{in: in, pol: in.Policy, opt: opt,
		views: map[refAt]*refView{}, periods: map[refPeriodKey]map[refKey]*refLine{}}
}

// ---------------------------------------------------------------------------
// Money

func ratInt(n int64) *big.Rat           { return new(big.Rat).SetInt64(n) }
func ratDec(d decimal.Decimal) *big.Rat { return d.Rat() }
func ratMul(xs ...*big.Rat) *big.Rat {
	r := ratInt(1)
	for _, x := range xs {
		r.Mul(r, x)
	}
	return r
}
func ratQuo(a, b *big.Rat) *big.Rat { return new(big.Rat).Quo(a, b) }
func decMin(a, b decimal.Decimal) decimal.Decimal {
	if a.LessThan(b) {
		return a
	}
	return b
}

// roundOre rounds an exact amount to øre, half away from zero.
func roundOre(r *big.Rat) decimal.Decimal {
	x := new(big.Rat).Mul(r, ratInt(100))
	num := new(big.Int).Abs(x.Num())
	den := x.Denom()
	// floor((2|n| + d) / 2d) is |x| rounded half up.
	q := new(big.Int).Mul(num, big.NewInt(2))
	q.Add(q, den)
	q.Quo(q, new(big.Int).Mul(den, big.NewInt(2)))
	if x.Sign() < 0 {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, -2)
}

// ---------------------------------------------------------------------------
// Snapshots of the inputs at an as-of date (FORMATS.md "Records are versions")

type refCountKey struct {
	List string
	AsOf payout.Date
}

type refCareKey struct {
	Agreement string
	Year      int
}

type refRateKey struct {
	Scheme    payout.Scheme
	ValidFrom payout.Date
	TierFrom  int
}

// refView is everything a run with knowledge cut-off asOf sees: for every
// key the version with the latest recorded_on ≤ asOf, cancelled ones removed
// (breaches keep their cancelled version: cancellation releases, §4).
type refView struct {
	asOf       payout.Date
	known      int64
	agreements map[string]payout.Agreement
	payees     map[string]payout.Payee
	rates      []payout.Rate
	counts     map[refCountKey]payout.ListCount
	absences   []payout.Absence // sorted by From
	caregivers map[refCareKey]payout.Caregiver
	breaches   map[string]payout.Breach
	takeovers  []payout.Takeover
	years      map[refCareKey]map[payout.Date]refDay
	mains      map[refMainKey]string // the holder payee with the base, per agreement and period
}

// inForce returns, per key, the version with the latest recorded_on ≤ asOf.
func inForce[T any, K comparable](recs []T, key func(T) K, ver func(T) payout.Version, view refAt) map[K]T {
	out := map[K]T{}
	at := map[K]payout.Date{}
	for _, r := range recs {
		rec := ver(r).RecordedOn
		if rec == payout.NoDate {
			rec = payout.Beginning
		}
		if rec > view.asOf || int64(ver(r).Import) > view.known {
			continue
		}
		k := key(r)
		if prev, ok := at[k]; ok && prev >= rec {
			continue
		}
		out[k], at[k] = r, rec
	}
	return out
}

func liveOnly[K comparable, T any](m map[K]T, ver func(T) payout.Version) map[K]T {
	for k, r := range m {
		if ver(r).Cancelled {
			delete(m, k)
		}
	}
	return m
}

func sortedValues[K comparable, T any](m map[K]T, less func(a, b T) bool) []T {
	out := make([]T, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

func (m *refModel) view(asOf refAt) *refView {
	if v, ok := m.views[asOf]; ok {
		return v
	}
	in := m.in
	v := &refView{asOf: asOf.asOf, known: asOf.known, years: map[refCareKey]map[payout.Date]refDay{}, mains: map[refMainKey]string{}}
	v.agreements = liveOnly(inForce(in.Agreements, func(r payout.Agreement) string { return r.ID },
		func(r payout.Agreement) payout.Version { return r.Version }, asOf), func(r payout.Agreement) payout.Version { return r.Version })
	v.payees = liveOnly(inForce(in.Payees, func(r payout.Payee) string { return r.ID },
		func(r payout.Payee) payout.Version { return r.Version }, asOf), func(r payout.Payee) payout.Version { return r.Version })
	rates := liveOnly(inForce(in.Rates, func(r payout.Rate) refRateKey { return refRateKey{r.Scheme, r.ValidFrom, refTierFrom(r)} },
		func(r payout.Rate) payout.Version { return r.Version }, asOf), func(r payout.Rate) payout.Version { return r.Version })
	v.rates = sortedValues(rates, func(a, b payout.Rate) bool {
		if a.ValidFrom != b.ValidFrom {
			return a.ValidFrom < b.ValidFrom
		}
		return refTierFrom(a) < refTierFrom(b)
	})
	v.counts = liveOnly(inForce(in.ListCounts, func(r payout.ListCount) refCountKey { return refCountKey{r.ListID, r.AsOf} },
		func(r payout.ListCount) payout.Version { return r.Version }, asOf), func(r payout.ListCount) payout.Version { return r.Version })
	abs := liveOnly(inForce(in.Absences, func(r payout.Absence) string { return r.ID },
		func(r payout.Absence) payout.Version { return r.Version }, asOf), func(r payout.Absence) payout.Version { return r.Version })
	v.absences = sortedValues(abs, func(a, b payout.Absence) bool { return a.From < b.From })
	v.caregivers = liveOnly(inForce(in.Caregivers, func(r payout.Caregiver) refCareKey { return refCareKey{r.AgreementID, r.Year} },
		func(r payout.Caregiver) payout.Version { return r.Version }, asOf), func(r payout.Caregiver) payout.Version { return r.Version })
	v.breaches = inForce(in.Breaches, func(r payout.Breach) string { return r.ID },
		func(r payout.Breach) payout.Version { return r.Version }, asOf)
	tos := liveOnly(inForce(in.Takeovers, func(r payout.Takeover) string { return r.ID },
		func(r payout.Takeover) payout.Version { return r.Version }, asOf), func(r payout.Takeover) payout.Version { return r.Version })
	v.takeovers = sortedValues(tos, func(a, b payout.Takeover) bool { return a.ID < b.ID })
	m.views[asOf] = v
	return v
}

func refTierFrom(r payout.Rate) int {
	if r.TierFrom == 0 {
		return 1
	}
	return r.TierFrom
}

// ---------------------------------------------------------------------------
// R-GRUNN, R-FYSIO: the annual amount of an agreement in period E

// rateTable returns the tiers of the scheme's table with the latest
// valid_from ≤ day, sorted by tier_from.
func (v *refView) rateTable(s payout.Scheme, day payout.Date) []payout.Rate {
	best := payout.NoDate
	for _, r := range v.rates {
		if r.Scheme == s && r.ValidFrom <= day && r.ValidFrom > best {
			best = r.ValidFrom
		}
	}
	var tiers []payout.Rate
	for _, r := range v.rates {
		if r.Scheme == s && r.ValidFrom == best && best != payout.NoDate {
			tiers = append(tiers, r)
		}
	}
	return tiers
}

// tieredAnnual is Σ over tiers of (members in the tier × tier rate).
func tieredAnnual(tiers []payout.Rate, members int) *big.Rat {
	sum := new(big.Rat)
	for i, t := range tiers {
		hi := members
		if i+1 < len(tiers) && refTierFrom(tiers[i+1])-1 < hi {
			hi = refTierFrom(tiers[i+1]) - 1
		}
		if n := hi - refTierFrom(t) + 1; n > 0 {
			sum.Add(sum, ratMul(ratInt(int64(n)), ratDec(t.AnnualNOK)))
		}
	}
	return sum
}

func (m *refModel) annual(v *refView, g payout.Agreement, E payout.Period) (*big.Rat, error) {
	tiers := v.rateTable(g.Scheme, E.First())
	if len(tiers) == 0 || refTierFrom(tiers[0]) != 1 {
		return nil, fmt.Errorf("%w: no %s rate for %s at %s", payout.ErrMissingRate, g.Scheme, E, v.asOf)
	}
	if g.Scheme == payout.SchemeFysio {
		return ratQuo(ratMul(ratDec(tiers[0].AnnualNOK), ratDec(g.HjemmelPercent)), ratInt(100)), nil
	}
	c, ok := v.counts[refCountKey{g.ListID, E.First()}]
	if !ok {
		return nil, fmt.Errorf("%w: %s list %s for %s at %s", payout.ErrMissingListCount, g.ID, g.ListID, E, v.asOf)
	}
	floor := m.pol.GrunntilskuddMembers
	grunn := g.ListCeiling >= floor && E.First() < refAddMonths(g.ValidFrom, m.pol.GrunntilskuddMonths)
	if c.HasWeighted {
		members := ratDec(c.Weighted)
		if grunn && members.Cmp(ratInt(int64(floor))) < 0 {
			members = ratInt(int64(floor))
		}
		return ratMul(members, ratDec(tiers[0].AnnualNOK)), nil
	}
	members := c.Count
	if grunn && members < floor {
		members = floor
	}
	return tieredAnnual(tiers, members), nil
}

// refAddMonths is "date + n months" (RULEBOOK §1): the same day of the
// month, or that month's last day when it is shorter.
func refAddMonths(d payout.Date, n int) payout.Date {
	t := d.Time()
	months := int(t.Month()) - 1 + n
	y, mo := t.Year()+months/12, months%12
	if mo < 0 {
		y, mo = y-1, mo+12
	}
	firstOfMonth := time.Date(y, time.Month(mo+1), 1, 0, 0, 0, 0, time.UTC)
	lastDay := firstOfMonth.AddDate(0, 1, -1).Day()
	day := t.Day()
	if day > lastDay {
		day = lastDay
	}
	return payout.NewDate(y, mo+1, day)
}

// value is V(n) = annual × share × n ÷ (1200 × D(P)), rounded once.
func value(annual *big.Rat, share decimal.Decimal, n int, E payout.Period) decimal.Decimal {
	num := ratMul(annual, ratDec(share), ratInt(int64(n)))
	return roundOre(ratQuo(num, ratInt(int64(1200*E.Days()))))
}

// ---------------------------------------------------------------------------
// R-ACTIVE, R-16-AGE70

// activeIn reports whether day d of period E is active. With policy
// prorate_partial_months false, the "holder on the 1st" reading: every day
// of E is active when the 1st is, none otherwise.
func (m *refModel) activeIn(g payout.Agreement, E payout.Period, d payout.Date) bool {
	if !m.pol.ProratePartialMonths {
		return m.active(g, E.First())
	}
	return m.active(g, d)
}

func (m *refModel) active(g payout.Agreement, d payout.Date) bool {
	to := g.ValidTo
	if to == payout.NoDate {
		to = payout.Forever
	}
	if d < g.ValidFrom || d > to {
		return false
	}
	if g.BirthDate != payout.NoDate && (g.Scheme == payout.SchemeFastlege || m.pol.FysioAge70) {
		// AddYears maps 29 February to 1 March in a year without it.
		if d >= g.BirthDate.AddYears(70) && !(g.ExtensionTo != payout.NoDate && d <= g.ExtensionTo) {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// §3 absence: one status per day, from counters of the calendar year

// refDay is the status the absence rules give one absence day.
type refDay struct {
	status     payout.DayStatus // paid, unpaid or to-vikar
	vikarPayee string
	rule       string
}

// refCounters are the calendar-year counters, each including the day being
// classified.
type refCounters struct {
	absence, capped, child, parental, union, colleague int
	episode                                            int // consecutive sickness days, across year ends
}

// absenceOn returns the record of agreement g covering day d, if any.
func (v *refView) absenceOn(g string, d payout.Date) (payout.Absence, bool) {
	for _, a := range v.absences {
		if a.AgreementID == g && a.From <= d && d <= a.To {
			return a, true
		}
	}
	return payout.Absence{}, false
}

// yearDays classifies every absence day of agreement g in year y, walking
// the year day by day in date order.
func (m *refModel) yearDays(v *refView, g payout.Agreement, y int) (map[payout.Date]refDay, error) {
	key := refCareKey{g.ID, y}
	if days, ok := v.years[key]; ok {
		return days, nil
	}
	rules := m.pol.AbsenceRulesFor(g.Scheme)
	quota := m.childQuota(v, g.ID, y, rules)
	days := map[payout.Date]refDay{}
	var c refCounters
	// An episode that began last year runs on (R-13.4-SICK).
	for d := payout.NewDate(y, 1, 1) - 1; ; d-- {
		a, ok := v.absenceOn(g.ID, d)
		if !ok || a.Kind != payout.KindSickness {
			break
		}
		c.episode++
	}
	for d := payout.NewDate(y, 1, 1); d.Year() == y; d++ {
		a, ok := v.absenceOn(g.ID, d)
		if !ok {
			c.episode = 0
			continue
		}
		if !m.activeIn(g, d.Period(), d) && !m.active(g, d) {
			// Ignored (RULEBOOK §3): counts for no counter, but the day is
			// still covered by a sickness record for the episode. A day of
			// the agreement that is not paid under prorate_partial_months
			// false still counts: the doctor was really away (README).
			c.episode = refNextEpisode(c.episode, a)
			continue
		}
		c.count(a)
		if a.Cover == payout.CoverMunicipalVikar && c.absence <= refVikarAfter(rules) {
			return nil, refInvalid("%s: municipal vikar on %s, absence day %d of the year", a.ID, d, c.absence)
		}
		days[d] = classify(rules, a, c, quota)
	}
	v.years[key] = days
	return days, nil
}

// refVikarAfter is §14's threshold for a municipal vikar: the policy's
// municipal_vikar_after_days, or colleague_cover_days when it is not set
// (RULEBOOK §3).
func refVikarAfter(r *payout.AbsenceRules) int {
	if r.MunicipalVikarAfterDays == nil {
		return r.ColleagueCoverDays
	}
	return *r.MunicipalVikarAfterDays
}

func refNextEpisode(episode int, a payout.Absence) int {
	if a.Kind == payout.KindSickness {
		return episode + 1
	}
	return 0
}

func (c *refCounters) count(a payout.Absence) {
	c.absence++
	c.episode = refNextEpisode(c.episode, a)
	switch a.Kind {
	case payout.KindSickness:
		c.capped++
	case payout.KindChildSickness:
		c.capped++
		c.child++
	case payout.KindParental:
		c.parental++
	case payout.KindUnionPublic:
		c.union++
	}
	if a.Cover == payout.CoverColleagues {
		c.colleague++
	}
}

// childQuota is R-13.4-CHILD's yearly quota (no caregiver record: 10).
func (m *refModel) childQuota(v *refView, g string, y int, r *payout.AbsenceRules) int {
	cg, ok := v.caregivers[refCareKey{g, y}]
	if !ok {
		return r.ChildDays
	}
	q := r.ChildDays
	if cg.Children > 2 && r.ChildDaysManyChildren > q {
		q = r.ChildDaysManyChildren
	}
	if cg.ChronicOrDisabled && r.ChildDaysChronic > q {
		q = r.ChildDaysChronic
	}
	if cg.SoleCaregiver {
		q *= 2
	}
	return q
}

// classify applies the table of RULEBOOK §3 to one absence day.
func classify(r *payout.AbsenceRules, a payout.Absence, c refCounters, childQuota int) refDay {
	if a.Cover == payout.CoverMunicipalVikar { // always to the vikar
		return refDay{status: payout.StatusToVikar, vikarPayee: a.VikarPayeeID, rule: "R-14"}
	}
	vikar := a.Cover == payout.CoverOwnVikar
	colleagues := a.Cover == payout.CoverColleagues && c.colleague <= r.ColleagueCoverDays
	paidIf := func(ok bool, rule string) refDay {
		if ok {
			return refDay{status: payout.StatusPaid, rule: rule}
		}
		return refDay{status: payout.StatusUnpaid, rule: rule}
	}
	switch a.Kind {
	case payout.KindSickness, payout.KindChildSickness:
		if c.capped > r.Cap134Days {
			return paidIf(vikar, "R-13.4-CAP")
		}
		if a.Kind == payout.KindSickness {
			return paidIf(c.episode <= r.SicknessFullPayDays || vikar || colleagues, "R-13.4-SICK")
		}
		return paidIf(c.child <= childQuota || vikar || colleagues, "R-13.4-CHILD")
	case payout.KindParental:
		return paidIf(c.parental <= r.ParentalPaidDays || vikar, "R-13.5-PARENTAL")
	case payout.KindEducation:
		return paidIf(vikar, "R-13.2-EDU")
	case payout.KindUnionPublic:
		return paidIf(c.union <= r.UnionPaidDays || vikar, "R-13.3-UNION")
	case payout.KindMilitaryService:
		return paidIf(vikar, "R-13.6-SERVICE")
	}
	panic("unknown absence kind " + a.Kind.String())
}

// ---------------------------------------------------------------------------
// One period as seen at one as-of date: base, deductions, vikar, takeover

// periodAt returns the lines of period E computed with the inputs visible at
// asOf; only Base, AbsenceDeduction, VikarAmount and Entitlement are set.
func (m *refModel) periodAt(E payout.Period, asOf refAt) (map[refKey]*refLine, error) {
	pk := refPeriodKey{E, asOf}
	if lines, ok := m.periods[pk]; ok {
		return lines, nil
	}
	v := m.view(asOf)
	if err := m.validate(v); err != nil {
		return nil, err
	}
	lines := map[refKey]*refLine{}
	for _, g := range sortedValues(v.agreements, func(a, b payout.Agreement) bool { return a.ID < b.ID }) {
		if err := m.agreementPeriod(v, g, E, lines); err != nil {
			return nil, err
		}
	}
	m.periods[pk] = lines
	return lines, nil
}

// refTally counts the days of one agreement in one period.
type refTally struct {
	active, unpaid       int
	paidBy               map[string]int // holder payee → paid days (RULEBOOK §6)
	lastActive, lastPaid payout.Date
	vikar                map[string]int             // vikar payee → to-vikar days
	takeover             map[string]int             // takeover record → days
	takeoverRec          map[string]payout.Takeover // takeover record by id
}

func (m *refModel) agreementPeriod(v *refView, g payout.Agreement, E payout.Period, lines map[refKey]*refLine) error {
	t, err := m.tally(v, g, E)
	if err != nil || t.active == 0 {
		return err // no active day: no line (R-ACTIVE)
	}
	annual, err := m.annual(v, g, E)
	if err != nil {
		return err
	}
	share := g.SharePercent
	holder := &refLine{Base: value(annual, share, t.active, E), AbsenceDeduction: value(annual, share, t.unpaid, E)}
	for _, p := range sortedKeys(t.vikar) {
		amt := value(annual, share, t.vikar[p], E)
		holder.VikarAmount = holder.VikarAmount.Add(amt)
		addEntitlement(lines, refKey{g.ID, payout.RoleVikar, p}, amt)
	}
	takeovers := decimal.Zero
	for _, id := range sortedKeys(t.takeover) {
		rec := t.takeoverRec[id]
		if _, ok := v.agreements[rec.PayeeAgreementID]; !ok {
			return refInvalid("takeover %s: unknown payee agreement %s", id, rec.PayeeAgreementID)
		}
		// The payee agreement's payee on the last day of E (RULEBOOK §5, §6).
		payee := m.holderPayee(rec.PayeeAgreementID, E.Last(), refAt{v.asOf, v.known})
		// round(annual × share × days × takeover_share ÷ (120000 × D(P)))
		num := ratMul(annual, ratDec(share), ratInt(int64(t.takeover[id])), ratDec(rec.SharePercent))
		amt := roundOre(ratQuo(num, ratInt(int64(120000*E.Days()))))
		takeovers = takeovers.Add(amt)
		addEntitlement(lines, refKey{g.ID, payout.RoleTakeover, payee}, amt)
	}
	holder.Entitlement = holder.Base.Sub(holder.AbsenceDeduction).Sub(holder.VikarAmount).Sub(takeovers)
	// RULEBOOK §6, payee_from: each day belongs to its payee. The payee of
	// the last paid day (else of the last active day) holds the line with
	// the base; every other payee gets V(its paid days) and the main one the
	// rest, so the holder lines add up to the entitlement.
	main := m.holderPayee(g.ID, t.lastActive, refAt{v.asOf, v.known})
	if t.lastPaid != payout.NoDate {
		main = m.holderPayee(g.ID, t.lastPaid, refAt{v.asOf, v.known})
	}
	v.mains[refMainKey{g.ID, E}] = main
	for _, p := range sortedKeys(t.paidBy) {
		if p == main {
			continue
		}
		amt := value(annual, share, t.paidBy[p], E)
		holder.Entitlement = holder.Entitlement.Sub(amt)
		lines[refKey{g.ID, payout.RoleHolder, p}] = &refLine{Entitlement: amt}
	}
	lines[refKey{g.ID, payout.RoleHolder, main}] = holder
	return nil
}

// refMainKey is an agreement in a period.
type refMainKey struct {
	Agreement string
	E         payout.Period
}

// holderPayee is the payee of agreement id on day d as seen in view
// (RULEBOOK §6): the first version's payee, changed by every later version
// that names another payee, from its payee_from (else its recorded_on) on;
// a later version of the same payee with a payee_from moves that change.
// On a day, the latest change (in recorded order) already in effect wins.
func (m *refModel) holderPayee(id string, d payout.Date, view refAt) string {
	var vs []payout.Agreement
	for _, a := range m.in.Agreements {
		if a.ID == id && refRecorded(a.Version) <= view.asOf && int64(a.Import) <= view.known && !a.Cancelled {
			vs = append(vs, a)
		}
	}
	sort.SliceStable(vs, func(i, j int) bool { return refRecorded(vs[i].Version) < refRecorded(vs[j].Version) })
	if len(vs) == 0 {
		return ""
	}
	type change struct {
		from  payout.Date
		payee string
	}
	var changes []change
	cur := vs[0].PayeeID
	for _, a := range vs[1:] {
		switch {
		case a.PayeeID != cur:
			from := a.PayeeFrom
			if from == payout.NoDate {
				from = refRecorded(a.Version)
			}
			changes = append(changes, change{from, a.PayeeID})
			cur = a.PayeeID
		case a.PayeeFrom != payout.NoDate && len(changes) > 0:
			changes[len(changes)-1].from = a.PayeeFrom
		}
	}
	payee := vs[0].PayeeID
	for _, c := range changes {
		if c.from <= d {
			payee = c.payee
		}
	}
	return payee
}

func refRecorded(v payout.Version) payout.Date {
	if v.RecordedOn == payout.NoDate {
		return payout.Beginning
	}
	return v.RecordedOn
}

func addEntitlement(lines map[refKey]*refLine, k refKey, amt decimal.Decimal) {
	l, ok := lines[k]
	if !ok {
		l = &refLine{}
		lines[k] = l
	}
	l.Entitlement = l.Entitlement.Add(amt)
}

// tally walks the days of E: active days, then takeover days (R-7.7, where
// the absence rules do not apply), then the absence status of the day.
func (m *refModel) tally(v *refView, g payout.Agreement, E payout.Period) (*refTally, error) {
	t := &refTally{vikar: map[string]int{}, takeover: map[string]int{}, takeoverRec: map[string]payout.Takeover{}, paidBy: map[string]int{}}
	for d := E.First(); d <= E.Last(); d++ {
		if !m.activeIn(g, E, d) {
			continue
		}
		t.active++
		t.lastActive = d
		if taken, err := t.takeoverDay(v, g.ID, d); err != nil || taken {
			if err != nil {
				return nil, err
			}
			continue
		}
		days, err := m.yearDays(v, g, d.Year())
		if err != nil {
			return nil, err
		}
		day, ok := days[d]
		switch {
		case !ok || day.status == payout.StatusPaid:
			t.paidBy[m.holderPayee(g.ID, d, refAt{v.asOf, v.known})]++
			t.lastPaid = d
		case day.status == payout.StatusUnpaid:
			t.unpaid++
		case day.status == payout.StatusToVikar:
			t.vikar[day.vikarPayee]++
		}
	}
	return t, nil
}

// takeoverDay counts day d for every takeover record covering it.
func (t *refTally) takeoverDay(v *refView, g string, d payout.Date) (bool, error) {
	sum := decimal.Zero
	for _, rec := range v.takeovers {
		if rec.AgreementID == g && rec.From <= d && d <= rec.To {
			t.takeover[rec.ID]++
			t.takeoverRec[rec.ID] = rec
			sum = sum.Add(rec.SharePercent)
		}
	}
	if sum.IsZero() {
		return false, nil
	}
	if !sum.Equal(decimal.NewFromInt(100)) {
		return false, refInvalid("takeovers of %s on %s sum to %s %%", g, d, sum)
	}
	return true, nil
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// validate checks the invalid-input cases of RULEBOOK §2–§3 the generator
// must avoid (municipal vikar too early is checked in yearDays).
func (m *refModel) validate(v *refView) error {
	for i, a := range v.absences {
		g, ok := v.agreements[a.AgreementID]
		if !ok {
			return refInvalid("absence %s: unknown agreement", a.ID)
		}
		if a.From < g.ValidFrom || (g.ValidTo != payout.NoDate && a.To > g.ValidTo) || a.To < a.From {
			return refInvalid("absence %s outside %s's validity", a.ID, g.ID)
		}
		if a.Kind == payout.KindParental && int(a.To-a.From)+1 > m.pol.AbsenceRulesFor(g.Scheme).ParentalMaxRecordDays {
			return refInvalid("parental absence %s too long", a.ID)
		}
		for _, b := range v.absences[i+1:] {
			if b.AgreementID == a.AgreementID && b.From <= a.To && a.From <= b.To {
				return refInvalid("absences %s and %s overlap", a.ID, b.ID)
			}
		}
	}
	for _, g := range v.agreements {
		if g.Scheme == payout.SchemeFysio && !g.SharePercent.Equal(decimal.NewFromInt(100)) {
			return refInvalid("%s: share_percent %s on a fysio agreement (§7)", g.ID, g.SharePercent)
		}
		if g.ExtensionTo != payout.NoDate && g.BirthDate != payout.NoDate && g.ExtensionTo >= g.BirthDate.AddYears(75) {
			return refInvalid("%s: extension_to past the 75th birthday", g.ID)
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// §4 and §6: the history chain, withholding, adjustments and carry

// at is the view of E: A_E, and what the stored runs that relied on E knew
// (the least knowledge of the released runs of E … P; everything when none).
func (m *refModel) at(E payout.Period) refAt {
	known := everything
	for r, k := range m.opt.KnowledgeByPeriod {
		if r >= E && r <= m.target && k < known {
			known = k
		}
	}
	return refAt{m.asOf(E), known}
}

// asOf is A_E.
func (m *refModel) asOf(E payout.Period) payout.Date {
	if E == m.target && m.opt.AsOf != payout.NoDate {
		return m.opt.AsOf
	}
	if a, ok := m.opt.AsOfByPeriod[E]; ok && E != m.target {
		return a
	}
	return payout.PayDate(E)
}

// historyStart is policy history_start, else the earliest list count as_of,
// else P itself.
func (m *refModel) historyStart(P payout.Period) payout.Period {
	if m.pol.HistoryStart != "" {
		return payout.MustPeriod(m.pol.HistoryStart)
	}
	// Only counts the run of P can see (recorded_on ≤ A_P, RULEBOOK §0).
	H := P
	for _, c := range m.in.ListCounts {
		if c.AsOf.Period() < H && c.RecordedOn <= m.asOf(P) && int64(c.Import) <= m.at(P).known {
			H = c.AsOf.Period()
		}
	}
	return H
}

// refState is what the chain carries from one run to the next.
type refState struct {
	carried map[refKey]decimal.Decimal // carried_out of the last run
	origin  map[refKey]payout.Period   // the run each carried amount arose in
	balance map[string]decimal.Decimal // breach → withheld, not yet released
}

// run computes the lines of P: every period from the history start to P in
// order, each with its own as-of date.
func (m *refModel) run(P payout.Period) (map[refKey]*refLine, error) {
	m.target = P
	H := m.historyStart(P)
	st := &refState{carried: map[refKey]decimal.Decimal{}, origin: map[refKey]payout.Period{}, balance: map[string]decimal.Decimal{}}
	m.claims, m.outside = map[refKey]refClaim{}, map[refOutsideKey]decimal.Decimal{}
	var lines map[refKey]*refLine
	for E := H; E <= P; E++ {
		var err error
		if lines, err = m.runPeriod(E, H, st); err != nil {
			return nil, fmt.Errorf("run %s: %w", E, err)
		}
	}
	return lines, nil
}

func (m *refModel) runPeriod(E, H payout.Period, st *refState) (map[refKey]*refLine, error) {
	A := m.at(E)
	own, err := m.periodAt(E, A)
	if err != nil {
		return nil, err
	}
	lines := map[refKey]*refLine{}
	line := func(k refKey) *refLine {
		if lines[k] == nil {
			lines[k] = &refLine{}
		}
		return lines[k]
	}
	for k, l := range own {
		c := *l
		lines[k] = &c
	}
	m.withhold(E, A, st, line)
	if err := m.adjust(E, H, A, line); err != nil {
		return nil, err
	}
	for k, c := range st.carried {
		line(k).CarriedIn = c
	}
	carried, origin := map[refKey]decimal.Decimal{}, map[refKey]payout.Period{}
	for k, l := range lines { // R-CARRY
		raw := l.Entitlement.Sub(l.Withheld).Add(l.Released).Add(l.Adjustments).Add(l.CarriedIn)
		if raw.Sign() >= 0 {
			l.Net, l.CarriedOut = raw, decimal.Zero
			continue
		}
		from := E
		if l.CarriedIn.Sign() < 0 {
			from = st.origin[k]
		}
		l.Net, l.CarriedOut = decimal.Zero, raw
		// RULEBOOK §6: an overpayment that can no longer be recovered is
		// claimed from the payee: here, when the line has no amount of its
		// own in E (no active day, or its payee is paid for no day of E).
		if _, paid := own[k]; !paid {
			l.CarriedOut = decimal.Zero
			if E == m.target {
				m.claims[k] = refClaim{Amount: raw.Neg(), Origin: from}
			}
			continue
		}
		carried[k], origin[k] = raw, from
	}
	st.carried, st.origin = carried, origin
	return lines, nil
}

// withhold applies R-15.1-WITHHOLD and R-15.1-RELEASE in breach_id order.
func (m *refModel) withhold(E payout.Period, at refAt, st *refState, line func(refKey) *refLine) {
	v := m.view(at)
	A := at.asOf
	left := map[string]decimal.Decimal{} // agreement → percent left of the ceiling
	for _, id := range sortedKeys(v.breaches) {
		b := v.breaches[id]
		g, ok := v.agreements[b.AgreementID]
		if !ok {
			continue
		}
		main, ok := v.mains[refMainKey{g.ID, E}]
		if !ok { // no active day in E: the payee on its last day
			main = m.holderPayee(g.ID, E.Last(), at)
		}
		k := refKey{g.ID, payout.RoleHolder, main}
		if b.Cancelled || (b.RectifiedOn != payout.NoDate && b.RectifiedOn <= A) {
			if bal := st.balance[id]; !bal.IsZero() {
				line(k).Released = line(k).Released.Add(bal)
				st.balance[id] = decimal.Zero
			}
			continue
		}
		if b.WithholdFrom > E {
			continue
		}
		if _, ok := left[g.ID]; !ok {
			left[g.ID] = m.pol.MaxWithholdingPercent
		}
		pct := decMin(b.Percent, left[g.ID])
		left[g.ID] = left[g.ID].Sub(pct)
		w := roundOre(ratQuo(ratMul(ratDec(line(k).Entitlement), ratDec(pct)), ratInt(100)))
		line(k).Withheld = line(k).Withheld.Add(w)
		st.balance[id] = st.balance[id].Add(w)
	}
}

// adjust applies R-ADJ: amount(E' at A_E) − amount(E' at A_{E−1}) for every
// earlier period E' of the window and every line.
func (m *refModel) adjust(E, H payout.Period, A refAt, line func(refKey) *refLine) error {
	lo := E - payout.Period(m.pol.RetroWindowMonths)
	if lo < H {
		lo = H
	}
	prevA := m.at(E - 1)
	first := lo
	if E == m.target {
		first = H // corrections older than the window are listed, not paid
	}
	for ref := first; ref < E; ref++ {
		after, err := m.periodAt(ref, A)
		if err != nil {
			return err
		}
		before, err := m.periodAt(ref, prevA)
		if err != nil {
			return err
		}
		keys := map[refKey]bool{}
		for k := range after {
			keys[k] = true
		}
		for k := range before {
			keys[k] = true
		}
		for k := range keys {
			d := entitlementOf(after, k).Sub(entitlementOf(before, k))
			switch {
			case d.IsZero():
			case ref < lo:
				m.outside[refOutsideKey{k, ref}] = d
			default:
				line(k).Adjustments = line(k).Adjustments.Add(d)
			}
		}
	}
	return nil
}

func entitlementOf(lines map[refKey]*refLine, k refKey) decimal.Decimal {
	if l, ok := lines[k]; ok {
		return l.Entitlement
	}
	return decimal.Zero
}

// ---------------------------------------------------------------------------
// The model against the rulebook's worked examples (validates the model)

func TestReferenceModelExamples(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(sharedtest.Dir(t, "examples"), "*", "case.json"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no worked examples in ../shared/examples: %v", err)
	}
	for _, c := range dirs {
		dir := filepath.Dir(c)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			in, P := loadRefExample(t, dir)
			got, err := newRefModel(in, payout.Options{}).run(P)
			if err != nil {
				t.Fatalf("model: %v", err)
			}
			want := readRefExpected(t, filepath.Join(dir, "expected.csv"))
			if diff := diffRefLines(want, got); diff != "" {
				t.Errorf("model differs from expected.csv (want → model):\n%s", diff)
			}
		})
	}
}

// diffRefLines compares two sets of lines; a missing line equals one with
// every amount zero (examples/README.md).
func diffRefLines(want, got map[refKey]*refLine) string {
	keys := map[refKey]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	sorted := make([]refKey, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].String() < sorted[j].String() })
	var b strings.Builder
	zero := &refLine{}
	for _, k := range sorted {
		w, g := want[k], got[k]
		if w == nil {
			w = zero
		}
		if g == nil {
			g = zero
		}
		wa, ga := w.amounts(), g.amounts()
		for i, name := range refAmountNames {
			if !wa[i].Equal(ga[i]) {
				fmt.Fprintf(&b, "  %-28s %-18s %12s → %12s\n", k, name, wa[i].StringFixed(2), ga[i].StringFixed(2))
			}
		}
	}
	return b.String()
}

func readRefExpected(t *testing.T, path string) map[refKey]*refLine {
	rows := readRefCSV(t, path)
	out := map[refKey]*refLine{}
	for _, r := range rows {
		l := &refLine{}
		ptrs := []*decimal.Decimal{&l.Base, &l.AbsenceDeduction, &l.VikarAmount, &l.Entitlement,
			&l.Withheld, &l.Released, &l.Adjustments, &l.CarriedIn, &l.Net, &l.CarriedOut}
		for i, name := range refAmountNames {
			*ptrs[i] = decimal.RequireFromString(r[name])
		}
		out[refKey{r["agreement_id"], payout.Role(r["role"]), r["payee_id"]}] = l
	}
	return out
}

// readRefCSV reads a CSV file into rows keyed by lower-case column name;
// a missing file has no rows.
func readRefCSV(t *testing.T, path string) []map[string]string {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[strings.ToLower(strings.TrimSpace(h))] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, row)
	}
	return rows
}

// loadRefExample reads a fixture folder with a minimal reader of its own
// (the project's importers are not used, to keep the model independent).
func loadRefExample(t *testing.T, dir string) (*payout.Inputs, payout.Period) {
	var c struct{ Period string }
	data, err := os.ReadFile(filepath.Join(dir, "case.json"))
	if err != nil || json.Unmarshal(data, &c) != nil {
		t.Fatalf("case.json: %v", err)
	}
	in := &payout.Inputs{Policy: payout.DefaultPolicy()}
	if data, err := os.ReadFile(filepath.Join(dir, "policy.json")); err == nil {
		if in.Policy, err = payout.ParsePolicy(data); err != nil {
			t.Fatal(err)
		}
	}
	p := refParser{t: t}
	read := func(name string, each func(r map[string]string, v payout.Version)) {
		for i, r := range readRefCSV(t, filepath.Join(dir, name+".csv")) {
			each(r, payout.Version{RecordedOn: p.date(r["recorded_on"], payout.Beginning),
				Cancelled: p.bool(r["cancelled"]), Src: payout.NewSource(name+".csv", "", i+2)})
		}
	}
	read("rates", func(r map[string]string, v payout.Version) {
		in.Rates = append(in.Rates, payout.Rate{Scheme: payout.Scheme(r["scheme"]), ValidFrom: p.date(r["valid_from"], payout.NoDate),
			TierFrom: p.int(r["tier_from"], 1), AnnualNOK: p.dec(r["annual_amount"], "0"), Source: r["source"], Version: v})
	})
	read("payees", func(r map[string]string, v payout.Version) {
		in.Payees = append(in.Payees, payout.Payee{ID: r["payee_id"], Name: r["name"], Account: payout.NormalizeAccount(r["account"]), OrgNr: r["orgnr"], Version: v})
	})
	read("agreements", func(r map[string]string, v payout.Version) {
		in.Agreements = append(in.Agreements, payout.Agreement{ID: r["agreement_id"], Scheme: payout.Scheme(r["scheme"]), Name: r["name"],
			HPR: r["hpr"], Bydel: r["bydel"], ValidFrom: p.date(r["valid_from"], payout.NoDate), ValidTo: p.date(r["valid_to"], payout.Forever),
			PayeeID: r["payee_id"], ListID: r["list_id"], SharePercent: p.dec(r["share_percent"], "100"), HjemmelPercent: p.dec(r["hjemmel_percent"], "0"),
			ListCeiling: p.int(r["list_ceiling"], 0), BirthDate: p.date(r["birth_date"], payout.NoDate), ExtensionTo: p.date(r["extension_to"], payout.NoDate),
			PracticeID: r["practice_id"], PayeeFrom: p.date(r["payee_from"], payout.NoDate), Version: v})
	})
	read("list_counts", func(r map[string]string, v payout.Version) {
		in.ListCounts = append(in.ListCounts, payout.ListCount{ListID: r["list_id"], AsOf: p.date(r["as_of"], payout.NoDate), Count: p.int(r["count"], 0),
			Weighted: p.dec(r["weighted_count"], "0"), HasWeighted: r["weighted_count"] != "", Version: v})
	})
	read("absences", func(r map[string]string, v payout.Version) {
		in.Absences = append(in.Absences, payout.Absence{ID: r["absence_id"], AgreementID: r["agreement_id"], Kind: mustKind(r["kind"]),
			From: p.date(r["from"], payout.NoDate), To: p.date(r["to"], payout.NoDate), Cover: mustCover(r["cover"]), VikarPayeeID: r["vikar_payee_id"], Version: v})
	})
	read("caregivers", func(r map[string]string, v payout.Version) {
		in.Caregivers = append(in.Caregivers, payout.Caregiver{AgreementID: r["agreement_id"], Year: p.int(r["year"], 0), Children: p.int(r["children"], 0),
			ChronicOrDisabled: p.bool(r["chronic_or_disabled"]), SoleCaregiver: p.bool(r["sole_caregiver"]), Version: v})
	})
	read("breaches", func(r map[string]string, v payout.Version) {
		in.Breaches = append(in.Breaches, payout.Breach{ID: r["breach_id"], AgreementID: r["agreement_id"], DecisionRef: r["decision_ref"],
			NoticeOn: p.date(r["notice_on"], payout.NoDate), WithholdFrom: payout.MustPeriod(r["withhold_from"]), Percent: p.dec(r["percent"], "0"),
			RectifiedOn: p.date(r["rectified_on"], payout.NoDate), Version: v})
	})
	read("takeovers", func(r map[string]string, v payout.Version) {
		in.Takeovers = append(in.Takeovers, payout.Takeover{ID: r["takeover_id"], AgreementID: r["agreement_id"], From: p.date(r["from"], payout.NoDate),
			To: p.date(r["to"], payout.NoDate), PayeeAgreementID: r["payee_agreement_id"], SharePercent: p.dec(r["share_percent"], "100"), Version: v})
	})
	return in, payout.MustPeriod(c.Period)
}

// refParser parses cells, failing the test on a malformed one.
type refParser struct{ t *testing.T }

func (p refParser) date(s string, empty payout.Date) payout.Date {
	if s == "" {
		return empty
	}
	d, err := payout.ParseDate(s)
	if err != nil {
		p.t.Fatal(err)
	}
	return d
}

func (p refParser) int(s string, empty int) int {
	if s == "" {
		return empty
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		p.t.Fatal(err)
	}
	return n
}

func (p refParser) dec(s, empty string) decimal.Decimal {
	if s == "" {
		s = empty
	}
	return decimal.RequireFromString(s)
}

func (p refParser) bool(s string) bool { return s == "true" || s == "ja" }
