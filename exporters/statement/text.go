package statement

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
)

// FileName is a month's statement of one payee: P00002-2022-12.pdf. A
// payee ID that is not plain letters, digits, '-' and '_' (so could not
// safely name a file) is replaced by a digest of it.
func FileName(payeeID string, p payout.Period) string {
	return fileKey(payeeID) + "-" + p.String() + ".pdf"
}

// YearFileName is a year's statement of one payee: P00002-2022.pdf.
func YearFileName(payeeID string, year int) string {
	return fmt.Sprintf("%s-%04d.pdf", fileKey(payeeID), year)
}

// ID is the statement's number, P00002-2022-12: the payee and the period,
// as the payment's remittance text names it (payout.StatementRef).
func ID(payeeID string, p payout.Period) string { return payout.StatementRef(payeeID, p) }

func fileKey(payeeID string) string {
	if payeeID != "" && plain(payeeID) {
		return payeeID
	}
	sum := sha256.Sum256([]byte(payeeID))
	return "payee-" + hex.EncodeToString(sum[:6])
}

func plain(s string) bool {
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// monthYear is "desember 2022".
func monthYear(p payout.Period) string {
	return fmt.Sprintf("%s %d", nb.MonthName(p.Month()), p.Year())
}

// dateText is 28.12.2022.
func dateText(d payout.Date) string {
	y, m, day := d.YMD()
	return fmt.Sprintf("%02d.%02d.%04d", day, m, y)
}

// grantName is the grant a scheme pays.
func grantName(s payout.Scheme) string {
	if s == payout.SchemeFysio {
		return "Driftstilskudd fysioterapi"
	}
	return "Basistilskudd fastlege"
}

// clause is a rule's paragraph as a payee reads it: "§13.4" of
// "Rammeavtalen §13.4". The rule's own title is never used, since it may
// name the kind of absence (RULEBOOK §10: R-13.4-SICK is "egen sykdom").
func clause(rule string) string {
	c := payout.Rules[rule].Clause
	if i := strings.Index(c, "§"); i >= 0 {
		return c[i:]
	}
	if c == "" {
		return rule
	}
	return c
}

func kr(d decimal.Decimal) string  { return nb.Kroner(d) + " kr" }
func pct(d decimal.Decimal) string { return strings.Replace(nb.Number(d), ".", ",", 1) + " %" }
func days(n int) string            { return plural(n, "dag", "dager") }
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return nb.Count(n) + " " + many
}

// members is a count the amount is based on: 1 200, or 1 234,5 weighted.
func members(d decimal.Decimal) string {
	if d.IsInteger() {
		return nb.Count(int(d.IntPart()))
	}
	return strings.Replace(nb.Number(d), ".", ",", 1)
}

// changeText says what changed in a corrected month: the list count, the
// annual amount (a new rate), the paid days, or else which inputs.
func changeText(a *payout.Adjustment) string {
	was, now := a.Was, a.Now
	var parts []string
	switch {
	case was == (payout.AdjustmentBasis{}) && !a.Before.IsZero():
		// no basis recorded (an older run): fall through to the reason
	case was.PaidDays == 0 && was.AnnualAmount.IsZero():
		parts = append(parts, "ikke utbetalt tidligere")
	default:
		if was.Count != now.Count {
			parts = append(parts, fmt.Sprintf("listelengde fra %s til %s", nb.Count(was.Count), nb.Count(now.Count)))
		} else if !was.Members.Equal(now.Members) {
			parts = append(parts, fmt.Sprintf("beregningsgrunnlag fra %s til %s", members(was.Members), members(now.Members)))
		}
		if !was.AnnualAmount.Equal(now.AnnualAmount) && was.Members.Equal(now.Members) {
			parts = append(parts, fmt.Sprintf("årsbeløp fra %s til %s", kr(was.AnnualAmount), kr(now.AnnualAmount)))
		}
		if was.PaidDays != now.PaidDays {
			parts = append(parts, fmt.Sprintf("betalte dager fra %d til %d", was.PaidDays, now.PaidDays))
		}
	}
	if len(parts) == 0 && a.Reason != "" {
		parts = append(parts, nb.ReasonText(a.Reason))
	}
	return strings.Join(parts, "; ")
}
