package excel

import (
	"fmt"
	"strconv"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// kind is how a cell is stored and formatted.
type kind int

const (
	kText  kind = iota // a string, never a formula
	kMoney             // an amount: a number with #,##0.00
	kInt               // a count or a number of days: #,##0
	kNum               // an exact quantity such as a percent: General
	kDate              // a date serial with dd.mm.yyyy
)

// cell is one value of a block; empty cells are written as nothing.
// scale is the number of decimals a kNum cell shows: writeBlock gives
// every kNum cell of a column the column's largest, so a column has one
// format (1 036 beside 1 036, 12,5 beside 100,0).
type cell struct {
	k     kind
	s     string
	d     decimal.Decimal
	n     int
	date  payout.Date
	empty bool
	scale int
}

func txt(s string) cell            { return cell{k: kText, s: s, empty: s == ""} }
func money(d decimal.Decimal) cell { return cell{k: kMoney, d: d} }
func integer(n int) cell           { return cell{k: kInt, n: n} }
func num(d decimal.Decimal) cell   { return cell{k: kNum, d: d} }
func date(d payout.Date) cell {
	return cell{k: kDate, date: d, empty: d == payout.NoDate || d == payout.Forever}
}
func period(p payout.Period) cell {
	if p == 0 {
		return blank() // no period (year 0 is never a real one)
	}
	return txt(p.String())
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
}

// placed tells where a block landed, for autofilters and chart ranges.
type placed struct {
	header, firstRow, lastRow int // lastRow is the last data row (before totals)
	next                      int // first free row after the block
}

// writeBlock writes b with its header at row top (1-based).
func (w *workbook) writeBlock(sheet string, top int, b block) (placed, error) {
	pl := placed{header: top, firstRow: top + 1, lastRow: top + len(b.rows)}
	alignScales(b.rows)
	rows := b.rows
	if b.totals {
		rows = append(append([][]cell(nil), rows...), totalsRow(b))
	}
	for i, c := range b.cols {
		if err := w.put(sheet, i+1, top, txt(c.head)); err != nil {
			return pl, err
		}
	}
	if err := w.styleRun(sheet, 1, len(b.cols), top, w.st.header); err != nil {
		return pl, err
	}
	for r, row := range rows {
		for c, v := range row {
			if err := w.put(sheet, c+1, top+1+r, v); err != nil {
				return pl, err
			}
		}
	}
	if err := w.styleCells(sheet, top+1, rows, b.totals); err != nil {
		return pl, err
	}
	if b.totals {
		if err := w.subtotals(sheet, b, pl); err != nil {
			return pl, err
		}
	}
	pl.next = top + 1 + len(rows)
	return pl, nil
}

// subtotals makes the summed cells of the totals row SUBTOTAL(109, …)
// formulas over the data rows above them (109: a sum that leaves out the
// rows a filter hides). The cell keeps the value put wrote as its cached
// value; an empty table keeps its plain 0.
func (w *workbook) subtotals(sheet string, b block, pl placed) error {
	if len(b.rows) == 0 {
		return nil
	}
	sumRow := pl.lastRow + 1
	for c, col := range b.cols {
		if !col.sum || c == 0 {
			continue
		}
		name, _ := excelize.ColumnNumberToName(c + 1)
		ref, _ := cellName(c+1, sumRow)
		formula := fmt.Sprintf("SUBTOTAL(109,%s%d:%s%d)", name, pl.firstRow, name, pl.lastRow)
		if err := w.f.SetCellFormula(sheet, ref, formula); err != nil {
			return err
		}
	}
	w.layout(sheet).sumRows = append(w.layout(sheet).sumRows, sumRange{pl.header, sumRow})
	return nil
}

// alignScales gives every kNum cell of a column the column's largest
// number of decimals (at most 4).
func alignScales(rows [][]cell) {
	if len(rows) == 0 {
		return
	}
	for c := range rows[0] {
		scale := 0
		for _, row := range rows {
			if v := row[c]; v.k == kNum && !v.empty {
				scale = max(scale, min(int(-v.d.Exponent()), maxScale))
			}
		}
		for r := range rows {
			if rows[r][c].k == kNum {
				rows[r][c].scale = scale
			}
		}
	}
}

// totalsRow sums the columns marked sum.
func totalsRow(b block) []cell {
	out := make([]cell, len(b.cols))
	out[0] = txt("Sum")
	for c := 1; c < len(b.cols); c++ {
		out[c] = blank()
		if !b.cols[c].sum {
			continue
		}
		var d decimal.Decimal
		var n, scale int
		k := kMoney
		for _, row := range b.rows {
			v := row[c]
			if v.empty {
				continue
			}
			k, scale = v.k, v.scale
			d, n = d.Add(v.d), n+v.n
		}
		if k == kInt {
			out[c] = integer(n)
		} else {
			out[c] = cell{k: k, d: d, scale: scale}
		}
	}
	return out
}

// put writes one value. Text goes through nb.Neutralise and SetCellStr, so
// it is stored as a string and can never be a formula.
func (w *workbook) put(sheet string, col, row int, v cell) error {
	if v.empty {
		return nil
	}
	ref, err := cellName(col, row)
	if err != nil {
		return err
	}
	w.layout(sheet).measure(col, row, v)
	switch v.k {
	case kMoney, kNum:
		// xlsx stores numbers as IEEE doubles: this is the one place an exact
		// decimal becomes a float, and only for display; the CSV files and
		// the manifest keep the exact value.
		f, _ := v.d.Float64()
		return w.f.SetCellFloat(sheet, ref, f, -1, 64)
	case kInt:
		return w.f.SetCellInt(sheet, ref, int64(v.n))
	case kDate:
		return w.f.SetCellInt(sheet, ref, int64(excelSerial(v.date)))
	default:
		w.noteRules(v.s)
		return w.f.SetCellStr(sheet, ref, nb.Neutralise(v.s))
	}
}

// colNames caches the letters of the first columns: cellName runs once per
// cell, and excelize.CoordinatesToCellName builds the letters every time.
var colNames = func() []string {
	names := make([]string, 64)
	for i := range names {
		names[i], _ = excelize.ColumnNumberToName(i + 1)
	}
	return names
}()

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

// styleCells gives each data cell the style of its kind, in runs down each
// column so a large sheet needs few calls; the totals row is bold.
func (w *workbook) styleCells(sheet string, top int, rows [][]cell, totals bool) error {
	if len(rows) == 0 {
		return nil
	}
	for c := range rows[0] {
		start := 0
		for r := 1; r <= len(rows); r++ {
			if r < len(rows) && w.styleOf(rows, r, c, totals) == w.styleOf(rows, start, c, totals) {
				continue
			}
			id := w.styleOf(rows, start, c, totals)
			if id != 0 {
				if err := w.styleRange(sheet, c+1, top+start, top+r-1, id); err != nil {
					return err
				}
			}
			start = r
		}
	}
	return nil
}

func (w *workbook) styleOf(rows [][]cell, r, c int, totals bool) int {
	v := rows[r][c]
	bold := totals && r == len(rows)-1
	switch {
	case v.k == kNum && bold:
		return w.st.num[1][v.scale]
	case v.k == kNum:
		return w.st.num[0][v.scale]
	case v.k == kText && !bold && displayWidth(v) > maxChars:
		return w.st.wrap // a long text wraps in its capped column
	case bold:
		return w.st.bold[v.k]
	}
	return w.st.plain[v.k]
}

func (w *workbook) styleRange(sheet string, col, from, to, id int) error {
	a, _ := excelize.CoordinatesToCellName(col, from)
	b, _ := excelize.CoordinatesToCellName(col, to)
	return w.f.SetCellStyle(sheet, a, b, id)
}

func (w *workbook) styleRun(sheet string, fromCol, toCol, row, id int) error {
	a, _ := excelize.CoordinatesToCellName(fromCol, row)
	b, _ := excelize.CoordinatesToCellName(toCol, row)
	return w.f.SetCellStyle(sheet, a, b, id)
}
