package iso20022

import "encoding/xml"

// The elements payout reads, by name only: the four versions use the same
// names for them (where they differ, both are here), so one set of types
// reads every version; the namespace was checked on the Document.

// at is an element that remembers the line it started on, for errors.
type at[T any] struct {
	Line int
	V    T
}

func (a *at[T]) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	a.Line, _ = d.InputPos()
	return d.DecodeElement(&a.V, &start)
}

type amount struct {
	Ccy   string `xml:"Ccy,attr"`
	Value string `xml:",chardata"`
}

type reasonInfo struct {
	Rsn struct {
		Cd    string `xml:"Cd"`
		Prtry string `xml:"Prtry"`
	} `xml:"Rsn"`
	AddtlInf []string `xml:"AddtlInf"`
}

// pain.002: CstmrPmtStsRpt.
type statusDoc struct {
	Rpt struct {
		GrpHdr struct {
			MsgID   string `xml:"MsgId"`
			CreDtTm string `xml:"CreDtTm"`
		} `xml:"GrpHdr"`
		Group  *at[groupStatus]  `xml:"OrgnlGrpInfAndSts"`
		Blocks []at[blockStatus] `xml:"OrgnlPmtInfAndSts"`
	} `xml:"CstmrPmtStsRpt"`
}

type groupStatus struct {
	OrgnlMsgID   string       `xml:"OrgnlMsgId"`
	OrgnlMsgNmID string       `xml:"OrgnlMsgNmId"`
	OrgnlNbOfTxs string       `xml:"OrgnlNbOfTxs"`
	OrgnlCtrlSum string       `xml:"OrgnlCtrlSum"`
	GrpSts       string       `xml:"GrpSts"`
	StsRsnInf    []reasonInfo `xml:"StsRsnInf"`
}

type blockStatus struct {
	OrgnlPmtInfID string         `xml:"OrgnlPmtInfId"`
	PmtInfSts     string         `xml:"PmtInfSts"`
	StsRsnInf     []reasonInfo   `xml:"StsRsnInf"`
	Txs           []at[txStatus] `xml:"TxInfAndSts"`
}

type txStatus struct {
	OrgnlInstrID    string       `xml:"OrgnlInstrId"`
	OrgnlEndToEndID string       `xml:"OrgnlEndToEndId"`
	TxSts           string       `xml:"TxSts"`
	StsRsnInf       []reasonInfo `xml:"StsRsnInf"`
	AccptncDtTm     string       `xml:"AccptncDtTm"`
	OrgnlTxRef      struct {
		Amt struct {
			InstdAmt *amount `xml:"InstdAmt"`
		} `xml:"Amt"`
	} `xml:"OrgnlTxRef"`
}

// camt.054: BkToCstmrDbtCdtNtfctn.
type notificationDoc struct {
	Ntf struct {
		GrpHdr struct {
			MsgID   string `xml:"MsgId"`
			CreDtTm string `xml:"CreDtTm"`
		} `xml:"GrpHdr"`
		Ntfctn []at[notif] `xml:"Ntfctn"`
	} `xml:"BkToCstmrDbtCdtNtfctn"`
}

type notif struct {
	ID   string      `xml:"Id"`
	Ntry []at[entry] `xml:"Ntry"`
}

// entryStatus is <Sts>BOOK</Sts> (001.02) or <Sts><Cd>BOOK</Cd></Sts>
// (001.08).
type entryStatus struct {
	Text string `xml:",chardata"`
	Cd   string `xml:"Cd"`
}

type dateChoice struct {
	Dt   string `xml:"Dt"`
	DtTm string `xml:"DtTm"`
}

type entry struct {
	NtryRef     string      `xml:"NtryRef"`
	Amt         *amount     `xml:"Amt"`
	CdtDbtInd   string      `xml:"CdtDbtInd"`
	Sts         entryStatus `xml:"Sts"`
	BookgDt     dateChoice  `xml:"BookgDt"`
	ValDt       dateChoice  `xml:"ValDt"`
	AcctSvcrRef string      `xml:"AcctSvcrRef"`
	NtryDtls    []struct {
		Btch *struct {
			MsgID    string `xml:"MsgId"`
			PmtInfID string `xml:"PmtInfId"`
			NbOfTxs  string `xml:"NbOfTxs"`
		} `xml:"Btch"`
		TxDtls []at[txDetails] `xml:"TxDtls"`
	} `xml:"NtryDtls"`
}

type accountRef struct {
	ID struct {
		IBAN string `xml:"IBAN"`
		Othr struct {
			ID string `xml:"Id"`
		} `xml:"Othr"`
	} `xml:"Id"`
}

type txDetails struct {
	Refs struct {
		MsgID       string `xml:"MsgId"`
		AcctSvcrRef string `xml:"AcctSvcrRef"`
		PmtInfID    string `xml:"PmtInfId"`
		InstrID     string `xml:"InstrId"`
		EndToEndID  string `xml:"EndToEndId"`
	} `xml:"Refs"`
	Amt       *amount `xml:"Amt"`       // 001.08
	CdtDbtInd string  `xml:"CdtDbtInd"` // 001.08
	AmtDtls   struct {
		InstdAmt struct {
			Amt *amount `xml:"Amt"`
		} `xml:"InstdAmt"`
		TxAmt struct {
			Amt *amount `xml:"Amt"`
		} `xml:"TxAmt"`
	} `xml:"AmtDtls"`
	RltdPties struct {
		Cdtr struct {
			Nm  string `xml:"Nm"`
			Pty struct {
				Nm string `xml:"Nm"`
			} `xml:"Pty"` // 001.08: Party40Choice
		} `xml:"Cdtr"`
		CdtrAcct accountRef `xml:"CdtrAcct"`
	} `xml:"RltdPties"`
}
