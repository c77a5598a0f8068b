package csv

import (
	"bytes"
	stdcsv "encoding/csv"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestMoneyIsStringFixed checks the fast path of Money against
// decimal.StringFixed(2) on edge cases and random amounts of every
// exponent and size, both signs.
func TestMoneyIsStringFixed(t *testing.T) {
	cases := []decimal.Decimal{
		decimal.Zero, decimal.New(0, -2), decimal.New(0, 3), decimal.New(-5, -2), decimal.New(5, -1),
		decimal.New(-1, 0), decimal.New(123456, -2), decimal.New(-123456, -3), decimal.New(5, -3),
		decimal.New(-5, -3), decimal.New(999999999999999, -2), decimal.New(-999999999999999, 0),
		decimal.New(1000000000000000, -2), decimal.New(7, 2), decimal.RequireFromString("36667.74"),
		decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), 80), -2),
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		n := r.Int64N(1 << uint(r.IntN(62)+1))
		if r.IntN(2) == 0 {
			n = -n
		}
		cases = append(cases, decimal.New(n, int32(r.IntN(8)-5)))
	}
	for _, d := range cases {
		if got, want := Money(d), d.StringFixed(2); got != want {
			t.Fatalf("Money(%s exp %d) = %q, want %q", d.Coefficient(), d.Exponent(), got, want)
		}
	}
}

// TestTableIsEncodingCSV checks the writer against encoding/csv on fields
// with every character its quoting rule looks at.
func TestTableIsEncodingCSV(t *testing.T) {
	alphabet := []string{"a", "Ø", ",", `"`, "\r", "\n", " ", "\t", "\u00a0", "\u2003", `\`, ".", ";", "'", "=", "\xff", "1"}
	r := rand.New(rand.NewPCG(3, 4))
	var rows [][]string
	rows = append(rows, []string{""}, []string{"", ""}, []string{`\.`}, []string{`\.x`, ` lead`, `trail `, "\u00a0x", `a"b`, "x\r\ny"})
	for range 20000 {
		row := make([]string, r.IntN(5)+1)
		for i := range row {
			for range r.IntN(6) {
				row[i] += alphabet[r.IntN(len(alphabet))]
			}
		}
		rows = append(rows, row)
	}
	var want bytes.Buffer
	w := stdcsv.NewWriter(&want)
	tb := &table{}
	for _, row := range rows {
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
		tb.row(row)
	}
	w.Flush()
	got, err := tb.bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("the table's bytes differ from encoding/csv's")
	}
}
