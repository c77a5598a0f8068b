package excel

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// scanNumbers reads what excelize reads: the workbooks of format 2
// (shared strings), today's (inline strings, totals' formulas) and one
// excelize writes with every kind of cell.
func TestScanNumbersIsExcelizes(t *testing.T) {
	var books [][]byte
	paths, err := filepath.Glob(filepath.Join("testdata", "format2", "*.xlsx"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		books = append(books, data)
	}
	s := NewSet(fixture.Result(), fixture.Inputs())
	report, err := s.Report()
	require.NoError(t, err)
	district, err := s.District("05")
	require.NoError(t, err)
	books = append(books, report, district)

	f := excelize.NewFile()
	require.NoError(t, f.SetCellInt("Sheet1", "A1", 12))
	require.NoError(t, f.SetCellFloat("Sheet1", "B2", -1.25, -1, 64))
	require.NoError(t, f.SetCellStr("Sheet1", "C3", "12"))
	require.NoError(t, f.SetCellBool("Sheet1", "D4", true))
	require.NoError(t, f.SetCellFormula("Sheet1", "E5", "A1*2"))
	require.NoError(t, f.SetCellValue("Sheet1", "F6", 3.5))
	require.NoError(t, f.SetCellRichText("Sheet1", "G7", []excelize.RichTextRun{{Text: "rik"}}))
	_, err = f.NewSheet("Andre ark")
	require.NoError(t, err)
	require.NoError(t, f.SetCellInt("Andre ark", "AA100", 7))
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)
	books = append(books, buf.Bytes())

	for i, data := range books {
		want, err := excelizeNumbers(data)
		require.NoError(t, err)
		got, err := scanNumbers(data)
		require.NoError(t, err, "workbook %d", i)
		assert.Equal(t, want, got, "workbook %d", i)
		assert.NotEmpty(t, want, "workbook %d", i)
	}
}

// A sheet's XML of another shape is left to excelize.
func TestScanNumbersLeavesUnusualSheets(t *testing.T) {
	for _, x := range []string{
		`<worksheet><sheetData><row r="1"><c r="A1"><v><![CDATA[1]]></v></c></row></sheetData></worksheet>`,
		`<x:worksheet><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
		`<worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1"><c r="A1"><v>1&#48;</v></c></row></sheetData></worksheet>`,
	} {
		_, err := sheetNumbers([]byte(x))
		assert.ErrorIs(t, err, errUnusual, x)
	}
}
