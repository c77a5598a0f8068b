package importers

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// refusal reads one file's bytes and returns the problems' text, which
// must be a refusal.
func refusal(t *testing.T, name string, data []byte) string {
	t.Helper()
	_, err := ReadFile(name, data)
	require.Error(t, err)
	require.ErrorIs(t, err, payout.ErrInvalidInput)
	return err.Error()
}

// One systematic mistake (a bad recorded_on in every row of a 12 000-row
// file) prints ProblemsPerKind lines and one line counting the rest.
func TestSystematicMistakeIsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("list_id,as_of,count,weighted_count,recorded_on\n")
	for i := range 12000 {
		fmt.Fprintf(&b, "L%d,2015-03-01,1200,,03.04.15x\n", i)
	}
	text := refusal(t, "list_counts.csv", []byte(b.String()))
	lines := strings.Split(text, "\n")
	assert.Len(t, lines, payout.ProblemsPerKind+1, text)
	assert.LessOrEqual(t, len(lines), 25)
	assert.True(t, strings.HasPrefix(lines[0], "list_counts.csv:2 (recorded_on): "), lines[0])
	assert.Equal(t, "list_counts.csv (recorded_on): … and 11980 more problems of this kind (not a date), not shown; fix the ones above and check again", lines[len(lines)-1])
}

// The cap is per kind and column: two columns wrong in every row give two
// groups of lines, and a kind with fewer problems is shown whole.
func TestCapIsPerKindAndColumn(t *testing.T) {
	var b strings.Builder
	b.WriteString("list_id,as_of,count,weighted_count,recorded_on\n")
	for i := range 30 {
		fmt.Fprintf(&b, "L%d,2015-03-01,x,,bad\n", i)
	}
	text := refusal(t, "list_counts.csv", []byte(b.String()))
	assert.Equal(t, 2*(payout.ProblemsPerKind+1), strings.Count(text, "\n")+1, text)
	assert.Contains(t, text, "list_counts.csv (count): … and 10 more problems of this kind (not a number)")
	assert.Contains(t, text, "list_counts.csv (recorded_on): … and 10 more problems of this kind (not a date)")
}

// A header of a million columns is one line (its length), not a million.
func TestMillionColumnsIsOneLine(t *testing.T) {
	header := "list_id,as_of,count" + strings.Repeat(",x", 1_000_000)
	text := refusal(t, "list_counts.csv", []byte(header+"\nL1,2015-03-01,1200\n"))
	assert.Equal(t, "list_counts.csv:1: the line is 2000019 bytes long, more than the 64 KiB a line may have; is this the right file?", text)
}

// More than maxColumns columns in a short header, or in a row, is refused
// with one line; the row's values are not read.
func TestTooManyColumns(t *testing.T) {
	wide := "list_id,as_of,count" + strings.Repeat(",", maxColumns-2)
	text := refusal(t, "list_counts.csv", []byte(wide+"\nL1,2015-03-01,1200\n"))
	assert.Equal(t, "list_counts.csv:1: the header has 201 columns, more than the 200 a file may have; is this the right file?", text)

	row := "L1,2015-03-01,1200" + strings.Repeat(",zz", maxColumns)
	text = refusal(t, "list_counts.csv", []byte("list_id,as_of,count\n"+row+"\n"))
	assert.Equal(t, "list_counts.csv:2: the row has 203 columns, more than the 200 a file may have; is this the right file?", text)
}

// A cell of more than maxCellChars characters is refused, quoting only its
// beginning; one of exactly maxCellChars is read.
func TestLongCell(t *testing.T) {
	name := strings.Repeat("æ", maxCellChars)
	in, err := ReadFile("payees.csv", []byte("payee_id,name,account\nP1,"+name+",15030100007\n"))
	require.NoError(t, err)
	require.Len(t, in.Payees, 1)

	text := refusal(t, "payees.csv", []byte("payee_id,name,account\nP1,"+name+"x,15030100007\n"))
	assert.Equal(t, "payees.csv:2 (name): a value of 1001 characters, more than the 1000 a cell may hold; shorten it", text)
	_, err = ReadFile("payees.csv", []byte("payee_id,name,account\nP1,"+name+"x,15030100007\n"))
	var list payout.ErrorList
	require.True(t, errors.As(err, &list))
	assert.Equal(t, strings.Repeat("æ", maxQuoted), list[0].Value, "the value kept is cut too")
	assert.ErrorIs(t, err, payout.ErrTooLarge)
}

