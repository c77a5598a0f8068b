package nb

import (
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Money formats an amount with two decimals and `.`: exactly
// d.StringFixed(2), with a fast path for the amounts of a payout (whole
// øre, kroner or tenths that fit an int64) that skips big.Int formatting.
func Money(d decimal.Decimal) string {
	if e := d.Exponent(); e >= -2 && e <= 0 && d.NumDigits() <= 15 {
		return cents(d.CoefficientInt64() * scale[e+2])
	}
	return d.StringFixed(2)
}

// scale[e+2] turns a coefficient with exponent e into øre.
var scale = [3]int64{1, 10, 100}

// cents formats n øre as kroner with two decimals: -5 → "-0.05".
func cents(n int64) string {
	var buf [24]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for k := 0; k < 3 || n > 0; k++ {
		if k == 2 {
			i--
			buf[i] = '.'
		}
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// Number formats an exact quantity (members, percent) in its shortest exact
// form: 1200, 33.5.
func Number(d decimal.Decimal) string { return d.String() }

// Neutralise returns s with a `'` before every place a spreadsheet could
// start reading a formula (`=`, `+`, `-`, `@`, tab or carriage return;
// OWASP "CSV injection"): the start of the text, and after every `;`.
// Norwegian Excel splits a CSV file on `;`, not on `,`, whatever the
// quotes of the comma-separated file say, so "Lege;=cmd|' /C calc'!A0"
// would put a live formula in a cell of its own; it reads
// "Lege;'=cmd|' /C calc'!A0" instead. Use it on every free-text cell, in
// CSV and in workbooks; never on amounts, so -12.50 stays a number.
func Neutralise(s string) string {
	if s == "" || (!formulaStart(s[0]) && !strings.Contains(s, ";")) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	if formulaStart(s[0]) {
		b.WriteByte('\'')
	}
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == ';' && formulaAfter(s[i+1:]) {
			b.WriteByte('\'')
		}
	}
	return b.String()
}

// formulaAfter: the cell that starts with s reads as a formula, spaces
// before it aside.
func formulaAfter(s string) bool {
	s = strings.TrimLeft(s, " ")
	return s != "" && formulaStart(s[0])
}

// formulaStart: a byte with which a spreadsheet cell reads as a formula.
func formulaStart(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// JoinRules joins rule IDs with `;` in sorted order, as FORMATS.md writes
// the rules column (the engine sorts them already; sorted again here so a
// file never depends on it). ids is not modified.
func JoinRules(ids []string) string {
	c := append([]string(nil), ids...)
	sort.Strings(c)
	return strings.Join(c, ";")
}

// Kroner formats an amount as Norwegian text prints it: two decimals after
// a comma and the thousands grouped by a space, "21 805,34", "-1 000,00"
// (the figure of Money, only written for a reader).
func Kroner(d decimal.Decimal) string {
	s := Money(d)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	whole, frac := s[:len(s)-3], s[len(s)-2:]
	return sign + group(whole) + "," + frac
}

// Count formats a count with its thousands grouped like Kroner: 1 060.
func Count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + group(s[1:])
	}
	return group(s)
}

// group puts a space between groups of three digits.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}
