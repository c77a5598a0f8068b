package payout

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Absence, RULEBOOK §3: rules R-13.4-CAP, R-13.4-SICK, R-13.4-CHILD
// (Rammeavtalen §13.4), R-13.5-PARENTAL (§13.5), R-13.2-EDU (§13.2),
// R-13.3-UNION (§13.3), R-13.6-SERVICE (§13.6) and R-14 (§14, municipal
// vikar; colleague cover up to 8 weeks a year).
//
// Each active day gets one status. The counters run per agreement per
// calendar year over every absence record of the year visible at the as-of
// date, in date order, so a month's result depends on earlier months of the
// year but never on stored state. Each counter includes the day classified.

// dayInfo is the classification of one day.
type dayInfo struct {
	status DayStatus
	rule   string
	abs    *Absence
	note   string
	shares []takeoverShare // on takeover days
}

// yearClass is one agreement's classified calendar year at one as-of date.
// A year is classified for every agreement and every snapshot, so it is kept
// sparse: only the days that are not ordinary paid days (absence, takeover,
// an absence ignored after the end) are stored, as codes, sorted by date;
// takeover shares and explain's notes live beside them.
type yearClass struct {
	first   Date
	special []dayEntry
	shares  map[Date][]takeoverShare
	notes   map[Date]string // only when explaining
}

// dayEntry is one special day.
type dayEntry struct {
	d    Date
	code dayCode
}

// dayCode is dayInfo without its strings: indexes into the tables below.
type dayCode struct {
	abs    *Absence
	status uint8
	rule   uint8
}

var (
	statusCodes = []DayStatus{StatusPaid, StatusUnpaid, StatusToVikar, StatusTakeover, StatusInactive}
	ruleCodes   = []string{"", RSick, RChild, RParental, REducation, RUnion, RService, RVikar, RCap, RTakeover, RAbsenceIgnore}
)

func codeOf[T comparable](table []T, v T) uint8 {
	for i, x := range table {
		if x == v {
			return uint8(i)
		}
	}
	panic(fmt.Sprintf("payout: %v is not in the code table", v)) // a programming error, never input
}

// find returns the index of the first special day on or after d.
func (y *yearClass) find(d Date) int {
	return sort.Search(len(y.special), func(i int) bool { return y.special[i].d >= d })
}

// dayAt returns the classification of day d, i being find(d).
func (y *yearClass) dayAt(i int, d Date) dayInfo {
	if i == len(y.special) || y.special[i].d != d {
		return dayInfo{status: StatusPaid}
	}
	c := y.special[i].code
	info := dayInfo{status: statusCodes[c.status], rule: ruleCodes[c.rule], abs: c.abs}
	if info.status == StatusTakeover {
		info.shares = y.shares[d]
	}
	info.note = y.notes[d]
	return info
}

func (y *yearClass) set(d Date, info *dayInfo) {
	if info.status == StatusPaid && info.rule == "" && info.abs == nil {
		return // an ordinary paid day
	}
	y.special = append(y.special, dayEntry{d, dayCode{abs: info.abs, status: codeOf(statusCodes, info.status), rule: codeOf(ruleCodes, info.rule)}})
	if y.notes != nil {
		y.notes[d] = info.note
	}
}

// counters are the calendar-year counters of §3.
type counters struct {
	absence, capDays, colleague, child, parental, union int
	episode                                             int // consecutive sickness days, across year ends
}

