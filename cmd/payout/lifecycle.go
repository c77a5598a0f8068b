package main

// Helpers shared by the store commands (run --db, import, attest, approve,
// release, status, due).

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/oslokommune/payout/payout/store"
)

// formatKroner writes an amount the Norwegian way: "1 234 567,89 kr".
func formatKroner(d decimal.Decimal) string { return nb.Kroner(d) + " kr" }

// formatCount groups a count like an amount: 1 234.
func formatCount(n int) string { return nb.Count(n) }

// today is the clock's calendar date in Oslo.
func today(env *Env) payout.Date { return osloDate(env.Now()) }

// osloDate is t's calendar date in Oslo.
func osloDate(t time.Time) payout.Date {
	y, m, d := t.In(oslo).Date()
	return payout.NewDate(y, int(m), d)
}

// when formats a recorded time for people, in Oslo's time (CET or CEST).
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(oslo).Format("2006-01-02 15:04 MST")
}

// field is one labelled line of a summary; the label is a catalogue key.
type field struct{ label, value string }

// printFields prints labelled lines with the values aligned after the
// longest label in the user's language.
func printFields(env *Env, fields []field) {
	width := 0
	for _, f := range fields {
		width = max(width, len([]rune(env.tr(f.label))))
	}
	for _, f := range fields {
		label := env.tr(f.label)
		fmt.Fprintf(env.Stdout, "%s%s  %s\n", label, strings.Repeat(" ", width-len([]rune(label))), f.value)
	}
}

// statusText is a run's status in the user's language.
func statusText(env *Env, s store.Status) string { return env.tr(string(s)) }

var _ = messages(
	msg{"computed", "beregnet"},
	msg{"attested", "attestert"},
	msg{"approved", "godkjent"},
	msg{"released", "frigitt"},
)
