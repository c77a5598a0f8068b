// Package bank follows each released payment after the file has left:
// what the bank answered (pain.002 status reports) and what it booked
// (camt.054 debit notifications), and whether the books agree (issue 13).
//
// The contract:
//   - A File is one released payment file (payments.xml, or a supplement's
//     payments-supplement-N.xml): its MsgId, blocks, execution date,
//     CtrlSum and one Payment per CdtTrfTxInf. A Report is one bank message
//     as the reader (importers/iso20022) found it.
//   - Each payment has a State: sent → accepted (ACCP, ACTC, ACWC, ACSP,
//     ACSC …) or pending (PDNG) or rejected (RJCT, with the ISO reason
//     code) → booked (a camt.054 entry). RCVD (received) changes nothing.
//   - A status of the group (OrgnlGrpInfAndSts) applies to every payment of
//     the file, a status of a block (OrgnlPmtInfAndSts) to every payment of
//     the block, and a transaction's own status (TxInfAndSts) overrides
//     both. PART (partly accepted) at group or block level accepts the
//     payments the same report does not list on their own: a bank lists the
//     rejected ones (the reading of issue 13; CGI-MP's practice).
//   - A later report supersedes an earlier one for the same payment, never
//     a booking: once booked a payment stays booked, and a status after it
//     is kept in its history only. "Later" is the order of Apply (the
//     store's import order); a report whose CreDtTm is before that of the
//     status in force does not supersede it.
//   - Apply checks a whole report before it changes anything, and refuses
//     it with a payout.ErrorList naming the file and the element: a message
//     the ledger does not know, a block or EndToEndId that message does not
//     have, an amount, currency or creditor account other than the released
//     one, a payment booked a second time. A camt.054 entry that refers to
//     none of the released files is not refused: it is kept as an unknown
//     entry and listed by Reconcile; a file with nothing but such entries is
//     refused (it is not for us).
//   - Reconcile is the control of a period: every released payment booked
//     exactly once at its amount, and booked sum = CtrlSum less open
//     rejections; each difference is listed (missing booking, amount
//     differs, booking of a rejected payment, booked twice, unknown entry).
//   - A rejected payment is re-paid by a supplement (File.Supplement ≥ 1)
//     whose payments name the original EndToEndId; Repayable lists what a
//     supplement may hold, so that nothing is paid twice.
//
// The package is pure: no clock, no I/O; the same files and reports in the
// same order give the same states.
package bank
