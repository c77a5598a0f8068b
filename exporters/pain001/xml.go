package pain001

import "encoding/xml"

// The elements of pain.001.001.03 that a Norwegian batch credit transfer
// uses, in the order the schema requires.

const namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

type document struct {
	XMLName xml.Name           `xml:"Document"`
	Xmlns   string             `xml:"xmlns,attr"`
	Init    customerCreditInit `xml:"CstmrCdtTrfInitn"`
}

type customerCreditInit struct {
	GrpHdr groupHeader  `xml:"GrpHdr"`
	PmtInf []paymentInf `xml:"PmtInf"`
}

type groupHeader struct {
	MsgID    string `xml:"MsgId"`
	CreDtTm  string `xml:"CreDtTm"`
	NbOfTxs  string `xml:"NbOfTxs"`
	CtrlSum  string `xml:"CtrlSum"`
	InitgPty party  `xml:"InitgPty"`
}

type paymentInf struct {
	PmtInfID    string        `xml:"PmtInfId"`
	PmtMtd      string        `xml:"PmtMtd"`
	BtchBookg   bool          `xml:"BtchBookg"`
	NbOfTxs     string        `xml:"NbOfTxs"`
	CtrlSum     string        `xml:"CtrlSum"`
	PmtTpInf    paymentType   `xml:"PmtTpInf"`
	ReqdExctnDt string        `xml:"ReqdExctnDt"`
	Dbtr        party         `xml:"Dbtr"`
	DbtrAcct    account       `xml:"DbtrAcct"`
	DbtrAgt     agent         `xml:"DbtrAgt"`
	ChrgBr      string        `xml:"ChrgBr"`
	CdtTrfTxInf []transaction `xml:"CdtTrfTxInf"`
}

type paymentType struct {
	SvcLvl   code  `xml:"SvcLvl"`
	CtgyPurp *code `xml:"CtgyPurp,omitempty"`
}

type code struct {
	Cd string `xml:"Cd"`
}

type party struct {
	Nm      string         `xml:"Nm,omitempty"`
	PstlAdr *postalAddress `xml:"PstlAdr,omitempty"`
	ID      *partyID       `xml:"Id,omitempty"`
}

// postalAddress is PostalAddress6, structured: street, postcode, town,
// country.
type postalAddress struct {
	StrtNm string `xml:"StrtNm,omitempty"`
	PstCd  string `xml:"PstCd,omitempty"`
	TwnNm  string `xml:"TwnNm,omitempty"`
	Ctry   string `xml:"Ctry,omitempty"`
}

type partyID struct {
	OrgID orgID `xml:"OrgId"`
}

type orgID struct {
	Othr genericID `xml:"Othr"`
}

type genericID struct {
	ID      string `xml:"Id"`
	SchmeNm code   `xml:"SchmeNm"`
}

type account struct {
	ID  accountID `xml:"Id"`
	Ccy string    `xml:"Ccy,omitempty"`
}

type accountID struct {
	Othr genericID `xml:"Othr"`
}

type agent struct {
	FinInstnID finInstn `xml:"FinInstnId"`
}

type finInstn struct {
	BIC  string       `xml:"BIC,omitempty"`
	Othr *finInstnOth `xml:"Othr,omitempty"`
}

type finInstnOth struct {
	ID string `xml:"Id"`
}

type transaction struct {
	PmtID    paymentID  `xml:"PmtId"`
	Amt      amount     `xml:"Amt"`
	Cdtr     party      `xml:"Cdtr"`
	CdtrAcct account    `xml:"CdtrAcct"`
	RmtInf   remittance `xml:"RmtInf"`
}

type paymentID struct {
	InstrID    string `xml:"InstrId"`
	EndToEndID string `xml:"EndToEndId"`
}

type amount struct {
	InstdAmt instructed `xml:"InstdAmt"`
}

type instructed struct {
	Ccy   string `xml:"Ccy,attr"`
	Value string `xml:",chardata"`
}

type remittance struct {
	Ustrd string `xml:"Ustrd"`
}
