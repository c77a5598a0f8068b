// Package nb is the one home of how the reports present the engine's
// values to a Norwegian reader (bokmål): the names of codes, money and
// numbers, and text cells safe to open in a spreadsheet. The CSV and
// workbook exporters, the explain traces, the commands and the engine's own
// notes and control details all print through it, so a word or a format is
// changed in one place.
//
// The contract:
//   - a leaf: it imports nothing of the project (only the standard library
//     and shopspring/decimal), so package payout may use it too; the name
//     functions are generic over the engine's string-typed codes
//     (payout.Scheme, payout.Role, …) for that reason;
//   - every name function returns the code itself when it has no name for
//     it, so an unknown code is shown, never hidden;
//   - Money is exactly decimal.StringFixed(2) (two decimals, `.`, no
//     thousands separator, never a binary float); Number is the shortest
//     exact form;
//   - every function is pure and safe for concurrent use.
package nb
