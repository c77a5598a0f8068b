package importers

import (
	"fmt"

	"github.com/oslokommune/payout/payout"
)

// parseTable maps the header and builds one record per data row. Records
// are built even from rows with problems, so that references to them do not
// add false "unknown" problems; the caller discards everything on error.
func parseTable(t *table, s *kindSpec, errs *payout.ErrorList) (*payout.Inputs, map[string]int) {
	idx := t.headerIndex(s, errs)
	in := &payout.Inputs{}
	for _, tr := range t.rows {
		if !shapeOK(t, tr, errs) {
			t.lost++
			continue
		}
		r := &row{t: t, s: s, line: tr.line, cells: tr.cells, idx: idx, errs: errs}
		r.cancelled = r.boolean("cancelled")
		requireCells(r)
		s.build(r, in)
	}
	return in, idx
}

// shapeOK checks that a row fits the header: a CSV row has as many values as
// the header has columns (extra empty values are harmless), and no value
// stands in a column without a name.
func shapeOK(t *table, tr tableRow, errs *payout.ErrorList) bool {
	cells := tr.cells
	if t.sheet == "" && len(cells) != len(t.header) {
		if len(cells) < len(t.header) || !blank(cells[len(t.header):]) {
			errs.Add(&payout.InputError{File: t.file, Line: tr.line, Msg: fmt.Sprintf(
				"has %d values but the header has %d columns; check for a missing or extra delimiter, and put values that contain one in quotes",
				len(cells), len(t.header))})
			return false
		}
	}
	ok := true
	for i, c := range cells {
		if c.text != "" && (i >= len(t.header) || t.header[i].text == "") {
			errs.Add(t.errAt(tr.line, c, "", fmt.Sprintf("the value %q stands in a column without a name in the header; name the column or delete the value", c.text)))
			ok = false
		}
	}
	return ok
}

// requireCells reports the empty cells of required columns present in the
// header (a missing column is reported once, with the header).
func requireCells(r *row) {
	for _, c := range r.s.cols {
		if !c.required || (r.cancelled && !r.s.isKey(c.name)) {
			continue
		}
		if _, present := r.idx[c.name]; present && r.get(c.name).text == "" {
			r.failf(c.name, "required but empty; fill in %s", c.expect())
		}
	}
}
