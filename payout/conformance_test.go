package payout_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/fixtures/sharedtest"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
)

// The rulebook's worked examples (../shared/examples): every folder is run
// and its lines compared with expected.csv to the øre. Lines not listed
// must carry no nonzero amount.

var amountColumns = []string{"base", "absence_deduction", "vikar_amount", "entitlement", "withheld", "released",
	"adjustments", "carried_in", "net", "carried_out"}

func TestSharedExamples(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(sharedtest.Dir(t, "examples"), "*", "case.json"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, c := range dirs {
		dir := filepath.Dir(c)
		t.Run(filepath.Base(dir), func(t *testing.T) { runExample(t, dir) })
	}
}

func runExample(t *testing.T, dir string) {
	var cs struct {
		Period string `json:"period"`
		AsOf   string `json:"as_of"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "case.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &cs))
	in, _, err := importers.LoadFolder(dir)
	require.NoError(t, err)
	opt := payout.Options{}
	if cs.AsOf != "" {
		opt.AsOf = payout.MustDate(cs.AsOf)
	}
	res, err := payout.Compute(in, payout.MustPeriod(cs.Period), opt)
	require.NoError(t, err)
	require.NoError(t, payout.CheckInvariants(res))
	got := map[string]payout.Line{}
	for _, l := range res.Lines {
		got[l.AgreementID+"/"+string(l.Role)+"/"+l.PayeeID] = l
	}
	seen := map[string]bool{}
	for _, row := range readExpected(t, filepath.Join(dir, "expected.csv")) {
		key := row["agreement_id"] + "/" + row["role"] + "/" + row["payee_id"]
		seen[key] = true
		l, ok := got[key]
		require.Truef(t, ok, "missing line %s", key)
		for _, col := range amountColumns {
			want := decimal.RequireFromString(row[col])
			require.Truef(t, want.Equal(lineAmount(l, col)), "%s %s: want %s, got %s", key, col, want.StringFixed(2), lineAmount(l, col).StringFixed(2))
		}
	}
	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if seen[k] {
			continue
		}
		for _, col := range amountColumns {
			require.Truef(t, lineAmount(got[k], col).IsZero(), "unlisted line %s has %s = %s", k, col, lineAmount(got[k], col))
		}
	}
}

func readExpected(t *testing.T, path string) []map[string]string {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func lineAmount(l payout.Line, col string) decimal.Decimal {
	return map[string]decimal.Decimal{
		"base": l.Base, "absence_deduction": l.AbsenceDeduction, "vikar_amount": l.VikarAmount,
		"entitlement": l.Entitlement, "withheld": l.Withheld, "released": l.Released, "adjustments": l.Adjustments,
		"carried_in": l.CarriedIn, "net": l.Net, "carried_out": l.CarriedOut,
	}[col]
}
