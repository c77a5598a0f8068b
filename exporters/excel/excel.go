// Package excel writes the period's workbooks (FORMATS.md, issues 4 and
// 15): report.xlsx for finance staff with every district, and
// bydel-NN.xlsx for each district's staff with only that district's
// agreements, payees, deductions, breaches and adjustments.
//
// The contract:
//   - sheets, in Norwegian bokmål: Sammendrag (per bydel and scheme, with a
//     column chart of the amount paid per bydel), Linjer, Utbetalinger,
//     Fravær, Trekk, Korreksjoner (with the inputs that changed, old and
//     new), Krav, Bilag (report.xlsx), Kontroller, Grunnlag and Regler
//     (every rule ID the workbook cites, its clause and a plain sentence);
//   - amounts are numbers formatted #,##0.00, counts and days #,##0, exact
//     quantities #,##0 with the column's decimals, dates are date serials
//     formatted dd.mm.yyyy; text is stored as strings (never formulas) and
//     neutralised like the CSV files; identifiers are text without the
//     "number stored as text" mark;
//   - each table has a bold frozen header, an autofilter and a bold totals
//     row of SUBTOTAL(109,…) formulas whose cached values are computed here
//     with exact decimals; widths and print set-up follow the contents
//     (layout.go);
//   - a district workbook shows personal data as the policy's
//     district_detail says (minimal.go);
//   - the bytes are deterministic: rows in the Result's order, document
//     properties derived from the period (never the clock), the worksheets
//     written by this package in a fixed order (sheetxml.go; excelize
//     builds the rest of the file, and its StreamWriter, which writes
//     streamed sheets in map order, is not used); a change of the bytes is
//     a new FormatVersion. Each sheet is built by its own function
//     (summarySheet, linesSheet, …) from blocks whose every cell is
//     measured (sheetLayout.measure), styled and its rule IDs noted
//     (noteRules) as it is added (workbook.prepare).
package excel

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oslokommune/payout/exporters/journal"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/xuri/excelize/v2"
)

// Sheet names, in workbook order.
const (
	SheetSummary     = "Sammendrag"
	SheetLines       = "Linjer"
	SheetPayments    = "Utbetalinger"
	SheetDeductions  = "Fravær"
	SheetWithholding = "Trekk"
	SheetAdjustments = "Korreksjoner"
	SheetClaims      = "Krav"
	SheetControls    = "Kontroller"
	SheetBasis       = "Grunnlag"
)

// Sheets lists the sheets of a district workbook in workbook order.
var Sheets = []string{SheetSummary, SheetLines, SheetPayments, SheetDeductions,
	SheetWithholding, SheetAdjustments, SheetClaims, SheetControls, SheetBasis, SheetRules}

// ReportSheets lists the sheets of report.xlsx: those of a district and
// the run's voucher (Bilag) before the controls.
var ReportSheets = []string{SheetSummary, SheetLines, SheetPayments, SheetDeductions,
	SheetWithholding, SheetAdjustments, SheetClaims, SheetVoucher, SheetControls, SheetBasis, SheetRules}

// ReportName is the finance workbook's file name.
const ReportName = "report.xlsx"

// DistrictFileName returns bydel-NN.xlsx for a district code.
func DistrictFileName(bydel string) string { return "bydel-" + bydel + ".xlsx" }

// Report renders report.xlsx: every district.
func Report(res *payout.Result, in *payout.Inputs) ([]byte, error) {
	return NewSet(res, in).Report()
}

// District renders bydel-NN.xlsx: the Result restricted to one district.
// To render several workbooks of one Result, use a Set.
func District(res *payout.Result, in *payout.Inputs, bydel string) ([]byte, error) {
	return NewSet(res, in).District(bydel)
}

// Districts returns the sorted codes of the districts present in the Result:
// those with a line, deduction, breach or adjustment.
func Districts(res *payout.Result) []string {
	seen := map[string]bool{}
	for _, l := range res.Lines {
		seen[l.Bydel] = true
	}
	for _, d := range res.Deductions {
		seen[d.Bydel] = true
	}
	for _, b := range res.Breaches {
		seen[b.Bydel] = true
	}
	for _, a := range res.Adjustments {
		seen[a.Bydel] = true
	}
	out := make([]string, 0, len(seen))
	for b := range seen {
		if b != "" {
			out = append(out, b)
		}
	}
	sort.Strings(out)
	return out
}

