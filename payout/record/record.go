// Package record writes and reads the store's compact records (issue 16):
// what a command would otherwise read again from a large source every
// time (a bank report's XML, a released run's result), kept beside that
// source and proved equal to it by status --check.
//
// The contract:
//   - A record is a sequence of values, each written by a Writer method
//     and read back by the Reader method of the same name, in the same
//     order: unsigned and signed numbers as varints, texts as their length
//     and bytes, a decimal as its exponent and coefficient (so that it
//     reads back with the same exponent: "1.00" stays "1.00").
//   - The same values give the same bytes.
//   - A Reader never panics and never allocates more than its input
//     bounds: the first malformed value stops it, every later read gives
//     the zero value, and End reports the problem (or bytes left over).
//   - Records name their own format (a text first), checked by the
//     package that defines them.
package record

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/shopspring/decimal"
)

// Writer appends a record's values.
type Writer struct{ b []byte }

// NewWriter is a Writer with room for about size bytes.
func NewWriter(size int) *Writer { return &Writer{b: make([]byte, 0, size)} }

// Bytes is the record written.
func (w *Writer) Bytes() []byte { return w.b }

// Uint writes n.
func (w *Writer) Uint(n uint64) { w.b = binary.AppendUvarint(w.b, n) }

// Int writes n.
func (w *Writer) Int(n int64) { w.b = binary.AppendVarint(w.b, n) }

// Bool writes v as 1 or 0.
func (w *Writer) Bool(v bool) {
	if v {
		w.Uint(1)
	} else {
		w.Uint(0)
	}
}

// Str writes s.
func (w *Writer) Str(s string) {
	w.Uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

// Strs writes each of ss.
func (w *Writer) Strs(ss ...string) {
	for _, s := range ss {
		w.Str(s)
	}
}

// Decimal writes d's exponent, then 0 and the coefficient as a varint when
// it fits 64 bits, else 1 (2 when negative) and its magnitude's bytes.
func (w *Writer) Decimal(d decimal.Decimal) {
	w.Int(int64(d.Exponent()))
	if d.NumDigits() <= 18 {
		w.Uint(0)
		w.Int(d.CoefficientInt64())
		return
	}
	c := d.Coefficient()
	if c.Sign() < 0 {
		w.Uint(2)
	} else {
		w.Uint(1)
	}
	w.Str(string(c.Bytes()))
}

// OptDecimal writes whether d is there, and then *d.
func (w *Writer) OptDecimal(d *decimal.Decimal) {
	w.Bool(d != nil)
	if d != nil {
		w.Decimal(*d)
	}
}

// Reader reads what a Writer wrote.
type Reader struct {
	b   []byte
	err error
}

// NewReader reads rec.
func NewReader(rec []byte) *Reader { return &Reader{b: rec} }

func (r *Reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%s cut short or malformed", what)
	}
	r.b = nil
}

// End is the first problem met, or an error when bytes are left after
// the last value (what names it).
func (r *Reader) End(what string) error {
	if r.err == nil && len(r.b) > 0 {
		return errors.New("bytes after " + what)
	}
	return r.err
}

// Uint reads a number Uint wrote.
func (r *Reader) Uint() uint64 {
	n, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.fail("a number")
		return 0
	}
	r.b = r.b[k:]
	return n
}

// Int reads a number Int wrote.
func (r *Reader) Int() int64 {
	n, k := binary.Varint(r.b)
	if k <= 0 {
		r.fail("a number")
		return 0
	}
	r.b = r.b[k:]
	return n
}

// Int32 reads a number Int wrote that fits 32 bits.
func (r *Reader) Int32() int32 {
	n := r.Int()
	if n < math.MinInt32 || n > math.MaxInt32 {
		r.fail("a small number")
		return 0
	}
	return int32(n)
}

// Bool reads what Bool wrote.
func (r *Reader) Bool() bool {
	switch r.Uint() {
	case 0:
		return false
	case 1:
		return true
	}
	r.fail("a yes or no")
	return false
}

// Str reads a text.
func (r *Reader) Str() string {
	n := r.Uint()
	if n > uint64(len(r.b)) {
		r.fail("a text")
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// Count reads a number of items that take at least min bytes each, so
// that a corrupt count cannot make a huge slice.
func (r *Reader) Count(min int) int {
	n := r.Uint()
	if n > uint64(len(r.b)/min) {
		r.fail("a count")
		return 0
	}
	return int(n)
}

// Decimal reads what Decimal wrote.
func (r *Reader) Decimal() decimal.Decimal {
	exp := r.Int32()
	switch kind := r.Uint(); kind {
	case 0:
		return decimal.New(r.Int(), exp)
	case 1, 2:
		c := new(big.Int).SetBytes([]byte(r.Str()))
		if kind == 2 {
			c.Neg(c)
		}
		return decimal.NewFromBigInt(c, exp)
	}
	r.fail("an amount")
	return decimal.Decimal{}
}

// OptDecimal reads what OptDecimal wrote.
func (r *Reader) OptDecimal() *decimal.Decimal {
	if !r.Bool() {
		return nil
	}
	d := r.Decimal()
	return &d
}
