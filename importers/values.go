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
func parseDate(s string) (payout.Date, string) {
	if m := reNorDate.FindStringSubmatch(s); m != nil {
		s = m[3] + "-" + m[2] + "-" + m[1]
	}
	d, err := payout.ParseDate(s)
	if err != nil {
		return payout.NoDate, err.Error()
	}
	return d, ""
}

// parsePeriod reads YYYY-MM, and hints at the month when given a date.
func parsePeriod(s string) (payout.Period, string) {
	p, err := payout.ParsePeriod(s)
	if err == nil {
		return p, ""
	}
	if d, msg := parseDate(s); msg == "" {
		return 0, fmt.Sprintf("%q is not a month (expected YYYY-MM, e.g. %s)", s, d.Period())
	}
	return 0, err.Error()
}

// parseDecimal reads an exact decimal: digits with an optional '.' (or ','
// where a decimal comma is allowed) and optional thousands spaces.
func parseDecimal(s string, comma bool) (decimal.Decimal, string) {
	t := s
	if reGrouped.MatchString(t) {
		t = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(t)
	}
	bad := fmt.Sprintf("%q is not a number (expected digits with a point as decimal separator, e.g. 1234.50)", s)
	if comma {
		bad = fmt.Sprintf("%q is not a number (expected digits with one decimal comma or point and no thousands dots, e.g. 1234,50)", s)
	}
	if comma && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	if !reDecimal.MatchString(t) {
		return decimal.Zero, bad
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Zero, bad
	}
	return d, ""
}

// parseWhole reads a whole number ≥ 0 ("1200", "1 200", "1200.0").
func parseWhole(s string, comma bool) (int, string) {
	d, msg := parseDecimal(s, comma)
	switch {
	case msg != "":
		return 0, fmt.Sprintf("%q is not a whole number (expected digits, e.g. 1200)", s)
	case !d.IsInteger():
		return 0, fmt.Sprintf("%q is not a whole number (expected digits, e.g. 1200)", s)
	case d.Sign() < 0:
		return 0, fmt.Sprintf("%q is negative (expected a whole number 0 or more)", s)
	case d.GreaterThan(maxWholeNr):
		return 0, fmt.Sprintf("%q is too large", s)
	}
	return int(d.IntPart()), ""
}

// parseBool reads true/false and ja/nei, and SANN/USANN which Norwegian
// Excel writes for a logical cell.
func parseBool(s string) (bool, string) {
	switch strings.ToLower(s) {
	case "true", "ja", "sann":
		return true, ""
	case "false", "nei", "usann":
		return false, ""
	}
	return false, fmt.Sprintf("%q is not a yes/no value (expected ja or nei, or true or false)", s)
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
