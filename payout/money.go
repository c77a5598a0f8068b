package payout

import (
	"math/bits"

	"github.com/shopspring/decimal"
)

// Money (RULEBOOK §0): exact decimals, never float; each amount is computed
// exactly and rounded once to øre, half away from zero.

var zero = decimal.Zero

// mulDivRound returns a × b × c ÷ den, rounded once to øre, half away from
// zero, exactly. The engine computes millions of these, so it first tries
// 64-bit integers on the decimals' coefficients (overflow-checked) and
// falls back to decimal arithmetic when any step would overflow.
func mulDivRound(a, b, c decimal.Decimal, den int64) decimal.Decimal {
	if r, ok := mulDivRoundInt(a, b, c, den); ok {
		return Ore(r).Dec()
	}
	return a.Mul(b).Mul(c).DivRound(decimal.NewFromInt(den), 2)
}

// mulDivOre is mulDivRound in øre. The engine bounds every annual amount
// (maxAnnualNOK), so its results always fit in an int64.
func mulDivOre(a, b, c decimal.Decimal, den int64) Ore {
	if r, ok := mulDivRoundInt(a, b, c, den); ok {
		return Ore(r)
	}
	return Ore(a.Mul(b).Mul(c).DivRound(decimal.NewFromInt(den), 2).Shift(2).IntPart())
}

// Ore is an amount in øre. Inside the engine every amount is an exact
// integer number of øre (each is rounded once, where the rulebook says, and
// then only added and subtracted), so the hot path allocates nothing;
// results are turned into decimals for the Result.
type Ore int64

// Dec returns the amount in kroner as a decimal with two places.
func (o Ore) Dec() decimal.Decimal {
	if o == 0 {
		return zeroOre
	}
	return decimal.New(int64(o), -2)
}

// zeroOre is 0.00, shared: most amounts of a line are 0, and each
// decimal.New allocates a big.Int the Result keeps (decimals are never
// changed in place, so one value can stand for them all, as decimal.Zero
// does).
var zeroOre = decimal.New(0, -2)

// String formats kroner with two decimals, e.g. "1234.50".
func (o Ore) String() string { return o.Dec().StringFixed(2) }

func mulDivRoundInt(a, b, c decimal.Decimal, den int64) (int64, bool) {
	fa, okA := fixedOf(a)
	fb, okB := fixedOf(b)
	fc, okC := fixedOf(c)
	if !okA || !okB || !okC {
		return 0, false
	}
	return mulDivFixed(fa, fb, fc, den)
}

// mulU64 multiplies with an overflow check (results must stay below 2^63
// so they remain valid int64 values).
func mulU64(x, y uint64) (uint64, bool) {
	hi, lo := bits.Mul64(x, y)
	return lo, hi == 0 && lo < 1<<63
}

// decimalInts are the whole numbers below 4096 (day counts, list counts),
// made once: decimal values are immutable, so they can be shared.
var decimalInts [4096]decimal.Decimal

func init() {
	for i := range decimalInts {
		decimalInts[i] = decimal.NewFromInt(int64(i))
	}
}

// decInt returns n as a decimal, without allocating for day counts.
func decInt(n int) decimal.Decimal {
	if n >= 0 && n < len(decimalInts) {
		return decimalInts[n]
	}
	return decimal.NewFromInt(int64(n))
}
