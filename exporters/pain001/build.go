package pain001

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/banktext"
)

// Field limits of the schema and the Norwegian banks' guides.
const (
	maxIDLen         = 35
	maxNameLen       = payout.MaxNameLen
	maxRemittanceLen = payout.MaxRemittanceLen
)

// MessageID is the deterministic MsgId of period p's payment file. A period
// is released once, so it is unique per file sent.
func MessageID(p payout.Period) string { return "PAYOUT-OSLO-" + p.String() }

// Build renders res.Payments as pain.001.001.03 XML, with a final newline.
func Build(res *payout.Result, debtor payout.Debtor, msgID string, createdAt time.Time) ([]byte, error) {
	if res == nil {
		return nil, fmt.Errorf("pain001: no result")
	}
	if err := checkHeader(res, debtor, msgID); err != nil {
		return nil, err
	}
	txs, sum, err := transactions(res.Payments)
	if err != nil {
		return nil, err
	}
	if !sum.Equal(res.Total) {
		return nil, fmt.Errorf("pain001: the payments sum to %s but the run's total is %s", sum.StringFixed(2), res.Total.StringFixed(2))
	}
	doc := document{Xmlns: namespace, Init: customerCreditInit{
		GrpHdr: groupHeader{
			MsgID: msgID, CreDtTm: createdAt.Format("2006-01-02T15:04:05"),
			NbOfTxs: strconv.Itoa(len(txs)), CtrlSum: sum.StringFixed(2),
			InitgPty: debtorParty(debtor),
		},
		PmtInf: []paymentInf{paymentBlock(res.PayDate, msgID, debtor, res.Policy.CategoryPurpose, txs, sum)},
	}}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("pain001: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func checkHeader(res *payout.Result, debtor payout.Debtor, msgID string) error {
	switch {
	case msgID == "" || len(msgID) > maxIDLen:
		return fmt.Errorf("pain001: message id %q must have 1 to %d characters", msgID, maxIDLen)
	case len(res.Payments) == 0:
		return fmt.Errorf("pain001: %s has no payments to send", res.Period)
	case res.PayDate == payout.NoDate:
		return fmt.Errorf("pain001: %s has no payment date", res.Period)
	case strings.TrimSpace(debtor.Name) == "":
		return fmt.Errorf("pain001: the policy names no debtor")
	case !payout.ValidAccount(debtor.Account):
		return fmt.Errorf("pain001: the debtor account %q is not a valid Norwegian account number", debtor.Account)
	case debtor.OrgNr != "" && !payout.ValidOrgNr(debtor.OrgNr):
		return fmt.Errorf("pain001: the debtor organisation number %q is not valid", debtor.OrgNr)
	}
	return nil
}

// paymentBlock is the one PmtInf of the run: every payment is requested for
// pay(P).
func paymentBlock(date payout.Date, msgID string, debtor payout.Debtor, purpose string, txs []transaction, sum decimal.Decimal) paymentInf {
	pt := paymentType{SvcLvl: code{Cd: "NURG"}}
	if purpose != "" {
		pt.CtgyPurp = &code{Cd: purpose}
	}
	return paymentInf{
		PmtInfID: BlockID(msgID, date), PmtMtd: "TRF", BtchBookg: true,
		NbOfTxs: strconv.Itoa(len(txs)), CtrlSum: sum.StringFixed(2),
		PmtTpInf:    pt,
		ReqdExctnDt: date.String(),
		Dbtr:        debtorParty(debtor),
		DbtrAcct:    bban(debtor.Account, "NOK"),
		DbtrAgt:     debtorAgent(debtor.BIC),
		ChrgBr:      "SLEV",
		CdtTrfTxInf: txs,
	}
}

// BlockID is the PmtInfId of the block of msgID executed on date; the bank
// reports refer to it.
func BlockID(msgID string, date payout.Date) string {
	return cut(msgID+"-"+strings.ReplaceAll(date.String(), "-", ""), maxIDLen)
}

func debtorParty(d payout.Debtor) party {
	p := party{Nm: cut(d.Name, maxNameLen)}
	if d.OrgNr != "" {
		p.ID = &partyID{OrgID: orgID{Othr: genericID{ID: d.OrgNr, SchmeNm: code{Cd: "CUST"}}}}
	}
	return p
}

func debtorAgent(bic string) agent {
	if bic == "" {
		return agent{FinInstnID: finInstn{Othr: &finInstnOth{ID: "NOTPROVIDED"}}}
	}
	return agent{FinInstnID: finInstn{BIC: bic}}
}

func bban(acct, ccy string) account {
	return account{ID: accountID{Othr: genericID{ID: acct, SchmeNm: code{Cd: "BBAN"}}}, Ccy: ccy}
}

// transactions makes one CdtTrfTxInf per payment and sums them.
func transactions(ps []payout.Payment) ([]transaction, decimal.Decimal, error) {
	sum := decimal.Zero
	txs := make([]transaction, 0, len(ps))
	seen := map[string]bool{}
	for _, p := range ps {
		if err := checkPayment(p, seen); err != nil {
			return nil, sum, err
		}
		sum = sum.Add(p.Amount)
		txs = append(txs, transaction{
			PmtID:    paymentID{InstrID: p.EndToEndID, EndToEndID: p.EndToEndID},
			Amt:      amount{InstdAmt: instructed{Ccy: "NOK", Value: p.Amount.StringFixed(2)}},
			Cdtr:     party{Nm: cut(p.Name, maxNameLen), PstlAdr: postal(p.Address)},
			CdtrAcct: bban(payout.NormalizeAccount(p.Account), ""),
			RmtInf:   remittance{Ustrd: cut(p.Remittance, maxRemittanceLen)},
		})
	}
	return txs, sum, nil
}

func checkPayment(p payout.Payment, seen map[string]bool) error {
	who := "pain001: payee " + p.PayeeID
	switch {
	case p.PayeeID == "":
		return fmt.Errorf("pain001: a payment has no payee id")
	case seen[p.PayeeID]:
		return fmt.Errorf("%s: more than one payment (amounts of one payee are summed)", who)
	case !p.Amount.IsPositive():
		return fmt.Errorf("%s: amount %s is not positive", who, p.Amount.StringFixed(2))
	case !p.Amount.Equal(p.Amount.Round(2)):
		return fmt.Errorf("%s: amount %s is not whole øre", who, p.Amount.String())
	case !payout.ValidAccount(payout.NormalizeAccount(p.Account)):
		return fmt.Errorf("%s: account %q is not a valid Norwegian account number", who, p.Account)
	case p.EndToEndID == "" || len(p.EndToEndID) > maxIDLen:
		return fmt.Errorf("%s: end-to-end id %q must have 1 to %d characters", who, p.EndToEndID, maxIDLen)
	case strings.TrimSpace(p.Name) == "":
		return fmt.Errorf("%s: no name", who)
	case strings.TrimSpace(p.Remittance) == "":
		return fmt.Errorf("%s: no remittance text", who)
	}
	seen[p.PayeeID] = true
	return nil
}

// postal is the creditor's structured address, or nil when it has none.
func postal(a payout.Address) *postalAddress {
	if a.IsZero() {
		return nil
	}
	return &postalAddress{StrtNm: cut(a.Street, payout.MaxStreetLen), PstCd: cut(a.PostCode, payout.MaxPostCodeLen),
		TwnNm: cut(a.Town, payout.MaxTownLen), Ctry: a.Country}
}

// cut fits s to the banks' character set and to at most n characters,
// never splitting a character. The run lists every change as a W-BANK-TEXT
// warning (payout.bankTextWarnings), so none is silent.
func cut(s string, n int) string { return banktext.Fit(s, n).Text }
