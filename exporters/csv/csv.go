// Package csv writes the period's CSV outputs of FORMATS.md: lines.csv,
// adjustments.csv and payments.csv, and the explain trace.
//
// The contract:
//   - the columns are exactly those of FORMATS.md, in that order, with a
//     header row, `,` as delimiter and `\n` line ends (encoding/csv quoting);
//   - rows come in the order the payout.Result gives them (the engine sorts);
//   - amounts have two decimals and `.` (decimal.StringFixed(2)), never a
//     binary float;
//   - text cells that a spreadsheet could take for a formula (beginning with
//     `=`, `+`, `-`, `@`, tab or carriage return) are prefixed with `'`
//     (OWASP "CSV injection"); amounts are never touched, so -12.50 stays a
//     number.
//
// Every function is pure: the same Result gives the same bytes.
package csv

import (
	"bytes"
	stdcsv "encoding/csv"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Neutralise returns s with a leading `'` when a spreadsheet would read it
// as a formula. Use it on every free-text cell, in CSV and in workbooks.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Money formats an amount with two decimals and `.`.
func Money(d decimal.Decimal) string { return d.StringFixed(2) }

// Number formats an exact quantity (members, percent) in its shortest exact
// form: 1200, 33.5.
func Number(d decimal.Decimal) string { return d.String() }

// table accumulates rows and renders them with encoding/csv.
type table struct {
	buf bytes.Buffer
	w   *stdcsv.Writer
}

func newTable(header []string) *table {
	t := &table{}
	t.w = stdcsv.NewWriter(&t.buf)
	t.row(header)
	return t
}

// row writes one record; bytes.Buffer cannot fail, so errors surface in
// bytes() through Flush.
func (t *table) row(cells []string) { _ = t.w.Write(cells) }

func (t *table) bytes() ([]byte, error) {
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		return nil, err
	}
	return t.buf.Bytes(), nil
}

// text neutralises a free-text cell.
func text(s string) string { return Neutralise(s) }

func itoa(n int) string { return strconv.Itoa(n) }

// joinRules joins rule IDs with `;` as FORMATS.md says (already sorted by
// the engine; sorted again here so the file never depends on it).
func joinRules(ids []string) string {
	c := append([]string(nil), ids...)
	sortStrings(c)
	return strings.Join(c, ";")
}
