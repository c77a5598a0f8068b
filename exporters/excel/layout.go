package excel

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
)

// The layout of a sheet (issue 15): what a clerk sees on screen and on
// paper.
//   - Column widths come from the widest header and value written in each
//     column, over every table of the sheet, as the cell shows it (1 234,56
//     is 8 characters), capped at maxChars; a longer text wraps.
//   - Print: landscape A4, one page wide, as many pages down as needed, the
//     header row repeated on every page, and a footer with the period (and
//     district), the sheet's name and "Side n av m".
//   - Identifiers stored as text (HPR, bydel, org.nr., accounts) carry no
//     "number stored as text" mark: every number is stored as a number, so
//     a digit string in a text cell is an identifier by design.

// maxChars caps a column's width in characters: a SHA-256 (64) fits, a
// warning's message wraps.
const maxChars = 70

// sheetLayout is one sheet as it is written: its rows, in ascending
// order, each cell measured and styled (workbook.prepare) and written out
// as XML (body) as it is added, and what its layout needs; when the sheet
// is complete it is written out as its worksheet part (sheetxml.go),
// whose sheetData is the body, and the body is let go.
type sheetLayout struct {
	chars            []int // widest value per column (0-based), in characters
	lastRow, lastCol int
	titles           bool   // the sheet starts with a table: frozen header, print titles
	filter           string // the table's autofilter range, "A1:H667"
	drawing          string // the relationship ID of the sheet's drawing (the chart)
	body             *sheetBody
	lastAdded        int // the number of the last row added, 0 before the first
	written          bool
}

// sheetRow is one row of a sheet: its cells from column A, and for a
// totals row the data rows its SUBTOTAL formulas sum.
type sheetRow struct {
	r              int
	cells          []cell
	sumFrom, sumTo int
}

// addRow writes a row below the sheet's last into the sheet's body: a
// worksheet's rows must ascend. The row's cells are not kept: a block's
// cells are let go (or reused) as soon as it is added.
func (l *sheetLayout) addRow(r sheetRow) error {
	if l.written {
		return fmt.Errorf("row %d added to a sheet already written", r.r)
	}
	if l.lastAdded > 0 && r.r <= l.lastAdded {
		return fmt.Errorf("row %d added below row %d", r.r, l.lastAdded)
	}
	if l.body == nil {
		l.body = newBody()
	}
	l.body.row(r)
	l.lastAdded = r.r
	return nil
}

func (w *workbook) layout(sheet string) *sheetLayout {
	l := w.sheets[sheet]
	if l == nil {
		l = &sheetLayout{}
		w.sheets[sheet] = l
	}
	return l
}

// measure records a written cell's width and the used range.
func (l *sheetLayout) measure(col, row, width int) {
	for len(l.chars) < col {
		l.chars = append(l.chars, 0)
	}
	l.chars[col-1] = max(l.chars[col-1], min(width, maxChars))
	l.lastRow, l.lastCol = max(l.lastRow, row), max(l.lastCol, col)
}

// displayWidth is how many characters a cell shows in its number format:
// 1 234 567,89 for an amount, 10 for a date, the longest line of a
// (neutralised) text.
func displayWidth(v cell) int {
	switch v.k {
	case kMoney:
		return cellNumWidth(&v, 2)
	case kNum:
		return cellNumWidth(&v, int(v.scale))
	case kInt:
		return intWidth(v.n)
	case kDate:
		return len("02.12.2026")
	}
	n, s := 0, v.s
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return max(n, utf8.RuneCountInString(s))
		}
		n, s = max(n, utf8.RuneCountInString(s[:i])), s[i+1:]
	}
}

// numWidth is the width of d in #,##0 with scale decimals. A value with
// no more decimals than shown and a coefficient of at most 18 digits (every
// amount) is measured on its int64 coefficient; others by rounding.
func numWidth(d decimal.Decimal, scale int) int {
	if c, e, ok := fixedOf(d); ok && int(-e) <= scale {
		return fixedWidth(c, int(-e), scale)
	}
	return roundedWidth(d, scale)
}

// cellNumWidth is numWidth of a numeric cell, on its coefficient when
// prepare found it fixed.
func cellNumWidth(v *cell, scale int) int {
	if v.fixed && int(v.exp) <= scale {
		return fixedWidth(int64(v.n), int(v.exp), scale)
	}
	return numWidth(v.d, scale)
}

// fixedWidth is the width of c·10^-k in #,##0 with scale ≥ k decimals.
func fixedWidth(c int64, k, scale int) int {
	n := groupedWidth(uint64(absInt64(c))/pow10[k], scale)
	if c < 0 {
		n++
	}
	return n
}

// roundedWidth is numWidth by decimal arithmetic, for any value.
func roundedWidth(d decimal.Decimal, scale int) int {
	digits := len(d.Abs().Round(int32(scale)).Truncate(0).String())
	n := digits + (digits-1)/3
	if scale > 0 {
		n += 1 + scale
	}
	if d.Round(int32(scale)).Sign() < 0 {
		n++
	}
	return n
}

// intWidth is the width of n in #,##0.
func intWidth(n int) int {
	w := groupedWidth(uint64(absInt64(int64(n))), 0)
	if n < 0 {
		w++
	}
	return w
}

// groupedWidth is the width of an integer part u grouped by thousands,
// with scale decimals after a comma.
func groupedWidth(u uint64, scale int) int {
	digits := 1
	for ; u >= 10; u /= 10 {
		digits++
	}
	n := digits + (digits-1)/3
	if scale > 0 {
		n += 1 + scale
	}
	return n
}

func absInt64(c int64) int64 {
	if c < 0 {
		return -c
	}
	return c
}

var pow10 = func() [19]uint64 {
	var p [19]uint64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// columnWidth is the Excel width (in widths of the digit 0) that shows n
// characters: bold headers and totals and letters wider than a digit need
// a tenth more, and the cell's padding two.
func columnWidth(n int) float64 { return math.Ceil(float64(max(n, 2))*1.1) + 2 }

// printTitles repeats row 1 of every sheet that starts with a table on
// each printed page: a defined name of the workbook.
func (w *workbook) printTitles() {
	for _, sheet := range w.spec.sheets {
		if w.layout(sheet).titles {
			w.spec.titles = append(w.spec.titles, sheet)
		}
	}
}

// footerText is the footer's left part: the period, and the district of a
// district workbook.
func footerText(v view) string {
	s := "Utbetaling " + v.res.Period.String()
	if v.bydel != "" {
		s += fmt.Sprintf(" – bydel %s (%s)", nb.BydelName(v.bydel), v.bydel)
	}
	return s
}
