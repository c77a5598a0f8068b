package importers

import (
	"strings"
	"unicode/utf8"

	"github.com/oslokommune/payout/payout"
)

// parseTable maps the header and builds one record per data row of a table
// whose rows were collected (a workbook). Records are built even from rows
// with problems, so that references to them do not add false "unknown"
// problems; the caller discards everything on error.
func parseTable(t *table, s *kindSpec, errs *payout.ErrorList) (*payout.Inputs, map[string]int) {
	p := newTableParser(s, errs, len(t.rows))
	p.start(t)
	for _, tr := range t.rows {
		p.row(t, tr)
	}
	return p.in, p.idx
}

// tableParser is the rowSink that builds records: parseTable for a
// collected table, or the CSV reader row by row as it reads.
type tableParser struct {
	s    *kindSpec
	errs *payout.ErrorList
	in   *payout.Inputs
	idx  map[string]int // column name → index, from the header
	// required are the required columns present in the header, with their
	// index, so that requireCells need not look each up per row.
	required []requiredCol
	r        row // reused for every row: builders do not keep it
}

type requiredCol struct {
	name  string
	key   bool // a key column: required even in a cancelling row
	index int
}

// newTableParser makes a parser; rows is the expected number of rows, to
// size the record slice once instead of growing it.
func newTableParser(s *kindSpec, errs *payout.ErrorList, rows int) *tableParser {
	in := &payout.Inputs{}
	presize(in, s.name, rows)
	return &tableParser{s: s, errs: errs, in: in}
}

func (p *tableParser) start(t *table) {
	p.idx = t.headerIndex(p.s, p.errs)
	for _, c := range p.s.cols {
		if i, present := p.idx[c.name]; present && c.required {
			p.required = append(p.required, requiredCol{c.name, p.s.isKey(c.name), i})
		}
	}
	p.r = row{t: t, s: p.s, cols: headerCols(p.s, p.idx), errs: p.errs}
}

func (p *tableParser) row(t *table, tr tableRow) {
	if !shapeOK(t, tr, p.errs) {
		t.lost++
		return
	}
	r := &p.r
	r.line, r.cells, r.cancelled = tr.line, tr.cells, false
	r.cancelled = r.boolean("cancelled")
	p.requireCells()
	p.s.build(r, p.in)
}

// presize gives the record slice of a kind room for n records.
func presize(in *payout.Inputs, kind string, n int) {
	if k, ok := payout.RecordKindNamed(payout.FileKind(kind)); ok {
		k.Presize(in, n)
	}
}

// shapeOK checks that a row fits the header: a CSV row has as many values as
// the header has columns (extra empty values are harmless), and no value
// stands in a column without a name.
func shapeOK(t *table, tr tableRow, errs *payout.ErrorList) bool {
	cells := tr.cells
	if t.sheet == "" && len(cells) != len(t.header) {
		if len(cells) < len(t.header) || !blank(cells[len(t.header):]) {
			errs.Add(payout.Problemf(payout.ErrFieldCount,
				"has %d values but the header has %d columns; check for a missing or extra delimiter, and put values that contain one in quotes",
				len(cells), len(t.header)).At(payout.InputError{File: t.file, Line: tr.line}))
			return false
		}
	}
	ok := true
	for i, c := range cells {
		if c.text != "" && (i >= len(t.header) || t.header[i].text == "") {
			errs.Add(t.errAtf(payout.ErrFieldCount, tr.line, c, "", "the value %s stands in a column without a name in the header; name the column or delete the value", quote(c.text)))
			ok = false
			continue
		}
		if at := controlAt(c.text); at >= 0 {
			r, _ := utf8.DecodeRuneInString(c.text[at:])
			errs.Add(t.errAtf(payout.ErrControlChar, tr.line, c, strings.ToLower(t.header[i].text),
				"holds the control character U+%04X at character %d (a line break, tab or NUL pasted in); names and texts go to the bank, which takes none: remove it",
				r, utf8.RuneCountInString(c.text[:at])+1))
			ok = false
		}
	}
	return ok
}

// controlAt is the byte offset of the first control character of s (C0,
// DEL or C1; banktext.IsControl), or -1: the bank file may hold none (issue
// 13), and no identifier, date or amount has one either. It scans bytes, as
// every cell of every import passes here.
func controlAt(s string) int {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b < 0x20 || b == 0x7f:
			return i
		case b == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f:
			return i
		}
	}
	return -1
}

// requireCells reports the empty cells of required columns present in the
// header (a missing column is reported once, with the header).
func (p *tableParser) requireCells() {
	r := &p.r
	for _, c := range p.required {
		if r.cancelled && !c.key {
			continue
		}
		if r.cellAt(c.index).text == "" {
			r.failf(payout.ErrRequired, c.name, "required but empty; fill in %s", r.s.column(c.name).expect())
		}
	}
}
