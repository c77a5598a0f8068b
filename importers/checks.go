package importers

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/oslokommune/payout/payout"
)

// The duplicate-version check (FORMATS.md: two versions with the same key
// and the same recorded_on are an error, since which would be in force is
// undecidable). At national scale it sees over a million versions, so keys
// are small structs hashed once, never strings built per record: the key's
// text ("list_id L1, as_of 2015-03-01") is made only for an error message.

// versionKey is the key of one record version within one kind. Equal keys
// are exactly those whose key texts (keyText) are equal: the text parts of a
// key are IDs or enumerations, the others are dates and whole numbers, whose
// texts are unique.
type versionKey struct {
	id       string      // the ID; for rates the scheme, for list_counts the list_id, for caregivers the agreement_id
	date     payout.Date // rates: valid_from; list_counts: as_of
	recorded payout.Date
	n        int // rates: tier_from; caregivers: year
}

// keyText is the key as the messages name it, e.g. "list_id L1, as_of 2015-03-01".
func keyText(s *kindSpec, k versionKey) string {
	var vals []string
	switch s.name {
	case "rates":
		vals = []string{k.id, k.date.String(), strconv.Itoa(k.n)}
	case "list_counts":
		vals = []string{k.id, k.date.String()}
	case "caregivers":
		vals = []string{k.id, strconv.Itoa(k.n)}
	default:
		vals = []string{k.id}
	}
	parts := make([]string, len(vals))
	for i, col := range s.key {
		parts[i] = col + " " + vals[i]
	}
	return strings.Join(parts, ", ")
}

// keyedVersion is one record version reduced to what the check needs.
type keyedVersion struct {
	key versionKey
	src payout.Source
}

// eachVersion calls f for every record version of in, kind by kind in the
// order of specs (a file's Inputs holds one kind; the order of versions
// decides which of two duplicates is reported).
func eachVersion(in *payout.Inputs, f func(s *kindSpec, kv keyedVersion)) {
	for _, k := range payout.RecordKinds {
		eachVersionOf(in, k, f)
	}
}

// eachVersionOf is eachVersion of one kind.
func eachVersionOf(in *payout.Inputs, k payout.RecordKind, f func(s *kindSpec, kv keyedVersion)) {
	n := k.Len(in)
	if n == 0 {
		return
	}
	s := specFor(string(k.Name))
	for i := range n {
		key, v := k.Key(in, i), k.Version(in, i)
		f(s, keyedVersion{versionKey{id: key.ID, date: key.Date, recorded: v.RecordedOn, n: key.N}, v.Src})
	}
}

// versionEntry is one version in a versionSet: its key and where it is.
type versionEntry struct {
	key versionKey
	src payout.Source
}

// versionSet indexes the versions of one kind, one entry per key, sorted by
// key. A sorted slice rather than a map: sorting versions that are already
// in key order (as exports are) costs almost nothing, while a map of a
// million keys costs a cache miss per version.
type versionSet struct {
	entries []versionEntry
}

// find returns the entry of a key.
func (vs *versionSet) find(k versionKey) (versionEntry, bool) {
	i, ok := slices.BinarySearchFunc(vs.entries, k, func(e versionEntry, k versionKey) int { return compareKeys(e.key, k) })
	if !ok {
		return versionEntry{}, false
	}
	return vs.entries[i], true
}

func compareKeys(a, b versionKey) int {
	if c := strings.Compare(a.id, b.id); c != 0 {
		return c
	}
	if c := cmp.Compare(a.date, b.date); c != 0 {
		return c
	}
	if c := cmp.Compare(a.n, b.n); c != 0 {
		return c
	}
	return cmp.Compare(a.recorded, b.recorded)
}

// checkFile reports every version of in (one file's records) that repeats
// an earlier one of the same file, naming the line of the first; it
// returns the file's kind (nil when it has no records). A file in key
// order (as the generator and exports write them) has its repeats side by
// side and is checked in one pass without an index; another is sorted.
func checkFile(in *payout.Inputs, errs *payout.ErrorList) *kindSpec {
	var (
		kind   *kindSpec
		sorted = true
		prev   versionKey
		first  keyedVersion // the first version of the run of prev's key
		dups   []keyedVersion
		firsts []payout.Source
	)
	eachVersion(in, func(s *kindSpec, kv keyedVersion) {
		switch c := compareKeys(prev, kv.key); {
		case kind == nil || c < 0:
			first = kv
		case c == 0:
			dups, firsts = append(dups, kv), append(firsts, first.src)
		default:
			sorted = false
		}
		kind, prev = s, kv.key
	})
	if !sorted {
		dups, firsts = sortedDups(in)
	}
	for i, d := range dups {
		dupError(kind, d, firsts[i], false, errs)
	}
	return kind
}

