package importers

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// The pure parsers of cell text. Each returns the value, or a message saying
// what was found and what is expected.

var (
	reNorDate  = regexp.MustCompile(`^(\d{2})\.(\d{2})\.(\d{4})$`)
	reGrouped  = regexp.MustCompile(`^-?\d{1,3}([ \x{00a0}\x{202f}]\d{3})+([.,]\d+)?$`)
	reDecimal  = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
	reDigits   = regexp.MustCompile(`^\d+$`)
	maxWholeNr = decimal.NewFromInt(1_000_000_000)
)

// parseDate reads YYYY-MM-DD. DD.MM.YYYY is read too: it is what Norwegian
// Excel writes for a date cell when saving CSV, and it is unambiguous.
func parseDate(s string) (payout.Date, payout.Text) {
	if d, ok := plainDate(s); ok {
		return d, payout.Text{}
	}
	return parseAnyDate(s)
}

// parseAnyDate is parseDate without the fast path.
func parseAnyDate(s string) (payout.Date, payout.Text) {
	if m := reNorDate.FindStringSubmatch(s); m != nil {
		s = m[3] + "-" + m[2] + "-" + m[1]
	}
	d, err := payout.ParseDate(s)
	if err != nil {
		return payout.NoDate, payout.Textf("%s is not a date (expected YYYY-MM-DD)", quote(s))
	}
	return d, payout.Text{}
}

// parsePeriod reads YYYY-MM, and hints at the month when given a date.
func parsePeriod(s string) (payout.Period, payout.Text) {
	p, err := payout.ParsePeriod(s)
	if err == nil {
		return p, payout.Text{}
	}
	if d, msg := parseDate(s); msg.Format == "" {
		return 0, payout.Textf("%s is not a month (expected YYYY-MM, e.g. %s)", quote(s), d.Period())
	}
	return 0, payout.Textf("%s is not a period (expected YYYY-MM)", quote(s))
}

// parseDecimal reads an exact decimal: digits with an optional '.' (or ','
// where a decimal comma is allowed) and optional thousands spaces.
func parseDecimal(s string, comma bool) (decimal.Decimal, payout.Text) {
	if t, ok := plainDecimal(s, comma); ok {
		return toDecimal(s, t, comma)
	}
	return parseAnyDecimal(s, comma)
}

// parseAnyDecimal is parseDecimal without the fast path.
func parseAnyDecimal(s string, comma bool) (decimal.Decimal, payout.Text) {
	t := s
	if reGrouped.MatchString(t) {
		t = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(t)
	}
	if comma && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	if !reDecimal.MatchString(t) {
		return decimal.Zero, notDecimal(s, comma)
	}
	return toDecimal(s, t, comma)
}

// toDecimal reads t, the digits of s with a point as decimal separator.
func toDecimal(s, t string, comma bool) (decimal.Decimal, payout.Text) {
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Zero, notDecimal(s, comma)
	}
	return d, payout.Text{}
}

func notDecimal(s string, comma bool) payout.Text {
	if comma {
		return payout.Textf("%s is not a number (expected digits with one decimal comma or point and no thousands dots, e.g. 1234,50)", quote(s))
	}
	return payout.Textf("%s is not a number (expected digits with a point as decimal separator, e.g. 1234.50)", quote(s))
}

// parseWhole reads a whole number ≥ 0 ("1200", "1 200", "1200.0").
func parseWhole(s string, comma bool) (int, payout.Text) {
	if n, ok := plainWhole(s); ok {
		return n, payout.Text{}
	}
	return parseAnyWhole(s, comma)
}

// parseAnyWhole is parseWhole without the fast path.
func parseAnyWhole(s string, comma bool) (int, payout.Text) {
	d, msg := parseDecimal(s, comma)
	switch {
	case msg.Format != "":
		return 0, payout.Textf("%s is not a whole number (expected digits, e.g. 1200)", quote(s))
	case !d.IsInteger():
		return 0, payout.Textf("%s is not a whole number (expected digits, e.g. 1200)", quote(s))
	case d.Sign() < 0:
		return 0, payout.Textf("%s is negative (expected a whole number 0 or more)", quote(s))
	case d.GreaterThan(maxWholeNr):
		return 0, payout.Textf("%s is too large", quote(s))
	}
	return int(d.IntPart()), payout.Text{}
}

// parseBool reads true/false and ja/nei, and SANN/USANN which Norwegian
// Excel writes for a logical cell.
func parseBool(s string) (bool, payout.Text) {
	switch strings.ToLower(s) {
	case "true", "ja", "sann":
		return true, payout.Text{}
	case "false", "nei", "usann":
		return false, payout.Text{}
	}
	return false, payout.Textf("%s is not a yes/no value (expected ja or nei, or true or false)", quote(s))
}

// parseEnum matches case-insensitively and returns the canonical spelling.
func parseEnum(s string, vals []string) (string, bool) {
	for _, v := range vals {
		if strings.EqualFold(s, v) {
			return v, true
		}
	}
	return "", false
}

// normalizeBydel turns "1" (what Excel leaves of "01") into "01".
func normalizeBydel(s string) string {
	if n, err := strconv.Atoi(s); err == nil && len(s) <= 2 && n >= 1 && n <= 15 {
		return fmt.Sprintf("%02d", n)
	}
	return s
}

// The fast paths. A national data set holds millions of dates and numbers,
// nearly all written plainly; these read the plain ones directly (a regular
// expression, time.Parse and fmt per cell cost more than the rest of the
// import), and leave everything else, including every error message, to the
// general parsers above. Each accepts exactly a subset of what its general
// parser accepts and gives the same value.

// plainDate reads a valid date written exactly YYYY-MM-DD, as ParseDate
// does: four, two and two ASCII digits, a year from 1, a real day.
func plainDate(s string) (payout.Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return payout.NoDate, false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) {
		return payout.NoDate, false
	}
	return payout.NewDate(y, m, d), true
}

// daysInMonth is the length of month m of year y (Gregorian).
func daysInMonth(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digits reads a non-empty string of ASCII digits (at most 9, so that it
// cannot overflow).
func digits(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// plainWhole reads a whole number written as at most 9 ASCII digits: below
// the 1 000 000 000 limit of parseWhole, so always valid.
func plainWhole(s string) (int, bool) {
	return digits(s)
}

// plainDecimal recognises a decimal that reGrouped cannot match and
// reDecimal matches once a decimal comma is turned into a point: an
// optional minus, ASCII digits, and optionally '.' (or ',' where comma is
// allowed) followed by digits. It returns the text for
// decimal.NewFromString, or s and false for the general path.
func plainDecimal(s string, comma bool) (string, bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	intStart := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == intStart {
		return s, false
	}
	if i == len(s) {
		return s, true
	}
	sep := s[i]
	if sep != '.' && (sep != ',' || !comma) {
		return s, false
	}
	fracStart := i + 1
	for i = fracStart; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
	}
	if i == fracStart || i != len(s) {
		return s, false
	}
	if sep == ',' {
		return s[:fracStart-1] + "." + s[fracStart:], true
	}
	return s, true
}
