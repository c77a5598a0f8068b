// Package explain renders the trace of one agreement in one period
// (payout.Trace, from payout.Explain) for a finance officer who checks
// every amount with a calendar and a pocket calculator: as the aligned text
// `payout explain` prints (Text) and as explain-<ID>-<P>.csv (CSV).
//
// The contract:
//   - both hold the same facts: the agreement and payee, the count and
//     annual amount, the rates in force, every day of the month with its
//     status, rule and clause, each formula of the calculation, the lines,
//     corrections of earlier months and breaches;
//   - words and amounts are those of the reports (package nb): Norwegian
//     names, amounts with two decimals and `.`;
//   - the CSV has one table told apart by section (CSVHeader), `,` and
//     `\n` as encoding/csv writes them, free text neutralised against
//     formula injection;
//   - every function is pure: the same trace gives the same bytes.
package explain

import (
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
)

// clause returns the legal clause of a rule ID (or a ;-joined list) for the
// trace's agreement: a physiotherapist's cites the driftsavtale
// regulations (payout.ClauseFor).
func clause(tr *payout.Trace, rule string) string { return payout.ClauseFor(rule, tr.Agreement.Scheme) }

// stepLabels are the bokmål names of the engine's calculation steps
// (payout.Step.Name's first word), as the reports name the same amounts.
var stepLabels = map[string]string{
	"annual":            "Årsbeløp",
	"base":              "Basis",
	"absence_deduction": "Fraværstrekk",
	"vikar_amount":      "Til vikar",
	"takeover":          "Overtakelse",
	"entitlement":       "Tilskudd",
	"withheld":          "Tilbakeholdt",
	"released":          "Frigitt",
	"adjustment":        "Korreksjon",
	"net":               "Netto",
	"carried_out":       "Overført ut",
}

// stepName is a step's name in bokmål: its label, then its party, period
// or breach as they are, a role in its Norwegian name.
func stepName(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return name
	}
	if label, ok := stepLabels[words[0]]; ok {
		words[0] = label
	}
	for i, w := range words[1:] {
		words[i+1] = nb.RoleName(w)
	}
	return strings.Join(words, " ")
}
