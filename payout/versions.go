package payout

import (
	"cmp"
	"iter"
	"slices"
	"sort"
	"strings"
)

// Bitemporal resolution (FORMATS.md "Records are versions"): for each key,
// the version with the latest recorded_on on or before the as-of date is in
// force; a cancelled version removes the record from that date on. Versions
// are ordered by recorded_on, the date their source gave them, whatever the
// order they were imported in; a version the store imported after a release
// that did not know it is visible only from a later as-of (knownOn), so a
// late but older statement never overrides a newer one already known.

func (v *Version) version() *Version { return v }

// knownOn is the first as-of date at which the run being computed sees v:
// its recorded_on, or later when the store imported it after a release that
// did not know it (knownInputs). Never before recorded_on.
func (v *Version) knownOn() Date {
	if v.seenOn != NoDate {
		return v.seenOn
	}
	return v.RecordedOn
}

// versioned is implemented by every record through its embedded Version.
type versioned interface{ version() *Version }

// sortVersions orders the versions of one key by recorded_on, then by their
// place in the input, so that resolution never depends on input order.
func sortVersions[T any, PT interface {
	*T
	versioned
}](vs []*T) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := PT(vs[i]).version(), PT(vs[j]).version()
		if a.RecordedOn != b.RecordedOn {
			return a.RecordedOn < b.RecordedOn
		}
		if a.Src.File() != b.Src.File() {
			return a.Src.File() < b.Src.File()
		}
		return a.Src.Line() < b.Src.Line()
	})
}

// inForce returns the version of one key in force at asOf, or nil when none
// is known yet or the one in force is cancelled. vs must be sorted.
func inForce[T any, PT interface {
	*T
	versioned
}](vs []*T, asOf Date) *T {
	v := latestVersion[T, PT](vs, asOf)
	if v == nil || PT(v).version().Cancelled {
		return nil
	}
	return v
}

// latestVersion returns the version of one key with the latest recorded_on
// among those known at asOf, cancelled or not (nil when none is known yet).
// knownOn ≥ recorded_on, so the versions recorded after asOf are cut off by
// one search and only late imports before it are skipped one by one.
func latestVersion[T any, PT interface {
	*T
	versioned
}](vs []*T, asOf Date) *T {
	i := sort.Search(len(vs), func(i int) bool { return PT(vs[i]).version().RecordedOn > asOf })
	for i--; i >= 0; i-- {
		if PT(vs[i]).version().knownOn() <= asOf {
			return vs[i]
		}
	}
	return nil
}

// groups are records grouped by key, each group a run of one sorted array
// of pointers: group i is vs[starts[lo+i]:starts[lo+i+1]], one key's
// versions in version order. An offset per group (4 bytes) instead of a
// slice header (24) keeps the index small: Norway has 300 000 absence ids,
// nearly one version each, and a run holds the index through the whole
// compute. The arrays are shared by every agreement's groups of a kind, so
// an agreement's groups are the arrays' address and its range of groups
// (16 bytes, not two slice headers: four kinds in each of 10 000 agreements).
type groups[T any] struct {
	arr    *groupArrays[T] // nil when there are no groups
	lo, hi int32           // groups lo … hi−1 of arr
}

// groupArrays are the arrays of one kind's groups.
type groupArrays[T any] struct {
	vs     []*T    // the versions of every group
	starts []int32 // the first version of each group, then the end of the last
}

func (g groups[T]) len() int { return int(g.hi - g.lo) }

// group returns the versions of group i.
func (g groups[T]) group(i int) []*T {
	k := int(g.lo) + i
	a, b := g.arr.starts[k], g.arr.starts[k+1]
	return g.arr.vs[a:b:b]
}

// first is the first version of group i.
func (g groups[T]) first(i int) *T { return g.arr.vs[g.arr.starts[int(g.lo)+i]] }

// all yields the groups in order.
func (g groups[T]) all() iter.Seq[[]*T] {
	return func(yield func([]*T) bool) {
		for i := range g.len() {
			if !yield(g.group(i)) {
				return
			}
		}
	}
}