// A 200 MB name in quotes is refused, and so is the same 200 MB as a
// plain line: neither is echoed (one buffer, reused, keeps the test quick).
func TestHugeLineIsNotEchoed(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 200 MB")
	}
	const head = "payee_id,name,account\nP1,"
	data := make([]byte, 0, len(head)+200<<20+20)
	data = append(data, head+"\""...)
	data = append(data, bytes.Repeat([]byte("a"), 200<<20)...)
	data = append(data, "\",15030100007\n"...)
	want := "payees.csv:2: the line is 209715217 bytes long, more than the 64 KiB a line may have; is this the right file?"
	assert.Equal(t, want, refusal(t, "payees.csv", data))
	data[len(head)], data[len(data)-14] = 'a', 'a' // no quotes: a plain line
	assert.Equal(t, want, refusal(t, "payees.csv", data))
}

// A value quoted in a message is at most maxQuoted characters.
func TestQuote(t *testing.T) {
	assert.Equal(t, `"abc"`, quote("abc"))
	long := strings.Repeat("ø", 150)
	assert.Equal(t, `"`+strings.Repeat("ø", 100)+`"… (150 characters)`, quote(long))
	text := refusal(t, "list_counts.csv", []byte("list_id,as_of,count\nL1,2015-03-01,"+strings.Repeat("9x", 400)+"\n"))
	assert.Less(t, len(text), 300, text)
	assert.Contains(t, text, "… (800 characters) is not a whole number")
}

// A quoted record may span lines each shorter than the limit; the record
// is still refused when longer than it, alone.
func TestLongQuotedRecord(t *testing.T) {
	name := strings.Repeat(strings.Repeat("n", 999)+"\n", 70)
	text := refusal(t, "payees.csv", []byte("payee_id,name,account\nP1,\""+name+"\",15030100007\nP2,Kari,15030100007\n"))
	assert.Equal(t, "payees.csv:2: the line is 70018 bytes long, more than the 64 KiB a line may have; is this the right file?", text)
}

// Workbooks: the same limits, read row by row before a sheet expands.
func TestWorkbookLimits(t *testing.T) {
	wide := buildWorkbook(t, func(f *excelize.File) {
		require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"list_id", "as_of", "count"}))
		require.NoError(t, f.SetCellValue("Sheet1", "GT2", "x")) // column 202
	})
	assert.Equal(t, "list_counts.xlsx: Sheet1!row 2: the row has 202 columns, more than the 200 a file may have; is this the right file?",
		refusal(t, "list_counts.xlsx", wide))

	long := buildWorkbook(t, func(f *excelize.File) {
		require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"payee_id", "name", "account"}))
		require.NoError(t, f.SetSheetRow("Sheet1", "A2", &[]any{"P1", strings.Repeat("n", maxCellChars+1), "15030100007"}))
	})
	assert.Equal(t, "payees.xlsx: Sheet1!B2 (name): a value of 1001 characters, more than the 1000 a cell may hold; shorten it",
		refusal(t, "payees.xlsx", long))
}

// A sheet of sparse far-away cells (each row's last value at column 200)
// is refused once it would expand past maxSheetCells, without expanding.
func TestWorkbookExpansionRefused(t *testing.T) {
	var sheet bytes.Buffer
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	sheet.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>list_id</t></is></c></row>`)
	rows := maxSheetCells/maxColumns + 10
	for r := 2; r <= rows; r++ {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="GR%d"><v>1</v></c></row>`, r, r)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	data := replaceSheet(t, buildWorkbook(t, func(*excelize.File) {}), sheet.Bytes())
	text := refusal(t, "list_counts.xlsx", data)
	assert.Equal(t, fmt.Sprintf("list_counts.xlsx: Sheet1!row %d: the sheet expands to more than 1000000 cells (rows times columns) by this row; is this the right file?", maxSheetCells/maxColumns+1), text)
}

func buildWorkbook(t *testing.T, fill func(*excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	fill(f)
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

// replaceSheet swaps the first sheet's XML of a workbook.
func replaceSheet(t *testing.T, xlsx, sheet []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		require.NoError(t, err)
		if f.Name == "xl/worksheets/sheet1.xml" {
			_, err = w.Write(sheet)
			require.NoError(t, err)
			continue
		}
		r, err := f.Open()
		require.NoError(t, err)
		_, err = io.Copy(w, r)
		require.NoError(t, err)
		r.Close()
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}
