package importers

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the generated workbooks in testdata/xlsx")

// seeds returns the testdata files with the given extension, by kind index.
func seeds(t testing.TB, ext string) (kinds []uint8, data [][]byte) {
	paths, _ := filepath.Glob("testdata/*/*" + ext)
	more, _ := filepath.Glob("testdata/broken/*/*" + ext)
	for _, p := range append(paths, more...) {
		kind, _ := kindOf(filepath.Base(p))
		for i, k := range Kinds() {
			if k == kind {
				b, err := os.ReadFile(p)
				require.NoError(t, err)
				kinds, data = append(kinds, uint8(i)), append(data, b)
			}
		}
	}
	return kinds, data
}

func FuzzReadCSV(f *testing.F) {
	kinds, data := seeds(f, ".csv")
	for i := range kinds {
		f.Add(kinds[i], data[i])
	}
	f.Fuzz(func(t *testing.T, k uint8, data []byte) {
		checkRead(t, Kinds()[int(k)%len(Kinds())]+".csv", data)
	})
}

func FuzzReadXLSX(f *testing.F) {
	kinds, data := seeds(f, ".xlsx")
	for i := range kinds {
		f.Add(kinds[i], data[i])
	}
	f.Fuzz(func(t *testing.T, k uint8, data []byte) {
		checkRead(t, Kinds()[int(k)%len(Kinds())]+".xlsx", data)
	})
}

// checkRead holds for any input: no panic; records or a sorted list of
// problems naming the file, never both; the same answer twice.
func checkRead(t *testing.T, name string, data []byte) {
	in, err := ReadFile(name, data)
	if err == nil {
		require.NotNil(t, in)
		require.Len(t, in.Files, 1)
		require.Equal(t, name, in.Files[0].Name)
		return
	}
	require.Nil(t, in)
	var list payout.ErrorList
	require.True(t, errors.As(err, &list))
	require.NotEmpty(t, list)
	for i, e := range list {
		require.Equal(t, name, e.File)
		require.NotEmpty(t, e.Message())
		if i > 0 && list[i-1].Sheet == e.Sheet {
			require.LessOrEqual(t, list[i-1].Line, e.Line)
		}
	}
	_, again := ReadFile(name, data)
	require.Equal(t, err.Error(), again.Error())
}

// TestXLSXSeedsMatchCSV: testdata/xlsx holds the valid folder as workbooks
// (dates as real dates, numbers as numbers); each reads to the same records
// as its CSV. With -update the workbooks are rewritten from the CSVs.
func TestXLSXSeedsMatchCSV(t *testing.T) {
	for _, kind := range Kinds() {
		csvData, err := os.ReadFile(filepath.Join("testdata/valid", kind+".csv"))
		require.NoError(t, err)
		path := filepath.Join("testdata/xlsx", kind+".xlsx")
		if *update {
			require.NoError(t, os.MkdirAll("testdata/xlsx", 0o755))
			require.NoError(t, os.WriteFile(path, typedWorkbook(t, kind, csvData), 0o644))
		}
		xlsxData, err := os.ReadFile(path)
		require.NoError(t, err)
		fromCSV, err := ReadFile(kind+".csv", csvData)
		require.NoError(t, err)
		fromXLSX, err := ReadFile(kind+".xlsx", xlsxData)
		require.NoError(t, err)
		assert.Equal(t, withoutSources(fromCSV), withoutSources(fromXLSX), kind)
	}
}

// typedWorkbook converts a CSV into a workbook with typed cells.
func typedWorkbook(t *testing.T, kind string, csvData []byte) []byte {
	tbl := readCSV(kind+".csv", csvData, &payout.ErrorList{})
	require.NotNil(t, tbl)
	s := specFor(kind)
	header := make([]any, len(tbl.header))
	for i, h := range tbl.header {
		header[i] = h.text
	}
	rows := [][]any{header}
	for _, r := range tbl.rows {
		row := make([]any, len(r.cells))
		for i, c := range r.cells {
			row[i] = typedValue(s.column(strings.ToLower(tbl.header[i].text)), c.text)
		}
		rows = append(rows, row)
	}
	return workbook(t, s.sheet, rows)
}

func typedValue(c *column, text string) any {
	if text == "" {
		return nil
	}
	switch c.typ {
	case tDate:
		return payout.MustDate(text).Time()
	case tInt, tDecimal:
		d, msg := parseDecimal(text, false)
		if msg.Format == "" {
			f, _ := d.Float64()
			return f
		}
	}
	return text
}

// withoutSources blanks what differs by format: where records came from.
func withoutSources(in *payout.Inputs) *payout.Inputs {
	out := *in
	out.Files = nil
	clear := func(v *payout.Version) { v.Src = payout.Source{} }
	out.Rates = append([]payout.Rate(nil), in.Rates...)
	for i := range out.Rates {
		clear(&out.Rates[i].Version)
	}
	out.Payees = append([]payout.Payee(nil), in.Payees...)
	for i := range out.Payees {
		clear(&out.Payees[i].Version)
	}
	out.Agreements = append([]payout.Agreement(nil), in.Agreements...)
	for i := range out.Agreements {
		clear(&out.Agreements[i].Version)
	}
	out.ListCounts = append([]payout.ListCount(nil), in.ListCounts...)
	for i := range out.ListCounts {
		clear(&out.ListCounts[i].Version)
	}
	out.Absences = append([]payout.Absence(nil), in.Absences...)
	for i := range out.Absences {
		clear(&out.Absences[i].Version)
	}
	out.Caregivers = append([]payout.Caregiver(nil), in.Caregivers...)
	for i := range out.Caregivers {
		clear(&out.Caregivers[i].Version)
	}
	out.Breaches = append([]payout.Breach(nil), in.Breaches...)
	for i := range out.Breaches {
		clear(&out.Breaches[i].Version)
	}
	out.Takeovers = append([]payout.Takeover(nil), in.Takeovers...)
	for i := range out.Takeovers {
		clear(&out.Takeovers[i].Version)
	}
	return &out
}
