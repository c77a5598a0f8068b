package payout_test

// A seeded generator of small, random and VALID input sets for the
// reference-model comparison (refmodel_cmp_test.go). Each input set has
// 1–4 agreements (fastlege and fysio, sometimes a shared list), 3–14 months
// of list counts with late corrections and weighted counts, tiered rates with
// a late-recorded new table, absences of every kind and cover (colleague
// cover, long sickness past the cap, municipal vikar after 8 weeks),
// caregivers, breaches with percent, rectification and cancellation
// versions, takeovers, age-70 ends with extensions, and mid-month starts and
// ends.
//
// Validity at EVERY as-of date is by construction: each absence or takeover
// of an agreement owns a slot of days that its versions never leave, so no
// two records ever overlap; a municipal_vikar record is only made after 56
// (policy) days of "stable" absences of the same year (records never
// corrected, recorded no later than it); takeover records of one event share
// their versions' recorded_on, so their shares sum to 100 on every day.

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// refSeeds is how many random input sets the comparison runs.
const refSeeds = 200

// refGen holds the state of one generation.
type refGen struct {
	r      *rand.Rand
	in     *payout.Inputs
	H, P   payout.Period
	payees int
	vikars []string // vikar payees
	ids    map[string]int
	// stable absence days per agreement and year, and their latest recorded_on
	stableDays map[refCareKey]int
	stableRec  map[refCareKey]payout.Date
	activeEnd  payout.Date // the last active day of the agreement being filled
}

// genRefInputs returns a random valid input set and the period to run.
func genRefInputs(seed uint64) (*payout.Inputs, payout.Period) {
	g := &refGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		in: &payout.Inputs{Policy: payout.DefaultPolicy()}, ids: map[string]int{},
		stableDays: map[refCareKey]int{}, stableRec: map[refCareKey]payout.Date{}}
	g.H = payout.NewPeriod(g.intn(2015, 2024), g.intn(1, 12))
	g.P = g.H + payout.Period(g.intn(3, 14)-1)
	g.policy()
	g.rates(payout.SchemeFastlege, 400, 700)
	g.rates(payout.SchemeFysio, 420000, 500000)
	g.vikars = []string{g.payee(), g.payee()}
	n := g.intn(1, 4)
	for i := 0; i < n; i++ {
		g.agreement()
	}
	g.listCounts()
	for _, a := range g.in.Agreements {
		g.events(a)
		g.caregivers(a)
		g.breaches(a)
	}
	for _, a := range g.in.Agreements[:n] {
		g.agreementVersion(a)
	}
	return g.in, g.P
}

// genRefOptions returns the run options of a seed: usually none (A_E =
// pay(E)); sometimes a later as-of for P, or recorded as-of dates of some
// earlier released runs (never before pay(E), so every count is visible).
func genRefOptions(seed uint64, in *payout.Inputs, P payout.Period) payout.Options {
	g := &refGen{r: rand.New(rand.NewPCG(seed, 0x5eed))}
	var opt payout.Options
	if g.chance(0.15) {
		opt.AsOf = payout.PayDate(P) + payout.Date(g.intn(0, 40))
	}
	if g.chance(0.15) {
		opt.AsOfByPeriod = map[payout.Period]payout.Date{}
		for k := g.intn(1, 3); k > 0; k-- {
			E := P - payout.Period(g.intn(1, 6))
			opt.AsOfByPeriod[E] = payout.PayDate(E) + payout.Date(g.intn(0, 10))
		}
	}
	return opt
}

// ---------------------------------------------------------------------------
// Random helpers

func (g *refGen) intn(lo, hi int) int   { return lo + g.r.IntN(hi-lo+1) }
func (g *refGen) chance(p float64) bool { return g.r.Float64() < p }
func (g *refGen) day(lo, hi payout.Date) payout.Date {
	if hi <= lo {
		return lo
	}
	return lo + payout.Date(g.r.IntN(int(hi-lo)+1))
}
func pick[T any](g *refGen, xs ...T) T { return xs[g.r.IntN(len(xs))] }

