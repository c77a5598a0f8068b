package main

// Helpers shared by the store commands (run --db, import, attest, approve,
// release, status, due).

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// formatKroner writes an amount the Norwegian way: "1 234 567,89 kr".
func formatKroner(d decimal.Decimal) string {
	s := d.StringFixed(2)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	return sign + groupThousands(whole) + "," + frac + " kr"
}

// groupThousands puts a (non-breaking in print, plain here) space between
// groups of three digits.
func groupThousands(digits string) string {
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatCount groups a count like an amount: 1 234.
func formatCount(n int) string { return groupThousands(fmt.Sprint(n)) }

// today is the clock's calendar date, in the clock's own time zone.
func today(env *Env) payout.Date {
	y, m, d := env.Now().Date()
	return payout.NewDate(y, int(m), d)
}

// when formats a recorded time for people.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
