package excel_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/oslokommune/payout/exporters/excel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// worksheetOrder is the sequence of CT_Worksheet's children (ECMA-376
// part 1, 18.3.1.99): a worksheet's elements must appear in this order.
var worksheetOrder = []string{"sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData",
	"sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
	"dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
	"dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
	"rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
	"legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
	"tableParts", "extLst"}

// Every worksheet part is well-formed XML whose elements follow the
// schema's order, with rows ascending, each cell in its own row and in
// ascending columns, and a dimension that covers every cell.
func TestWorksheetXMLIsWellFormedAndInSchemaOrder(t *testing.T) {
	rank := map[string]int{}
	for i, n := range worksheetOrder {
		rank[n] = i
	}
	for _, wb := range allWorkbooks(t) {
		zr, err := zip.NewReader(bytes.NewReader(wb.data), int64(len(wb.data)))
		require.NoError(t, err)
		sheets := 0
		for _, zf := range zr.File {
			if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
				continue
			}
			sheets++
			rc, err := zf.Open()
			require.NoError(t, err)
			data, err := io.ReadAll(rc)
			require.NoError(t, err)
			checkWorksheet(t, wb.name+" "+zf.Name, data, rank)
		}
		assert.Greater(t, sheets, 8, wb.name)
	}
}

func checkWorksheet(t *testing.T, name string, data []byte, rank map[string]int) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	depth, last, lastRow, lastCol := 0, -1, 0, 0
	var dimension string
	maxRow, maxCol := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, name)
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1:
				require.Equal(t, "worksheet", e.Name.Local, name)
			case depth == 2:
				r, ok := rank[e.Name.Local]
				require.True(t, ok, "%s: %s is no child of worksheet", name, e.Name.Local)
				require.Greater(t, r, last, "%s: %s out of order", name, e.Name.Local)
				last = r
				if e.Name.Local == "dimension" {
					dimension = attr(e, "ref")
				}
			case e.Name.Local == "row":
				r, err := strconv.Atoi(attr(e, "r"))
				require.NoError(t, err, name)
				require.Greater(t, r, lastRow, "%s: rows ascend", name)
				lastRow, lastCol = r, 0
			case e.Name.Local == "c":
				col, row, err := excelize.CellNameToCoordinates(attr(e, "r"))
				require.NoError(t, err, name)
				require.Equal(t, lastRow, row, "%s: %s in its row", name, attr(e, "r"))
				require.Greater(t, col, lastCol, "%s: cells ascend", name)
				lastCol = col
				maxRow, maxCol = max(maxRow, row), max(maxCol, col)
			}
		case xml.EndElement:
			depth--
		}
	}
	if maxRow > 0 {
		end, _ := excelize.CoordinatesToCellName(maxCol, maxRow)
		assert.True(t, dimension == "A1:"+end || dimension == "A1" && end == "A1", "%s: dimension %s, cells to %s", name, dimension, end)
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// The summary's chart: its sheet's drawing element names the sheet's
// relationship to the drawing excelize made for the chart.
func TestChartDrawingIsTheSummarysRelationship(t *testing.T) {
	for _, wb := range allWorkbooks(t) {
		rels := string(partsXML(t, wb.data, "xl/worksheets/_rels/sheet1.xml.rels"))
		assert.Regexp(t, `<Relationship Id="rId1" Target="\.\./drawings/drawing\d+\.xml" Type="[^"]+/relationships/drawing">`, rels, wb.name)
		assert.Contains(t, string(partsXML(t, wb.data, "xl/worksheets/sheet1.xml")), `<drawing r:id="rId1"/>`, wb.name)
		f := open(t, wb.data)
		assert.Equal(t, excel.SheetSummary, f.GetSheetList()[0], wb.name)
	}
}

// Every part is deflated and its zip headers record version 2.0, as a
// reader expects of a deflated entry.
func TestPartsRecordZipVersion20(t *testing.T) {
	for _, wb := range allWorkbooks(t) {
		zr, err := zip.NewReader(bytes.NewReader(wb.data), int64(len(wb.data)))
		require.NoError(t, err)
		for _, zf := range zr.File {
			assert.Equal(t, zip.Deflate, zf.Method, "%s %s", wb.name, zf.Name)
			assert.Equal(t, uint16(20), zf.ReaderVersion, "%s %s", wb.name, zf.Name)
			assert.Equal(t, uint16(20), zf.CreatorVersion&0xff, "%s %s", wb.name, zf.Name)
		}
	}
}
