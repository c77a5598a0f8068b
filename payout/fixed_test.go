package payout

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The annual amount as a fixed against the decimal arithmetic it replaces:
// the same value with the same exponent (so the same text in every output),
// and V() of it the same øre as V() of the decimal, on random rates,
// hjemmel and weighted counts, shares and day counts.
func TestFixedAnnualMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 50000; i++ {
		rate := decimal.New(r.Int64N(1e9), -int32(r.IntN(4)))
		x := decimal.New(r.Int64N(1e6), -int32(r.IntN(4))) // hjemmel or a weighted count
		shift := -int32(2 * r.IntN(2))
		want := rate.Mul(x).Shift(shift)
		f, ok := mulDecimals(rate, x, shift)
		require.True(t, ok)
		require.Equal(t, want.String(), f.dec().String())
		require.Equal(t, want.Exponent(), f.dec().Exponent())
		b := &annualBasis{}
		b.setAnnual(f, ok, nil)
		share := decimal.New(r.Int64N(10001), -int32(r.IntN(3)))
		shareFx, shareOK := fixedOf(share)
		dp := 28 + r.IntN(4)
		days := r.IntN(dp + 1)
		require.Equal(t, vOre(want, share, days, dp), b.vOre(share, shareFx, shareOK, days, dp))
	}
}

// A product that does not fit in 63 bits is computed with decimals.
func TestFixedAnnualOverflowFallsBack(t *testing.T) {
	big := decimal.New(9e17, 0)
	_, ok := mulDecimals(big, big, 0)
	require.False(t, ok)
	b := &annualBasis{}
	b.setAnnual(fixed{}, false, func() decimal.Decimal { return big.Mul(big) })
	require.True(t, b.annual().Equal(big.Mul(big)))
	require.Equal(t, vOre(big.Mul(big), dec100, 1, 30), b.vOre(dec100, fixed{100, 0}, true, 1, 30))
}

func TestLessThanInt(t *testing.T) {
	for _, c := range []struct {
		d    string
		n    int
		want bool
	}{{"499.99", 500, true}, {"500.00", 500, false}, {"500", 500, false}, {"12", 500, true}, {"1e3", 500, false}, {"-1.5", 0, true}} {
		require.Equal(t, c.want, lessThanInt(decimal.RequireFromString(c.d), c.n), c.d)
	}
}
