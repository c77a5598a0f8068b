package payout

import "slices"

// Per-chain memos of work a chain repeats (issue 16): they change which
// work is done, never a result. The classification of a year is a pure
// function of the year and of which of the records it depends on are
// visible (yearChanges); the absences in force (absencesAt) are a pure
// function of the agreement version and of which of the agreement's
// records are visible, i.e. of the number of its change dates on or before
// the as-of date. Months are not memoised: R-ADJ builds a month's two
// views only when its inputs differ (recordedSince, sameInputs), so a
// month is almost never asked for twice with the same inputs.

// chainScratch is what a chain memoises and its scratch buffers; a worker
// of runChains hands one to each chain in turn, so the maps, rows and
// buffers are made once per worker, not once per agreement.
type chainScratch struct {
	years     map[yearKey]*yearClass
	yearDates map[int][]Date // cache of yearChanges
	absences  map[absKey]absEntry
	// monthRoom holds the months of earlier periods (newMonth): nothing
	// keeps one past its chain, so the next chain reuses the room.
	monthRoom room[monthCalc]
	since     recordedSince
	basisBuf  annualBasis // scratch for sameInputs
	history   periodOut   // the outcome of the chain's earlier steps (newOut)
	// Rooms for what the memos keep while a chain runs, filled by
	// appending and emptied by reset: the dates of yearChanges, the
	// absences in force (absencesAt), and the classified years.
	dateRoom []Date
	absRoom  []*Absence
	yearRooms
	activeBuf []bool
	// the backing arrays of chain.lists, lateCounts and rateIdx (resolve)
	listsBuf   []countGroups
	lateBuf    [][]Date
	rateBuf    []*rateIndex
	dependsBuf []Date
}

// reset forgets the memos of the previous chain (keeping the buffers).
func (s *chainScratch) reset() {
	if s.years == nil {
		s.years, s.yearDates, s.absences = map[yearKey]*yearClass{}, map[int][]Date{}, map[absKey]absEntry{}
	}
	clear(s.years)
	clear(s.yearDates)
	clear(s.absences)
	s.monthRoom.reset()
	s.classes.reset()
	s.dateRoom, s.absRoom, s.entries = s.dateRoom[:0], s.absRoom[:0], s.entries[:0]
}

// room hands out zeroed values from chunks that it hands out again after
// reset: for what a chain keeps only while it runs.
type room[T any] struct {
	chunks [][]T
	n      int // values handed out since reset
}

const roomChunk = 64

func (r *room[T]) new() *T {
	c, i := r.n/roomChunk, r.n%roomChunk
	if c == len(r.chunks) {
		r.chunks = append(r.chunks, make([]T, roomChunk))
	}
	r.n++
	v := &r.chunks[c][i]
	var zero T
	*v = zero
	return v
}

func (r *room[T]) reset() { r.n = 0 }

// absKey identifies the absences in force for one agreement version.
type absKey struct {
	ag      *Agreement
	visible int // the agreement's change dates on or before the as-of date
}

type absEntry struct {
	recs []*Absence
	err  error
}

// absencesAt is index.absencesAt, memoised per chain: years are classified
// at many as-of dates that see the same records. (Visibility is decided by
// the change dates the snapshots count, as for classifiedYear's key.)
func (c *chain) absencesAt(ag *Agreement, asOf Date) ([]*Absence, error) {
	k := absKey{ag, countAtOrBefore(c.a.changes, asOf)}
	if e, ok := c.absences[k]; ok {
		return e.recs, e.err
	}
	n := len(c.absRoom)
	all, err := c.ix.absencesAt(c.absRoom, c.a, ag, asOf)
	var recs []*Absence
	if err == nil {
		c.absRoom, recs = all, all[n:len(all):len(all)]
	}
	c.absences[k] = absEntry{recs, err}
	return recs, err
}

// recordedSince tells, for one R-ADJ comparison of a chain's months at two
// as-of dates, whether period e's snapshots at them differ, without
// working out either. Each part of a snapshot (monthSnapshot) counts the
// dates of some sorted sets on or before the as-of date, so the two
// snapshots differ exactly when a date of one of those sets lies between
// them: the year's own records (yearChanges), looked at once per year
// instead of twice per month; the rate versions that can be in force on
// the 1st (rateIndex.upTo), looked at only when a rate of the agreement's
// schemes was recorded between; and the count versions of the 1st, for
// which a count recorded between (rare) falls back to the snapshots.
type recordedSince struct {
	lo, hi      Date
	counts      bool // a count of the agreement's lists was recorded in (lo, hi]
	rates       bool // a rate of its schemes was
	year        int  // the year asked last, and whether its records changed
	yearChanged bool
	yearKnown   bool
}

// recordedBetween is what was recorded between as-of dates a and b.
func (c *chain) recordedBetween(a, b Date) *recordedSince {
	r := &c.since
	*r = recordedSince{lo: min(a, b), hi: max(a, b)}
	for _, ds := range c.lateCounts {
		r.counts = r.counts || anyIn(ds, r.lo, r.hi)
	}
	for _, ri := range c.rateIdx {
		r.rates = r.rates || ri != nil && anyIn(ri.recorded, r.lo, r.hi)
	}
	return r
}

// touches reports whether period e's snapshots at r's two dates differ.
func (r *recordedSince) touches(c *chain, e Period) bool {
	if r.counts {
		return c.monthSnapshot(e, r.lo) != c.monthSnapshot(e, r.hi)
	}
	if y := e.Year(); !r.yearKnown || r.year != y {
		r.year, r.yearKnown = y, true
		r.yearChanged = anyIn(c.yearChanges(y), r.lo, r.hi)
	}
	return r.yearChanged || r.rates && r.rateTouches(c, e.First())
}

// rateTouches reports whether a rate version that can be in force on day
// first (the part rates of monthSnapshot) was recorded in (lo, hi].
func (r *recordedSince) rateTouches(c *chain, first Date) bool {
	for _, ri := range c.rateIdx {
		if ri != nil && anyIn(ri.upTo[ri.fromCount(first)], r.lo, r.hi) {
			return true
		}
	}
	return false
}

// recordedIn reports whether anything the chain's agreement depends on was
// recorded in (lo, hi], lo ≥ Beginning: one of its changes, a count of one
// of its lists or a rate of one of its schemes. When nothing was, between
// A_{P−1} and A_P, R-ADJ has nothing to compare.
func (c *chain) recordedIn(lo, hi Date) bool { return anyIn(c.depends, lo, hi) }

// anyIn reports whether a date of the sorted ds lies in (lo, hi].
func anyIn(ds []Date, lo, hi Date) bool {
	return countAtOrBefore(ds, lo) != countAtOrBefore(ds, hi)
}

// yearRooms is classifyYear's scratch (the year's event days) and its rooms
// for the classifications a chain's memo keeps, with their special days.
type yearRooms struct {
	days    []Date
	classes room[yearClass]
	entries []dayEntry
}

// newYear is a zero yearClass with room for n special days.
func (r *yearRooms) newYear(n int) *yearClass {
	yc := r.classes.new()
	if n > 0 {
		r.entries = slices.Grow(r.entries, n)
		yc.special = r.entries[len(r.entries) : len(r.entries) : len(r.entries)+n]
		r.entries = r.entries[:len(r.entries)+n]
	}
	return yc
}
