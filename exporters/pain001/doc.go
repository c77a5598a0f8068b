// Package pain001 renders a run's payments as the bank payment file
// payments.xml: an ISO 20022 pain.001.001.03 customer credit transfer
// initiation, the format Norwegian banks take for batch credit transfers
// (DESIGN.md "Payment file").
//
// The contract:
//   - One payment information block (PmtInf) per requested execution date;
//     every payment of a run is executed on pay(P), res.PayDate, so there is
//     one. One transaction (CdtTrfTxInf) per payee of res.Payments, in their
//     order (sorted by payee), with Payment.EndToEndID as EndToEndId.
//   - NbOfTxs and CtrlSum, in the group header and in each block, are the
//     count and the sum of the transactions; the sum must equal res.Total to
//     the øre (RULEBOOK §8), else Build refuses.
//   - Accounts are Norwegian BBANs (11 digits, MOD11-checked) in
//     Id/Othr/Id with SchmeNm/Cd BBAN; currency NOK; remittance
//     unstructured (Ustrd, at most 140 characters); names cut to 70
//     characters, as the banks' guides ask.
//   - Category purpose (PmtTpInf/CtgyPurp/Cd) is policy category_purpose,
//     SUPP by default: the payees are contractors, not employees (issue 13).
//   - Every text (names, remittance, address) is in the banks' character
//     set, printable ISO-8859-15 (package banktext): other characters are
//     transliterated and over-long texts cut. The engine lists each such
//     change as a W-BANK-TEXT warning of the run, so the reviewers see it
//     before attesting; control characters never get this far (the
//     importers refuse them).
//   - A payee's structured address (payees.csv street, postcode, town,
//     country) is Cdtr/PstlAdr; without one the element is left out.
//   - BlockID gives the PmtInfId, which the bank's status reports quote.
//   - The debtor (name, account, organisation number, BIC) comes from the
//     policy; the organisation number identifies the initiating party and
//     the debtor (SchmeNm/Cd CUST).
//   - The bytes depend only on the arguments: MsgId is given (MessageID
//     derives it from the period), PmtInfId is derived from it and the
//     date, and CreDtTm is createdAt (the release time the store recorded),
//     written without a zone in the time's own location.
//   - Nothing panics on input; every refusal is an error naming the payee.
package pain001
