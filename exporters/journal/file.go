package journal

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
)

// CSV renders journal.csv in the layout of the policy's ledger block:
// the columns in their order, the separator, the decimal mark, the date
// format and an optional header row; `\n` line ends and RFC 4180 quoting
// (a field holding the separator, a quote or a line break is quoted). Free
// text is neutralised against spreadsheet formulas like every CSV output;
// amounts never are, so a credit stays a number.
func (j *Journal) CSV(lo payout.LedgerLayout) ([]byte, error) {
	if len(lo.Separator) != 1 {
		return nil, fmt.Errorf("journal: separator %q is not one character", lo.Separator)
	}
	sep := lo.Separator[0]
	var buf bytes.Buffer
	if lo.Header {
		names := make([]string, len(lo.Columns))
		for i, c := range lo.Columns {
			names[i] = c.Name
		}
		writeRow(&buf, sep, names)
	}
	row := make([]string, len(lo.Columns))
	for i := range j.Postings {
		for c, col := range lo.Columns {
			if col.Field == "" {
				row[c] = col.Value
				continue
			}
			v, err := j.field(&j.Postings[i], col.Field, lo)
			if err != nil {
				return nil, err
			}
			row[c] = v
		}
		writeRow(&buf, sep, row)
	}
	return buf.Bytes(), nil
}

// field is one posting's value of a layout field.
func (j *Journal) field(p *Posting, name string, lo payout.LedgerLayout) (string, error) {
	switch name {
	case "voucher_series":
		return j.Series, nil
	case "voucher_no":
		return j.Number, nil
	case "voucher_date":
		return FormatDate(j.Date, lo.DateFormat)
	case "period":
		return fmt.Sprintf("%04d%02d", j.Period.Year(), j.Period.Month()), nil
	case "account":
		return p.Account, nil
	case "ansvar":
		return p.Ansvar, nil
	case "kapittel":
		return p.Kapittel, nil
	case "function":
		return p.Function, nil
	case "project":
		return p.Project, nil
	case "amount":
		return formatAmount(p.Amount, lo.DecimalComma), nil
	case "debit":
		return sideAmount(p.Amount, 1, lo.DecimalComma), nil
	case "credit":
		return sideAmount(p.Amount.Neg(), 1, lo.DecimalComma), nil
	case "text":
		return nb.Neutralise(p.Text), nil
	case "bydel":
		return p.Bydel, nil
	case "scheme":
		return string(p.Scheme), nil
	case "kind":
		return string(p.Kind), nil
	}
	return "", fmt.Errorf("journal: unknown column field %q", name)
}

// FormatDate writes d in one of payout.LedgerDateFormats.
func FormatDate(d payout.Date, format string) (string, error) {
	y, m, day := d.YMD()
	switch format {
	case "DD.MM.YYYY":
		return fmt.Sprintf("%02d.%02d.%04d", day, m, y), nil
	case "YYYY-MM-DD":
		return fmt.Sprintf("%04d-%02d-%02d", y, m, day), nil
	case "YYYYMMDD":
		return fmt.Sprintf("%04d%02d%02d", y, m, day), nil
	}
	return "", fmt.Errorf("journal: unknown date format %q", format)
}

func formatAmount(d decimal.Decimal, comma bool) string {
	s := nb.Money(d)
	if comma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// sideAmount is the amount when it has the given sign, else empty.
func sideAmount(d decimal.Decimal, sign int, comma bool) string {
	if d.Sign() != sign {
		return ""
	}
	return formatAmount(d, comma)
}

// writeRow writes one record with RFC 4180 quoting for separator sep.
func writeRow(buf *bytes.Buffer, sep byte, cells []string) {
	for i, c := range cells {
		if i > 0 {
			buf.WriteByte(sep)
		}
		if strings.IndexByte(c, sep) < 0 && !strings.ContainsAny(c, "\"\r\n") {
			buf.WriteString(c)
			continue
		}
		buf.WriteByte('"')
		buf.WriteString(strings.ReplaceAll(c, `"`, `""`))
		buf.WriteByte('"')
	}
	buf.WriteByte('\n')
}
