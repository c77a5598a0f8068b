package importers

import (
	"bytes"
	"encoding/xml"
	"path"
	"strconv"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/xuri/excelize/v2"
)

// A worksheet's XML names each row's number and each cell's reference
// (r="D2"), in order: Excel writes them so. excelize reads a cell given
// twice, or after a later one, into the next free column, so the rest of
// the row moves one column right and its values stand under other
// headers; a text column beside another could take its neighbour's value
// without any check noticing. So the order is checked first, on the
// sheet's own XML: a row or cell that does not come after the one before
// refuses the file, naming the cell. A reference may be left out (other
// writers do): it is then the next one.

// sheetOrderProblem is the first row or cell of the workbook's first sheet
// that does not come after the one before it: its row, its reference and
// what is wrong; row 0 when the order holds, or when the sheet's XML is not
// held in memory (a sheet past maxUnzipXMLBytes, which the size checks
// refuse anyway) or cannot be found.
func sheetOrderProblem(f *excelize.File) (row int, ref string, msg payout.Text) {
	part, ok := firstSheetPart(f)
	if !ok {
		return 0, "", payout.Text{}
	}
	v, ok := f.Pkg.Load(part)
	data, isBytes := v.([]byte)
	if !ok || !isBytes {
		return 0, "", payout.Text{}
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	lastRow, lastCol := 0, 0
	implicit := false // the row gave no number: its first cell's may
	for {
		tok, err := dec.Token()
		if err != nil {
			return 0, "", payout.Text{} // the end, or excelize's to word
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch start.Name.Local {
		case "row":
			n := lastRow + 1
			implicit = true
			if r := attr(start, "r"); r != "" {
				implicit = false
				var err error
				if n, err = strconv.Atoi(r); err != nil || n <= lastRow {
					return lastRow + 1, "", payout.Textf("row %s comes after row %d in the workbook's XML, which Excel never writes: the file is damaged; open it in Excel and save it again", r, lastRow)
				}
			}
			lastRow, lastCol = n, 0
		case "c":
			col := lastCol + 1
			if r := attr(start, "r"); r != "" {
				c, rw, err := excelize.CellNameToCoordinates(r)
				if err == nil && implicit && lastCol == 0 && rw >= lastRow {
					lastRow = rw // a row without its number is the one its first cell names
				}
				implicit = false
				if err != nil || rw != lastRow || c <= lastCol {
					return lastRow, r, payout.Textf("the cell %s is given twice or out of order in its row of the workbook's XML, which Excel never writes: the file is damaged; open it in Excel and save it again", r)
				}
				col = c
			}
			lastCol = col
		}
	}
}

// firstSheetPart is the package part of the workbook's first sheet, as
// workbook.xml lists its sheets and its relationships name their parts.
func firstSheetPart(f *excelize.File) (string, bool) {
	var wb struct {
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if !unmarshalPart(f, "xl/workbook.xml", &wb) || len(wb.Sheets) == 0 || !unmarshalPart(f, "xl/_rels/workbook.xml.rels", &rels) {
		return "", false
	}
	for _, r := range rels.Rel {
		if r.ID == wb.Sheets[0].ID {
			if t, abs := strings.CutPrefix(r.Target, "/"); abs {
				return t, true
			}
			return path.Join("xl", r.Target), true
		}
	}
	return "", false
}

func unmarshalPart(f *excelize.File, name string, v any) bool {
	p, ok := f.Pkg.Load(name)
	data, isBytes := p.([]byte)
	return ok && isBytes && xml.Unmarshal(data, v) == nil
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}
