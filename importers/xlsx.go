package importers

import (
	"bytes"
	"strconv"

	"github.com/oslokommune/payout/payout"
	"github.com/xuri/excelize/v2"
)

// Limits that keep a hostile or broken workbook from exhausting memory.
const (
	maxUnzipBytes    = 256 << 20
	maxUnzipXMLBytes = 64 << 20
)

const notWorkbook = `not a readable Excel workbook (.xlsx); open it in Excel and save it as "Excel-arbeidsbok (*.xlsx)"`

// readXLSX turns the first sheet of a workbook into a table. The first
// non-empty row is the header.
func readXLSX(file string, data []byte, errs *payout.ErrorList) (t *table) {
	defer func() {
		// excelize is not written for hostile input; a panic inside it is
		// a broken file, not a broken program.
		if recover() != nil {
			errs.Add(fileErrf(payout.ErrUnreadable, file, notWorkbook))
			t = nil
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: maxUnzipBytes, UnzipXMLSizeLimit: maxUnzipXMLBytes})
	if err != nil {
		errs.Add(fileErrf(payout.ErrUnreadable, file, notWorkbook))
		return nil
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		errs.Add(fileErrf(payout.ErrUnreadable, file, notWorkbook))
		return nil
	}
	t = &table{file: file, sheet: sheets[0]}
	if row, ref, msg := sheetOrderProblem(f); row > 0 {
		errs.Add(&payout.InputError{File: file, Sheet: t.sheet, Line: row, Cell: ref, Text: msg, Err: payout.ErrUnreadable})
		return nil
	}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		t.date1904 = *props.Date1904
	}
	if err := readSheet(f, t, errs); err != nil {
		errs.Add(fileErrf(payout.ErrUnreadable, file, "cannot read sheet %s: %v", t.sheet, err))
		return nil
	}
	if t.refused {
		return nil
	}
	if t.header == nil {
		errs.Add(payout.Problemf(payout.ErrEmptyFile, "the first sheet (%s) is empty; its first row must be the header with the column names", t.sheet).At(payout.InputError{File: file, Sheet: t.sheet}))
		return nil
	}
	return t
}

// readSheet reads the sheet's rows into t, after sheetFits: excelize
// expands a sheet it loads to every cell up to each row's last one (for the
// cell types), so the size is checked first, streaming.
func readSheet(f *excelize.File, t *table, errs *payout.ErrorList) error {
	if err := sheetFits(f, t, errs); err != nil || t.refused {
		return err
	}
	rows, err := f.GetRows(t.sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return err
	}
	for i, raw := range rows {
		line := i + 1
		cells := workbookCells(f, t.sheet, line, raw)
		switch {
		case blank(cells):
		case !t.recordFits(line, cells, errs):
			if t.header != nil {
				t.lost++
			}
		case t.header == nil:
			t.header, t.headerLine = cells, line
		default:
			t.rows = append(t.rows, tableRow{line: line, cells: cells})
			t.nrows++
		}
	}
	return nil
}

// sheetFits streams the sheet's rows and refuses it (t.refused) at the
// first row wider than maxColumns or once it expands past maxSheetCells.
func sheetFits(f *excelize.File, t *table, errs *payout.ErrorList) error {
	rows, err := f.Rows(t.sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	expanded, header := 0, true
	for line := 1; rows.Next(); line++ {
		raw, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return err
		}
		what := payout.Textf("row")
		if header {
			what = payout.Textf("header")
		}
		header = header && len(raw) == 0
		switch expanded += len(raw); {
		case len(raw) > maxColumns:
			errs.Add(t.tooLargef(line, "", "the %s has %d columns, more than the %d a file may have; is this the right file?", what, len(raw), maxColumns))
		case expanded > maxSheetCells:
			errs.Add(t.tooLargef(line, "", "the sheet expands to more than %d cells (rows times columns) by this row; is this the right file?", maxSheetCells))
		default:
			continue
		}
		t.refused = true
		return nil
	}
	return rows.Error()
}

// workbookCells reads one row's cells with their types.
func workbookCells(f *excelize.File, sheet string, line int, raw []string) []cell {
	cells := make([]cell, len(raw))
	for j, v := range raw {
		ref, _ := excelize.CoordinatesToCellName(j+1, line)
		c := cell{text: trimCell(v), ref: ref}
		if c.text != "" {
			typ, _ := f.GetCellType(sheet, ref)
			switch typ {
			case excelize.CellTypeUnset, excelize.CellTypeNumber:
				_, err := strconv.ParseFloat(c.text, 64)
				c.num = err == nil
			case excelize.CellTypeDate:
				c.date = true
			case excelize.CellTypeBool:
				c.text = map[bool]string{true: "true", false: "false"}[c.text == "1"]
			}
		}
		cells[j] = c
	}
	return cells
}

// excelNumber renders a number cell as the user saw it: Excel keeps 15
// significant digits, so the binary double is read back at that precision
// and never used as money. ("0.30000000000000004" is 0.3.)
func excelNumber(raw string) string {
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return raw
	}
	return strconv.FormatFloat(mustFloat(strconv.FormatFloat(v, 'g', 15, 64)), 'f', -1, 64)
}

func mustFloat(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// excelSerialDate converts an Excel date serial to a Date. In the 1900
// system serial 60 is Lotus's 29 February 1900, which never existed.
func excelSerialDate(raw string, date1904 bool) (payout.Date, bool) {
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || v != float64(int64(v)) || v < 1 || v > 2958465 {
		return payout.NoDate, false
	}
	n := int(v)
	switch {
	case date1904:
		return payout.NewDate(1904, 1, 1) + payout.Date(n), true
	case n == 60:
		return payout.NoDate, false
	case n < 60:
		return payout.NewDate(1899, 12, 31) + payout.Date(n), true
	}
	return payout.NewDate(1899, 12, 30) + payout.Date(n), true
}
