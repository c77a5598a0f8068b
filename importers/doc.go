// Package importers reads the input files of FORMATS.md — rates, payees,
// agreements, list_counts, absences, caregivers, breaches, takeovers and
// policy.json — from CSV or XLSX into payout.Inputs, or refuses them.
//
// The contract:
//
//   - All or nothing. A file, a folder or a set of paths is either read
//     completely or refused with a payout.ErrorList that holds every problem
//     of every file (not just the first), sorted by file, sheet, line and
//     column. Nothing is returned on error, so nothing can be stored.
//
//   - Every problem is a *payout.InputError naming the file, the line (CSV)
//     or sheet and cell (XLSX), the column, the value found and what to do,
//     and its kind: a payout.Err… sentinel (ErrNotADate, ErrCheckDigit,
//     ErrFieldCount, ErrUnknownRef, …) that errors.Is matches.
//
//   - CSV: UTF-8 with or without BOM; ',' or ';' delimited, detected from
//     the header; with ';' a decimal comma is accepted (Norwegian Excel).
//     Anything not valid UTF-8 is refused naming the line.
//
//   - XLSX: the first sheet; the first non-empty row is the header; dates as
//     real Excel dates or text; numbers as numbers or text.
//
//   - Headers match case-insensitively, ignoring surrounding spaces; columns
//     may come in any order.
//
//   - Values are normalised while parsing (account numbers without spaces
//     and dots, share_percent 100 and tier_from 1 by default, an empty
//     recorded_on is payout.Beginning, an empty valid_to payout.Forever), and
//     each record remembers where it came from (Version.Src).
//
//   - Checks here are those that need no knowledge of which version is in
//     force: field rules, duplicate versions and references between files.
//     The rules that depend on versions in force (overlapping absences, a
//     municipal vikar too early, takeover shares) are payout.CheckInputs.
//
//   - Bounded (limits.go): a cell of more than 1 000 characters, a CSV line
//     of more than 64 KiB, a header or row of more than 200 columns and a
//     sheet that expands past 1 000 000 cells are refused with one line
//     each (payout.ErrTooLarge); a value is quoted with at most 100
//     characters; and the text of an ErrorList shows at most
//     payout.ProblemsPerKind problems of one kind in one file and column,
//     then one line counting the rest.
//
// No input may panic the package; the readers are fuzzed (reader_fuzz_test.go).
package importers
