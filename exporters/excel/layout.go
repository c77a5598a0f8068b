package excel

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
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

// sheetLayout is what one sheet's layout needs from the writing.
type sheetLayout struct {
	chars            []int // widest value per column (0-based), in characters
	lastRow, lastCol int
	titles           bool       // the sheet starts with a table: repeat row 1
	sumRows          []sumRange // each table's header and totals rows
}

// sumRange is where one table with totals starts (its header) and ends.
type sumRange struct{ header, sum int }

func (w *workbook) layout(sheet string) *sheetLayout {
	l := w.sheets[sheet]
	if l == nil {
		l = &sheetLayout{}
		w.sheets[sheet] = l
	}
	return l
}

// measure records a written cell's width and the used range.
func (l *sheetLayout) measure(col, row int, v cell) {
	for len(l.chars) < col {
		l.chars = append(l.chars, 0)
	}
	l.chars[col-1] = max(l.chars[col-1], min(displayWidth(v), maxChars))
	l.lastRow, l.lastCol = max(l.lastRow, row), max(l.lastCol, col)
}

// displayWidth is how many characters a cell shows in its number format:
// 1 234 567,89 for an amount, 10 for a date, the longest line of a text.
func displayWidth(v cell) int {
	switch v.k {
	case kMoney:
		return numWidth(v.d, 2)
	case kNum:
		return numWidth(v.d, v.scale)
	case kInt:
		return numWidth(decimal.NewFromInt(int64(v.n)), 0)
	case kDate:
		return len("02.12.2026")
	}
	n := 0
	for _, line := range strings.Split(nb.Neutralise(v.s), "\n") {
		n = max(n, utf8.RuneCountInString(line))
	}
	return n
}

// numWidth is the width of d in #,##0 with scale decimals.
func numWidth(d decimal.Decimal, scale int) int {
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

// columnWidth is the Excel width (in widths of the digit 0) that shows n
// characters: bold headers and totals and letters wider than a digit need
// a tenth more, and the cell's padding two.
func columnWidth(n int) float64 { return math.Ceil(float64(max(n, 2))*1.1) + 2 }

// layoutSheets sets every sheet's widths, print set-up and ignored errors.
func (w *workbook) layoutSheets() error {
	for _, sheet := range w.f.GetSheetList() {
		l := w.layout(sheet)
		for i, n := range l.chars {
			name, _ := excelize.ColumnNumberToName(i + 1)
			if err := w.f.SetColWidth(sheet, name, name, columnWidth(n)); err != nil {
				return err
			}
		}
		if err := w.printSetup(sheet, l); err != nil {
			return err
		}
		if l.lastRow > 0 {
			end, _ := excelize.CoordinatesToCellName(l.lastCol, l.lastRow)
			if err := w.f.AddIgnoredErrors(sheet, "A1:"+end, excelize.IgnoredErrorsNumberStoredAsText); err != nil {
				return err
			}
		}
	}
	return nil
}

// printSetup: landscape A4, one page wide, row 1 repeated, the footer.
func (w *workbook) printSetup(sheet string, l *sheetLayout) error {
	a4, landscape, wide, tall := 9, "landscape", 1, 0
	fit := true
	if err := w.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := w.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	footer := "&L" + strings.ReplaceAll(w.footer, "&", "&&") + "&C&A&RSide &P av &N"
	if err := w.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: footer}); err != nil {
		return err
	}
	if !l.titles {
		return nil
	}
	return w.f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$1", sheet), Scope: sheet,
	})
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

// numericSubtotals is the workbooks' zip writer. excelize marks a formula
// cell's cached value as a string (t="str"); the totals' SUBTOTAL cells
// hold numbers, so a reader that does not recalculate (or a filter before
// it does) sees a number in the number format. excelize writes each part
// with one Write, so the mark never straddles two writes.
func numericSubtotals(out io.Writer) excelize.ZipWriter {
	return subtotalZip{zip.NewWriter(out)}
}

type subtotalZip struct{ *zip.Writer }

func (z subtotalZip) Create(name string) (io.Writer, error) {
	fw, err := z.Writer.Create(name)
	if err != nil || !strings.HasPrefix(name, "xl/worksheets/sheet") {
		return fw, err
	}
	return subtotalPart{fw}, nil
}

type subtotalPart struct{ io.Writer }

var strSubtotal, numSubtotal = []byte(` t="str"><f>SUBTOTAL(`), []byte(`><f>SUBTOTAL(`)

func (p subtotalPart) Write(b []byte) (int, error) {
	if _, err := p.Writer.Write(bytes.ReplaceAll(b, strSubtotal, numSubtotal)); err != nil {
		return 0, err
	}
	return len(b), nil
}
