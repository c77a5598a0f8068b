package importers

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want, msg string }{
		{"2015-03-01", "2015-03-01", ""},
		{"01.03.2015", "2015-03-01", ""},
		{"29.02.2016", "2016-02-29", ""},
		{"29.02.2015", "", `"2015-02-29" is not a date (expected YYYY-MM-DD)`},
		{"2015-02-30", "", `"2015-02-30" is not a date (expected YYYY-MM-DD)`},
		{"1.3.2015", "", `"1.3.2015" is not a date (expected YYYY-MM-DD)`},
		{"2015-3-1", "", `"2015-3-1" is not a date (expected YYYY-MM-DD)`},
	}
	for _, tt := range tests {
		d, msg := parseDate(tt.in)
		assert.Equal(t, tt.msg, msg.String(), tt.in)
		assert.Equal(t, tt.want, d.String(), tt.in)
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in    string
		comma bool
		want  string
		ok    bool
	}{
		{"1234.50", false, "1234.5", true},
		{"1234,50", true, "1234.5", true},
		{"1234,50", false, "0", false},
		{"1 234,50", true, "1234.5", true},
		{"1\u00a0234\u00a0567", true, "1234567", true},
		{"12 34", true, "0", false},
		{"1.234,50", true, "0", false},
		{"-5", false, "-5", true},
		{"1e3", false, "0", false},
		{".5", false, "0", false},
		{"", false, "0", false},
	}
	for _, tt := range tests {
		d, msg := parseDecimal(tt.in, tt.comma)
		assert.Equal(t, tt.ok, msg.Format == "", "%q: %s", tt.in, msg)
		assert.Equal(t, tt.want, d.String(), tt.in)
	}
}

func TestParseWholeAndBool(t *testing.T) {
	n, msg := parseWhole("1 200", true)
	assert.Equal(t, 1200, n)
	assert.Empty(t, msg)
	_, msg = parseWhole("99999999999", false)
	assert.Equal(t, `"99999999999" is too large`, msg.String())
	for in, want := range map[string]bool{"ja": true, "JA": true, "true": true, "SANN": true, "nei": false, "False": false, "usann": false} {
		b, msg := parseBool(in)
		assert.Empty(t, msg, in)
		assert.Equal(t, want, b, in)
	}
	_, msg = parseBool("1")
	assert.NotEmpty(t, msg)
}

func TestExcelValues(t *testing.T) {
	assert.Equal(t, "0.3", excelNumber("0.30000000000000004"))
	assert.Equal(t, "12000079195", excelNumber("12000079195"))
	assert.Equal(t, "1250.5", excelNumber("1.2505E3"))
	tests := []struct {
		raw      string
		date1904 bool
		want     string
		ok       bool
	}{
		{"42064", false, "2015-03-01", true},
		{"1", false, "1900-01-01", true},
		{"59", false, "1900-02-28", true},
		{"60", false, "", false}, // Lotus's 29 February 1900
		{"61", false, "1900-03-01", true},
		{"40602", true, "2015-03-01", true},
		{"42064.5", false, "", false},
		{"0", false, "", false},
		{"-3", false, "", false},
	}
	for _, tt := range tests {
		d, ok := excelSerialDate(tt.raw, tt.date1904)
		assert.Equal(t, tt.ok, ok, tt.raw)
		assert.Equal(t, tt.want, d.String(), tt.raw)
	}
}