// versions are the versions of every group, group after group.
func (g groups[T]) versions() []*T {
	if g.len() == 0 {
		return nil
	}
	return g.arr.vs[g.arr.starts[g.lo]:g.arr.starts[g.hi]]
}

// sub is groups i … j−1, sharing g's arrays.
func (g groups[T]) sub(i, j int) groups[T] {
	return groups[T]{arr: g.arr, lo: g.lo + int32(i), hi: g.lo + int32(j)}
}

// sortedGroups sorts pointers to the records by key (cmpKey), then in
// version order, and returns the groups of equal keys: a few hundred
// thousand records cost one sort and no map.
func sortedGroups[T any, PT interface {
	*T
	versioned
}](recs []T, cmpKey func(a, b *T) int) groups[T] {
	ptrs := sortedRecords[T, PT](recs, cmpKey)
	n := 0 // the groups, counted first so that the offsets are made once, to size
	for i := range ptrs {
		if i == 0 || cmpKey(ptrs[i-1], ptrs[i]) != 0 {
			n++
		}
	}
	starts := make([]int32, 0, n+1)
	for i := range ptrs {
		if i == 0 || cmpKey(ptrs[i-1], ptrs[i]) != 0 {
			starts = append(starts, int32(i))
		}
	}
	if len(ptrs) == 0 {
		return groups[T]{}
	}
	starts = append(starts, int32(len(ptrs)))
	return groups[T]{arr: &groupArrays[T]{vs: ptrs, starts: starts}, hi: int32(n)}
}

// sortedRecords returns pointers to the records sorted by key (cmpKey),
// then in version order.
func sortedRecords[T any, PT interface {
	*T
	versioned
}](recs []T, cmpKey func(a, b *T) int) []*T {
	ptrs := make([]*T, len(recs))
	for i := range recs {
		ptrs[i] = &recs[i]
	}
	order := versionOrder[T, PT](cmpKey)
	// Files are usually written in this order already (one pass to see it;
	// the stable sort would still cost n log² n comparisons).
	if !slices.IsSortedFunc(ptrs, order) {
		slices.SortStableFunc(ptrs, order)
	}
	return ptrs
}

// sortedOrder is the order sortedRecords puts recs in, as positions in
// recs, or nil when recs is in that order already (a file usually is): an
// index over the largest kind then needs no array of pointers of its own.
func sortedOrder[T any, PT interface {
	*T
	versioned
}](recs []T, cmpKey func(a, b *T) int) []int32 {
	order := versionOrder[T, PT](cmpKey)
	sorted := true
	for i := 1; i < len(recs) && sorted; i++ {
		sorted = order(&recs[i-1], &recs[i]) <= 0
	}
	if sorted {
		return nil
	}
	pos := make([]int32, len(recs))
	for i := range pos {
		pos[i] = int32(i)
	}
	slices.SortStableFunc(pos, func(a, b int32) int { return order(&recs[a], &recs[b]) })
	return pos
}

// versionOrder orders records by key (cmpKey), then in version order:
// recorded_on, then their place in the input.
func versionOrder[T any, PT interface {
	*T
	versioned
}](cmpKey func(a, b *T) int) func(a, b *T) int {
	return func(a, b *T) int {
		if c := cmpKey(a, b); c != 0 {
			return c
		}
		va, vb := PT(a).version(), PT(b).version()
		if c := cmp.Compare(va.RecordedOn, vb.RecordedOn); c != 0 {
			return c
		}
		if c := strings.Compare(va.Src.File(), vb.Src.File()); c != 0 {
			return c
		}
		return cmp.Compare(va.Src.Line(), vb.Src.Line())
	}
}

// groupBy groups the records of a slice by key, each group sorted, and
// returns the keys sorted.
func groupBy[T any, PT interface {
	*T
	versioned
}](recs []T, key func(*T) string) (map[string][]*T, []string) {
	groups := make(map[string][]*T)
	for i := range recs {
		k := key(&recs[i])
		groups[k] = append(groups[k], &recs[i])
	}
	keys := make([]string, 0, len(groups))
	for k, vs := range groups {
		sortVersions[T, PT](vs)
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return groups, keys
}
