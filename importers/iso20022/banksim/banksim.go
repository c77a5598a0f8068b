// Package banksim is a bank, as far as the tests of the bank round trip
// need one: it reads one of payout's released pain.001 files and answers
// it the way Norwegian banks write pain.002 status reports and camt.054
// debit notifications (indented, with the elements payout ignores too).
// It is test support, not production code.
package banksim

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/bank"
)

// Tx is one transaction of the file.
type Tx struct {
	E2E    string `xml:"PmtId>EndToEndId"`
	Amount string `xml:"Amt>InstdAmt"`
	Name   string `xml:"Cdtr>Nm"`
	Acct   string `xml:"CdtrAcct>Id>Othr>Id"`
}

// Block is one payment block of the file.
type Block struct {
	ID   string `xml:"PmtInfId"`
	Date string `xml:"ReqdExctnDt"`
	Sum  string `xml:"CtrlSum"`
	Txs  []Tx   `xml:"CdtTrfTxInf"`
}

// File is a payment file as the bank reads it.
type File struct {
	MsgID   string  `xml:"CstmrCdtTrfInitn>GrpHdr>MsgId"`
	NbOfTxs string  `xml:"CstmrCdtTrfInitn>GrpHdr>NbOfTxs"`
	CtrlSum string  `xml:"CstmrCdtTrfInitn>GrpHdr>CtrlSum"`
	Blocks  []Block `xml:"CstmrCdtTrfInitn>PmtInf"`
}

// Read reads a released pain.001.
func Read(data []byte) (*File, error) {
	var f File
	if err := xml.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if len(f.Blocks) == 0 {
		return nil, fmt.Errorf("banksim: no payment block")
	}
	return &f, nil
}

// LedgerFile is the released file as package bank knows it.
func (f *File) LedgerFile(p payout.Period) bank.File {
	out := bank.File{MsgID: f.MsgID, Period: p, CtrlSum: decimal.RequireFromString(f.CtrlSum)}
	for _, b := range f.Blocks {
		out.ExecutionDate = payout.MustDate(b.Date)
		for _, tx := range b.Txs {
			out.Payments = append(out.Payments, bank.Payment{PmtInfID: b.ID, EndToEndID: tx.E2E, Name: tx.Name,
				Account: tx.Acct, Amount: decimal.RequireFromString(tx.Amount), Currency: "NOK"})
		}
	}
	return out
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// Rejection is one transaction a bank rejects, with its reason.
type Rejection struct {
	Code, Info string
}

// Pain002 writes a status report. group and block are the group's and the
// block's status ("" leaves it out); txs are the transactions reported one
// by one (by index in the file's only block).
func (f *File) Pain002(version, msgID, created, group, groupReason, block string, txs map[int]Rejection, withRef bool) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:%s\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <CstmrPmtStsRpt>\n", version)
	fmt.Fprintf(&b, "    <GrpHdr>\n      <MsgId>%s</MsgId>\n      <CreDtTm>%s</CreDtTm>\n      <InitgPty>\n        <Id>\n          <OrgId>\n            <BICOrBEI>DNBANOKK</BICOrBEI>\n          </OrgId>\n        </Id>\n      </InitgPty>\n    </GrpHdr>\n", msgID, created)
	fmt.Fprintf(&b, "    <OrgnlGrpInfAndSts>\n      <OrgnlMsgId>%s</OrgnlMsgId>\n      <OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>\n      <OrgnlNbOfTxs>%s</OrgnlNbOfTxs>\n      <OrgnlCtrlSum>%s</OrgnlCtrlSum>\n", f.MsgID, f.NbOfTxs, f.CtrlSum)
	if group != "" {
		fmt.Fprintf(&b, "      <GrpSts>%s</GrpSts>\n", group)
	}
	if groupReason != "" {
		fmt.Fprintf(&b, "      <StsRsnInf>\n        <Rsn>\n          <Cd>%s</Cd>\n        </Rsn>\n        <AddtlInf>Filen er avvist</AddtlInf>\n      </StsRsnInf>\n", groupReason)
	}
	b.WriteString("    </OrgnlGrpInfAndSts>\n")
	if block != "" || len(txs) > 0 {
		blk := f.Blocks[0]
		fmt.Fprintf(&b, "    <OrgnlPmtInfAndSts>\n      <OrgnlPmtInfId>%s</OrgnlPmtInfId>\n", blk.ID)
		if block != "" {
			fmt.Fprintf(&b, "      <PmtInfSts>%s</PmtInfSts>\n", block)
		}
		for i, tx := range blk.Txs {
			rj, ok := txs[i]
			if !ok {
				continue
			}
			fmt.Fprintf(&b, "      <TxInfAndSts>\n        <StsId>%s-%d</StsId>\n        <OrgnlInstrId>%s</OrgnlInstrId>\n        <OrgnlEndToEndId>%s</OrgnlEndToEndId>\n        <TxSts>RJCT</TxSts>\n", msgID, i+1, tx.E2E, tx.E2E)
			fmt.Fprintf(&b, "        <StsRsnInf>\n          <Orgtr>\n            <Id>\n              <OrgId>\n                <BICOrBEI>DNBANOKK</BICOrBEI>\n              </OrgId>\n            </Id>\n          </Orgtr>\n          <Rsn>\n            <Cd>%s</Cd>\n          </Rsn>\n          <AddtlInf>%s</AddtlInf>\n        </StsRsnInf>\n", rj.Code, esc(rj.Info))
			if withRef {
				fmt.Fprintf(&b, "        <OrgnlTxRef>\n          <Amt>\n            <InstdAmt Ccy=\"NOK\">%s</InstdAmt>\n          </Amt>\n          <ReqdExctnDt>%s</ReqdExctnDt>\n          <Cdtr>\n            <Nm>%s</Nm>\n          </Cdtr>\n          <CdtrAcct>\n            <Id>\n              <Othr>\n                <Id>%s</Id>\n              </Othr>\n            </Id>\n          </CdtrAcct>\n        </OrgnlTxRef>\n", tx.Amount, blk.Date, esc(tx.Name), tx.Acct)
			}
			b.WriteString("      </TxInfAndSts>\n")
		}
		b.WriteString("    </OrgnlPmtInfAndSts>\n")
	}
	b.WriteString("  </CstmrPmtStsRpt>\n</Document>\n")
	return []byte(b.String())
}