// view is what one workbook shows: the (possibly restricted) Result, the
// district code when it is a district workbook, and the agreements' names
// (Set.agreementNames).
type view struct {
	res     *payout.Result
	in      *payout.Inputs
	bydel   string
	names   map[string]string
	schemes map[string]payout.Scheme
	journal *journal.Journal // report.xlsx only
	// policy is policyParams of res.Policy, made once for a Set's
	// workbooks (Set.view, the one maker of views that are rendered).
	policy func() ([]param, error)
}

// sheets are the view's sheets in workbook order.
func (v view) sheets() []string {
	if v.journal != nil {
		return ReportSheets
	}
	return Sheets
}

// workbook is a workbook being built: the package's styles and, per
// sheet, its rows and what its layout needs (layout.go); footer is the
// print footer's left part (the period and district). parts are the
// sheets written so far (sheetxml.go), by their part's name; spec is what
// the workbook asks of excelize, which makes the rest of the file when it
// is finished (skeleton.go), through cache when it has one.
type workbook struct {
	st     styles
	sheets map[string]*sheetLayout
	footer string
	cited  map[string]bool   // the rule IDs the text cells cite (regler.go)
	texts  map[string]string // neutral's memo: a text as written, by the text given
	// ids and joined are rulesText's scratch, joinedTexts its memo.
	ids         []string
	joined      []byte
	joinedTexts map[string]string
	parts       map[string]*part
	spec        skeletonSpec
	cache       *skeletonCache
}

// newWorkbook is an empty workbook of the sheets named, in that order,
// with the document properties given, whose worksheets are written by
// this package (partZip); cache may be nil.
func newWorkbook(footer string, sheets []string, props *excelize.DocProperties, cache *skeletonCache) (*workbook, error) {
	st, err := defaultStyles()
	if err != nil {
		return nil, err
	}
	return &workbook{st: st, sheets: map[string]*sheetLayout{}, footer: footer,
		cited: map[string]bool{}, texts: map[string]string{}, joinedTexts: map[string]string{},
		parts: map[string]*part{}, cache: cache,
		spec: skeletonSpec{sheets: sheets, props: props}}, nil
}

func render(v view, cache *skeletonCache) ([]byte, error) {
	w, err := newWorkbook(footerText(v), v.sheets(), docProps(v), cache)
	if err != nil {
		return nil, err
	}
	w.spec.activate = true
	builders := []func(*workbook, view) error{
		summarySheet, linesSheet, paymentsSheet, deductionsSheet,
		withholdingSheet, adjustmentsSheet, claimsSheet, voucherSheet, controlsSheet, basisSheet,
		rulesSheet, // last: it lists the IDs the others cite
	}
	for _, b := range builders {
		if err := b(w, v); err != nil {
			return nil, err
		}
		// Each builder completes its sheet: write it out now.
		if err := w.writeSheets(false); err != nil {
			return nil, err
		}
	}
	return w.finish()
}

// finish writes the sheets not written yet, notes the print titles, and
// has the file made.
func (w *workbook) finish() ([]byte, error) {
	if err := w.writeSheets(true); err != nil {
		return nil, err
	}
	w.printTitles()
	return w.cache.zip(w)
}

