package excel_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/excel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGoldenSheets compares a CSV dump (values, number formats, weight,
// frozen pane and autofilter) of every sheet of report.xlsx and of one
// district workbook with testdata/<workbook>/<sheet>.csv.
func TestGoldenSheets(t *testing.T) {
	res, in := fixture.Result(), fixture.Inputs()
	report, err := excel.Report(res, in)
	require.NoError(t, err)
	district, err := excel.District(res, in, "05")
	require.NoError(t, err)
	for name, data := range map[string][]byte{"report": report, "bydel-05": district} {
		dumps, err := excel.Dump(data)
		require.NoError(t, err)
		var names []string
		for _, d := range dumps {
			names = append(names, d.Name)
			t.Run(name+"/"+d.Name, func(t *testing.T) {
				path := filepath.Join("testdata", name, d.Name+".csv")
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, d.CSV, 0o644))
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "go test -update creates %s", path)
				assert.Equal(t, string(want), string(d.CSV), "%s differs (go test -update rewrites it)", path)
			})
		}
		want := excel.Sheets
		if name == "report" {
			want = excel.ReportSheets
		}
		assert.Equal(t, want, names, name)
	}
}

func TestRendersAreByteIdentical(t *testing.T) {
	res, in := fixture.Result(), fixture.Inputs()
	a, err := excel.Report(res, in)
	require.NoError(t, err)
	b, err := excel.Report(fixture.Result(), fixture.Inputs())
	require.NoError(t, err)
	assert.True(t, bytes.Equal(a, b), "two renders of report.xlsx differ")
}

func TestDistricts(t *testing.T) {
	assert.Equal(t, []string{"01", "05", "12"}, excel.Districts(fixture.Result()))
}

// TestDistrictWorkbookHoldsOnlyItsOwnNames opens every sheet of every
// district workbook and looks for the names and agreement IDs of the other
// districts.
func TestDistrictWorkbookHoldsOnlyItsOwnNames(t *testing.T) {
	res, in := fixture.Result(), fixture.Inputs()
	ids := map[string][]string{}
	for _, l := range res.Lines {
		ids[l.Bydel] = append(ids[l.Bydel], ","+l.AgreementID+",", ","+l.PayeeID+",")
	}
	for _, bydel := range excel.Districts(res) {
		data, err := excel.District(res, in, bydel)
		require.NoError(t, err)
		dumps, err := excel.Dump(data)
		require.NoError(t, err)
		var all strings.Builder
		for _, d := range dumps {
			all.Write(d.CSV)
		}
		text := all.String()
		for other, names := range fixture.Names {
			for _, n := range append(append([]string(nil), names...), ids[other]...) {
				name := strings.ReplaceAll(n, `"`, `""`)
				if other == bydel {
					continue
				}
				assert.NotContains(t, text, name, "bydel-%s.xlsx shows %q of bydel %s", bydel, n, other)
			}
		}
		assert.Contains(t, text, fixture.Names[bydel][0], "bydel-%s.xlsx lacks its own doctor", bydel)
	}
}

func TestNoFormulasFromText(t *testing.T) {
	data, err := excel.Report(fixture.Result(), fixture.Inputs())
	require.NoError(t, err)
	dumps, err := excel.Dump(data)
	require.NoError(t, err)
	for _, d := range dumps {
		for _, line := range strings.Split(string(d.CSV), "\n") {
			if _, f, ok := strings.Cut(line, "FORMULA:"); ok {
				assert.Regexp(t, `^SUBTOTAL\(109,[A-Z]+\d+:[A-Z]+\d+\)"?$`, f, "%s: the only formulas are the totals' SUBTOTAL", d.Name)
			}
		}
	}
	assert.Contains(t, string(dumps[1].CSV), `'=HYPERLINK`, "text beginning with = is neutralised")
}