// Camt054 writes a debit notification booking the file's only block as one
// batch entry with one TxDtls per booked transaction (all but skip); v08
// writes camt.054.001.08 (Sts/Cd, TxDtls/Amt, Cdtr/Pty, IBAN) and adds an
// entry of the account that is not payout's.
func (f *File) Camt054(v08 bool, msgID, created string, skip map[int]bool) []byte {
	blk := f.Blocks[0]
	sum := decimal.Zero
	n := 0
	for i, tx := range blk.Txs {
		if !skip[i] {
			sum = sum.Add(decimal.RequireFromString(tx.Amount))
			n++
		}
	}
	version, sts := "camt.054.001.02", "<Sts>BOOK</Sts>"
	if v08 {
		version, sts = "camt.054.001.08", "<Sts>\n          <Cd>BOOK</Cd>\n        </Sts>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:%s\">\n  <BkToCstmrDbtCdtNtfctn>\n", version)
	fmt.Fprintf(&b, "    <GrpHdr>\n      <MsgId>%s</MsgId>\n      <CreDtTm>%s</CreDtTm>\n    </GrpHdr>\n", msgID, created)
	fmt.Fprintf(&b, "    <Ntfctn>\n      <Id>%s-1</Id>\n      <CreDtTm>%s</CreDtTm>\n      <Acct>\n        <Id>\n          <Othr>\n            <Id>60110512344</Id>\n            <SchmeNm>\n              <Cd>BBAN</Cd>\n            </SchmeNm>\n          </Othr>\n        </Id>\n        <Ccy>NOK</Ccy>\n      </Acct>\n", msgID, created)
	fmt.Fprintf(&b, "      <Ntry>\n        <NtryRef>%s-E1</NtryRef>\n        <Amt Ccy=\"NOK\">%s</Amt>\n        <CdtDbtInd>DBIT</CdtDbtInd>\n        %s\n        <BookgDt>\n          <Dt>%s</Dt>\n        </BookgDt>\n        <ValDt>\n          <Dt>%s</Dt>\n        </ValDt>\n        <AcctSvcrRef>%s-A1</AcctSvcrRef>\n", msgID, sum.StringFixed(2), sts, blk.Date, blk.Date, msgID)
	b.WriteString("        <BkTxCd>\n          <Domn>\n            <Cd>PMNT</Cd>\n            <Fmly>\n              <Cd>ICDT</Cd>\n              <SubFmlyCd>DMCT</SubFmlyCd>\n            </Fmly>\n          </Domn>\n        </BkTxCd>\n")
	fmt.Fprintf(&b, "        <NtryDtls>\n          <Btch>\n            <MsgId>%s</MsgId>\n            <PmtInfId>%s</PmtInfId>\n            <NbOfTxs>%d</NbOfTxs>\n          </Btch>\n", f.MsgID, blk.ID, n)
	for i, tx := range blk.Txs {
		if skip[i] {
			continue
		}
		fmt.Fprintf(&b, "          <TxDtls>\n            <Refs>\n              <MsgId>%s</MsgId>\n              <AcctSvcrRef>%s-T%d</AcctSvcrRef>\n              <PmtInfId>%s</PmtInfId>\n              <InstrId>%s</InstrId>\n              <EndToEndId>%s</EndToEndId>\n            </Refs>\n", f.MsgID, msgID, i+1, blk.ID, tx.E2E, tx.E2E)
		if v08 {
			fmt.Fprintf(&b, "            <Amt Ccy=\"NOK\">%s</Amt>\n            <CdtDbtInd>DBIT</CdtDbtInd>\n", tx.Amount)
			fmt.Fprintf(&b, "            <RltdPties>\n              <Cdtr>\n                <Pty>\n                  <Nm>%s</Nm>\n                </Pty>\n              </Cdtr>\n              <CdtrAcct>\n                <Id>\n                  <IBAN>%s</IBAN>\n                </Id>\n              </CdtrAcct>\n            </RltdPties>\n", esc(tx.Name), iban(tx.Acct))
		} else {
			fmt.Fprintf(&b, "            <AmtDtls>\n              <TxAmt>\n                <Amt Ccy=\"NOK\">%s</Amt>\n              </TxAmt>\n            </AmtDtls>\n", tx.Amount)
			fmt.Fprintf(&b, "            <RltdPties>\n              <Cdtr>\n                <Nm>%s</Nm>\n              </Cdtr>\n              <CdtrAcct>\n                <Id>\n                  <Othr>\n                    <Id>%s</Id>\n                    <SchmeNm>\n                      <Cd>BBAN</Cd>\n                    </SchmeNm>\n                  </Othr>\n                </Id>\n              </CdtrAcct>\n            </RltdPties>\n", esc(tx.Name), tx.Acct)
		}
		b.WriteString("          </TxDtls>\n")
	}
	b.WriteString("        </NtryDtls>\n      </Ntry>\n")
	if v08 {
		fmt.Fprintf(&b, "      <Ntry>\n        <NtryRef>%s-E2</NtryRef>\n        <Amt Ccy=\"NOK\">1875.00</Amt>\n        <CdtDbtInd>DBIT</CdtDbtInd>\n        %s\n        <BookgDt>\n          <Dt>%s</Dt>\n        </BookgDt>\n        <AcctSvcrRef>%s-A2</AcctSvcrRef>\n        <AddtlNtryInf>Fakturabetaling Hafslund Strøm</AddtlNtryInf>\n      </Ntry>\n", msgID, sts, blk.Date, msgID)
	}
	b.WriteString("    </Ntfctn>\n  </BkToCstmrDbtCdtNtfctn>\n</Document>\n")
	return []byte(b.String())
}

// iban is the NO IBAN of a BBAN (ISO 13616 MOD 97-10).
func iban(bban string) string {
	s := bban + "2324" + "00" // N=23, O=24
	rem := 0
	for _, c := range s {
		rem = (rem*10 + int(c-'0')) % 97
	}
	return fmt.Sprintf("NO%02d%s", 98-rem, bban)
}
