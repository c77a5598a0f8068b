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
		n := k.Len(in)
		if n == 0 {
			continue
		}
		s := specFor(string(k.Name))
		for i := range n {
			key, v := k.Key(in, i), k.Version(in, i)
			f(s, keyedVersion{versionKey{id: key.ID, date: key.Date, recorded: v.RecordedOn, n: key.N}, v.Src})
		}
	}
}

// versionEntry is one version in a versionSet: its key and where it is (a
// file of the set by number, so that a million entries do not each hold the
// file name, and a line or row).
type versionEntry struct {
	key  versionKey
	file int32
	line int
}

// versionSet indexes the versions of one kind, one entry per key, sorted by
// key. A sorted slice rather than a map: sorting a file that is already in
// key order (as exports are) costs almost nothing, while a map of a million
// keys costs a cache miss per version, and the index of a file is made once
// and rarely searched (only when another file of its kind follows).
type versionSet struct {
	files   []payout.Source // file and sheet of each file number; Line unused
	entries []versionEntry
}

// fileNo numbers a source's file and sheet, reusing the last number: the
// versions of one file come together.
func (vs *versionSet) fileNo(src payout.Source) int32 {
	if n := len(vs.files); n > 0 && vs.files[n-1].File == src.File && vs.files[n-1].Sheet == src.Sheet {
		return int32(n - 1)
	}
	vs.files = append(vs.files, payout.Source{File: src.File, Sheet: src.Sheet})
	return int32(len(vs.files) - 1)
}

func (vs *versionSet) entry(k versionKey, src payout.Source) versionEntry {
	return versionEntry{key: k, file: vs.fileNo(src), line: src.Line}
}

func (vs *versionSet) source(e versionEntry) payout.Source {
	f := vs.files[e.file]
	return payout.Source{File: f.File, Sheet: f.Sheet, Line: e.line}
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

// fileVersions is the duplicate check of one file's records, kept so that
// the loader can take its index over instead of rebuilding it.
type fileVersions struct {
	kind *kindSpec
	// set holds, for each key, the last version of the file: the loader
	// indexes the last one (see dupIndex.add).
	set *versionSet
}

// checkFile reports every version of in (one file's records) that repeats
// an earlier one of the same file, naming the line of the first.
func checkFile(in *payout.Inputs, errs *payout.ErrorList) *fileVersions {
	var (
		kind *kindSpec
		vs   = &versionSet{entries: make([]versionEntry, 0, payout.RecordCount(in))}
	)
	eachVersion(in, func(s *kindSpec, kv keyedVersion) {
		kind = s
		vs.entries = append(vs.entries, vs.entry(kv.key, kv.src))
	})
	if kind == nil {
		return nil // no records
	}
	// Sort by key, and the versions of a key in file order: lines grow
	// through a file, and file numbers were given in record order.
	slices.SortFunc(vs.entries, func(a, b versionEntry) int {
		if c := compareKeys(a.key, b.key); c != 0 {
			return c
		}
		if c := cmp.Compare(a.file, b.file); c != 0 {
			return c
		}
		return cmp.Compare(a.line, b.line)
	})
	// Each run of equal keys: every version after the first is a duplicate
	// of the first; the run shrinks to its last version.
	type dup struct{ version, first versionEntry }
	var dups []dup
	kept := vs.entries[:0]
	for i := 0; i < len(vs.entries); {
		j := i + 1
		for j < len(vs.entries) && vs.entries[j].key == vs.entries[i].key {
			dups = append(dups, dup{vs.entries[j], vs.entries[i]})
			j++
		}
		kept = append(kept, vs.entries[j-1])
		i = j
	}
	vs.entries = kept
	// Reported in the order of the file, as a reader would find them.
	slices.SortFunc(dups, func(a, b dup) int {
		return cmp.Or(cmp.Compare(a.version.file, b.version.file), cmp.Compare(a.version.line, b.version.line))
	})
	for _, d := range dups {
		dupError(kind, keyedVersion{d.version.key, vs.source(d.version)}, vs.source(d.first), false, errs)
	}
	return &fileVersions{kind: kind, set: vs}
}

// dupIndex remembers, per kind, the versions of the files added so far, to
// find a version that another file repeats.
type dupIndex map[*kindSpec]*versionSet

// add reports every version of a file that repeats one of the files added
// before (duplicates within the file were reported by checkFile), then
// indexes the file's versions. For a key the index keeps the version of the
// earliest file that has it, and within that file the last one.
func (d dupIndex) add(in *payout.Inputs, fv *fileVersions, errs *payout.ErrorList) {
	if fv == nil {
		return // no records
	}
	seen := d[fv.kind]
	if seen == nil {
		// The first file of its kind repeats nothing of other files: its
		// index becomes the kind's.
		d[fv.kind] = fv.set
		return
	}
	local := map[versionKey]payout.Source{}
	eachVersion(in, func(s *kindSpec, kv keyedVersion) {
		if first, dup := seen.find(kv.key); dup {
			dupError(s, kv, seen.source(first), true, errs)
			return
		}
		local[kv.key] = kv.src
	})
	for k, src := range local {
		seen.entries = append(seen.entries, seen.entry(k, src))
	}
	slices.SortFunc(seen.entries, func(a, b versionEntry) int { return compareKeys(a.key, b.key) })
}

// dupError reports a version that repeats the one at first.
func dupError(s *kindSpec, kv keyedVersion, first payout.Source, otherFiles bool, errs *payout.ErrorList) {
	key := keyText(s, kv.key)
	errs.Add(payout.Problemf(payout.ErrDuplicateVersion,
		"duplicate version: %s with recorded_on %s is already at %s; give the newer version a later recorded_on, or delete one",
		key, recordedText(kv.key.recorded), where(first, otherFiles)).At(payout.InputError{File: kv.src.File, Sheet: kv.src.Sheet, Line: kv.src.Line,
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
	case otherFile && s.Sheet != "":
		return payout.Textf("%s row %d", s.File, s.Line)
	case otherFile:
		return payout.Textf("%s line %d", s.File, s.Line)
	case s.Sheet != "":
		return payout.Textf("row %d", s.Line)
	}
	return payout.Textf("line %d", s.Line)
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
			"unknown %s %s: no row of the %s file has this ID; fix the ID or add the %s there", r.noun, quote(r.id), r.target, r.noun).At(payout.InputError{File: r.src.File, Sheet: r.src.Sheet, Line: r.src.Line, Column: r.column,
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
	if s.Sheet != "" {
		return fmt.Sprintf("%s: %s!row %d", s.File, s.Sheet, s.Line)
	}
	return fmt.Sprintf("%s:%d", s.File, s.Line)
}
