package bank

import (
	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// State is where a payment stands with the bank.
type State string

// The states, in the order a payment normally passes them.
const (
	StateSent     State = "sent"
	StatePending  State = "pending"
	StateAccepted State = "accepted"
	StateRejected State = "rejected"
	StateBooked   State = "booked"
)

// File is one released payment file.
type File struct {
	MsgID         string
	Period        payout.Period
	Supplement    int // 0: the period's payments.xml; N: payments-supplement-N.xml
	ExecutionDate payout.Date
	CtrlSum       decimal.Decimal
	Payments      []Payment
}

// Payment is one transaction of a released file.
type Payment struct {
	PmtInfID   string
	EndToEndID string
	PayeeID    string
	Name       string
	Account    string // BBAN, 11 digits
	Amount     decimal.Decimal
	Currency   string // NOK
	// Original is the EndToEndId of the period's payment that this
	// supplement payment pays again; "" in the period's own file.
	Original string
}

// Kind is the kind of bank message.
type Kind string

// The messages read back.
const (
	StatusReport Kind = "pain.002" // CustomerPaymentStatusReport
	Notification Kind = "camt.054" // BankToCustomerDebitCreditNotification
)

// Report is one bank message, as read.
type Report struct {
	File    string // the name it was given as
	SHA256  string
	Kind    Kind
	Version string // e.g. "pain.002.001.03"
	MsgID   string // GrpHdr/MsgId of the report itself
	Created string // GrpHdr/CreDtTm as written
	// Statuses (pain.002) in document order: the group's, then each block's
	// and its transactions'.
	Statuses []Status
	// Bookings (camt.054): one per transaction of each entry.
	Bookings []Booking
}

// Level is what a status applies to.
type Level int

// The levels of a pain.002.
const (
	LevelGroup Level = iota
	LevelBlock
	LevelTransaction
)

// Where names the place in a report: the line of its element and the path.
type Where struct {
	Line    int
	Element string // e.g. "CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/TxSts"
}

// Status is one status of a pain.002.
type Status struct {
	Where
	Level      Level
	MsgID      string // OrgnlMsgId
	PmtInfID   string // OrgnlPmtInfId (block and transaction)
	EndToEndID string // OrgnlEndToEndId (transaction)
	Code       string // GrpSts, PmtInfSts or TxSts
	Reasons    []Reason
	// The group's control figures and the transaction's amount, when the
	// bank quotes them.
	NbOfTxs   string
	CtrlSum   *decimal.Decimal
	Amount    *decimal.Decimal
	Currency  string
	Accounted string // AccptncDtTm, as written
}

// Reason is one StsRsnInf: an ISO code (Rsn/Cd) or the bank's own
// (Rsn/Prtry), and the bank's text.
type Reason struct {
	Code        string
	Proprietary bool
	Info        string // AddtlInf, joined
}

// Booking is one transaction of a camt.054 entry (Ntry/NtryDtls/TxDtls), or
// an entry without transaction details.
type Booking struct {
	Where
	EntryRef    string // NtryRef, else AcctSvcrRef
	Credit      bool   // CdtDbtInd CRDT (money back), else DBIT
	Status      string // BOOK, PDNG, INFO
	BookingDate payout.Date
	ValueDate   payout.Date
	// References of the transaction, or of the batch (NtryDtls/Btch) when
	// the transaction does not repeat them.
	MsgID      string
	PmtInfID   string
	EndToEndID string
	Amount     decimal.Decimal
	Currency   string
	// CreditorAccount is the BBAN of RltdPties/CdtrAcct (an NO IBAN is
	// reduced to its BBAN), "" when not given.
	CreditorAccount string
	CreditorName    string
	// Details is false for an entry without TxDtls.
	Details bool
}
