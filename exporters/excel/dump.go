package excel

import (
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// SheetDump is one sheet as text: a CSV of every non-empty cell with its
// stored value (a formula's cached value), number format and weight, and
// for a formula cell a fifth field FORMULA:…, and a first line with the
// frozen pane and the autofilter. Golden tests compare it, and verify uses it to
// name the first differing cell of a workbook.
type SheetDump struct {
	Name string
	CSV  []byte
}

// builtinFormats are the excelize built-in number formats this package can
// meet when reading a workbook back.
var builtinFormats = map[int]string{0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 14: "mm-dd-yy"}

// Dump reads a workbook and dumps every sheet, in workbook order.
func Dump(data []byte) ([]SheetDump, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []SheetDump
	for _, sheet := range f.GetSheetList() {
		d, err := dumpSheet(f, sheet)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sheet, err)
		}
		out = append(out, SheetDump{Name: sheet, CSV: d})
	}
	return out, nil
}

func dumpSheet(f *excelize.File, sheet string) ([]byte, error) {
	var buf bytes.Buffer
	w := stdcsv.NewWriter(&buf)
	panes, err := f.GetPanes(sheet)
	if err != nil {
		return nil, err
	}
	filter := ""
	if dn := f.GetDefinedName(); len(dn) > 0 {
		for _, n := range dn {
			if n.Name == "_xlnm._FilterDatabase" && n.Scope == sheet {
				filter = n.RefersTo
			}
		}
	}
	_ = w.Write([]string{"#", fmt.Sprintf("freeze=%v y=%d top=%s", panes.Freeze, panes.YSplit, panes.TopLeftCell), "filter=" + filter})
	_ = w.Write([]string{"cell", "value", "format", "weight"})
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	for r, row := range rows {
		for c, v := range row {
			if v == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			format, weight, err := cellFormat(f, sheet, ref)
			if err != nil {
				return nil, err
			}
			rec := []string{ref, v, format, weight}
			if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
				rec = append(rec, "FORMULA:"+fm)
			}
			_ = w.Write(rec)
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func cellFormat(f *excelize.File, sheet, ref string) (string, string, error) {
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		return "", "", err
	}
	st, err := f.GetStyle(id)
	if err != nil {
		return "", "", err
	}
	format := builtinFormats[st.NumFmt]
	if st.CustomNumFmt != nil {
		format = *st.CustomNumFmt
	}
	if format == "" {
		format = fmt.Sprintf("numFmt %d", st.NumFmt)
	}
	weight := ""
	if st.Font != nil && st.Font.Bold {
		weight = "bold"
	}
	return format, weight, nil
}

// Numbers reads a workbook's numeric cells: sheet → cell → stored value
// (a formula's cached value), amounts, counts, days and date serials. The
// cell values verify compares for a folder written by an older format
// version (FormatVersion): numbers sit where they sat, while the wording
// and layout of text belong to the format. The sheets are scanned
// directly (scanNumbers); a sheet's XML this package and excelize never
// write (a CDATA section, a comment, an entity in a value, a prefixed
// element, a cell without its reference) is read by excelize instead,
// with the same result.
func Numbers(data []byte) (map[string]map[string]string, error) {
	if out, err := scanNumbers(data); err == nil {
		return out, nil
	} else if !errors.Is(err, errUnusual) {
		return nil, err
	}
	return excelizeNumbers(data)
}

// excelizeNumbers is Numbers by excelize's reading of every cell.
func excelizeNumbers(data []byte) (map[string]map[string]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]map[string]string{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sheet, err)
		}
		cells := map[string]string{}
		for r, row := range rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if t, err := f.GetCellType(sheet, ref); err == nil && (t == excelize.CellTypeUnset || t == excelize.CellTypeNumber || t == excelize.CellTypeDate) {
					cells[ref] = v
				}
			}
		}
		out[sheet] = cells
	}
	return out, nil
}
