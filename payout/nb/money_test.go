package nb

import (
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

func TestKronerAndCount(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0", "0,00"}, {"0.05", "0,05"}, {"-0.05", "-0,05"}, {"999.99", "999,99"},
		{"1000", "1 000,00"}, {"21805.34", "21 805,34"}, {"-1000", "-1 000,00"},
		{"1234567.891", "1 234 567,89"}, {"-123456", "-123 456,00"},
	} {
		if got := Kroner(decimal.RequireFromString(tc.in)); got != tc.want {
			t.Errorf("Kroner(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   int
		want string
	}{{0, "0"}, {960, "960"}, {1060, "1 060"}, {-2500, "-2 500"}, {1234567, "1 234 567"}} {
		if got := Count(tc.in); got != tc.want {
			t.Errorf("Count(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
