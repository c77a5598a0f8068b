// Package csvout writes the period's CSV outputs of FORMATS.md: lines.csv,
// adjustments.csv and payments.csv, and claims.csv (RULEBOOK §6's claims
// against payees; the explain trace's CSV is in
// exporters/explain). Named csvout so that it does not shadow encoding/csv.
//
// The contract:
//   - the columns are exactly those of FORMATS.md, in that order, with a
//     header row, `,` as delimiter and `\n` line ends (encoding/csv quoting,
//     written by this package's own writer: the same bytes, faster);
//   - rows come in the order the payout.Result gives them (the engine sorts);
//   - amounts have two decimals and `.` (nb.Money, decimal.StringFixed(2)),
//     never a binary float;
//   - text cells that a spreadsheet could take for a formula (beginning with
//     `=`, `+`, `-`, `@`, tab or carriage return) are prefixed with `'`
//     (nb.Neutralise, OWASP "CSV injection"); amounts are never touched, so
//     -12.50 stays a number.
//
// Every function is pure: the same Result gives the same bytes.
package csvout

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/oslokommune/payout/payout/nb"
)

// table accumulates rows as CSV: the bytes encoding/csv's Writer gives
// (`,`, `\n`, RFC 4180 quoting), written straight into one buffer.
type table struct {
	buf bytes.Buffer
}

func newTable(header []string) *table {
	t := &table{}
	t.row(header)
	return t
}

// row writes one record as encoding/csv.Writer.Write does.
func (t *table) row(cells []string) {
	for n, field := range cells {
		if n > 0 {
			t.buf.WriteByte(',')
		}
		if !needsQuotes(field) {
			t.buf.WriteString(field)
			continue
		}
		t.buf.WriteByte('"')
		for len(field) > 0 {
			i := strings.IndexByte(field, '"')
			if i < 0 {
				i = len(field)
			}
			t.buf.WriteString(field[:i])
			field = field[i:]
			if len(field) > 0 {
				t.buf.WriteString(`""`)
				field = field[1:]
			}
		}
		t.buf.WriteByte('"')
	}
	t.buf.WriteByte('\n')
}

// needsQuotes is encoding/csv's rule for a `,` delimiter: a field holding
// `,`, `"`, CR or LF, beginning with a space (unicode.IsSpace), or `\.`.
func needsQuotes(field string) bool {
	if field == "" {
		return false
	}
	if field == `\.` {
		return true
	}
	for i := 0; i < len(field); i++ {
		switch field[i] {
		case '\n', '\r', '"', ',':
			return true
		}
	}
	r1, _ := utf8.DecodeRuneInString(field)
	return unicode.IsSpace(r1)
}

func (t *table) bytes() ([]byte, error) { return t.buf.Bytes(), nil }

// text neutralises a free-text cell.
func text(s string) string { return nb.Neutralise(s) }

func itoa(n int) string { return strconv.Itoa(n) }
