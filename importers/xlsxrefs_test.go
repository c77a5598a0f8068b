package importers

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

// editSheet is the workbook with its first sheet's XML passed through
// edit (replaceSheet, limits_test.go).
func editSheet(t *testing.T, data []byte, edit func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	r, err := zr.Open("xl/worksheets/sheet1.xml")
	require.NoError(t, err)
	sheet, err := io.ReadAll(r)
	require.NoError(t, err)
	return replaceSheet(t, data, []byte(edit(string(sheet))))
}

// A worksheet whose XML gives a cell twice or out of order (never Excel's)
// is refused at that cell: excelize would read the rest of the row one
// column to the right. References left out are read in order.
func TestXLSXCellsInOrder(t *testing.T) {
	orig, err := os.ReadFile("testdata/xlsx/rates.xlsx")
	require.NoError(t, err)
	want, err := ReadFile("rates.xlsx", orig)
	require.NoError(t, err)
	for _, c := range []struct {
		name string
		edit func(string) string
		line int
		cell string // "" when read
	}{
		{"a cell twice", func(s string) string {
			return strings.Replace(s, `<c r="D2"><v>421</v></c>`, `<c r="D2"><v>421</v></c><c r="D2"><v>999</v></c>`, 1)
		}, 2, "D2"},
		{"a cell before the one before it", func(s string) string {
			return strings.Replace(s, `<c r="C3"><v>1</v></c><c r="D3"><v>675</v></c>`, `<c r="D3"><v>675</v></c><c r="C3"><v>1</v></c>`, 1)
		}, 3, "C3"},
		{"a cell of another row", func(s string) string { return strings.Replace(s, `<c r="D2">`, `<c r="D3">`, 1) }, 2, "D3"},
		{"a row number twice", func(s string) string { return strings.Replace(s, `<row r="3">`, `<row r="2">`, 1) }, 3, ""},
		{"rows without their numbers", func(s string) string { return regexp.MustCompile(`<row r="[0-9]+"`).ReplaceAllString(s, "<row") }, 0, ""},
		{"the file as Excel wrote it", func(s string) string { return s }, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := editSheet(t, orig, c.edit)
			in, err := ReadFile("rates.xlsx", data)
			if c.line == 0 {
				require.NoError(t, err)
				assert.Equal(t, len(want.Rates), len(in.Rates))
				for i := range want.Rates {
					assert.True(t, want.Rates[i].AnnualNOK.Equal(in.Rates[i].AnnualNOK))
					assert.Equal(t, want.Rates[i].Source, in.Rates[i].Source)
				}
				return
			}
			require.Error(t, err)
			var list payout.ErrorList
			require.True(t, errors.As(err, &list))
			require.Len(t, list, 1)
			assert.Equal(t, c.line, list[0].Line)
			assert.Equal(t, c.cell, list[0].Cell)
			assert.ErrorIs(t, list[0], payout.ErrUnreadable)
			assert.Contains(t, list[0].Message(), "which Excel never writes: the file is damaged")
		})
	}
}