// classifyYear classifies every day of year for agreement version ag;
// recs are the absences in force at asOf (absencesAt); the result and its
// days come from rooms (scratch and rooms of the caller's chain).
func (ix *index) classifyYear(a *agrInputs, ag *Agreement, recs []*Absence, year int, asOf Date, notes bool, rooms *yearRooms) (*yearClass, error) {
	tk, err := ix.takeoverDays(a, year, asOf)
	if err != nil {
		return nil, err
	}
	rules := ix.pol.AbsenceRulesFor(ag.Scheme)
	quota := childQuota(inForce(a.caregiversIn(year), asOf), rules)
	first, last := NewDate(year, 1, 1), NewDate(year, 12, 31)
	// Only days with an absence or a takeover can be anything but an
	// ordinary paid day, and only they move a counter: walk them in order.
	days := eventDays(rooms.days[:0], recs, tk, first, last)
	rooms.days = days
	yc := rooms.newYear(len(days))
	yc.first, yc.shares = first, tk
	if notes {
		yc.notes = map[Date]string{}
	}
	var c counters
	c.episode = sicknessRunBefore(recs, first)
	lastSick := NoDate
	if c.episode > 0 {
		lastSick = first - 1
	}
	lastActive, _ := ix.lastActiveDay(ag)
	cur := 0 // recs are sorted by From and do not overlap
	for _, d := range days {
		for cur < len(recs) && recs[cur].To < d {
			cur++
		}
		var rec *Absence
		if cur < len(recs) && recs[cur].From <= d {
			rec = recs[cur]
		}
		if rec != nil && rec.Kind == KindSickness {
			// An episode is consecutive calendar days covered by sickness.
			if lastSick == d-1 {
				c.episode++
			} else {
				c.episode = 1
			}
			lastSick = d
		}
		var info dayInfo
		switch {
		case !ix.classifiedDay(ag, lastActive, d):
			info.status = StatusInactive
			if rec != nil {
				info.abs, info.rule = rec, RAbsenceIgnore // R-ABSENCE-INACTIVE: outside the active days
				info.note = "fravær etter avtalens opphør er sett bort fra"
			}
		case len(tk[d]) > 0:
			if err := takeoverDay(&info, rec, d, &c, rules, quota, notes); err != nil {
				return nil, err
			}
		case rec == nil:
			info.status = StatusPaid
		default:
			if err := classifyDay(&info, rec, d, &c, rules, quota); err != nil {
				return nil, err
			}
			if notes {
				info.note = dayNote(&info, rec, &c, rules, quota)
			}
		}
		yc.set(d, &info)
	}
	return yc, nil
}

// takeoverDay is R-7.7 (§7.7, RULEBOOK §5): the day goes to the takeover
// payees, but the doctor's absence on it (rec, nil when none) still counts
// toward every yearly counter (R-13.4-CAP, R-14's 8 weeks and its
// municipal-vikar threshold), as it does toward the sickness episode.
func takeoverDay(info *dayInfo, rec *Absence, d Date, c *counters, rules *AbsenceRules, quota int, notes bool) error {
	if rec != nil {
		if err := classifyDay(info, rec, d, c, rules, quota); err != nil {
			return err
		}
	}
	info.status, info.rule = StatusTakeover, RTakeover
	if notes {
		info.note = "overtatt av gruppepraksis (§7.7)"
		if rec != nil {
			info.note += fmt.Sprintf("; fraværet telles (fraværsdag %d i året)", c.absence)
		}
	}
	return nil
}

// absencesAt appends to dst the absence records of agreement a in force at
// asOf, sorted by From, and refuses overlaps and records outside the
// agreement (invalid input, RULEBOOK §3). The records are the result's tail
// past len(dst).
func (ix *index) absencesAt(dst []*Absence, a *agrInputs, ag *Agreement, asOf Date) ([]*Absence, error) {
	all := dst
	for g := range a.absences.all() {
		if r := inForce(g, asOf); r != nil {
			all = append(all, r)
		}
	}
	recs := all[len(dst):]
	slices.SortFunc(recs, func(x, y *Absence) int {
		return cmp.Or(cmp.Compare(x.From, y.From), strings.Compare(x.ID, y.ID))
	})
	rules := ix.pol.AbsenceRulesFor(ag.Scheme)
	for i, r := range recs {
		if r.From < ag.ValidFrom || r.To > ag.ValidTo {
			return nil, SourceErrorf(r.Src, "from", r.From.String(),
				"absence %s (%s–%s) lies outside agreement %s (%s–%s): correct the dates", r.ID, r.From, r.To, ag.ID, ag.ValidFrom, validToText(ag.ValidTo))
		}
		if r.Kind == KindParental && int(r.To-r.From)+1 > rules.ParentalMaxRecordDays {
			return nil, SourceErrorf(r.Src, "to", r.To.String(),
				"parental absence %s lasts %d days, more than %d (52 weeks): split or correct it", r.ID, int(r.To-r.From)+1, rules.ParentalMaxRecordDays)
		}
		if i > 0 && r.From <= recs[i-1].To {
			p := recs[i-1]
			return nil, SourceErrorf(r.Src, "from", r.From.String(),
				"absence %s (%s–%s) overlaps absence %s (%s–%s, %s line %d) of agreement %s: one day can have only one absence",
				r.ID, r.From, r.To, p.ID, p.From, p.To, p.Src.File(), p.Src.Line(), ag.ID)
		}
	}
	return all, nil
}