func (g *refGen) id(prefix string) string {
	g.ids[prefix]++
	return fmt.Sprintf("%s%d", prefix, g.ids[prefix])
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ver(rec payout.Date) payout.Version { return payout.Version{RecordedOn: rec} }

func maxDate(a, b payout.Date) payout.Date {
	if a > b {
		return a
	}
	return b
}

func minDate(a, b payout.Date) payout.Date {
	if a < b {
		return a
	}
	return b
}

// ---------------------------------------------------------------------------
// Policy, rates, payees, agreements

func (g *refGen) policy() {
	p := &g.in.Policy
	if g.chance(0.2) {
		p.RetroWindowMonths = g.intn(1, 4)
	}
	if g.chance(0.2) { // small thresholds so short histories reach them
		p.AbsenceRules = g.smallAbsenceRules()
	}
	if g.chance(0.1) { // fysio with rules of its own (§7)
		r := g.smallAbsenceRules()
		n := refVikarAfter(&p.AbsenceRules) // the generator uses one threshold
		r.MunicipalVikarAfterDays = &n
		p.Fysio = &r
	}
	if g.chance(0.3) { // windows that end in a short month
		p.GrunntilskuddMonths = pick(g, 1, 13, 24, 25)
	}
	p.FysioAge70 = g.chance(0.1)
	p.ProratePartialMonths = !g.chance(0.15)
	if g.chance(0.1) {
		p.HistoryStart = (g.H + payout.Period(g.intn(1, int(g.P-g.H)))).String()
	}
}

func (g *refGen) smallAbsenceRules() payout.AbsenceRules {
	r := payout.DefaultAbsenceRules()
	r.Cap134Days, r.ColleagueCoverDays, r.SicknessFullPayDays = g.intn(20, 40), g.intn(8, 20), g.intn(3, 10)
	r.ParentalPaidDays, r.UnionPaidDays = g.intn(3, 10), g.intn(2, 5)
	r.ChildDays, r.ChildDaysManyChildren, r.ChildDaysChronic = 3, 4, 6
	if g.chance(0.5) { // else it follows colleague_cover_days (RULEBOOK §3)
		n := g.intn(15, 30)
		r.MunicipalVikarAfterDays = &n
	}
	return r
}

// rates makes a table in force before the history start, and a newer one
// inside the range that is often recorded late (paid through R-ADJ).
func (g *refGen) rates(s payout.Scheme, lo, hi int) {
	tiered := s == payout.SchemeFastlege && g.chance(0.6)
	first := g.H.First().AddMonths(-g.intn(0, 18)) + payout.Date(g.intn(0, 27))
	first = minDate(first, g.H.First())
	base := g.intn(lo, hi)
	g.rateTable(s, first, base, tiered, payout.Beginning)
	if !g.chance(0.7) {
		return
	}
	from := g.day(g.H.First()+1, g.P.Last())
	rec := payout.Beginning
	if g.chance(0.6) {
		rec = g.day(from-30, g.P.Last()+10)
	}
	bump := base / 20
	next := base + g.intn(1, bump+1)
	g.rateTable(s, from, next, tiered, rec)
	switch {
	case g.chance(0.15): // a corrected amount, recorded later
		g.in.Rates = append(g.in.Rates, payout.Rate{Scheme: s, ValidFrom: from, TierFrom: 1,
			AnnualNOK: decimal.NewFromInt(int64(next + g.intn(1, bump+1))).Add(dec("0.5")), Source: "Korrigert", Version: ver(maxDate(rec, g.H.First()) + payout.Date(g.intn(1, 60)))})
	case g.chance(0.05): // the whole new table withdrawn
		v := ver(maxDate(rec, g.H.First()) + payout.Date(g.intn(1, 60)))
		v.Cancelled = true
		for _, tier := range []int{1, 1001} {
			if tier == 1001 && !tiered {
				continue
			}
			g.in.Rates = append(g.in.Rates, payout.Rate{Scheme: s, ValidFrom: from, TierFrom: tier, AnnualNOK: dec("1"), Source: "Trukket", Version: v})
		}
	}
}

func (g *refGen) rateTable(s payout.Scheme, from payout.Date, amount int, tiered bool, rec payout.Date) {
	g.in.Rates = append(g.in.Rates, payout.Rate{Scheme: s, ValidFrom: from, TierFrom: 1,
		AnnualNOK: decimal.NewFromInt(int64(amount)), Source: "Statsavtalen", Version: ver(rec)})
	if tiered {
		g.in.Rates = append(g.in.Rates, payout.Rate{Scheme: s, ValidFrom: from, TierFrom: 1001,
			AnnualNOK: decimal.NewFromInt(int64(amount - g.intn(50, 150))), Source: "Statsavtalen", Version: ver(rec)})
	}
}

// payee makes a payee with a valid MOD11 account (and sometimes orgnr).
func (g *refGen) payee() string {
	g.payees++
	id := fmt.Sprintf("P%02d", g.payees)
	p := payout.Payee{ID: id, Name: "Mottaker " + id, Account: g.mod11(10, true), Version: ver(payout.Beginning)}
	if g.chance(0.3) {
		p.OrgNr = g.mod11(8, false)
	}
	g.in.Payees = append(g.in.Payees, p)
	return id
}

func (g *refGen) mod11(n int, account bool) string {
	for {
		digits := fmt.Sprintf("%d", g.intn(1, 9))
		for len(digits) < n {
			digits += fmt.Sprintf("%d", g.intn(0, 9))
		}
		if c, ok := payout.Mod11CheckDigit(digits, account); ok {
			return digits + string(c)
		}
	}
}

func (g *refGen) agreement() {
	a := payout.Agreement{ID: g.id("A"), Scheme: payout.SchemeFastlege, HPR: fmt.Sprint(g.intn(1000000, 9999999)),
		Bydel: fmt.Sprintf("%02d", g.intn(1, 15)), PayeeID: g.payee(), SharePercent: dec("100"),
		ValidTo: payout.Forever, PracticeID: "PR1", Version: ver(payout.Beginning)}
	a.Name = "Lege " + a.ID
	if g.chance(0.25) {
		a.Scheme = payout.SchemeFysio
		a.HjemmelPercent = dec(pick(g, "100", "50", "40", "60", "80", "33.33"))
	}
	a.ValidFrom = g.H.First().AddMonths(-g.intn(1, 120)) + payout.Date(g.intn(0, 27))
	if g.chance(0.3) { // starts inside the range, usually mid-month
		a.ValidFrom = g.day(g.H.First(), g.P.Last()-5)
	}
	if g.chance(0.2) { // ends mid-range or soon after
		a.ValidTo = g.day(maxDate(a.ValidFrom, g.H.First())+10, g.P.Last()+60)
	}
	g.birth(&a)
	if a.Scheme == payout.SchemeFastlege {
		g.list(&a)
	}
	g.in.Agreements = append(g.in.Agreements, a)
}

// birth sets the birth date: sometimes the 70th birthday falls in the range
// (R-16-AGE70), sometimes with an extension, sometimes a 29 February.
func (g *refGen) birth(a *payout.Agreement) {
	a.BirthDate = payout.NewDate(g.intn(1952, 1985), g.intn(1, 12), g.intn(1, 28))
	if !g.chance(0.3) {
		if a.Scheme == payout.SchemeFysio && g.chance(0.5) {
			a.BirthDate = payout.NoDate
		}
		return
	}
	b70 := g.day(g.H.First()-60, g.P.Last())
	a.BirthDate = b70.AddYears(-70)
	if y := a.BirthDate.Year(); g.chance(0.2) && y%4 == 0 && y%100 != 0 {
		a.BirthDate = payout.NewDate(y, 2, 29)
	}
	if g.chance(0.4) {
		a.ExtensionTo = minDate(a.BirthDate.AddYears(70)+payout.Date(g.intn(20, 700)), a.BirthDate.AddYears(75)-1)
	}
}

// list gives a fastlege agreement its own list, or shares an earlier one.
func (g *refGen) list(a *payout.Agreement) {
	a.ListCeiling = g.intn(1000, 2500)
	for i := range g.in.Agreements {
		o := &g.in.Agreements[i]
		if o.Scheme == payout.SchemeFastlege && o.SharePercent.Equal(dec("100")) && g.chance(0.3) {
			share := dec(pick(g, "50", "60", "40", "70", "33.33"))
			a.ListID, a.SharePercent, o.SharePercent = o.ListID, share, dec("100").Sub(share)
			return
		}
	}
	a.ListID = g.id("L")
	if g.chance(0.3) { // a small new list: R-GRUNN while young
		a.ListCeiling = pick(g, 400, 500, 800, 1200)
		a.ValidFrom = g.day(g.P.First().AddMonths(-30), g.P.Last()-5)
		if g.chance(0.5) { // a month's last day: valid_from + N months clamps (RULEBOOK §1)
			a.ValidFrom = g.monthEndStart()
		}
	}
}

// monthEndStart returns the last day of a month M such that M + the
// grunntilskudd months is a shorter month T inside the range: the floor
// ends on T's last day, and T+1 (not floored) is in the range too; T+1 is
// P itself when it can be (only P's own amounts tell the readings apart).
func (g *refGen) monthEndStart() payout.Date {
	n := payout.Period(g.in.Policy.GrunntilskuddMonths)
	var ends []payout.Date
	for T := g.H; T < g.P; T++ {
		if (T - n).Days() > T.Days() {
			ends = append(ends, (T - n).Last())
		}
	}
	if T := g.P - 1; (T-n).Days() > T.Days() && g.chance(0.7) {
		return (T - n).Last()
	}
	if len(ends) == 0 {
		return g.day(g.P.First().AddMonths(-30), g.P.Last()-5).Period().Last()
	}
	return pick(g, ends...)
}

// listCounts makes one count per list and month from the history start
// (the earliest as_of, known from the beginning), with corrections.
func (g *refGen) listCounts() {
	lists := map[string]payout.Agreement{}
	var order []string
	for _, a := range g.in.Agreements {
		if a.Scheme == payout.SchemeFastlege {
			if _, ok := lists[a.ListID]; !ok {
				order = append(order, a.ListID)
			}
			lists[a.ListID] = a
		}
	}
	for _, id := range order {
		count := g.intn(600, 2400)
		if lists[id].ListCeiling <= 1200 && g.chance(0.8) {
			count = g.intn(150, 520)
		}
		weightedFrom := g.P + 1
		if g.chance(0.35) {
			weightedFrom = g.H + payout.Period(g.intn(0, int(g.P-g.H)))
		}
		for E := g.H; E <= g.P; E++ {
			count = max(0, count+g.intn(-30, 30))
			g.listCount(id, E, count, E >= weightedFrom)
		}
	}
}

func (g *refGen) listCount(list string, E payout.Period, count int, weighted bool) {
	rec := payout.Beginning
	switch {
	case E == g.H:
	case g.chance(0.4):
		rec = E.First() - payout.Date(g.intn(0, 20))
	case g.chance(0.5):
		rec = g.day(E.First(), payout.PayDate(E))
	}
	c := payout.ListCount{ListID: list, AsOf: E.First(), Count: count, Version: ver(rec)}
	g.setWeighted(&c, weighted)
	g.in.ListCounts = append(g.in.ListCounts, c)
	for k := 0; k < 2 && g.chance(0.15); k++ { // a Helfo correction, recorded later
		rec = g.day(maxDate(rec, payout.PayDate(E))+1, payout.PayDate(g.P)+20)
		c = payout.ListCount{ListID: list, AsOf: E.First(), Count: max(0, count+g.intn(-80, 80)), Version: ver(rec)}
		g.setWeighted(&c, weighted || g.chance(0.1))
		g.in.ListCounts = append(g.in.ListCounts, c)
	}
}

func (g *refGen) setWeighted(c *payout.ListCount, weighted bool) {
	if weighted {
		factor := decimal.NewFromInt(int64(g.intn(80, 125))).Div(decimal.NewFromInt(100))
		c.Weighted, c.HasWeighted = decimal.NewFromInt(int64(c.Count)).Mul(factor).Add(dec(pick(g, "0", "0.37", "0.5", "0.99"))), true
	}
}

// ---------------------------------------------------------------------------
// Absences and takeovers: a cursor walks the agreement's active days and
// lays disjoint slots, one per record (or per takeover event)

// lastActive is the last day absences may use: before the 70th birthday
// unless extended, and within validity.
func (g *refGen) lastActive(a payout.Agreement) payout.Date {
	end := a.ValidTo
	if (a.Scheme == payout.SchemeFastlege || g.in.Policy.FysioAge70) && a.BirthDate != payout.NoDate {
		b70 := a.BirthDate.AddYears(70)
		end = minDate(end, maxDate(b70-1, a.ExtensionTo))
	}
	return minDate(end, g.P.Last()+20)
}

func (g *refGen) events(a payout.Agreement) {
	lo := maxDate(a.ValidFrom, g.H.First().AddMonths(-g.intn(0, 14)))
	hi := g.lastActive(a)
	if g.chance(0.3) { // R-16-AGE70: days after the end are ignored, with a warning
		hi = minDate(hi+payout.Date(g.intn(1, 30)), minDate(a.ValidTo, g.P.Last()+20))
	}
	g.activeEnd = g.lastActive(a)
	tookOver := false
	for cur := lo + payout.Date(g.intn(0, 30)); cur <= hi; {
		var to payout.Date
		switch {
		case !tookOver && len(g.in.Agreements) > 1 && g.chance(0.12):
			tookOver = true
			to = g.takeover(a, cur, hi)
		case g.chance(0.1):
			to = g.longSickness(a, cur, hi)
		default:
			to = g.absence(a, cur, hi, g.kind(), false)
		}
		cur = to + 1
	}
}

func (g *refGen) kind() payout.AbsenceKind {
	return pick(g, payout.KindSickness, payout.KindSickness, payout.KindSickness, payout.KindChildSickness,
		payout.KindChildSickness, payout.KindParental, payout.KindEducation, payout.KindUnionPublic, payout.KindMilitaryService)
}

func (g *refGen) length(k payout.AbsenceKind) int {
	switch k {
	case payout.KindSickness:
		if g.chance(0.25) {
			return g.intn(20, 130)
		}
		return g.intn(1, 20)
	case payout.KindChildSickness:
		return g.intn(1, 4)
	case payout.KindParental:
		return g.intn(5, 80)
	case payout.KindEducation:
		return g.intn(1, 15)
	case payout.KindUnionPublic:
		return g.intn(1, 6)
	}
	return g.intn(5, 40)
}

// gapAfter returns the slot end of a record ending on to: the record's
// versions may use days up to it; the next record starts the day after.
func (g *refGen) gapAfter(to, hi payout.Date) payout.Date {
	if g.chance(0.15) {
		return to // back to back: a sickness episode may run across records
	}
	return minDate(to+payout.Date(g.intn(1, 60)), hi)
}

// longSickness makes a stable sickness record of at least the municipal
// vikar threshold, then a sickness record that goes on at once with a vikar
// (often municipal: R-14), which also runs past the R-13.4-CAP.
func (g *refGen) longSickness(a payout.Agreement, from, hi payout.Date) payout.Date {
	after := refVikarAfter(&g.in.Policy.AbsenceRules)
	to := minDate(from+payout.Date(g.intn(after, after+40)-1), hi)
	rec := pick(g, payout.Beginning, from-payout.Date(g.intn(0, 5)))
	g.addAbsence(payout.Absence{ID: g.id("S"), AgreementID: a.ID, Kind: payout.KindSickness, From: from, To: to,
		Cover: pick(g, payout.CoverNone, payout.CoverColleagues, payout.CoverOwnVikar), Version: ver(rec)}, true)
	if to >= hi {
		return to
	}
	return g.absence(a, to+1, hi, payout.KindSickness, true)
}

// absence makes one record starting on from, with its corrections.
func (g *refGen) absence(a payout.Agreement, from, hi payout.Date, k payout.AbsenceKind, vikar bool) payout.Date {
	to := minDate(from+payout.Date(g.length(k)-1), hi)
	rec := payout.Beginning
	switch {
	case g.chance(0.55):
		rec = from - payout.Date(g.intn(0, 5))
	case g.chance(0.9):
		rec = to + payout.Date(g.intn(1, 70)) // late-recorded
	}
	ab := payout.Absence{ID: g.id("S"), AgreementID: a.ID, Kind: k, From: from, To: to, Version: ver(rec)}
	ab.Cover = pick(g, payout.CoverNone, payout.CoverNone, payout.CoverColleagues, payout.CoverColleagues, payout.CoverOwnVikar, payout.CoverMunicipalVikar)
	if vikar {
		ab.Cover = pick(g, payout.CoverOwnVikar, payout.CoverMunicipalVikar, payout.CoverMunicipalVikar)
	}
	if ab.Cover == payout.CoverMunicipalVikar {
		y := from.Year()
		to := minDate(ab.To, minDate(payout.NewDate(y, 12, 31), g.activeEnd))
		key := refCareKey{a.ID, y}
		if g.stableDays[key] < refVikarAfter(&g.in.Policy.AbsenceRules) || to < ab.From {
			ab.Cover = payout.CoverOwnVikar
		} else {
			ab.To, ab.VikarPayeeID = to, pick(g, g.vikars...)
			ab.RecordedOn = maxDate(ab.RecordedOn, g.stableRec[key])
		}
	}
	slotEnd := g.gapAfter(ab.To, hi)
	if !g.chance(0.25) {
		g.addAbsence(ab, ab.Cover != payout.CoverMunicipalVikar)
		return slotEnd
	}
	g.addAbsence(ab, false)
	g.correctAbsence(ab, slotEnd)
	return slotEnd
}

// correctAbsence adds a later version: cancelled, moved within the slot,
// or with another cover (never to municipal_vikar).
func (g *refGen) correctAbsence(ab payout.Absence, slotEnd payout.Date) {
	c := ab
	c.RecordedOn = maxDate(ab.RecordedOn, ab.From) + payout.Date(g.intn(1, 90))
	if g.chance(0.2) {
		c.Cancelled = true
		g.in.Absences = append(g.in.Absences, c)
		return
	}
	if ab.Cover == payout.CoverMunicipalVikar {
		slotEnd = ab.To // never across a year end
	}
	c.To = g.day(ab.From, slotEnd)
	if g.chance(0.2) {
		c.From = g.day(ab.From, c.To)
	}
	if g.chance(0.3) {
		c.Cover, c.VikarPayeeID = pick(g, payout.CoverNone, payout.CoverColleagues, payout.CoverOwnVikar), ""
	}
	g.in.Absences = append(g.in.Absences, c)
}

// addAbsence appends a record; a stable one (never corrected) counts
// towards the days that allow a municipal vikar later in its year.
func (g *refGen) addAbsence(ab payout.Absence, stable bool) {
	g.in.Absences = append(g.in.Absences, ab)
	if !stable {
		return
	}
	m := newRefModel(g.in, payout.Options{})
	for d := ab.From; d <= ab.To; d++ {
		if !m.activeIn(g.agreementByID(ab.AgreementID), d.Period(), d) {
			continue // ignored: not an absence day of the year (§3)
		}
		key := refCareKey{ab.AgreementID, d.Year()}
		g.stableDays[key]++
		g.stableRec[key] = maxDate(g.stableRec[key], ab.RecordedOn)
	}
}

func (g *refGen) agreementByID(id string) payout.Agreement {
	for _, a := range g.in.Agreements {
		if a.ID == id {
			return a
		}
	}
	panic("no agreement " + id)
}

// takeover makes one event: one or two payee agreements whose shares
// sum to 100, all records versioned together.
func (g *refGen) takeover(a payout.Agreement, from, hi payout.Date) payout.Date {
	var others []string
	for _, o := range g.in.Agreements {
		if o.ID != a.ID {
			others = append(others, o.ID)
		}
	}
	g.r.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
	shares := []string{"100"}
	if len(others) > 1 && g.chance(0.4) {
		shares = pick(g, []string{"50", "50"}, []string{"60", "40"}, []string{"33.33", "66.67"})
	}
	to := minDate(from+payout.Date(g.intn(5, 45)-1), hi)
	slot := to
	if g.chance(0.5) {
		// The doctor is absent meanwhile (the usual reason for a takeover):
		// the days still count toward the yearly counters and the sickness
		// episode (RULEBOOK §5). A stable record: it never leaves the slot.
		k := pick(g, payout.KindSickness, payout.KindSickness, payout.KindChildSickness, payout.KindParental, payout.KindEducation)
		end := minDate(maxDate(to, from+payout.Date(g.length(k)-1))+payout.Date(g.intn(0, 10)), hi)
		g.addAbsence(payout.Absence{ID: g.id("S"), AgreementID: a.ID, Kind: k, From: from, To: end,
			Cover:   pick(g, payout.CoverNone, payout.CoverColleagues, payout.CoverOwnVikar),
			Version: ver(pick(g, payout.Beginning, from-payout.Date(g.intn(0, 5))))}, true)
		slot = end
	}
	rec := from - payout.Date(g.intn(0, 3))
	if g.chance(0.3) {
		rec = to + payout.Date(g.intn(1, 40))
	}
	correct, cancel := g.chance(0.25), g.chance(0.3)
	newTo, rec2 := g.day(from, to), rec+payout.Date(g.intn(1, 60))
	for i, s := range shares {
		t := payout.Takeover{ID: g.id("T"), AgreementID: a.ID, From: from, To: to, PayeeAgreementID: others[i],
			SharePercent: dec(s), Version: ver(rec)}
		g.in.Takeovers = append(g.in.Takeovers, t)
		if correct {
			t.RecordedOn, t.To, t.Cancelled = rec2, newTo, cancel
			g.in.Takeovers = append(g.in.Takeovers, t)
		}
	}
	return g.gapAfter(slot, hi)
}

// ---------------------------------------------------------------------------
// Caregivers and breaches

func (g *refGen) caregivers(a payout.Agreement) {
	for y := g.H.Year(); y <= g.P.Year(); y++ {
		if !g.chance(0.5) {
			continue
		}
		c := payout.Caregiver{AgreementID: a.ID, Year: y, Children: g.intn(1, 4), ChronicOrDisabled: g.chance(0.2),
			SoleCaregiver: g.chance(0.25), Version: ver(pick(g, payout.Beginning, payout.NewDate(y, 1, 1)+payout.Date(g.intn(0, 200))))}
		g.in.Caregivers = append(g.in.Caregivers, c)
		if g.chance(0.15) {
			c.RecordedOn = maxDate(c.RecordedOn, payout.NewDate(y, 1, 1)) + payout.Date(g.intn(1, 200))
			c.Children, c.SoleCaregiver = g.intn(1, 4), !c.SoleCaregiver
			g.in.Caregivers = append(g.in.Caregivers, c)
		}
	}
}

// breaches makes up to three §15.1 decisions, with ids in random order, and
// later versions: a new percent, then a rectification or a cancellation.
func (g *refGen) breaches(a payout.Agreement) {
	if !g.chance(0.35) {
		return
	}
	for n := g.intn(1, 3); n > 0; n-- {
		id := fmt.Sprintf("B%03d", g.r.IntN(1000))
		if g.ids[id] > 0 {
			continue
		}
		g.ids[id]++
		from := g.H + payout.Period(g.intn(0, int(g.P-g.H)))
		notice := from.First() - payout.Date(g.intn(0, 40))
		b := payout.Breach{ID: id, AgreementID: a.ID, DecisionRef: "VEDTAK-" + id, NoticeOn: notice, WithholdFrom: from,
			Percent: dec(pick(g, "5", "10", "12.5", "15", "20", "7.5", "3.33")), Version: ver(notice + payout.Date(g.intn(0, 5)))}
		g.in.Breaches = append(g.in.Breaches, b)
		if g.chance(0.2) {
			b.RecordedOn += payout.Date(g.intn(10, 100))
			b.Percent = dec(pick(g, "2", "8", "20"))
			g.in.Breaches = append(g.in.Breaches, b)
		}
		switch x := g.r.Float64(); {
		case x < 0.4:
			b.RectifiedOn = g.day(from.First(), g.P.Last()+20)
			rec := b.RectifiedOn + payout.Date(g.intn(0, 30))
			if g.chance(0.2) { // decided ahead, effective later
				rec = b.RectifiedOn - payout.Date(g.intn(1, 20))
			}
			b.RecordedOn = maxDate(rec, b.RecordedOn+1)
			g.in.Breaches = append(g.in.Breaches, b)
		case x < 0.55:
			b.RecordedOn += payout.Date(g.intn(1, 150))
			b.Cancelled = true
			g.in.Breaches = append(g.in.Breaches, b)
		}
	}
}

// TestReferenceModelGeneratorValid checks that the generator only makes
// inputs the model accepts, and that the features it is meant to exercise
// actually show up in the results.
func TestReferenceModelGeneratorValid(t *testing.T) {
	seen := map[string]int{}
	for seed := uint64(1); seed <= refSeeds; seed++ {
		in, P := genRefInputs(seed)
		m := newRefModel(in, genRefOptions(seed, in, P))
		lines, err := m.run(P)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		seen["claim"] += len(m.claims)
		seen["outside window"] += len(m.outside)
		holders := map[string]int{}
		for k := range lines {
			if k.Role == payout.RoleHolder {
				holders[k.Agreement]++
			}
		}
		for _, n := range holders {
			if n > 1 {
				seen["two holder payees"]++ // payee_from (RULEBOOK §6)
			}
		}
		for k, l := range lines {
			seen["line "+string(k.Role)]++
			for i, a := range l.amounts() {
				if !a.IsZero() {
					seen[refAmountNames[i]]++
				}
			}
		}
	}
	for _, name := range append(refAmountNames, "line vikar", "line takeover", "claim", "outside window", "two holder payees") {
		if seen[name] == 0 {
			t.Errorf("no generated case exercises %s", name)
		}
	}
	t.Logf("non-zero amounts over %d seeds: %v", refSeeds, seen)
}

// payeeFrom picks the day a new payee recorded on rec takes effect.
func (g *refGen) payeeFrom(rec payout.Date) payout.Date {
	switch x := g.r.Float64(); {
	case x < 0.3:
		return payout.NoDate // from its recorded_on
	case x < 0.55:
		return (rec.Period() + payout.Period(g.intn(0, 1))).First()
	case x < 0.8:
		return rec - payout.Date(g.intn(20, 120)) // retroactive
	}
	return rec + payout.Date(g.intn(1, 40)) // ahead, often mid-month
}

// agreementVersion sometimes records a later version of an agreement: a new
// payee (the company takes over the payments), or a retroactive end or
// extension. A new valid_to never cuts off an absence (that would be
// invalid input at later as-of dates).
func (g *refGen) agreementVersion(a payout.Agreement) {
	v := a
	v.RecordedOn = g.day(g.H.First(), payout.PayDate(g.P)+10)
	switch {
	case g.chance(0.12):
		// A new payee from payee_from (RULEBOOK §6): empty (its recorded_on),
		// a 1st of month, mid-month, retroactive or ahead; sometimes the day
		// is corrected by a later version of the same payee.
		v.PayeeID = g.payee()
		v.PayeeFrom = g.payeeFrom(v.RecordedOn)
		if g.chance(0.2) {
			w := v
			w.RecordedOn = v.RecordedOn + payout.Date(g.intn(1, 40))
			w.PayeeFrom = g.payeeFrom(w.RecordedOn)
			if w.PayeeFrom == payout.NoDate {
				w.PayeeFrom = w.RecordedOn
			}
			g.in.Agreements = append(g.in.Agreements, v)
			v = w
		}
	case g.chance(0.1):
		last := maxDate(a.ValidFrom, g.H.First())
		for _, ab := range g.in.Absences {
			if ab.AgreementID == a.ID {
				last = maxDate(last, ab.To)
			}
		}
		v.ValidTo = g.day(last, g.P.Last()+30)
	default:
		return
	}
	g.in.Agreements = append(g.in.Agreements, v)
}
