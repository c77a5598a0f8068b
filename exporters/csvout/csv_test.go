package csvout_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/csvout"
	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), string(got), "golden %s differs (go test -update rewrites it)", path)
}

func TestGolden(t *testing.T) {
	res := fixture.Result()
	for _, tc := range []struct {
		name   string
		render func() ([]byte, error)
	}{
		{"lines.csv", func() ([]byte, error) { return csvout.Lines(res) }},
		{"adjustments.csv", func() ([]byte, error) { return csvout.Adjustments(res) }},
		{"payments.csv", func() ([]byte, error) { return csvout.Payments(res) }},
		{"claims.csv", func() ([]byte, error) { return csvout.Claims(res) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.render()
			require.NoError(t, err)
			golden(t, tc.name, got)
		})
	}
}

func TestHeadersMatchFormats(t *testing.T) {
	// FORMATS.md, copied here so a change to either side fails loudly.
	assert.Equal(t, "period,agreement_id,hpr,name,bydel,scheme,role,payee_id,list_id,count,members,annual_amount,share_percent,active_days,paid_days,unpaid_days,vikar_days,base,absence_deduction,vikar_amount,entitlement,withheld,released,adjustments,carried_in,net,carried_out,rules",
		strings.Join(csvout.LinesHeader, ","))
	assert.Equal(t, "period,agreement_id,payee_id,ref_period,before,after,amount,reason", strings.Join(csvout.AdjustmentsHeader, ","))
	assert.Equal(t, "payee_id,name,account,amount,end_to_end_id,remittance", strings.Join(csvout.PaymentsHeader, ","))
}

func TestLinesKeepNegativeAmountsAndNeutraliseText(t *testing.T) {
	res := fixture.Result()
	out, err := csvout.Lines(res)
	require.NoError(t, err)
	text := string(out)
	assert.Contains(t, text, `"'=HYPERLINK(""http://x"",""klikk"")"`)
	assert.Contains(t, text, ",'-Per Minus,")
	assert.Contains(t, text, ",-1000.00,", "carried_in is a number, not neutralised")
	assert.NotContains(t, text, "'-1000.00")
}

func TestLinesOrderIsTheResultsOrder(t *testing.T) {
	res := fixture.Result()
	res.Lines[0], res.Lines[5] = res.Lines[5], res.Lines[0]
	out, err := csvout.Lines(res)
	require.NoError(t, err)
	rows := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Len(t, rows, 8)
	assert.True(t, strings.HasPrefix(rows[1], "2015-03,A5,"), rows[1])
	assert.True(t, strings.HasPrefix(rows[6], "2015-03,A1,"), rows[6])
}

func TestMoneyHasTwoDecimals(t *testing.T) {
	whole := decimal.RequireFromString("36668")
	res := &payout.Result{Period: fixture.Period, Total: whole, Payments: fixture.Result().Payments[:1],
		Lines: []payout.Line{{Period: fixture.Period, AgreementID: "A1", Bydel: "01", Role: payout.RoleHolder,
			PayeeID: "P1", Base: whole, Entitlement: whole, Net: whole}}}
	res.Payments[0].Amount = whole
	require.NoError(t, payout.CheckInvariants(res))
	out, err := csvout.Payments(res)
	require.NoError(t, err)
	assert.Contains(t, string(out), ",36668.00,")
}
