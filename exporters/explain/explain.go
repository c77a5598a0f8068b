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

import "github.com/oslokommune/payout/payout"

// clause returns the legal clause of a rule ID from the catalogue, or "".
func clause(rule string) string { return payout.Rules[rule].Clause }
