package iso20022

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/bank"
)

const pain001NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

type paymentDoc struct {
	Init struct {
		GrpHdr struct {
			MsgID   string `xml:"MsgId"`
			CtrlSum string `xml:"CtrlSum"`
		} `xml:"GrpHdr"`
		PmtInf []struct {
			PmtInfID    string `xml:"PmtInfId"`
			ReqdExctnDt string `xml:"ReqdExctnDt"`
			Txs         []struct {
				E2E    string `xml:"PmtId>EndToEndId"`
				Amount amount `xml:"Amt>InstdAmt"`
				Name   string `xml:"Cdtr>Nm"`
				Acct   string `xml:"CdtrAcct>Id>Othr>Id"`
			} `xml:"CdtTrfTxInf"`
		} `xml:"PmtInf"`
	} `xml:"CstmrCdtTrfInitn"`
}

// ReadPaymentFile reads a payment file payout released (pain.001.001.03)
// back as the bank sees it: what the ledger matches the bank's reports
// against is the bytes that left, not a recomputation. The period, the
// supplement number, the payees and the originals are the caller's to set.
func ReadPaymentFile(name string, data []byte) (*bank.File, error) {
	file := filepath.Base(name)
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	start, at, err := root(dec)
	if err != nil {
		return nil, fail(file, at, "", err.Error())
	}
	if start.Name.Space != pain001NS || start.Name.Local != "Document" {
		return nil, fail(file, line(dec), start.Name.Local, fmt.Sprintf("not a pain.001.001.03 payment file (namespace %q)", start.Name.Space))
	}
	var doc paymentDoc
	if err := decode(dec, &doc, &start); err != nil {
		return nil, fail(file, line(dec), "", err.Error())
	}
	r := &reader{file: file}
	f := &bank.File{MsgID: r.id(0, "CstmrCdtTrfInitn/GrpHdr/MsgId", doc.Init.GrpHdr.MsgID, true)}
	f.CtrlSum, _ = r.decimal(0, "CstmrCdtTrfInitn/GrpHdr/CtrlSum", doc.Init.GrpHdr.CtrlSum)
	for i, b := range doc.Init.PmtInf {
		path := fmt.Sprintf("CstmrCdtTrfInitn/PmtInf[%d]", i+1)
		f.ExecutionDate = r.date(0, path+"/ReqdExctnDt", dateChoice{Dt: b.ReqdExctnDt})
		for j, tx := range b.Txs {
			tp := fmt.Sprintf("%s/CdtTrfTxInf[%d]", path, j+1)
			amt, ccy, _ := r.money(0, tp+"/Amt/InstdAmt", &tx.Amount, true)
			f.Payments = append(f.Payments, bank.Payment{PmtInfID: strings.TrimSpace(b.PmtInfID), EndToEndID: r.id(0, tp+"/PmtId/EndToEndId", tx.E2E, true),
				Name: strings.TrimSpace(tx.Name), Account: payout.NormalizeAccount(tx.Acct), Amount: amt, Currency: ccy})
		}
	}
	if err := r.errs.Err(); err != nil {
		return nil, r.bounded()
	}
	return f, nil
}
