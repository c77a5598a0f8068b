package payout

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateDigest = flag.Bool("update", false, "rewrite testdata/run-digest.golden")

// The canonical text is pinned by a golden file: a change to it changes
// every recorded digest, so it must be a deliberate, reviewed change (and a
// new DigestVersion).
func TestRunDigestCanonicalGolden(t *testing.T) {
	in := baseInputs()
	in.Agreements = append(in.Agreements, agreement("A2", "P2", "L2"))
	in.ListCounts = append(in.ListCounts, counts("L2", 900, "2015-01", "2015-12")...)
	in.Absences = []Absence{absence("X1", "sickness", "2015-03-02", "2015-03-27", "none")}
	r := mustCompute(t, in, "2015-03")
	var buf bytes.Buffer
	WriteCanonical(&buf, r)
	path := filepath.Join("testdata", "run-digest.golden")
	if *updateDigest {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update to create it")
	assert.Equal(t, string(want), buf.String())
	sum := sha256.Sum256(buf.Bytes())
	assert.Equal(t, hex.EncodeToString(sum[:]), RunDigest(r), "RunDigest hashes exactly the canonical text")
}

// Every field a reviewer sees, changed by the smallest step, changes the
// digest; the internal form of an equal amount does not.
func TestRunDigestBindsEveryReviewedField(t *testing.T) {
	base := mustCompute(t, baseInputs(), "2015-03")
	want := RunDigest(base)
	øre := decimal.New(1, -2)
	cases := []struct {
		name   string
		change func(r *Result)
	}{
		{"total", func(r *Result) { r.Total = r.Total.Add(øre) }},
		{"line net", func(r *Result) { r.Lines[0].Net = r.Lines[0].Net.Add(øre) }},
		{"line entitlement", func(r *Result) { r.Lines[0].Entitlement = r.Lines[0].Entitlement.Sub(øre) }},
		{"line payee", func(r *Result) { r.Lines[0].PayeeID = "P2" }},
		{"line paid days", func(r *Result) { r.Lines[0].PaidDays-- }},
		{"line rules", func(r *Result) { r.Lines[0].Rules = append(r.Lines[0].Rules, "R-X") }},
		{"payment amount", func(r *Result) { r.Payments[0].Amount = r.Payments[0].Amount.Add(øre) }},
		{"payment account", func(r *Result) { r.Payments[0].Account = "12000158389" }},
		{"payment name", func(r *Result) { r.Payments[0].Name += " " }},
		{"payment end-to-end id", func(r *Result) { r.Payments[0].EndToEndID += "X" }},
		{"debtor account", func(r *Result) { r.Policy.Debtor.Account = "12000158389" }},
		{"pay date", func(r *Result) { r.PayDate++ }},
		{"extra payment", func(r *Result) { r.Payments = append(r.Payments, r.Payments[0]) }},
		{"adjustment", func(r *Result) {
			r.Adjustments = append(r.Adjustments, Adjustment{AgreementID: "A1", Amount: øre})
		}},
		{"claim", func(r *Result) {
			r.Claims = append(r.Claims, Claim{AgreementID: "A1", PayeeID: "P1", Amount: øre})
		}},
		// A separator inside a value cannot shift fields: quoting keeps
		// "a b" + "c" apart from "a" + "b c".
		{"field boundary", func(r *Result) {
			r.Payments[0].Name, r.Payments[0].Account = r.Payments[0].Name+" "+r.Payments[0].Account, ""
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustCompute(t, baseInputs(), "2015-03")
			c.change(r)
			assert.NotEqual(t, want, RunDigest(r))
		})
	}
	t.Run("same amount, other exponent", func(t *testing.T) {
		r := mustCompute(t, baseInputs(), "2015-03")
		r.Total = decimal.RequireFromString(r.Total.StringFixed(4))
		assert.Equal(t, want, RunDigest(r))
	})
}
