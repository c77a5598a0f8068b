package journal_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/oslokommune/payout/exporters/journal"
	"github.com/oslokommune/payout/fixtures/gen"
	"github.com/oslokommune/payout/fixtures/sharedtest"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func load(t *testing.T, dir string) *payout.Inputs {
	t.Helper()
	in, _, err := importers.LoadFolder(dir)
	require.NoError(t, err)
	return in
}

// Every worked example of the rulebook (../shared/examples) books a
// balanced voucher.
func TestWorkedExamples(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(sharedtest.Dir(t, "examples"), "*", "case.json"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, c := range dirs {
		dir := filepath.Dir(c)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var cs struct {
				Period string `json:"period"`
				AsOf   string `json:"as_of"`
			}
			raw, err := os.ReadFile(c)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(raw, &cs))
			opt := payout.Options{}
			if cs.AsOf != "" {
				opt.AsOf = payout.MustDate(cs.AsOf)
			}
			res, err := payout.Compute(load(t, dir), payout.MustPeriod(cs.Period), opt)
			require.NoError(t, err)
			j, err := journal.Build(res)
			require.NoError(t, err)
			checkBalanced(t, res, j)
		})
	}
}

// The Oslo data set: every month of its history books a balanced voucher,
// and the liability accounts, summed over the months, hold exactly the
// breaches' outstanding balances at the end (every breach of the set is
// withheld, and most released, somewhere in its two years).
func TestOsloEveryMonth(t *testing.T) {
	in := load(t, filepath.Join("..", "..", "fixtures", "oslo"))
	p := gen.Oslo()
	led := in.Policy.Ledger
	var held, outstanding decimal.Decimal
	months := []payout.Period{p.To}
	if !testing.Short() {
		months = months[:0]
		for m := p.From; m <= p.To; m++ {
			months = append(months, m)
		}
	}
	for _, m := range months {
		res, err := payout.Compute(in, m, payout.Options{})
		require.NoError(t, err)
		j, err := journal.Build(res)
		require.NoError(t, err)
		checkBalanced(t, res, j)
		held = held.Sub(j.Sum(led.Fastlege.Accounts.Withheld)).Sub(j.Sum(led.Fysio.Accounts.Withheld))
		outstanding = decimal.Zero
		for _, b := range res.Breaches {
			outstanding = outstanding.Add(b.BalanceOut)
		}
	}
	t.Logf("%d months, %s outstanding at the end", len(months), outstanding)
	if len(months) > 1 {
		require.True(t, held.Equal(outstanding), "the ledger holds %s, the breaches %s", held, outstanding)
	}
}

// A small data set of the national preset's shape (weighted counts, the
// national rate history, HEL agreements): its last month books a balanced
// voucher.
func TestNorwayShaped(t *testing.T) {
	p := gen.Norway()
	p.GP, p.Fysio, p.VikarPayees = 60, 20, 4
	p.From, p.To = payout.MustPeriod("2023-01"), payout.MustPeriod("2023-12")
	dir := t.TempDir()
	_, err := gen.Generate(dir, p, 7)
	require.NoError(t, err)
	in := load(t, dir)
	res, err := payout.Compute(in, p.To, payout.Options{})
	require.NoError(t, err)
	require.Greater(t, len(res.Lines), 60, "the whole data set")
	j, err := journal.Build(res)
	require.NoError(t, err)
	checkBalanced(t, res, j)
}