// sortedDups finds the repeats of a file not in key order: the versions
// sorted by key, and those of a key in file order (lines grow through a
// file), every version after the first of its key is a repeat of it. They
// are returned in the order of the file, as a reader would find them.
func sortedDups(in *payout.Inputs) (dups []keyedVersion, firsts []payout.Source) {
	vs := make([]keyedVersion, 0, payout.RecordCount(in))
	eachVersion(in, func(_ *kindSpec, kv keyedVersion) { vs = append(vs, kv) })
	slices.SortFunc(vs, func(a, b keyedVersion) int {
		return cmp.Or(compareKeys(a.key, b.key), cmp.Compare(a.src.Line(), b.src.Line()))
	})
	type dup struct {
		version keyedVersion
		first   payout.Source
	}
	var found []dup
	for i := 0; i < len(vs); {
		j := i + 1
		for ; j < len(vs) && vs[j].key == vs[i].key; j++ {
			found = append(found, dup{vs[j], vs[i].src})
		}
		i = j
	}
	slices.SortFunc(found, func(a, b dup) int { return cmp.Compare(a.version.src.Line(), b.version.src.Line()) })
	for _, d := range found {
		dups, firsts = append(dups, d.version), append(firsts, d.first)
	}
	return dups, firsts
}

// dupIndex finds a version that a file repeats from the files of its kind
// added before it. Most kinds come in one file, which repeats nothing of
// another, so a kind is indexed only when its second file comes (from the
// records merged so far), and nothing is held for the others.
type dupIndex struct {
	// ends are, per kind, the number of its merged records after each of
	// its files: where one file's records end and the next one's begin.
	ends map[*kindSpec][]int
	sets map[*kindSpec]*versionSet
}

func newDupIndex() dupIndex {
	return dupIndex{ends: map[*kindSpec][]int{}, sets: map[*kindSpec]*versionSet{}}
}

// add reports every version of file (one file's records, of kind) that
// repeats a version of the files added before (merged: their records);
// duplicates within the file were reported by checkFile. For a key the
// index keeps the version of the earliest file that has it, and within
// that file the last one.
func (d dupIndex) add(merged, file *payout.Inputs, kind *kindSpec, errs *payout.ErrorList) {
	if kind == nil {
		return // no records
	}
	ends := d.ends[kind]
	d.ends[kind] = append(ends, lastOf(ends)+payout.RecordCount(file))
	if len(ends) == 0 {
		return // the first file of its kind repeats nothing of other files
	}
	seen := d.sets[kind]
	if seen == nil {
		seen = indexFiles(merged, kind, ends)
		d.sets[kind] = seen
	}
	local := map[versionKey]payout.Source{}
	eachVersion(file, func(s *kindSpec, kv keyedVersion) {
		if first, dup := seen.find(kv.key); dup {
			dupError(s, kv, first.src, true, errs)
			return
		}
		local[kv.key] = kv.src
	})
	for k, src := range local {
		seen.entries = append(seen.entries, versionEntry{k, src})
	}
	slices.SortFunc(seen.entries, func(a, b versionEntry) int { return compareKeys(a.key, b.key) })
}

func lastOf(ends []int) int {
	if len(ends) == 0 {
		return 0
	}
	return ends[len(ends)-1]
}

// indexFiles indexes the merged records of one kind, read from files whose
// records end at ends: per key, the last version of the earliest file that
// has it.
func indexFiles(merged *payout.Inputs, kind *kindSpec, ends []int) *versionSet {
	type placed struct {
		kv       keyedVersion
		file, at int
	}
	var all []placed
	k, _ := payout.RecordKindNamed(payout.FileKind(kind.name))
	eachVersionOf(merged, k, func(_ *kindSpec, kv keyedVersion) {
		at := len(all)
		file, _ := slices.BinarySearch(ends, at+1)
		all = append(all, placed{kv, file, at})
	})
	slices.SortFunc(all, func(a, b placed) int { return cmp.Or(compareKeys(a.kv.key, b.kv.key), cmp.Compare(a.at, b.at)) })
	vs := &versionSet{}
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].kv.key == all[i].kv.key && all[j].file == all[i].file {
			j++
		}
		vs.entries = append(vs.entries, versionEntry{all[j-1].kv.key, all[j-1].kv.src})
		for j < len(all) && all[j].kv.key == all[i].kv.key {
			j++
		}
		i = j
	}
	return vs
}

