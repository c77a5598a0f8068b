package record

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every kind of value reads back as written, a decimal with its exponent.
func TestRoundTrip(t *testing.T) {
	ds := []decimal.Decimal{{}, decimal.RequireFromString("1.00"), decimal.RequireFromString("-0.5"),
		decimal.RequireFromString("123456789012345678901234567890.12"), decimal.RequireFromString("-98765432109876543210"),
		decimal.New(7, 3)}
	w := NewWriter(0)
	w.Uint(300)
	w.Int(-5)
	w.Bool(true)
	w.Strs("", "blåbær")
	for _, d := range ds {
		w.Decimal(d)
	}
	w.OptDecimal(nil)
	w.OptDecimal(&ds[1])
	r := NewReader(w.Bytes())
	assert.Equal(t, uint64(300), r.Uint())
	assert.Equal(t, int64(-5), r.Int())
	assert.True(t, r.Bool())
	assert.Equal(t, "", r.Str())
	assert.Equal(t, "blåbær", r.Str())
	for _, d := range ds {
		got := r.Decimal()
		assert.True(t, d.Equal(got), "%s", d)
		assert.Equal(t, d.Exponent(), got.Exponent(), "%s", d)
		assert.Equal(t, d.String(), got.String())
	}
	assert.Nil(t, r.OptDecimal())
	assert.Equal(t, "1.00", r.OptDecimal().StringFixed(2))
	require.NoError(t, r.End("the values"))
}

// A record cut anywhere, or with bytes after it, is an error, never a
// panic; a count larger than the bytes left is refused before anything
// is made for it.
func TestMalformed(t *testing.T) {
	w := NewWriter(0)
	w.Strs("abc", "de")
	w.Decimal(decimal.RequireFromString("123456789012345678901234567890"))
	rec := w.Bytes()
	for cut := range len(rec) {
		r := NewReader(rec[:cut])
		r.Str()
		r.Str()
		r.Decimal()
		assert.Error(t, r.End("the values"), "cut at %d", cut)
	}
	r := NewReader(append(append([]byte(nil), rec...), 1))
	r.Str()
	r.Str()
	r.Decimal()
	assert.EqualError(t, r.End("the values"), "bytes after the values")
	w = NewWriter(0)
	w.Uint(1 << 40)
	r = NewReader(w.Bytes())
	assert.Equal(t, 0, r.Count(1))
	assert.ErrorContains(t, r.End("x"), "a count cut short or malformed")
}