func validToText(d Date) string {
	if d == Forever {
		return "løpende"
	}
	return d.String()
}

// eventDays lists, in order, the days in [first, last] covered by an
// absence record or a takeover, appending to days (a scratch buffer).
func eventDays(days []Date, recs []*Absence, tk map[Date][]takeoverShare, first, last Date) []Date {
	for _, r := range recs {
		for d := max(r.From, first); d <= min(r.To, last); d++ {
			days = append(days, d)
		}
	}
	if len(tk) == 0 {
		return days // records do not overlap: already sorted and unique
	}
	seen := make(map[Date]bool, len(days))
	for _, d := range days {
		seen[d] = true
	}
	for d := range tk {
		if !seen[d] && d >= first && d <= last {
			days = append(days, d)
		}
	}
	slices.Sort(days)
	return days
}

// sicknessRunBefore counts the consecutive sickness days ending the day
// before d: a sickness episode runs across year ends (R-13.4-SICK).
func sicknessRunBefore(recs []*Absence, d Date) int {
	run := 0
	for day := d - 1; ; {
		covered := false
		for _, r := range recs {
			if r.Kind == KindSickness && r.From <= day && day <= r.To {
				run += int(day-r.From) + 1
				day = r.From - 1
				covered = true
				break
			}
		}
		if !covered {
			return run
		}
	}
}

// childQuota is R-13.4-CHILD's yearly quota: 10; 15 with more than two
// children; 20 with a chronically ill or disabled child; doubled for a sole
// caregiver; 10 without a caregiver record.
func childQuota(cg *Caregiver, r *AbsenceRules) int {
	if cg == nil {
		return r.ChildDays
	}
	q := r.ChildDays
	if cg.Children > 2 {
		q = r.ChildDaysManyChildren
	}
	if cg.ChronicOrDisabled {
		q = r.ChildDaysChronic
	}
	if cg.SoleCaregiver {
		q *= 2
	}
	return q
}

// classifyDay decides one absence day. Order matters: a municipal vikar
// takes the day; the doctor's own vikar keeps it paid under every
// kind; then the §13.4 cap; then the kind's own rule, where colleagues
// cover sickness and child sickness (within 8 weeks a year).
func classifyDay(info *dayInfo, rec *Absence, d Date, c *counters, r *AbsenceRules, childQuota int) error {
	c.count(rec)
	info.abs = rec
	switch rec.Cover {
	case CoverMunicipalVikar:
		// R-14 (§14): a municipal vikar only beyond the first
		// municipal_vikar_after_days absence days of the year, which
		// follows colleague_cover_days when not set (RULEBOOK §3).
		if after := r.VikarAfterDays(); c.absence <= after {
			return SourceErrorf(rec.Src, "cover", rec.Cover.String(),
				"%s is absence day %d of %d for agreement %s; the municipality provides a vikar only beyond the first %d absence days of the year (§14): use own_vikar, colleagues or none",
				d, c.absence, d.Year(), rec.AgreementID, after)
		}
		info.status, info.rule = StatusToVikar, RVikar
		return nil
	case CoverOwnVikar:
		// R-14-OWN-VIKAR: the doctor's own vikar keeps the day paid (cited by
		// the kind's rule).
		info.status, info.rule = StatusPaid, kindRule(rec.Kind)
		return nil
	}
	if isSickKind(rec.Kind) && c.capDays > r.Cap134Days { // R-13.4-CAP: beyond 3 months of §13.4 absence, unpaid
		info.status, info.rule = StatusUnpaid, RCap
		return nil
	}
	info.rule = kindRule(rec.Kind)
	paid := kindPaid(rec.Kind, c, r, childQuota) || (c.colleagueCovers(rec, r) && isSickKind(rec.Kind))
	info.status = StatusUnpaid
	if paid {
		info.status = StatusPaid
	}
	return nil
}

func isSickKind(k AbsenceKind) bool { return k == KindSickness || k == KindChildSickness }

// count advances the year's counters by one day of rec (each counter
// includes the day being classified).
func (c *counters) count(rec *Absence) {
	c.absence++
	if rec.Cover == CoverColleagues {
		c.colleague++
	}
	switch rec.Kind {
	case KindSickness:
		c.capDays++
	case KindChildSickness:
		c.capDays++
		c.child++
	case KindParental:
		c.parental++
	case KindUnionPublic:
		c.union++
	}
}