// docProps derives every property from the period and district, so two
// renders of the same month are byte-identical; the timestamps are the
// first day of the period.
func docProps(v view) *excelize.DocProperties {
	p := v.res.Period
	title := fmt.Sprintf("Basistilskudd og driftstilskudd %s", p)
	if v.bydel != "" {
		title += fmt.Sprintf(" – bydel %s (%s)", nb.BydelName(v.bydel), v.bydel)
	}
	stamp := p.First().String() + "T00:00:00Z"
	return &excelize.DocProperties{
		Title:          title,
		Subject:        "Månedlig utbetaling " + p.String(),
		Creator:        "Oslo kommune – payout",
		LastModifiedBy: "Oslo kommune – payout",
		Category:       "Utbetaling",
		Keywords:       "basistilskudd; driftstilskudd; " + p.String(),
		Description:    fmt.Sprintf("Beregnet med kunnskap per %s, utbetales %s.", v.res.AsOf, v.res.PayDate),
		Language:       "nb-NO",
		Created:        stamp,
		Modified:       stamp,
		Revision:       "1",
	}
}

// styles are the cell styles by kind, plain and bold (totals), the
// exact quantities' styles by their number of decimals, the header style
// and the style of a text that wraps in its capped column.
type styles struct {
	plain, bold [kDate + 1]int       // by kind (plain kText is 0, the default style)
	num         [2][maxScale + 1]int // [bold][decimals]
	header      int
	title       int
	wrap        int
}

// maxScale is the most decimals an exact quantity (kNum) shows.
const maxScale = 4

// numFormat is the format of an exact quantity with scale decimals:
// grouped like the counts (1 036), so a weighted count of 1 036,5 and a
// count of 1 036 read alike.
func numFormat(scale int) string {
	if scale == 0 {
		return "#,##0"
	}
	return "#,##0." + strings.Repeat("0", scale)
}

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	fmts := map[kind]string{kMoney: "#,##0.00", kInt: "#,##0", kNum: numFormat(0), kDate: "dd.mm.yyyy"}
	// Fixed order: style IDs are assigned in creation order.
	for _, k := range []kind{kText, kMoney, kInt, kNum, kDate} {
		for _, bold := range []bool{false, true} {
			if !bold && k == kText {
				continue // plain text keeps the default style
			}
			id, err := f.NewStyle(cellStyle(fmts[k], bold))
			if err != nil {
				return st, err
			}
			if bold {
				st.bold[k] = id
			} else {
				st.plain[k] = id
			}
		}
	}
	for b, bold := range []bool{false, true} {
		for scale := 0; scale <= maxScale; scale++ {
			id, err := f.NewStyle(cellStyle(numFormat(scale), bold))
			if err != nil {
				return st, err
			}
			st.num[b][scale] = id
		}
	}
	var err error
	st.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	if err != nil {
		return st, err
	}
	if st.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return st, err
	}
	st.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	return st, err
}

// cellStyle is a data cell's style: its number format ("" for text), bold
// with a rule above for a totals row.
func cellStyle(numFmt string, bold bool) *excelize.Style {
	s := &excelize.Style{}
	if numFmt != "" {
		s.CustomNumFmt = &numFmt
	}
	if bold {
		s.Font = &excelize.Font{Bold: true}
		s.Border = []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	}
	return s
}

// table writes a sheet's main block at row 1 with frozen header,
// autofilter over header and data, and the column widths.
func (w *workbook) table(sheet string, b block) (placed, error) {
	pl, err := w.writeBlock(sheet, 1, b)
	if err != nil {
		return pl, err
	}
	last := pl.lastRow
	if last < pl.header+1 {
		last = pl.header + 1 // an empty table still gets a filter row
	}
	end, _ := cellName(len(b.cols), last)
	l := w.layout(sheet)
	l.titles, l.filter = true, "A1:"+end
	// The filter's defined name (_xlnm._FilterDatabase) is the
	// workbook's; excelize's worksheet it also sets is not written.
	w.spec.ops = append(w.spec.ops, skeletonOp{sheet: sheet, ref: l.filter})
	return pl, nil
}

// heading writes a bold caption above a secondary block. It runs on into
// the empty cells to its right, so it does not widen its column, and it
// cites no rule.
func (w *workbook) heading(sheet string, row int, s string) error {
	l := w.layout(sheet)
	l.lastRow, l.lastCol = max(l.lastRow, row), max(l.lastCol, 1)
	c := txt(s)
	c.s, c.style = nb.Neutralise(c.s), int16(w.st.title)
	return l.addRow(sheetRow{r: row, cells: []cell{c}})
}
