package statement

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// dump writes what a statement says as reviewable text: the golden files
// hold this, not PDF bytes, so a change of wording shows in the diff.
func dump(d *document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s — %s [%s, %s, %s]\n", d.title, d.subtitle, d.subject, d.issuer, d.created)
	for _, kv := range d.info {
		fmt.Fprintf(&b, "%s: %s\n", kv[0], kv[1])
	}
	for _, s := range d.sections {
		fmt.Fprintf(&b, "\n## %s\n", s.title)
		for _, kv := range s.facts {
			fmt.Fprintf(&b, "  %s: %s\n", kv[0], kv[1])
		}
		dumpRows(&b, s.rows)
		if t := s.table; t != nil {
			fmt.Fprintf(&b, "  | %s |\n", strings.Join(t.head, " | "))
			for _, r := range t.rows {
				fmt.Fprintf(&b, "  | %s |\n", strings.Join(r, " | "))
			}
		}
	}
	b.WriteString("\n")
	dumpRows(&b, d.summary)
	for _, n := range d.notes {
		fmt.Fprintf(&b, "> %s\n", n)
	}
	return b.String()
}

func dumpRows(b *strings.Builder, rows []row) {
	for _, r := range rows {
		switch {
		case r.total:
			fmt.Fprintf(b, "  = %s  %s\n", r.text, nb.Kroner(r.amount))
		case r.shown:
			fmt.Fprintf(b, "    %s  %s\n", r.text, nb.Kroner(r.amount))
		default:
			fmt.Fprintf(b, "    (%s)\n", r.text)
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got, "golden %s differs (go test -update rewrites it)", path)
}

// computeCases runs the hand-made cases (testdata/cases) for months from..to.
func computeCases(t *testing.T, from, to string) ([]*payout.Result, *payout.Inputs) {
	t.Helper()
	in, _, err := importers.LoadFolder(filepath.Join("testdata", "cases"))
	require.NoError(t, err)
	var out []*payout.Result
	for p := payout.MustPeriod(from); p <= payout.MustPeriod(to); p++ {
		res, err := payout.Compute(in, p, payout.Options{})
		require.NoError(t, err)
		require.NoError(t, payout.CheckInvariants(res))
		out = append(out, res)
	}
	return out, in
}

// The month's statements of the hand-made cases: two clauses of absence,
// a takeover, a release and a withholding, a downward correction carried
// to later months, a physiotherapist's hjemmel.
func TestMonthGolden(t *testing.T) {
	results, in := computeCases(t, "2015-04", "2015-05")
	res := results[0]
	m := NewMonth(res, NewDirectory(res, in))
	require.Equal(t, []string{"P1", "P2", "P3", "P4", "P5"}, m.Payees())
	for _, id := range m.Payees() {
		d, err := m.document(id)
		require.NoError(t, err)
		golden(t, filepath.Join("cases-2015-04", id+".txt"), dump(d))
	}
	// May: A4 ended in April, so its overpayment is claimed back.
	may := results[1]
	require.Len(t, may.Claims, 1)
	d, err := NewMonth(may, NewDirectory(may, in)).document("P4")
	require.NoError(t, err)
	golden(t, filepath.Join("cases-2015-05", "P4.txt"), dump(d))
}

// The year's statements of the same cases, January to May.
func TestYearGolden(t *testing.T) {
	results, in := computeCases(t, "2015-01", "2015-05")
	last := results[len(results)-1]
	y, err := NewYear(2015, results, NewDirectory(last, in))
	require.NoError(t, err)
	for _, id := range []string{"P1", "P4"} {
		d, err := y.document(id)
		require.NoError(t, err)
		golden(t, filepath.Join("cases-2015", id+".txt"), dump(d))
	}
}

// A line whose amounts do not add up to its net, or a payee whose lines do
// not add up to the payment, is refused rather than explained wrongly.
func TestInconsistentResultRefused(t *testing.T) {
	results, in := computeCases(t, "2015-04", "2015-04")
	res := results[0]
	res.Lines[0].Net = res.Lines[0].Net.Add(nb1)
	_, err := NewMonth(res, NewDirectory(res, in)).document(res.Lines[0].PayeeID)
	require.ErrorContains(t, err, "the rows add up to")

	results, in = computeCases(t, "2015-04", "2015-04")
	res = results[0]
	res.Payments[0].Amount = res.Payments[0].Amount.Add(nb1)
	_, err = NewMonth(res, NewDirectory(res, in)).document(res.Payments[0].PayeeID)
	require.ErrorContains(t, err, "is not the payment")
}

var nb1 = decimal.New(1, -2) // one øre