// colleagueCovers: colleague cover counts while the year's colleague days
// are within colleague_cover_days; past that the day counts as cover none.
func (c *counters) colleagueCovers(rec *Absence, r *AbsenceRules) bool {
	return rec.Cover == CoverColleagues && c.colleague <= r.ColleagueCoverDays // R-14-COLLEAGUES
}

// kindPaid applies the kind's own limit, before any cover.
func kindPaid(k AbsenceKind, c *counters, r *AbsenceRules, childQuota int) bool {
	switch k {
	case KindSickness:
		return c.episode <= r.SicknessFullPayDays // R-13.4-SICK
	case KindChildSickness:
		return c.child <= childQuota // R-13.4-CHILD
	case KindParental:
		return c.parental <= r.ParentalPaidDays // R-13.5-PARENTAL
	case KindUnionPublic:
		return c.union <= r.UnionPaidDays // R-13.3-UNION
	}
	return false // R-13.2-EDU, R-13.6-SERVICE: only the doctor's own vikar pays
}

// dayNote explains a classified day for explain, in Norwegian.
func dayNote(info *dayInfo, rec *Absence, c *counters, r *AbsenceRules, childQuota int) string {
	switch {
	case rec.Cover == CoverMunicipalVikar:
		return fmt.Sprintf("kommunal vikar %s, fraværsdag %d i året", rec.VikarPayeeID, c.absence)
	case rec.Cover == CoverOwnVikar:
		return "egen vikar"
	case info.rule == RCap:
		return fmt.Sprintf("sykdomsdag %d i året, over %d", c.capDays, r.Cap134Days)
	}
	var note string
	switch rec.Kind {
	case KindSickness:
		note = fmt.Sprintf("sykefraværsdag %d i perioden (betalt til og med dag %d)", c.episode, r.SicknessFullPayDays)
	case KindChildSickness:
		note = fmt.Sprintf("barns sykdom dag %d av kvote %d", c.child, childQuota)
	case KindParental:
		note = fmt.Sprintf("foreldrepermisjon dag %d av %d betalte", c.parental, r.ParentalPaidDays)
	case KindUnionPublic:
		note = fmt.Sprintf("verv dag %d av %d betalte", c.union, r.UnionPaidDays)
	case KindEducation:
		note = "utdanning uten egen vikar"
	case KindMilitaryService:
		note = "militærtjeneste uten egen vikar"
	}
	if rec.Cover == CoverColleagues {
		note += fmt.Sprintf("; kollegial dekning dag %d av %d", c.colleague, r.ColleagueCoverDays)
	}
	return note
}

func kindRule(k AbsenceKind) string {
	switch k {
	case KindSickness:
		return RSick
	case KindChildSickness:
		return RChild
	case KindParental:
		return RParental
	case KindEducation:
		return REducation
	case KindUnionPublic:
		return RUnion
	case KindMilitaryService:
		return RService
	}
	return ""
}

// takeoverShare is one takeover record's share of a day.
type takeoverShare struct {
	rec   *Takeover
	share decimal.Decimal
}

// takeoverDays returns, for each day of year covered by takeovers in force
// at asOf, the shares; they must sum to 100 (else invalid input).
func (ix *index) takeoverDays(a *agrInputs, year int, asOf Date) (map[Date][]takeoverShare, error) {
	if a.takeovers.len() == 0 {
		return nil, nil
	}
	first, last := NewDate(year, 1, 1), NewDate(year, 12, 31)
	days := map[Date][]takeoverShare{}
	for g := range a.takeovers.all() {
		t := inForce(g, asOf)
		if t == nil || t.To < first || t.From > last {
			continue
		}
		for d := max(t.From, first); d <= min(t.To, last); d++ {
			days[d] = append(days[d], takeoverShare{t, t.SharePercent})
		}
	}
	for d := first; d <= last; d++ {
		sh := days[d]
		if len(sh) == 0 {
			continue
		}
		sum := decimal.Zero
		for _, s := range sh {
			sum = sum.Add(s.share)
		}
		if !sum.Equal(dec100) { // the shares of a day sum to 100 %
			t := sh[0].rec
			return nil, SourceErrorf(t.Src, "share_percent", t.SharePercent.String(),
				"takeover shares of agreement %s on %s sum to %s %%, not 100 (§7.7): correct the shares", a.id, d, sum)
		}
	}
	return days, nil
}
