package payout

import (
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
)

// fixed is an exact decimal c × 10^e held in a machine word: the engine's
// annual amounts (rate × count, rate × hjemmel ÷ 100, weighted count ×
// rate) are exact products of the inputs' decimals, so they need no
// rounding, and keeping them as coefficient and exponent lets V() run
// without allocating (RULEBOOK §0: exact money; §1: one rounding per
// amount, which mulDivFixed does). Where a product would not fit in 63
// bits the engine falls back to decimal arithmetic (see annualBasis).
type fixed struct {
	c int64
	e int32
}

// fixedOf returns d as a fixed, false when its coefficient has more than
// 18 digits.
func fixedOf(d decimal.Decimal) (fixed, bool) {
	if d.NumDigits() > 18 {
		return fixed{}, false
	}
	return fixed{d.CoefficientInt64(), d.Exponent()}, true
}

// dec returns f as a decimal with the same coefficient and exponent as the
// decimal product it stands for (decimal.Mul multiplies coefficients and
// adds exponents), so its text is the same to the character.
func (f fixed) dec() decimal.Decimal { return decimal.New(f.c, f.e) }

// mulFixed returns a × b × 10^shift exactly, false on overflow.
func mulFixed(a, b fixed, shift int32) (fixed, bool) {
	neg := (a.c < 0) != (b.c < 0)
	hi, lo := bits.Mul64(absU64(a.c), absU64(b.c))
	if hi != 0 || lo >= 1<<62 {
		return fixed{}, false
	}
	c := int64(lo)
	if neg {
		c = -c
	}
	return fixed{c, a.e + b.e + shift}, true
}

func absU64(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

// mulDivFixed returns a × b × c ÷ den in øre, rounded once, half away from
// zero, exactly; false when a step would overflow (the caller then computes
// with decimals). It is mulDivRoundInt on coefficients already unpacked.
func mulDivFixed(a, b, c fixed, den int64) (int64, bool) {
	if den <= 0 {
		return 0, false
	}
	neg := false
	num := uint64(1)
	for _, x := range [3]int64{a.c, b.c, c.c} {
		if x < 0 {
			neg, x = !neg, -x
		}
		var ok bool
		if num, ok = mulU64(num, uint64(x)); !ok {
			return 0, false
		}
	}
	// value = num × 10^e ÷ den; in øre that is num × 10^(e+2) ÷ den.
	e := int(a.e) + int(b.e) + int(c.e) + 2
	d := uint64(den)
	var ok bool
	for ; e > 0; e-- {
		if num, ok = mulU64(num, 10); !ok {
			return 0, false
		}
	}
	for ; e < 0; e++ {
		if d, ok = mulU64(d, 10); !ok {
			return 0, false
		}
	}
	q, r := num/d, num%d
	if r >= d-r { // 2r ≥ d without overflow: round half away from zero
		q++
	}
	if q > 1<<62 {
		return 0, false
	}
	v := int64(q)
	if neg {
		v = -v
	}
	return v, true
}

// lessThanInt reports whether d < n without rescaling d (decimal.Cmp of
// different exponents allocates).
func lessThanInt(d decimal.Decimal, n int) bool {
	f, ok := fixedOf(d)
	if !ok || f.e > 0 || f.e < -12 || n < 0 || n > 1<<20 {
		return d.LessThan(decInt(n))
	}
	scaled := int64(n)
	for e := f.e; e < 0; e++ {
		scaled *= 10 // n < 2^20 and at most 12 steps: below 2^63
	}
	return f.c < scaled
}

// AppendFixed appends c·10^-k (0 ≤ k ≤ 18) as decimal.New(c, -k).String()
// writes it with decimal's defaults: the digits before the point ("0" when
// there are none), then the point and the digits after it with trailing
// zeros dropped, and no point when none is left. The workbooks' sheet XML
// (where, below 15 digits, it is also strconv.AppendFloat of the nearest
// double) and the store's result JSON write their amounts with it, sparing
// a big.Int's String per amount.
func AppendFixed(b []byte, c int64, k int) []byte {
	if c < 0 {
		b = append(b, '-')
	}
	u, p := absU64(c), uint64(1)
	for range k {
		p *= 10
	}
	b = strconv.AppendUint(b, u/p, 10)
	frac := u % p
	if frac == 0 {
		return b
	}
	var digits [18]byte
	for i := k - 1; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := k
	for digits[n-1] == '0' {
		n--
	}
	return append(append(b, '.'), digits[:n]...)
}
