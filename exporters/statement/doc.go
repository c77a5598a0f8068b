// Package statement writes the payees' statements (utbetalingsspesifikasjon,
// issue 14): one PDF per payee and month, statements/P00002-2022-12.pdf in
// the period's folder, and one per payee and year for `payout statement`.
//
// The contract:
//   - in bokmål, for the payee: who is paid, the period, the payment date
//     and the account masked but for its last four digits; then per
//     agreement and role the list count and rate (or the hjemmel for
//     physiotherapy), the base, each deduction with its days and clause,
//     what went to a vikar or a group practice, each withholding with its
//     decision (enkeltvedtak) and the balance still held, each release, each
//     correction of an earlier month with its old and new value, carried
//     overpayments, and the net; the statement's total is the payment;
//   - absences are named by their clause ("fravær etter §13.4"), never by
//     their kind: a statement says nothing of a diagnosis, a child or a
//     leave that the clause itself does not;
//   - every amount is the Result's, printed as Norwegian text (21 805,34):
//     nothing is recomputed here, and a statement whose lines do not add up
//     to the payee's payment is refused;
//   - deterministic bytes: the document's dates are the run's as-of date
//     (never the clock), resources are written in sorted order, and content
//     is not compressed, so the bytes do not depend on a zlib version
//     either (core fonts only: nothing is embedded);
//   - pure: the same Result and Directory give the same files.
package statement
