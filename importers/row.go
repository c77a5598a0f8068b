package importers

import (
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// row reads the typed values of one data row, adding a problem to errs for
// each cell it cannot read. A value that cannot be read is zero, so the
// builders keep going and every problem of the row is found.
type row struct {
	t         *table
	s         *kindSpec
	line      int
	cells     []cell
	cols      []headerCol // the header's columns, in the order of the spec
	last      int         // the position in cols of the last column found
	errs      *payout.ErrorList
	cancelled bool
	empty     cell // the cell of an absent column or past the end of a short row
}

// headerCol is a column of the spec present in the header, at index.
type headerCol struct {
	name  string
	index int
	// prev is the text str last kept from this column: IDs repeat from
	// row to row (a list's 120 months of counts, an agreement's absences),
	// and comparing with the last one is cheaper than hashing it again.
	prev string
	// unique: the column is the kind's whole key (absence_id, payee_id …),
	// a text of its own in each record but for its versions, which come
	// together: copied, not interned, as a map of them all costs more than
	// it saves.
	unique bool
}

// headerCols lists the columns of idx (the header) in the order of s.
func headerCols(s *kindSpec, idx map[string]int) []headerCol {
	var cols []headerCol
	for _, c := range s.cols {
		if i, ok := idx[c.name]; ok {
			cols = append(cols, headerCol{name: c.name, index: i, unique: len(s.key) == 1 && s.key[0] == c.name})
		}
	}
	return cols
}

// get returns a column's cell; an absent column or a short row gives an
// empty cell that still knows its reference.
func (r *row) get(col string) cell { return *r.at(col) }

// at is get without copying the cell: the cell in the row, or r.empty.
func (r *row) at(col string) *cell {
	if j := r.find(col); j >= 0 {
		return r.cellAt(r.cols[j].index)
	}
	r.empty = cell{}
	return &r.empty
}

// find is the position in r.cols of a column, or -1 when the header lacks
// it. Builders read about one column per call, in much the same order on
// every row, so the search starts at the last column found and usually
// ends there or at the next: faster than hashing the name, which counted
// at a million rows.
func (r *row) find(col string) int {
	for k := range r.cols {
		j := r.last + k
		if j >= len(r.cols) {
			j -= len(r.cols)
		}
		if r.cols[j].name == col {
			r.last = j
			return j
		}
	}
	return -1
}

// cellAt returns the cell at a header index of a present column.
func (r *row) cellAt(i int) *cell {
	if i < len(r.cells) {
		return &r.cells[i]
	}
	// A row shorter than the header: an empty cell, with its reference in
	// a workbook.
	r.empty = cell{}
	if r.t.sheet != "" {
		r.empty.ref, _ = excelize.CoordinatesToCellName(i+1, r.line)
	}
	return &r.empty
}

// fail reports a problem of one kind (a payout.Err… sentinel) with one cell.
func (r *row) fail(kind error, col string, msg payout.Text) {
	r.errs.Add(r.t.problemAt(kind, r.line, r.get(col), col, msg))
}

// failf is fail with the message's format (a catalogue key) and arguments.
func (r *row) failf(kind error, col, format string, a ...any) {
	r.fail(kind, col, payout.Textf(format, a...))
}

// text returns a cell as text; a number cell reads as the number Excel shows.
func (r *row) text(col string) string { return textOf(r.at(col)) }

func textOf(c *cell) string {
	if c.num {
		return excelNumber(c.text)
	}
	return c.text
}

// str is text for a value a record keeps: a copy shared by every record of
// the file that holds the same text (see table.intern).
func (r *row) str(col string) string {
	j := r.find(col)
	if j < 0 {
		return ""
	}
	s := textOf(r.cellAt(r.cols[j].index))
	if prev := r.cols[j].prev; s == prev {
		return prev
	}
	var v string
	if r.cols[j].unique {
		v = r.t.own(s)
	} else {
		v = r.t.intern(s)
	}
	r.cols[j].prev = v
	return v
}

// need reports an empty cell that a rule makes required; rule says who
// needs it ("a fysio agreement needs hjemmel_percent"). Cancelling rows need
// only their key (a cancellation says which record it removes).
func (r *row) need(col, rule string) bool {
	if r.text(col) != "" || r.cancelled {
		return true
	}
	r.failf(payout.ErrRequired, col, "empty, but %s; fill it in", rule)
	return false
}

// date reads a date column; empty gives NoDate.
func (r *row) date(col string) payout.Date {
	c := r.at(col)
	var (
		d   payout.Date
		msg payout.Text
	)
	switch {
	case c.text == "":
		return payout.NoDate
	case c.num:
		var ok bool
		if d, ok = excelSerialDate(c.text, r.t.date1904); !ok {
			msg = payout.Textf("the number %s is not a date (expected YYYY-MM-DD)", excelNumber(c.text))
		}
	case c.date && len(c.text) >= 10:
		d, msg = parseDate(c.text[:10])
	default:
		d, msg = parseDate(c.text)
	}
	if msg.Format != "" {
		r.fail(payout.ErrNotADate, col, msg)
	}
	return d
}

// dateOr reads a date column whose empty value means def.
func (r *row) dateOr(col string, def payout.Date) payout.Date {
	if r.at(col).text == "" {
		return def
	}
	return r.date(col)
}

// period reads a YYYY-MM column. A workbook date cell on a 1st is read as
// its month: Excel turns a typed "2015-02" into 1 February 2015.
func (r *row) period(col string) (payout.Period, bool) {
	c := r.get(col)
	if c.text == "" {
		return 0, false
	}
	if c.num || c.date {
		d := r.date(col)
		if d == payout.NoDate {
			return 0, false
		}
		if y, m, day := d.YMD(); day == 1 {
			return payout.NewPeriod(y, m), true
		}
		r.failf(payout.ErrNotAPeriod, col, "%s is not a month (expected YYYY-MM, e.g. %s)", d, d.Period())
		return 0, false
	}
	p, msg := parsePeriod(c.text)
	if msg.Format != "" {
		r.fail(payout.ErrNotAPeriod, col, msg)
		return 0, false
	}
	return p, true
}

// decimal reads a decimal column; ok is false when empty or unreadable.
// A trailing "%" is allowed in percent columns.
func (r *row) decimal(col string) (decimal.Decimal, bool) {
	s := r.text(col)
	if s == "" {
		return decimal.Zero, false
	}
	if strings.HasSuffix(col, "percent") {
		s = trimCell(strings.TrimSuffix(s, "%"))
	}
	k, short := decimalKey(s)
	if short {
		if d, ok := r.t.decs[k]; ok {
			return d, true
		}
	}
	d, msg := parseDecimal(s, r.t.decimalComma || r.t.sheet != "")
	if msg.Format != "" {
		r.fail(payout.ErrNotANumber, col, msg)
		return decimal.Zero, false
	}
	if short {
		r.t.keepDecimal(k, d)
	}
	return d, true
}

// whole reads a whole-number column ≥ 0; ok is false when empty or bad.
func (r *row) whole(col string) (int, bool) {
	s := r.text(col)
	if s == "" {
		return 0, false
	}
	n, msg := parseWhole(s, r.t.decimalComma || r.t.sheet != "")
	if msg.Format != "" {
		r.fail(payout.ErrNotANumber, col, msg)
		return 0, false
	}
	return n, true
}

// boolean reads a yes/no column; empty is false.
func (r *row) boolean(col string) bool {
	s := r.text(col)
	if s == "" {
		return false
	}
	b, msg := parseBool(s)
	if msg.Format != "" {
		r.fail(payout.ErrNotABool, col, msg)
	}
	return b
}

// enum reads an enumeration column and returns its canonical spelling.
func (r *row) enum(col string) string {
	s := r.text(col)
	if s == "" {
		return ""
	}
	c := r.s.column(col)
	if v, ok := parseEnum(s, c.enum); ok {
		return v
	}
	r.failf(payout.ErrNotAllowed, col, "%s is not a valid %s; use %s", quote(s), col, c.expect())
	return ""
}

// version reads recorded_on and cancelled, and where the row came from.
func (r *row) version() payout.Version {
	return payout.Version{
		RecordedOn: r.dateOr("recorded_on", payout.Beginning),
		Cancelled:  r.cancelled,
		Src:        r.t.source(r.line),
		Import:     r.importSeq(),
	}
}

// importSeq reads column import: the store's import sequence of a version
// in an exported folder (payout export); 0 when empty.
func (r *row) importSeq() int32 {
	if r.s.column("import") == nil {
		return 0
	}
	n, _ := r.whole("import") // at most 1 000 000 000 (parseWhole)
	return int32(n)
}

// inRange reports a decimal outside (lo, hi] (or [lo, hi] when loIncl).
func (r *row) inRange(col string, d decimal.Decimal, lo, hi int64, loIncl bool, expect string) {
	l, h := decimal.NewFromInt(lo), decimal.NewFromInt(hi)
	low := d.LessThan(l) || (!loIncl && d.Equal(l))
	if low || d.GreaterThan(h) {
		r.failf(payout.ErrOutOfRange, col, "%s is outside the allowed range (expected %s)", d.String(), expect)
	}
}

// ordered reports a range whose end lies before its start.
func (r *row) ordered(fromCol string, from payout.Date, toCol string, to payout.Date) {
	if from != payout.NoDate && to != payout.NoDate && to < from {
		r.failf(payout.ErrInconsistent, toCol, "%s is before %s %s; %s must be on or after %s", to, fromCol, from, toCol, fromCol)
	}
}
