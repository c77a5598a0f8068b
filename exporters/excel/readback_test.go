package excel_test

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/excel"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// The read-back tests of issue 15 open the written workbooks with excelize
// and check what a clerk sees: the fixture's Result (every sheet filled)
// and the Oslo month 2022-12 (absences of every kind, 16 districts).

type workbookFile struct {
	name string
	data []byte
}

var oslo = sync.OnceValues(func() (*payout.Result, *payout.Inputs) {
	in, _, err := importers.LoadFolder("../../fixtures/oslo")
	if err != nil {
		panic(err)
	}
	res, err := payout.Compute(in, payout.MustPeriod("2022-12"), payout.Options{})
	if err != nil {
		panic(err)
	}
	return res, in
})

// workbooks renders report.xlsx and every district workbook of res.
func workbooks(t *testing.T, res *payout.Result, in *payout.Inputs) []workbookFile {
	t.Helper()
	set := excel.NewSet(res, in)
	report, err := set.Report()
	require.NoError(t, err)
	out := []workbookFile{{excel.ReportName, report}}
	for _, b := range excel.Districts(res) {
		data, err := set.District(b)
		require.NoError(t, err)
		out = append(out, workbookFile{excel.DistrictFileName(b), data})
	}
	return out
}

// osloWorkbooks are the Oslo month's workbooks, rendered once.
var osloWorkbooks = sync.OnceValue(func() []workbookFile {
	res, in := oslo()
	var t testing.T // workbooks fails only on an error, which panics below
	wbs := workbooks(&t, res, in)
	if t.Failed() {
		panic("rendering the Oslo workbooks failed")
	}
	return wbs
})

// allWorkbooks are the fixture's workbooks and, of the Oslo month,
// report.xlsx and two districts' (the per-cell checks read every cell).
func allWorkbooks(t *testing.T) []workbookFile {
	out := workbooks(t, fixture.Result(), fixture.Inputs())
	for _, wb := range osloWorkbooks() {
		if wb.name == excel.ReportName || wb.name == "bydel-09.xlsx" || wb.name == "bydel-HEL.xlsx" {
			out = append(out, wb)
		}
	}
	return out
}

func open(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// No cell shows more characters than its column is wide: a number (as its
// number format shows it) or a header within its own column, a text that
// wraps or runs on into empty cells to its right within those.
func TestNoCellWiderThanItsColumn(t *testing.T) {
	for _, wb := range allWorkbooks(t) {
		f := open(t, wb.data)
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet) // formatted as the number formats show them
			require.NoError(t, err)
			widths := map[int]float64{}
			width := func(c int) float64 {
				if w, ok := widths[c]; ok {
					return w
				}
				name, _ := excelize.ColumnNumberToName(c + 1)
				w, err := f.GetColWidth(sheet, name)
				require.NoError(t, err)
				widths[c] = w
				return w
			}
			for r, row := range rows {
				for c, v := range row {
					if v == "" {
						continue
					}
					ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
					room := width(c)
					typ, _ := f.GetCellType(sheet, ref)
					text := typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString
					if text && wraps(t, f, sheet, ref) && r > 0 {
						continue
					}
					for next := c + 1; text && (next >= len(row) || row[next] == "") && next < c+20; next++ {
						room += width(next) // text runs on into empty cells
					}
					assert.LessOrEqual(t, float64(utf8.RuneCountInString(v)), room, "%s %s!%s %q", wb.name, sheet, ref, v)
				}
			}
		}
	}
}

func wraps(t *testing.T, f *excelize.File, sheet, ref string) bool {
	id, err := f.GetCellStyle(sheet, ref)
	require.NoError(t, err)
	st, err := f.GetStyle(id)
	require.NoError(t, err)
	return st.Alignment != nil && st.Alignment.WrapText
}

