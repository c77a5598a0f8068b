package importers

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// workbook builds an .xlsx whose first sheet holds rows; time.Time values
// become real Excel date cells, numbers number cells.
func workbook(t testing.TB, sheet string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	require.NoError(t, f.SetSheetName("Sheet1", sheet))
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	require.NoError(t, err)
	for i, r := range rows {
		for j, v := range r {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			require.NoError(t, f.SetCellValue(sheet, ref, v))
			if _, ok := v.(time.Time); ok {
				require.NoError(t, f.SetCellStyle(sheet, ref, ref, dateStyle))
			}
		}
	}
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)
	return buf.Bytes()
}

func day(s string) time.Time { return payout.MustDate(s).Time() }

var absenceHeader = []any{"absence_id", "agreement_id", "kind", "from", "to", "cover", "vikar_payee_id"}

// TestXLSXDatesAndNumbers: real Excel dates, numbers as numbers or text.
func TestXLSXDatesAndNumbers(t *testing.T) {
	data := workbook(t, "Listetall", [][]any{
		{"list_id", "as_of", "count", "weighted_count"},
		{"L1", day("2015-03-01"), 1200, 1250.5},
		{"L2", "2015-03-01", "1200", "1250,5"},
		{123, day("2015-04-01"), 1200.0, 0.1 + 0.2},
	})
	in, err := ReadFile("list_counts.xlsx", data)
	require.NoError(t, err)
	require.Len(t, in.ListCounts, 3)
	for _, c := range in.ListCounts[:2] {
		assert.Equal(t, payout.MustDate("2015-03-01"), c.AsOf)
		assert.Equal(t, 1200, c.Count)
		assert.Equal(t, "1250.5", c.Weighted.String())
	}
	assert.Equal(t, "123", in.ListCounts[2].ListID)
	assert.Equal(t, "0.3", in.ListCounts[2].Weighted.String())
	assert.Equal(t, payout.NewSource("list_counts.xlsx", "Listetall", 4), in.ListCounts[2].Src)
}

func TestXLSXTypedCells(t *testing.T) {
	payees := workbook(t, "Mottakere", [][]any{
		{"payee_id", "name", "account", "orgnr", "cancelled"},
		{"P1", "Legesenter", 15030100007, 910007866, false},
	})
	in, err := ReadFile("payees.xlsx", payees)
	require.NoError(t, err)
	assert.Equal(t, "15030100007", in.Payees[0].Account)
	assert.Equal(t, "910007866", in.Payees[0].OrgNr)

	breaches := workbook(t, "Brudd", [][]any{
		{"breach_id", "agreement_id", "decision_ref", "notice_on", "withhold_from", "percent"},
		{"B1", "A1", "V-1", day("2015-01-15"), day("2015-02-01"), 20},
		{"B2", "A1", "V-2", day("2015-01-15"), day("2015-02-10"), 20},
	})
	_, err = ReadFile("breaches.xlsx", breaches)
	assert.EqualError(t, err, "breaches.xlsx: Brudd!E3 (withhold_from): 2015-02-10 is not a month (expected YYYY-MM, e.g. 2015-02)")
}

// TestXLSXErrorsNameTheCell: the issue's own example, row 14 of Fravær.
func TestXLSXErrorsNameTheCell(t *testing.T) {
	rows := [][]any{absenceHeader}
	for i := 2; i < 14; i++ {
		rows = append(rows, []any{fmt.Sprintf("S%d", i), "A1", "sickness", day(fmt.Sprintf("2015-01-%02d", i)), day(fmt.Sprintf("2015-01-%02d", i)), "none"})
	}
	rows = append(rows, []any{"S14", "A1", "sickness", day("2015-02-01"), "2015-02-30", "none"})
	rows = append(rows, []any{"S15", "A1", "sickness", 42064.5, day("2015-03-02"), "Colleagues", "P1"})
	_, err := ReadFile("absences.xlsx", workbook(t, "Fravær", rows))
	assert.EqualError(t, err, `absences.xlsx: Fravær!E14 (to): "2015-02-30" is not a date (expected YYYY-MM-DD)
absences.xlsx: Fravær!D15 (from): the number 42064.5 is not a date (expected YYYY-MM-DD)
absences.xlsx: Fravær!G15 (vikar_payee_id): is set but cover is colleagues; use cover municipal_vikar to pay the vikar, or leave vikar_payee_id empty`)
}

func TestXLSXInFolder(t *testing.T) {
	// A reference problem in a workbook names its cell too.
	dir := overlay(t, map[string]string{"absences.csv": removed,
		"absences.xlsx": string(workbook(t, "Fravær", [][]any{absenceHeader,
			{"S1", "A9", "sickness", day("2015-03-02"), day("2015-03-05"), "none"}}))})
	_, _, err := LoadFolder(dir)
	assert.EqualError(t, err, `absences.xlsx: Fravær!B2 (agreement_id): unknown agreement "A9": no row of the agreements file has this ID; fix the ID or add the agreement there`)

	// Both absences.csv and absences.xlsx: which one is meant?
	require.NoError(t, os.WriteFile(filepath.Join(dir, "absences.csv"), []byte("absence_id\n"), 0o644))
	in, _, err := LoadFolder(dir)
	assert.Nil(t, in)
	assert.EqualError(t, err, dir+": both absences.csv and absences.xlsx are present; keep only one of them")
}

func TestXLSXNotAWorkbook(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"garbage", []byte("absence_id,agreement_id\n"), "absences.xlsx: " + notWorkbook},
		{"empty sheet", workbook(t, "Fravær", nil), "absences.xlsx: the first sheet (Fravær) is empty; its first row must be the header with the column names"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := ReadFile("absences.xlsx", tt.data)
			assert.Nil(t, in)
			assert.EqualError(t, err, tt.want)
		})
	}
}
