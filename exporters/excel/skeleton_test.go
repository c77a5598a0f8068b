package excel

import (
	"bytes"
	"slices"
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// Every district workbook made from another's skeleton (a Set's cache) is
// byte for byte the one excelize makes whole, whichever district of a
// shape comes first: the Oslo month (16 districts, one shape) and the
// fixture.
func TestSkeletonReuseIsExcelizes(t *testing.T) {
	in, _, err := importers.LoadFolder("../../fixtures/oslo")
	require.NoError(t, err)
	res, err := payout.Compute(in, payout.MustPeriod("2022-12"), payout.Options{})
	require.NoError(t, err)
	for name, c := range map[string]struct {
		res *payout.Result
		in  *payout.Inputs
	}{"oslo": {res, in}, "fixture": {fixture.Result(), fixture.Inputs()}} {
		districts := Districts(c.res)
		backward := slices.Clone(districts)
		slices.Reverse(backward)
		for _, order := range [][]string{districts, backward} {
			s := NewSet(c.res, c.in)
			for _, b := range order {
				got, err := s.District(b)
				require.NoError(t, err)
				want, err := render(s.view(b), nil)
				require.NoError(t, err)
				require.True(t, bytes.Equal(want, got), "%s: bydel-%s.xlsx from a skeleton differs from excelize's", name, b)
			}
			if name == "oslo" {
				assert.Less(t, len(s.skeletons.m), len(districts)/2, "the Oslo districts share skeletons")
			}
		}
	}
}

// Titles that XML escapes are part of a skeleton's shape; plain ones and
// the autofilters' ranges are put into another workbook's skeleton.
func TestSkeletonReuseTitlesAndRanges(t *testing.T) {
	titles := []string{"Plain – ø (01)", "A & B", "x < y > z", `"quoted" 'single'`, "tab\there", "bad \xff utf8", "Plain too", ""}
	cache := newSkeletonCache()
	for i, title := range titles {
		for _, rows := range []int{0, 3, 12} {
			mk := func(c *skeletonCache) []byte {
				w, err := newWorkbook("footer", []string{"T", "U"}, &excelize.DocProperties{Title: title, Creator: "c"}, c)
				require.NoError(t, err)
				w.spec.activate = true
				for _, sheet := range []string{"T", "U"} {
					b := block{cols: []column{{"A", false}, {"B", true}}, totals: true}
					for r := range rows + i {
						b.rows = append(b.rows, []cell{txt("r"), money(decimal.NewFromInt(int64(r)))})
					}
					_, err := w.table(sheet, b)
					require.NoError(t, err)
				}
				data, err := w.finish()
				require.NoError(t, err)
				return data
			}
			require.True(t, bytes.Equal(mk(nil), mk(cache)), "title %q, %d rows", title, rows)
		}
	}
}
