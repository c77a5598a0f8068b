package payout

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The integer fast path of mulDivRound must agree with plain decimal
// arithmetic on every input, including halves and overflow fallbacks.
func TestMulDivRoundMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vals := func() decimal.Decimal {
		switch r.IntN(4) {
		case 0:
			return decimal.New(r.Int64N(1e7), -int32(r.IntN(4)))
		case 1:
			return decimal.New(-r.Int64N(1e5), -int32(r.IntN(3)))
		case 2:
			return decimal.New(r.Int64N(1e17), -int32(r.IntN(6)))
		default:
			return decimal.New(r.Int64N(1000), int32(r.IntN(3)))
		}
	}
	for i := 0; i < 200000; i++ {
		a, b, c := vals(), vals(), vals()
		den := r.Int64N(1e6) + 1
		want := a.Mul(b).Mul(c).DivRound(decimal.NewFromInt(den), 2)
		got := mulDivRound(a, b, c, den)
		require.Truef(t, want.Equal(got), "%s × %s × %s ÷ %d: want %s, got %s", a, b, c, den, want, got)
	}
	// Halves round away from zero.
	require.Equal(t, "0.01", mulDivRound(dec("1"), dec("1"), dec("1"), 200).String())
	require.Equal(t, "-0.01", mulDivRound(dec("-1"), dec("1"), dec("1"), 200).String())
	require.Equal(t, "0", mulDivRound(dec("1"), dec("1"), dec("1"), 201).String())
}

func TestTieredAnnualIntMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		var tiers []*Rate
		from := 1
		for n := r.IntN(3) + 1; n > 0; n-- {
			tiers = append(tiers, &Rate{TierFrom: from, AnnualNOK: decimal.New(r.Int64N(1e9), -int32(r.IntN(5)))})
			from += r.IntN(2000) + 1
		}
		members := r.Int64N(5000)
		want := decimal.Zero
		for i, n := range tierMembers(members, tiers) {
			want = want.Add(decimal.NewFromInt(n).Mul(tiers[i].AnnualNOK))
		}
		c, e, ok := tieredAnnualInt(members, tiers)
		require.True(t, ok)
		got := decimal.New(c, e)
		require.Truef(t, want.Equal(got), "want %s, got %s", want, got)
	}
}