// Every sheet prints landscape on A4, one page wide, with the header row
// repeated and a footer naming the period, the sheet and the page.
func TestPrintSettings(t *testing.T) {
	for _, wb := range allWorkbooks(t) {
		f := open(t, wb.data)
		titles := map[string]string{}
		for _, dn := range f.GetDefinedName() {
			if dn.Name == "_xlnm.Print_Titles" {
				titles[dn.Scope] = dn.RefersTo
			}
		}
		period, err := f.GetDocProps()
		require.NoError(t, err)
		for _, sheet := range f.GetSheetList() {
			pl, err := f.GetPageLayout(sheet)
			require.NoError(t, err)
			require.NotNil(t, pl.Size, "%s %s", wb.name, sheet)
			assert.Equal(t, 9, *pl.Size, "%s %s: A4", wb.name, sheet)
			assert.Equal(t, "landscape", *pl.Orientation, "%s %s", wb.name, sheet)
			assert.Equal(t, 1, *pl.FitToWidth, "%s %s: one page wide", wb.name, sheet)
			assert.Equal(t, 0, *pl.FitToHeight, "%s %s: as many pages down as needed", wb.name, sheet)
			props, err := f.GetSheetProps(sheet)
			require.NoError(t, err)
			assert.True(t, props.FitToPage != nil && *props.FitToPage, "%s %s: fit to page", wb.name, sheet)
			hf, err := f.GetHeaderFooter(sheet)
			require.NoError(t, err)
			require.NotNil(t, hf, "%s %s", wb.name, sheet)
			assert.Contains(t, hf.OddFooter, "&A", "%s %s: the sheet's name", wb.name, sheet)
			assert.Contains(t, hf.OddFooter, "&P", "%s %s: the page", wb.name, sheet)
			assert.Contains(t, hf.OddFooter, period.Keywords[len(period.Keywords)-7:], "%s %s: the period", wb.name, sheet)
			assert.Equal(t, "'"+sheet+"'!$1:$1", titles[sheet], "%s %s: header row repeated", wb.name, sheet)
		}
	}
}

// citable are the IDs a workbook may cite: RULEBOOK §10's and the one a
// minimal district workbook cites for §13.4 sickness.
func citable() map[string]bool {
	ids := map[string]bool{excel.RuleSickness134: true}
	for _, id := range payout.RuleIDs() {
		ids[id] = true
	}
	return ids
}

var token = regexp.MustCompile(`R-[A-Za-z0-9.\-]+`)

// Regler lists exactly the rule IDs the other sheets cite, each with a
// clause and a sentence.
func TestRulesSheetListsExactlyTheIDsUsed(t *testing.T) {
	ids := citable()
	for _, wb := range allWorkbooks(t) {
		f := open(t, wb.data)
		used := map[string]bool{}
		for _, sheet := range f.GetSheetList() {
			if sheet == excel.SheetRules {
				continue
			}
			rows, err := f.GetRows(sheet)
			require.NoError(t, err)
			for _, row := range rows {
				for _, v := range row {
					for _, tok := range token.FindAllString(v, -1) {
						if ids[strings.TrimRight(tok, ".")] {
							used[strings.TrimRight(tok, ".")] = true
						}
					}
				}
			}
		}
		rows, err := f.GetRows(excel.SheetRules)
		require.NoError(t, err)
		listed := map[string]bool{}
		for _, row := range rows[1:] {
			require.Len(t, row, 4, "%s: %v", wb.name, row)
			listed[row[0]] = true
			assert.NotEmpty(t, row[1], "%s: %s has its clause", wb.name, row[0])
			assert.Equal(t, excel.RuleSentence(row[0]), row[3], wb.name)
		}
		assert.Equal(t, used, listed, wb.name)
		assert.NotEmpty(t, listed, wb.name)
	}
}

// Every ID of the catalogue has its sentence.
func TestEveryRuleHasASentence(t *testing.T) {
	for id := range citable() {
		assert.NotEmpty(t, excel.RuleSentence(id), id)
	}
}

var subtotal = regexp.MustCompile(`^SUBTOTAL\(109,([A-Z]+)(\d+):([A-Z]+)(\d+)\)$`)

