package excel_test

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/exporters/excel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// testdata/format2 holds three workbooks of the Oslo month 2022-12 as
// format version 2 wrote them (excelize setting every cell). verify
// compares a folder of an older format by its workbooks' numbers
// (excel.Numbers): today's renders must hold the same numbers in the same
// cells. Formats 3 and 4 changed the bytes only (the sheet XML written
// directly, strings inline, level-1 deflate), so every cell's value,
// number format and weight, the frozen panes, the filters, the widths and
// the print set-up are the same too.
func TestFormat2WorkbooksHoldTheSameCells(t *testing.T) {
	n := 0
	for _, wb := range osloWorkbooks() {
		old, err := os.ReadFile(filepath.Join("testdata", "format2", wb.name))
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		n++
		was, err := excel.Numbers(old)
		require.NoError(t, err)
		now, err := excel.Numbers(wb.data)
		require.NoError(t, err)
		assert.Equal(t, was, now, "%s: the numbers of format 2", wb.name)
		wasDump, err := excel.Dump(old)
		require.NoError(t, err)
		nowDump, err := excel.Dump(wb.data)
		require.NoError(t, err)
		require.Equal(t, len(wasDump), len(nowDump), wb.name)
		for i := range wasDump {
			assert.Equal(t, string(wasDump[i].CSV), string(nowDump[i].CSV), "%s %s", wb.name, wasDump[i].Name)
		}
		assert.Equal(t, layouts(t, old), layouts(t, wb.data), "%s: widths and print set-up of format 2", wb.name)
	}
	assert.Equal(t, 3, n)
}

// layouts are each sheet's column widths (of its first 40 columns), page
// layout, sheet properties and footer, as excelize reads them back.
func layouts(t *testing.T, data []byte) map[string]string {
	f := open(t, data)
	out := map[string]string{}
	for _, sheet := range f.GetSheetList() {
		var widths []float64
		for c := 1; c <= 40; c++ {
			name, _ := excelize.ColumnNumberToName(c)
			w, err := f.GetColWidth(sheet, name)
			require.NoError(t, err)
			widths = append(widths, w)
		}
		pl, err := f.GetPageLayout(sheet)
		require.NoError(t, err)
		props, err := f.GetSheetProps(sheet)
		require.NoError(t, err)
		hf, err := f.GetHeaderFooter(sheet)
		require.NoError(t, err)
		out[sheet] = fmt.Sprintf("widths %v size %d %s wide %d tall %d fit %v footer %q",
			widths, *pl.Size, *pl.Orientation, *pl.FitToWidth, *pl.FitToHeight, *props.FitToPage, hf.OddFooter)
	}
	return out
}

// The Oslo month's workbooks keep the bytes of FormatVersion: their
// SHA-256 are testdata/oslo-2022-12.sha256 (go test -update rewrites it,
// for a new format version only). Every sheet of them is written through
// this package's XML writer and deflater, report.xlsx's Linjer sheet in
// many chunks (sheetxml.go), so a change of how the bytes are made that
// changes them fails here, not only in a comparison of two binaries. A Go
// release whose compress/flate deflates otherwise fails it too: that is a
// new format version as well (version.go).
func TestOsloWorkbooksKeepTheirBytes(t *testing.T) {
	var got strings.Builder
	for _, wb := range osloWorkbooks() {
		fmt.Fprintf(&got, "%x  %s\n", sha256.Sum256(wb.data), wb.name)
	}
	path := filepath.Join("testdata", "oslo-2022-12.sha256")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got.String()), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "go test -update creates %s", path)
	assert.Equal(t, string(want), got.String(), "format version %d: the workbooks' bytes changed", excel.FormatVersion)
}
