package excel

import (
	"strconv"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// kind is how a cell is stored and formatted.
type kind uint8

const (
	kText  kind = iota // a string, never a formula
	kMoney             // an amount: a number with #,##0.00
	kInt               // a count or a number of days: #,##0
	kNum               // an exact quantity such as a percent: General
	kDate              // a date serial with dd.mm.yyyy
)

// cell is one value of a block; empty cells are written as nothing (or,
// with a style, as a styled empty cell). scale is the number of decimals a
// kNum cell shows: writeBlock gives every kNum cell of a column the
// column's largest, so a column has one format (1 036 beside 1 036, 12,5
// beside 100,0). style is the cell's style, set when the block is added to
// its sheet (prepare); sum marks a totals cell written as a SUBTOTAL
// formula over its column's data rows. n is a kInt cell's value, a
// kDate cell's date (payout.Date, an int32) and a fixed cell's
// coefficient. The fields are packed (48 bytes): a sheet's cells are held until it is written, and the Linjer
// sheet has 28 a line.
type cell struct {
	s     string
	d     decimal.Decimal
	n     int
	style int16
	k     kind
	empty bool
	sum   bool
	scale uint8
	// fixed: a kMoney or kNum cell's d is n·10^-exp (fixedOf), set by
	// prepare, so its width, sum and value are computed on the integer.
	fixed bool
	exp   uint8
}

func txt(s string) cell            { return cell{k: kText, s: s, empty: s == ""} }
func money(d decimal.Decimal) cell { return cell{k: kMoney, d: d} }
func integer(n int) cell           { return cell{k: kInt, n: n} }
func num(d decimal.Decimal) cell   { return cell{k: kNum, d: d} }
func date(d payout.Date) cell {
	return cell{k: kDate, n: int(d), empty: d == payout.NoDate || d == payout.Forever}
}
func period(p payout.Period) cell {
	if p == 0 {
		return blank() // no period (year 0 is never a real one)
	}
	return txt(periodText(p))
}

// periodText is p.String() ("2022-12") without fmt: a period cell is on
// every line of the Linjer sheet.
func periodText(p payout.Period) string {
	y, m := p.Year(), p.Month()
	if y < 1000 || y > 9999 {
		return p.String()
	}
	b := [7]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-', byte('0' + m/10), byte('0' + m%10)}
	return string(b[:])
}
func blank() cell { return cell{empty: true} }

// column is one column of a block: its Norwegian header and whether the
// totals row sums it. Widths are not set per column: the sheet's layout
// measures every header and value written (layout.go).
type column struct {
	head string
	sum  bool
}

// block is a table: header row, data rows and, when totals is set, a bold
// "Sum" row. Each summed figure is a SUBTOTAL(109,…) formula over the
// column's data rows, so filtering the table sums the rows shown, with
// its cached value computed here with exact decimals, so the file shows
// the audited totals even unrecalculated and the bytes are deterministic.
type block struct {
	cols   []column
	rows   [][]cell
	totals bool
	cells  []cell     // the rows' cells when made by newBlock
	room   *blockRoom // where cells and rows came from (newBlock)
}

// newBlock is a block of the columns given with room for n data rows,
// whose cells are added row by row (add) into one array taken from
// blockRooms: writeBlock writes each row out as XML as it adds it to its
// sheet and gives the arrays back, so the next block (of any workbook)
// reuses them instead of allocating a sheet's cells again.
func newBlock(cols []column, totals bool, n int) block {
	var r *blockRoom
	select {
	case r = <-blockRooms:
	default:
		r = &blockRoom{}
	}
	if cap(r.cells) < n*len(cols) {
		r.cells = make([]cell, 0, n*len(cols))
	}
	if cap(r.rows) < n {
		r.rows = make([][]cell, 0, n)
	}
	return block{cols: cols, totals: totals, rows: r.rows[:0], cells: r.cells[:0], room: r}
}

// blockRoom is the arrays of a block made by newBlock.
type blockRoom struct {
	cells []cell
	rows  [][]cell
}

// blockRooms keeps a few rooms let go; one larger than maxRoomCells is
// left to the collector.
var blockRooms = make(chan *blockRoom, 4)

// maxRoomCells (12 MiB of cells) is above a district's Linjer block at
// four times Norway (2 400 lines of 28 cells, 68 000 cells): at 1 << 16 each
// of the 16 districts made its own there (52 MB more to allocate and to
// fault in, 6.1× the 1× run's blocks for 4× the lines), while the Norway
// run's 17 000 cells were reused (issue 16). report.xlsx's Linjer (28 cells
// of every line) is still left to the collector at both sizes.
const maxRoomCells = 1 << 18

// release gives the block's room back. The block must not be read
// after. The room is not cleared: while a collection runs, clearing
// memory that holds pointers costs a write barrier per pointer, and a
// kept room's texts (of a Result rendered already) are overwritten by the
// next block; at most four rooms of maxRoomCells are kept.
func (b *block) release() {
	r := b.room
	if r == nil {
		return
	}
	b.room = nil
	r.cells, r.rows = b.cells[:0], b.rows[:0]
	if cap(r.cells) > maxRoomCells {
		return
	}
	select {
	case blockRooms <- r:
	default: // enough kept
	}
}

// add appends a data row of the cells given.
func (b *block) add(cells ...cell) {
	start := len(b.cells)
	b.cells = append(b.cells, cells...)
	b.rows = append(b.rows, b.cells[start:len(b.cells):len(b.cells)])
}

// extend appends cells to the last row added.
func (b *block) extend(cells ...cell) {
	last := &b.rows[len(b.rows)-1]
	start := len(b.cells) - len(*last)
	b.cells = append(b.cells, cells...)
	*last = b.cells[start:len(b.cells):len(b.cells)]
}

// placed tells where a block landed, for autofilters and chart ranges.
type placed struct {
	header, firstRow, lastRow int // lastRow is the last data row (before totals)
	next                      int // first free row after the block
}

// writeBlock adds b to the sheet with its header at row top (1-based):
// the header row in the header style, the data rows and, with totals, the
// bold Sum row. Every cell is measured and styled here (prepare), so the
// sheet can be written out as soon as it is complete (sheetxml.go).
func (w *workbook) writeBlock(sheet string, top int, b block) (placed, error) {
	defer b.release()
	pl := placed{header: top, firstRow: top + 1, lastRow: top + len(b.rows)}
	l := w.layout(sheet)
	alignScales(b.rows)
	header := make([]cell, len(b.cols))
	for i, c := range b.cols {
		header[i] = txt(c.head)
		w.prepare(l, i+1, top, &header[i], w.st.header, false)
	}
	if err := l.addRow(sheetRow{r: top, cells: header}); err != nil {
		return pl, err
	}
	t := newTotals(b.cols)
	for r, row := range b.rows {
		for c := range row {
			w.prepare(l, c+1, top+1+r, &row[c], 0, false)
		}
		if b.totals {
			t.add(row)
		}
		if err := l.addRow(sheetRow{r: top + 1 + r, cells: row}); err != nil {
			return pl, err
		}
	}
	pl.next = pl.lastRow + 1
	if !b.totals {
		return pl, nil
	}
	sum := t.row()
	for c := range sum {
		// An empty table keeps its plain 0: SUBTOTAL over no rows would
		// name a range above the header.
		sum[c].sum = c > 0 && b.cols[c].sum && len(b.rows) > 0
		w.prepare(l, c+1, pl.lastRow+1, &sum[c], 0, true)
	}
	pl.next++
	return pl, l.addRow(sheetRow{r: pl.lastRow + 1, cells: sum, sumFrom: pl.firstRow, sumTo: pl.lastRow})
}

// alignScales gives every kNum cell of a column the column's largest
// number of decimals (at most 4).
func alignScales(rows [][]cell) {
	if len(rows) == 0 {
		return
	}
	for c := range rows[0] {
		scale, any := 0, false
		for _, row := range rows {
			if v := row[c]; v.k == kNum {
				any = true
				if !v.empty {
					scale = max(scale, min(int(-v.d.Exponent()), maxScale))
				}
			}
		}
		if !any {
			continue
		}
		for r := range rows {
			if rows[r][c].k == kNum {
				rows[r][c].scale = uint8(scale)
			}
		}
	}
}

// totals is a block's Sum row as its rows are added, one row after the
// other (a row's cells are read while they are at hand): per column
// marked sum, the sum of its non-empty cells, with the kind and decimals of
// the last (an empty column sums to an amount of 0).
type totals struct {
	cols   []column
	sums   []exactSum
	counts []int
	kinds  []kind
	scales []uint8
}

func newTotals(cols []column) *totals {
	n := len(cols)
	t := &totals{cols: cols, sums: make([]exactSum, n), counts: make([]int, n), kinds: make([]kind, n), scales: make([]uint8, n)}
	for c := range t.kinds {
		t.kinds[c] = kMoney
	}
	return t
}

func (t *totals) add(row []cell) {
	for c := 1; c < len(t.cols); c++ {
		v := &row[c]
		if !t.cols[c].sum || v.empty {
			continue
		}
		t.kinds[c], t.scales[c] = v.k, v.scale
		switch {
		case v.k == kInt:
			t.counts[c] += v.n
		case v.fixed:
			t.sums[c].addFixed(int64(v.n), -int32(v.exp), v.d)
		default:
			t.sums[c].add(v.d)
		}
	}
}

// row is the Sum row: "Sum", then each summed column's total.
func (t *totals) row() []cell {
	out := make([]cell, len(t.cols))
	out[0] = txt("Sum")
	for c := 1; c < len(t.cols); c++ {
		switch {
		case !t.cols[c].sum:
			out[c] = blank()
		case t.kinds[c] == kInt:
			out[c] = integer(t.counts[c])
		default:
			out[c] = cell{k: t.kinds[c], d: t.sums[c].value(), scale: t.scales[c]}
		}
	}
	return out
}

// exactSum adds decimals exactly, and allocates nothing while every term
// and the sum fit an int64 coefficient at 9 decimals or fewer (every
// amount does); past that it adds decimals. Its value is the one
// decimal.Decimal.Add gives, exponent included: the smallest of the terms'
// and 0.
type exactSum struct {
	c    int64
	e    int32
	slow bool
	d    decimal.Decimal
}

// maxExact bounds the coefficients added on int64: two of them never
// overflow.
const maxExact = 1 << 62

func (s *exactSum) add(d decimal.Decimal) {
	if c, e, ok := fixedOf(d); ok {
		s.addFixed(c, e, d)
		return
	}
	if !s.slow {
		s.slow, s.d = true, s.value()
	}
	s.d = s.d.Add(d)
}

// addFixed adds d, which is c·10^e (fixedOf).
func (s *exactSum) addFixed(c int64, e int32, d decimal.Decimal) {
	if !s.slow {
		if e < s.e {
			k := pow10[s.e-e]
			if uint64(absInt64(s.c)) <= maxExact/k {
				s.c, s.e = s.c*int64(k), e
			}
		} else if e > s.e {
			k := pow10[e-s.e]
			if uint64(absInt64(c)) <= maxExact/k {
				c, e = c*int64(k), s.e
			}
		}
		if e == s.e && uint64(absInt64(c)) <= maxExact && uint64(absInt64(s.c)) <= maxExact {
			s.c += c
			return
		}
		s.slow, s.d = true, s.value()
	}
	s.d = s.d.Add(d)
}

func (s *exactSum) value() decimal.Decimal {
	if s.slow {
		return s.d
	}
	return decimal.New(s.c, s.e)
}

// prepare readies one cell of row for writing: a text is neutralised
// (nb.Neutralise, so it is stored as a string and can never be a formula)
// after its rule IDs are noted, the cell is measured for its column's
// width, and it gets style, or when that is 0 the style of its kind
// (styleOf); bold is the totals row's.
func (w *workbook) prepare(l *sheetLayout, col, row int, v *cell, style int, bold bool) {
	width := 0
	if !v.empty {
		switch v.k {
		case kText:
			v.s = w.neutral(v.s)
		case kMoney, kNum:
			if c, e, ok := fixedOf(v.d); ok {
				v.n, v.exp, v.fixed = int(c), uint8(-e), true
			}
		}
		width = displayWidth(*v)
		l.measure(col, row, width)
	}
	if style == 0 {
		style = w.styleOf(*v, width, bold)
	}
	v.style = int16(style)
}

// fixedOf is d as an int64 coefficient c and exponent e (d = c·10^e) when
// e is between -9 and 0 and c has at most 18 digits, as every amount
// has: two such coefficients add without overflow.
func fixedOf(d decimal.Decimal) (c int64, e int32, ok bool) {
	if e := d.Exponent(); e <= 0 && e >= -9 && d.NumDigits() <= 18 {
		return d.CoefficientInt64(), e, true
	}
	return 0, 0, false
}

// neutral notes the rule IDs s cites (noteRules) and returns s
// neutralised (nb.Neutralise). A text that may cite a rule or holds a ;
// (the rules column, a district list) is looked up in the workbook's
// memo first: the Linjer sheet repeats a few rule sets on every line, and
// both steps would cut and copy the text again each time.
func (w *workbook) neutral(s string) string {
	if !strings.Contains(s, "R-") && strings.IndexByte(s, ';') < 0 {
		return nb.Neutralise(s) // nothing to note, and no ; to look after
	}
	if t, ok := w.texts[s]; ok {
		return t
	}
	w.noteRules(s)
	t := nb.Neutralise(s)
	if len(w.texts) < maxTexts {
		w.texts[s] = t
	}
	return t
}

// maxTexts bounds neutral's memo. The texts that repeat (a line's rule
// set, a district list) come early and are few; a payment's remittance
// ("…; spes. P00002-2025-12") holds a ; too but is never written twice, and
// remembering each grew the memo to one entry per payee (40 000 at four
// times Norway: neutral 5.5× the 1× run's samples for 4× the payees, the
// map rebuilt as it doubled). noteRules is a set, so a text that comes
// again past the bound only notes its rules again (issue 16).
const maxTexts = 1 << 12

// colNames caches the letters of the first columns: cellName runs once per
// cell, and excelize.CoordinatesToCellName builds the letters every time.
var colNames = func() []string {
	names := make([]string, 64)
	for i := range names {
		names[i], _ = excelize.ColumnNumberToName(i + 1)
	}
	return names
}()

// colName is the letters of column col (1-based), e.g. "AB".
func colName(col int) string {
	if col >= 1 && col <= len(colNames) {
		return colNames[col-1]
	}
	name, _ := excelize.ColumnNumberToName(col)
	return name
}

// cellName is excelize.CoordinatesToCellName(col, row), e.g. "AB12".
func cellName(col, row int) (string, error) {
	if col < 1 || col > len(colNames) || row < 1 {
		return excelize.CoordinatesToCellName(col, row)
	}
	var buf [24]byte
	b := append(buf[:0], colNames[col-1]...)
	return string(strconv.AppendInt(b, int64(row), 10)), nil
}

// excelSerial is the 1900 date system's serial number (days since
// 1899-12-30, valid after 1900-02-28), computed from the civil date.
func excelSerial(d payout.Date) int { return int(d - payout.NewDate(1899, 12, 30)) }

// styleOf is the style of a data cell of width characters: its kind's
// format, bold in a totals row, and a long text wraps.
func (w *workbook) styleOf(v cell, width int, bold bool) int {
	switch {
	case v.k == kNum && bold:
		return w.st.num[1][v.scale]
	case v.k == kNum:
		return w.st.num[0][v.scale]
	case v.k == kText && !bold && width > maxChars:
		return w.st.wrap // a long text wraps in its capped column
	case bold:
		return w.st.bold[v.k]
	}
	return w.st.plain[v.k]
}