// Every totals cell is SUBTOTAL(109, …) over the column's data rows, and
// its cached value, stored as a number, is their sum to the øre.
func TestSubtotalsEqualTheSumOfTheirRows(t *testing.T) {
	n := 0
	for _, wb := range allWorkbooks(t) {
		f := open(t, wb.data)
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			require.NoError(t, err)
			for r, row := range rows {
				for c := range row {
					ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
					formula, err := f.GetCellFormula(sheet, ref)
					require.NoError(t, err)
					if formula == "" {
						continue
					}
					m := subtotal.FindStringSubmatch(formula)
					require.NotNil(t, m, "%s %s!%s: %s", wb.name, sheet, ref, formula)
					col, _ := excelize.ColumnNameToNumber(m[1])
					assert.Equal(t, c+1, col, "%s %s!%s sums its own column", wb.name, sheet, ref)
					var sum decimal.Decimal
					for i := atoi(m[2]); i <= atoi(m[4]); i++ {
						if v := at(rows, i-1, c); v != "" {
							sum = sum.Add(decimal.RequireFromString(v))
						}
					}
					assert.Equal(t, r, atoi(m[4]), "%s %s!%s: the row below the data", wb.name, sheet, ref)
					assert.Equal(t, "Sum", at(rows, r, 0), "%s %s!%s", wb.name, sheet, ref)
					assert.True(t, sum.Equal(decimal.RequireFromString(row[c])), "%s %s!%s: %s, rows sum to %s", wb.name, sheet, ref, row[c], sum)
					n++
				}
			}
		}
		assert.NotContains(t, string(sheetXML(t, wb.data)), `t="str"><f>SUBTOTAL`, "%s: cached totals are numbers", wb.name)
	}
	assert.Greater(t, n, 100)
}

func at(rows [][]string, r, c int) string {
	if r < len(rows) && c < len(rows[r]) {
		return rows[r][c]
	}
	return ""
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func sheetXML(t *testing.T, data []byte) []byte { return partsXML(t, data, "xl/worksheets/sheet") }

// partsXML is the text of the workbook's parts whose names begin with
// prefix, one after the other.
func partsXML(t *testing.T, data []byte, prefix string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var all []byte
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, prefix) {
			rc, err := zf.Open()
			require.NoError(t, err)
			b, err := io.ReadAll(rc)
			require.NoError(t, err)
			all = append(all, b...)
		}
	}
	return all
}

// Data minimisation (policy district_detail, default minimal): no district
// workbook names an absence's kind or shows a full bank account;
// report.xlsx does both, and so does a district workbook under "full".
func TestDistrictWorkbooksHideAbsenceKindsAndAccounts(t *testing.T) {
	res, in := oslo()
	var kinds []string
	for _, k := range []payout.AbsenceKind{payout.KindSickness, payout.KindChildSickness, payout.KindParental,
		payout.KindEducation, payout.KindUnionPublic, payout.KindMilitaryService} {
		kinds = append(kinds, nb.KindName(k))
	}
	secret := append([]string{payout.RSick, payout.RChild}, kinds...)
	for _, p := range in.Payees {
		secret = append(secret, p.Account, p.Account[:4]+"."+p.Account[4:6]+"."+p.Account[6:])
	}
	text := func(data []byte) string { return string(partsXML(t, data, "xl/")) } // every cell's text, as stored
	found := func(s string) []string {
		var out []string
		for _, x := range secret {
			if strings.Contains(s, x) {
				out = append(out, x)
			}
		}
		return out
	}
	paid := res.Payments[0].Account
	for _, wb := range osloWorkbooks() {
		hits := found(text(wb.data))
		if wb.name == excel.ReportName {
			assert.Contains(t, hits, nb.KindName(payout.KindSickness), "the finance workbook keeps the kinds")
			assert.Contains(t, hits, paid[:4]+"."+paid[4:6]+"."+paid[6:], "the finance workbook keeps the accounts")
			continue
		}
		assert.Empty(t, hits, wb.name)
	}
	full := *res
	full.Policy.DistrictDetail = payout.DistrictDetailFull
	bydel := res.Lines[0].Bydel
	for _, b := range res.Deductions {
		if b.Kind == payout.KindSickness {
			bydel = b.Bydel
			break
		}
	}
	data, err := excel.NewSet(&full, in).District(bydel)
	require.NoError(t, err)
	assert.Contains(t, found(text(data)), nb.KindName(payout.KindSickness), "district_detail full shows the kinds")
}
