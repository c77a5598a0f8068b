package iso20022

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

const ns03 = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">`

func status(body string) string {
	return ns03 + `<CstmrPmtStsRpt><GrpHdr><MsgId>S1</MsgId><CreDtTm>2022-12-28T06:00:00</CreDtTm></GrpHdr>` + body + `</CstmrPmtStsRpt></Document>`
}

func TestReadRefuses(t *testing.T) {
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` + ns03 + `&lol2;</Document>`
	tests := []struct {
		name, data string
		want       []string
	}{
		{"empty", "", []string{"r.xml: holds no XML element: is it empty?"}},
		{"not XML", "MsgId;Status\n1;RJCT\n", []string{"r.xml:1: holds text before the first element: not an XML document"}},
		{"entity expansion", laughs, []string{"r.xml:1: holds a DOCTYPE or other declaration, which a bank report never has; it is refused (it could declare entities)"}},
		{"an unknown entity", ns03 + `&x;</Document>`, []string{"r.xml:1: not well-formed XML: invalid character entity &x;"}},
		{"a payment file", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>`,
			[]string{`r.xml:1 (Document): the root element is Document in namespace "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03": payout reads pain.002.001.03/.001.10 and camt.054.001.02/.001.08 (Document in their ISO 20022 namespace)`}},
		{"no namespace", `<Document><CstmrPmtStsRpt/></Document>`, []string{`r.xml:1 (Document): the root element is Document in namespace "": payout reads pain.002.001.03/.001.10 and camt.054.001.02/.001.08 (Document in their ISO 20022 namespace)`}},
		{"another encoding", `<?xml version="1.0" encoding="ISO-8859-1"?>` + status(""), []string{`r.xml:1: not readable as XML: encoding "ISO-8859-1" declared but Decoder.CharsetReader is nil`}},
		{"truncated", status("")[:80], []string{"r.xml:1: not well-formed XML: unexpected EOF"}},
		{"two documents", status(`<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><GrpSts>ACTC</GrpSts></OrgnlGrpInfAndSts>`) + ns03 + `</Document>`,
			[]string{"r.xml:1: a second element Document after the Document: one message per file"}},
		{"no original group", status(""), []string{"r.xml (CstmrPmtStsRpt/OrgnlGrpInfAndSts): missing: a status report names the payment file it answers"}},
		{"no status at all", status(`<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId></OrgnlGrpInfAndSts>`),
			[]string{"r.xml:1 (CstmrPmtStsRpt/OrgnlGrpInfAndSts): holds no status: no GrpSts, PmtInfSts or TxSts"}},
		{"bad codes, amounts and ids", status(`<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><OrgnlMsgNmId>pacs.008</OrgnlMsgNmId><OrgnlCtrlSum>1,5</OrgnlCtrlSum><GrpSts>rejected</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>B1</OrgnlPmtInfId>
<TxInfAndSts><OrgnlEndToEndId>` + strings.Repeat("E", 36) + `</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AC0</Cd></Rsn></StsRsnInf><OrgnlTxRef><Amt><InstdAmt Ccy="nok">-5.001</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>
<TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId></TxInfAndSts></OrgnlPmtInfAndSts>`), []string{
			`r.xml:1 (CstmrPmtStsRpt/OrgnlGrpInfAndSts/GrpSts): "rejected" is not a four-character ISO code`,
			`r.xml:1 (CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlCtrlSum): "1,5" is not an amount (digits with at most two decimals)`,
			`r.xml:1 (CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlMsgNmId): "pacs.008": payout's files are pain.001 credit transfers`,
			`r.xml:3 (CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/OrgnlEndToEndId): "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE" is longer than 35 characters (Max35Text)`,
			`r.xml:3 (CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/OrgnlTxRef/Amt/InstdAmt): "-5.001" is not an amount (digits with at most two decimals)`,
			`r.xml:3 (CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/OrgnlTxRef/Amt/InstdAmt@Ccy): "nok" is not a currency code (three capital letters, NOK)`,
			`r.xml:3 (CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/StsRsnInf[1]/Rsn/Cd): "AC0" is not a four-character ISO code`,
			`r.xml:4 (CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/TxSts): missing: a transaction's status says what happened to it`,
		}},
		{"a status given twice", status(`<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>B1</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>
<TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>RJCT</TxSts>
<TxSts>ACSC</TxSts></TxInfAndSts></OrgnlPmtInfAndSts>`), []string{
			`r.xml:4 (CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/TxSts): TxSts is given twice in TxInfAndSts; the message allows one, and payout would not know which the bank meant`}},
		{"a group given twice", status(`<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><GrpSts>RJCT</GrpSts></OrgnlGrpInfAndSts>
<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><GrpSts>ACCP</GrpSts></OrgnlGrpInfAndSts>`), []string{
			`r.xml:2 (CstmrPmtStsRpt/OrgnlGrpInfAndSts): OrgnlGrpInfAndSts is given twice in CstmrPmtStsRpt; the message allows one, and payout would not know which the bank meant`}},
		{"an end-to-end id given twice", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>N1</MsgId></GrpHdr><Ntfctn><Id>1</Id>
<Ntry><Amt Ccy="NOK">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><NtryDtls><TxDtls><Refs><EndToEndId>E1</EndToEndId>
<EndToEndId>E2</EndToEndId></Refs></TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`, []string{
			`r.xml:3 (BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls[1]/TxDtls[1]/Refs/EndToEndId): EndToEndId is given twice in Refs; the message allows one, and payout would not know which the bank meant`}},
		{"camt.054 entry problems", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>N1</MsgId></GrpHdr><Ntfctn>
<Ntry><Amt>10.00</Amt><CdtDbtInd>DEBIT</CdtDbtInd><Sts><Cd>BOOKED</Cd></Sts><BookgDt><Dt>28.12.2022</Dt></BookgDt>
<NtryDtls><TxDtls><Refs><EndToEndId>E1</EndToEndId></Refs></TxDtls><TxDtls><Refs><EndToEndId>E2</EndToEndId></Refs><RltdPties><CdtrAcct><Id><IBAN>NO93860111179470000000000000000000000</IBAN></Id></CdtrAcct></RltdPties></TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`, []string{
			`r.xml:2 (BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Amt@Ccy): "" is not a currency code (three capital letters, NOK)`,
			`r.xml:2 (BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/BookgDt): "28.12.2022" is not a date (YYYY-MM-DD)`,
			`r.xml:2 (BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/CdtDbtInd): "DEBIT" is neither DBIT nor CRDT`,
			`r.xml:2 (BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Sts): "BOOKED" is not an entry status (BOOK, PDNG or INFO)`,
			`r.xml:3 (BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls/TxDtls[1]/Amt): missing: an entry of several transactions gives each its amount (Amt or AmtDtls/TxAmt/Amt)`,
			`r.xml:3 (BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls/TxDtls[2]/Amt): missing: an entry of several transactions gives each its amount (Amt or AmtDtls/TxAmt/Amt)`,
			`r.xml:3 (BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls/TxDtls[2]/RltdPties/CdtrAcct/Id/IBAN): "NO93860111179470000000000000000000000" is longer than an IBAN (34 characters)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Read("some/where/r.xml", []byte(tt.data))
			assert.Nil(t, rep)
			require.Error(t, err)
			assert.Equal(t, strings.Join(tt.want, "\n"), err.Error())
			assert.True(t, errors.Is(err, payout.ErrInvalidInput))
		})
	}
}

// A file with very many problems lists MaxProblems and counts the rest.
func TestReadBoundsProblems(t *testing.T) {
	var txs strings.Builder
	for i := range 80 {
		fmt.Fprintf(&txs, "<TxInfAndSts><OrgnlEndToEndId>E%d</OrgnlEndToEndId><TxSts>X</TxSts></TxInfAndSts>\n", i)
	}
	data := status(`<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId></OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>B</OrgnlPmtInfId>` + txs.String() + `</OrgnlPmtInfAndSts>`)
	_, err := Read("r.xml", []byte(data))
	var list payout.ErrorList
	require.True(t, errors.As(err, &list))
	require.Len(t, list, MaxProblems+1)
	assert.Equal(t, "r.xml: and 30 more problems", list[MaxProblems].Error())

	_, err = Read("big.xml", make([]byte, MaxSize+1))
	assert.EqualError(t, err, "big.xml: is 33554433 bytes; a bank report of payout's files is at most 32 MB: is this the right file?")
}

// The file name never decides: a status report named .txt reads, a
// payment file named pain002.xml does not.
func TestReadByNamespace(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata/corpus", "pain002-03-group-accepted.xml"))
	require.NoError(t, err)
	rep, err := Read("status.txt", data)
	require.NoError(t, err)
	assert.Equal(t, "pain.002.001.03", rep.Version)
	data, err = os.ReadFile(releasedXML)
	require.NoError(t, err)
	_, err = Read("pain002.xml", data)
	assert.ErrorContains(t, err, `pain002.xml:2 (Document): the root element is Document in namespace "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"`)

	status, err := os.ReadFile(filepath.Join("testdata/corpus", "pain002-03-group-accepted.xml"))
	require.NoError(t, err)
	_, err = ReadPaymentFile("payments.xml", status)
	assert.EqualError(t, err, `payments.xml:2 (Document): not a pain.001.001.03 payment file (namespace "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03")`)
}

// Only what payout reads as one value must stand once: its lists, and
// elements it does not read, may repeat (the schema's own business).
func TestReadAllowsRepeatsItDoesNotRead(t *testing.T) {
	rep, err := Read("r.xml", []byte(status(`<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>B1</OrgnlPmtInfId><TxInfAndSts><StsId>1</StsId><StsId>2</StsId><OrgnlEndToEndId>E1</OrgnlEndToEndId><TxSts>RJCT</TxSts>
<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>a</AddtlInf><AddtlInf>b</AddtlInf></StsRsnInf><StsRsnInf><Rsn><Cd>AC06</Cd></Rsn></StsRsnInf></TxInfAndSts>
<TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts></OrgnlPmtInfAndSts>`)))
	require.NoError(t, err)
	require.Len(t, rep.Statuses, 3)
}
