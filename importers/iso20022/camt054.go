package iso20022

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/bank"
)

// notification reads a camt.054: one Booking per transaction (TxDtls) of
// each entry, with the entry's status, dates and direction.
func (r *reader) notification(doc *notificationDoc) {
	const top = "BkToCstmrDbtCdtNtfctn"
	n := &doc.Ntf
	r.rep.MsgID = r.id(0, top+"/GrpHdr/MsgId", n.GrpHdr.MsgID, true)
	r.rep.Created = strings.TrimSpace(n.GrpHdr.CreDtTm)
	for i := range n.Ntfctn {
		nt := &n.Ntfctn[i]
		for j := range nt.V.Ntry {
			r.entry(fmt.Sprintf("%s/Ntfctn[%d]/Ntry[%d]", top, i+1, j+1), &nt.V.Ntry[j])
		}
	}
}

func (r *reader) entry(path string, e *at[entry]) {
	en := &e.V
	base := bank.Booking{
		EntryRef:    r.id(e.Line, path+"/NtryRef", firstOf(en.NtryRef, en.AcctSvcrRef), false),
		Status:      r.entryStatus(e.Line, path+"/Sts", en.Sts),
		BookingDate: r.date(e.Line, path+"/BookgDt", en.BookgDt),
		ValueDate:   r.date(e.Line, path+"/ValDt", en.ValDt),
	}
	base.Credit = r.direction(e.Line, path+"/CdtDbtInd", en.CdtDbtInd, true)
	amt, ccy, _ := r.money(e.Line, path+"/Amt", en.Amt, true)
	var txs []*at[txDetails]
	var batchMsg, batchBlock string
	for k := range en.NtryDtls {
		d := &en.NtryDtls[k]
		if d.Btch != nil {
			batchMsg = r.id(e.Line, fmt.Sprintf("%s/NtryDtls[%d]/Btch/MsgId", path, k+1), d.Btch.MsgID, false)
			batchBlock = r.id(e.Line, fmt.Sprintf("%s/NtryDtls[%d]/Btch/PmtInfId", path, k+1), d.Btch.PmtInfID, false)
		}
		for m := range d.TxDtls {
			txs = append(txs, &d.TxDtls[m])
		}
	}
	if len(txs) == 0 {
		b := base
		b.Where = bank.Where{Line: e.Line, Element: path}
		b.MsgID, b.PmtInfID, b.Amount, b.Currency = batchMsg, batchBlock, amt, ccy
		r.rep.Bookings = append(r.rep.Bookings, b)
		return
	}
	for k, tx := range txs {
		b := base
		b.MsgID, b.PmtInfID = batchMsg, batchBlock
		r.tx(fmt.Sprintf("%s/NtryDtls/TxDtls[%d]", path, k+1), tx, &b, len(txs) == 1, amt, ccy)
		r.rep.Bookings = append(r.rep.Bookings, b)
	}
}

// tx reads one TxDtls into b, which holds the entry's values.
func (r *reader) tx(path string, tx *at[txDetails], b *bank.Booking, only bool, entryAmt decimal.Decimal, entryCcy string) {
	t := &tx.V
	b.Where = bank.Where{Line: tx.Line, Element: path}
	b.Details = true
	if v := r.id(tx.Line, path+"/Refs/MsgId", t.Refs.MsgID, false); v != "" {
		b.MsgID = v
	}
	if v := r.id(tx.Line, path+"/Refs/PmtInfId", t.Refs.PmtInfID, false); v != "" {
		b.PmtInfID = v
	}
	b.EndToEndID = r.id(tx.Line, path+"/Refs/EndToEndId", t.Refs.EndToEndID, false)
	if t.CdtDbtInd != "" {
		b.Credit = r.direction(tx.Line, path+"/CdtDbtInd", t.CdtDbtInd, false)
	}
	a, p := t.Amt, path+"/Amt"
	if a == nil {
		a, p = t.AmtDtls.TxAmt.Amt, path+"/AmtDtls/TxAmt/Amt"
	}
	if a == nil {
		a, p = t.AmtDtls.InstdAmt.Amt, path+"/AmtDtls/InstdAmt/Amt"
	}
	switch {
	case a != nil:
		b.Amount, b.Currency, _ = r.money(tx.Line, p, a, true)
	case only:
		b.Amount, b.Currency = entryAmt, entryCcy
	default:
		r.failf(tx.Line, path+"/Amt", "missing: an entry of several transactions gives each its amount (Amt or AmtDtls/TxAmt/Amt)")
	}
	b.CreditorName = strings.TrimSpace(firstOf(t.RltdPties.Cdtr.Nm, t.RltdPties.Cdtr.Pty.Nm))
	b.CreditorAccount = r.account(tx.Line, path+"/RltdPties/CdtrAcct/Id", t.RltdPties.CdtrAcct)
}

// account reads a creditor account as a Norwegian BBAN: Othr/Id, or the
// BBAN inside an NO IBAN. Other IBANs are kept as they are.
func (r *reader) account(line int, path string, a accountRef) string {
	if iban := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(a.ID.IBAN), " ", "")); iban != "" {
		if len(iban) > 34 {
			r.failf(line, path+"/IBAN", "%q is longer than an IBAN (34 characters)", clip(iban))
			return ""
		}
		if len(iban) == 15 && strings.HasPrefix(iban, "NO") {
			return iban[4:]
		}
		return iban
	}
	v := payout.NormalizeAccount(a.ID.Othr.ID)
	if len(v) > 34 {
		r.failf(line, path+"/Othr/Id", "%q is longer than an account number (34 characters)", clip(v))
		return ""
	}
	return v
}

func (r *reader) entryStatus(line int, path string, s entryStatus) string {
	v := strings.TrimSpace(s.Cd)
	if v == "" {
		v = strings.TrimSpace(s.Text)
	}
	switch v {
	case "BOOK", "PDNG", "INFO":
		return v
	case "":
		r.failf(line, path, "missing: an entry says whether it is booked (BOOK)")
	default:
		r.failf(line, path, "%q is not an entry status (BOOK, PDNG or INFO)", clip(v))
	}
	return v
}

// direction reads CdtDbtInd: true for CRDT.
func (r *reader) direction(line int, path, v string, required bool) bool {
	switch v = strings.TrimSpace(v); v {
	case "CRDT":
		return true
	case "DBIT":
		return false
	case "":
		if required {
			r.failf(line, path, "missing: DBIT for a payment, CRDT for money back")
		}
	default:
		r.failf(line, path, "%q is neither DBIT nor CRDT", clip(v))
	}
	return false
}

func firstOf(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
