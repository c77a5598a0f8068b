// Package iso20022 reads the bank's answers to a payment file: pain.002
// customer payment status reports (pain.002.001.03 and .001.10) and
// camt.054 debit notifications (camt.054.001.02 and .001.08), the versions
// Norwegian banks offer (Bits; Nordea adds the 2019 versions).
//
// The contract:
//   - A message is recognised by the namespace of its Document element,
//     never by its file name; any other document (a pain.001, a camt.053,
//     no namespace) is refused naming the namespace found.
//   - Read returns a bank.Report or a payout.ErrorList: every problem of the
//     file, each naming the file, the line and the element path (for
//     example CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/TxSts),
//     at most MaxProblems of them. Nothing is returned on error.
//   - Bounded: at most MaxSize bytes; a DOCTYPE is refused (a bank sends
//     none, and it is where entity expansion lives); encoding/xml expands no
//     entity but the five predefined and character references, and limits
//     nesting depth. Only UTF-8 is read.
//   - Checked here is what the message says on its own: status and reason
//     codes of the right form, amounts as decimals in øre, currencies, the
//     identifiers' length (Max35Text), dates. Whether the report fits a
//     released payment file is package bank's check (Ledger.Apply).
//   - Elements a bank adds that payout does not need are ignored.
//
// No input may panic the package; Read is fuzzed (read_fuzz_test.go).
package iso20022
