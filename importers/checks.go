package importers

import (
	"fmt"
	"strings"

	"github.com/oslokommune/payout/payout"
)

// keyed is one record version reduced to what the duplicate check needs.
type keyed struct {
	kind, key string
	recorded  payout.Date
	src       payout.Source
}

func keysOf(in *payout.Inputs) []keyed {
	var ks []keyed
	add := func(kind string, v payout.Version, vals ...string) {
		parts := make([]string, len(vals))
		for i, col := range specFor(kind).key {
			parts[i] = col + " " + vals[i]
		}
		ks = append(ks, keyed{kind, strings.Join(parts, ", "), v.RecordedOn, v.Src})
	}
	for _, x := range in.Rates {
		add("rates", x.Version, string(x.Scheme), x.ValidFrom.String(), fmt.Sprint(x.TierFrom))
	}
	for _, x := range in.Payees {
		add("payees", x.Version, x.ID)
	}
	for _, x := range in.Agreements {
		add("agreements", x.Version, x.ID)
	}
	for _, x := range in.ListCounts {
		add("list_counts", x.Version, x.ListID, x.AsOf.String())
	}
	for _, x := range in.Absences {
		add("absences", x.Version, x.ID)
	}
	for _, x := range in.Caregivers {
		add("caregivers", x.Version, x.AgreementID, fmt.Sprint(x.Year))
	}
	for _, x := range in.Breaches {
		add("breaches", x.Version, x.ID)
	}
	for _, x := range in.Takeovers {
		add("takeovers", x.Version, x.ID)
	}
	return ks
}

// dupIndex remembers the first version of each key and recorded_on, to
// find a second one (FORMATS.md: which would be in force is undecidable).
type dupIndex map[string]payout.Source

// check reports every version of in that repeats one already indexed or
// one earlier in in, then indexes in's versions. otherFiles says the index
// holds other files (their names may equal in's when folders differ).
func (d dupIndex) check(in *payout.Inputs, otherFiles bool, errs *payout.ErrorList) {
	ks := keysOf(in)
	local := dupIndex{}
	for _, k := range ks {
		id := k.kind + "\x00" + k.key + "\x00" + k.recorded.String()
		first, dup := d[id]
		if !dup && !otherFiles {
			first, dup = local[id]
		}
		if !dup {
			local[id] = k.src
			continue
		}
		errs.Add(&payout.InputError{File: k.src.File, Sheet: k.src.Sheet, Line: k.src.Line,
			Value: k.key, Msg: fmt.Sprintf(
				"duplicate version: %s with recorded_on %s is already at %s; give the newer version a later recorded_on, or delete one",
				k.key, recordedText(k.recorded), where(first, otherFiles))})
	}
	for id, src := range local {
		if _, ok := d[id]; !ok {
			d[id] = src
		}
	}
}

func recordedText(d payout.Date) string {
	if d == payout.Beginning {
		return "(empty)"
	}
	return d.String()
}

// where names a source: "line 3" in the same file, or with the file name.
func where(s payout.Source, otherFile bool) string {
	loc := fmt.Sprintf("line %d", s.Line)
	if s.Sheet != "" {
		loc = fmt.Sprintf("row %d", s.Line)
	}
	if otherFile {
		return s.File + " " + loc
	}
	return loc
}

// ref is one reference from a record to another file's key.
type ref struct {
	src          payout.Source
	column, id   string
	target, noun string
}

// refsOf lists every reference between files (RULEBOOK/FORMATS).
func refsOf(in *payout.Inputs) []ref {
	var rs []ref
	add := func(v payout.Version, column, id, target, noun string) {
		if id != "" {
			rs = append(rs, ref{v.Src, column, id, target, noun})
		}
	}
	for _, a := range in.Agreements {
		add(a.Version, "payee_id", a.PayeeID, "payees", "payee")
	}
	for _, a := range in.Absences {
		add(a.Version, "agreement_id", a.AgreementID, "agreements", "agreement")
		add(a.Version, "vikar_payee_id", a.VikarPayeeID, "payees", "payee")
	}
	for _, c := range in.Caregivers {
		add(c.Version, "agreement_id", c.AgreementID, "agreements", "agreement")
	}
	for _, b := range in.Breaches {
		add(b.Version, "agreement_id", b.AgreementID, "agreements", "agreement")
	}
	for _, t := range in.Takeovers {
		add(t.Version, "agreement_id", t.AgreementID, "agreements", "agreement")
		add(t.Version, "payee_agreement_id", t.PayeeAgreementID, "agreements", "agreement")
	}
	return rs
}

// checkReferences reports references to IDs no file defines. A target kind
// that was not loaded at all is not checked (a single file may be imported
// into a store that holds the rest). cellOf finds the cell of a column.
func checkReferences(in *payout.Inputs, loaded map[string]bool, cellOf func(payout.Source, string) string, errs *payout.ErrorList) {
	ids := map[string]map[string]bool{"payees": {}, "agreements": {}}
	for _, p := range in.Payees {
		ids["payees"][p.ID] = true
	}
	for _, a := range in.Agreements {
		ids["agreements"][a.ID] = true
	}
	for _, r := range refsOf(in) {
		if !loaded[r.target] || ids[r.target][r.id] {
			continue
		}
		errs.Add(&payout.InputError{File: r.src.File, Sheet: r.src.Sheet, Line: r.src.Line, Column: r.column,
			Cell: cellOf(r.src, r.column), Value: r.id, Msg: fmt.Sprintf(
				"unknown %s %q: no row of the %s file has this ID; fix the ID or add the %s there", r.noun, r.id, r.target, r.noun)})
	}
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
		ws = append(ws, payout.Warning{Code: "W-LIST-ORPHAN", Msg: fmt.Sprintf(
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