// dupError reports a version that repeats the one at first.
func dupError(s *kindSpec, kv keyedVersion, first payout.Source, otherFiles bool, errs *payout.ErrorList) {
	key := keyText(s, kv.key)
	errs.Add(payout.Problemf(payout.ErrDuplicateVersion,
		"duplicate version: %s with recorded_on %s is already at %s; give the newer version a later recorded_on, or delete one",
		key, recordedText(kv.key.recorded), where(first, otherFiles)).At(payout.InputError{File: kv.src.File(), Sheet: kv.src.Sheet(), Line: kv.src.Line(),
		Value: key}))
}

func recordedText(d payout.Date) string {
	if d == payout.Beginning {
		return "(empty)"
	}
	return d.String()
}

// where names a source: "line 3" in the same file, or with the file name.
func where(s payout.Source, otherFile bool) payout.Text {
	switch {
	case otherFile && s.Sheet() != "":
		return payout.Textf("%s row %d", s.File(), s.Line())
	case otherFile:
		return payout.Textf("%s line %d", s.File(), s.Line())
	case s.Sheet() != "":
		return payout.Textf("row %d", s.Line())
	}
	return payout.Textf("line %d", s.Line())
}

// ref is one reference from a record to another file's key.
type ref struct {
	src          payout.Source
	column, id   string
	target, noun string
}

// eachRef calls f for every reference between files (RULEBOOK/FORMATS),
// without listing them: there are two per absence.
func eachRef(in *payout.Inputs, f func(r ref)) {
	add := func(v *payout.Version, column, id, target, noun string) {
		if id != "" {
			f(ref{v.Src, column, id, target, noun})
		}
	}
	for i := range in.Agreements {
		a := &in.Agreements[i]
		add(&a.Version, "payee_id", a.PayeeID, "payees", "payee")
	}
	for i := range in.Absences {
		a := &in.Absences[i]
		add(&a.Version, "agreement_id", a.AgreementID, "agreements", "agreement")
		add(&a.Version, "vikar_payee_id", a.VikarPayeeID, "payees", "payee")
	}
	for i := range in.Caregivers {
		c := &in.Caregivers[i]
		add(&c.Version, "agreement_id", c.AgreementID, "agreements", "agreement")
	}
	for i := range in.Breaches {
		b := &in.Breaches[i]
		add(&b.Version, "agreement_id", b.AgreementID, "agreements", "agreement")
	}
	for i := range in.Takeovers {
		t := &in.Takeovers[i]
		add(&t.Version, "agreement_id", t.AgreementID, "agreements", "agreement")
		add(&t.Version, "payee_agreement_id", t.PayeeAgreementID, "agreements", "agreement")
	}
}

// checkReferences reports references to IDs no file defines. A target kind
// that was not loaded at all is not checked (a single file may be imported
// into a store that holds the rest). cellOf finds the cell of a column.
func checkReferences(in *payout.Inputs, loaded map[string]bool, cellOf func(payout.Source, string) string, errs *payout.ErrorList) {
	ids := map[string]map[string]bool{"payees": make(map[string]bool, len(in.Payees)), "agreements": make(map[string]bool, len(in.Agreements))}
	for _, p := range in.Payees {
		ids["payees"][p.ID] = true
	}
	for _, a := range in.Agreements {
		ids["agreements"][a.ID] = true
	}
	eachRef(in, func(r ref) {
		if !loaded[r.target] || ids[r.target][r.id] {
			return
		}
		errs.Add(payout.Problemf(payout.ErrUnknownRef,
			"unknown %s %s: no row of the %s file has this ID; fix the ID or add the %s there", r.noun, quote(r.id), r.target, r.noun).At(payout.InputError{File: r.src.File(), Sheet: r.src.Sheet(), Line: r.src.Line(), Column: r.column,
			Cell: cellOf(r.src, r.column), Value: r.id}))
	})
}

// orphanLists warns about list counts of a list no agreement holds: they
// are harmless but usually a typo in list_id.
func orphanLists(in *payout.Inputs, loaded map[string]bool) []payout.Warning {
	if !loaded["agreements"] {
		return nil
	}
	held := map[string]bool{}
	for _, a := range in.Agreements {
		held[a.ListID] = true
	}
	var ws []payout.Warning
	warned := map[string]bool{}
	for _, lc := range in.ListCounts {
		if held[lc.ListID] || warned[lc.ListID] {
			continue
		}
		warned[lc.ListID] = true
		ws = append(ws, payout.Warning{Code: payout.WListOrphan, Msg: fmt.Sprintf(
			"%s: list %s is held by no agreement; its counts are not used (check the list_id)", srcText(lc.Src), lc.ListID)})
	}
	return ws
}

// srcText renders a source the way InputError does.
func srcText(s payout.Source) string {
	if s.Sheet() != "" {
		return fmt.Sprintf("%s: %s!row %d", s.File(), s.Sheet(), s.Line())
	}
	return fmt.Sprintf("%s:%d", s.File(), s.Line())
}
