package pain001

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/fixtures/sharedtest"
	"github.com/oslokommune/payout/payout"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var created = time.Date(2022, 9, 22, 10, 15, 0, 0, time.UTC)

// testDebtor is the policy's debtor with an account that passes MOD11.
var testDebtor = payout.Debtor{Name: "Oslo kommune", Account: "60110512344", OrgNr: "958935420", BIC: "DNBANOKKXXX"}

// sample is a hand-built result of three payments, one holder line each;
// it passes the engine's controls and carries the engine's end-to-end IDs
// (TestSamplePassesEngineControls).
func sample() *payout.Result {
	p := payout.MustPeriod("2022-09")
	pays := []payout.Payment{
		{PayeeID: "P1", Name: "Lege Åse Ødegård", Account: "12000554330", Amount: decimal.RequireFromString("84083.35"),
			Remittance: "Basistilskudd 2022-09 Oslo kommune"},
		{PayeeID: "P2", Name: "Legesenteret Majorstua AS & Co", Account: "12000554330", OrgNr: "958935420",
			Amount: decimal.RequireFromString("1234.50"), Remittance: "Basistilskudd 2022-09 Oslo kommune"},
		{PayeeID: "P3", Name: strings.Repeat("Fysioterapeut ", 8), Account: "12000554330",
			Amount: decimal.RequireFromString("0.01"), Remittance: "Driftstilskudd 2022-09 Oslo kommune"},
		{PayeeID: "P4", Name: "Máret Čoavddát – “Legekontor” Đ", Account: "12000554330",
			Address: payout.Address{Street: "Čuđetgeaidnu 1", PostCode: "9730", Town: "Kárášjohka", Country: "NO"},
			Amount:  decimal.RequireFromString("100.00"), Remittance: "Basistilskudd 2022-09–11\u00a0spes.\u200b P4"},
	}
	total := decimal.Zero
	var lines []payout.Line
	for i := range pays {
		x := &pays[i]
		x.EndToEndID = payout.EndToEndID(p, x.PayeeID)
		lines = append(lines, payout.Line{Period: p, AgreementID: "A" + x.PayeeID[1:], Bydel: "01", Role: payout.RoleHolder,
			PayeeID: x.PayeeID, Base: x.Amount, Entitlement: x.Amount, Net: x.Amount})
		total = total.Add(x.Amount)
	}
	res := &payout.Result{Period: p, PayDate: payout.PayDate(p), Lines: lines, Payments: pays, Total: total, Policy: payout.DefaultPolicy()}
	res.Controls = payout.EvaluateControls(res)
	return res
}

func TestSamplePassesEngineControls(t *testing.T) {
	require.NoError(t, payout.CheckInvariants(sample()))
}

func TestBuildGolden(t *testing.T) {
	got, err := Build(sample(), testDebtor, MessageID(payout.MustPeriod("2022-09")), created)
	require.NoError(t, err)
	golden := filepath.Join("testdata", "payments.xml")
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))

	again, err := Build(sample(), testDebtor, MessageID(payout.MustPeriod("2022-09")), created)
	require.NoError(t, err)
	assert.Equal(t, got, again, "deterministic")
}

// The control figures as a bank reads them back.
func TestBuildControlSums(t *testing.T) {
	res := sample()
	res.Payments[0].Account = "1200.05.54330" // as staff write it; the BBAN carries digits only
	got, err := Build(res, testDebtor, "M1", created)
	require.NoError(t, err)
	var doc struct {
		NbOfTxs string   `xml:"CstmrCdtTrfInitn>GrpHdr>NbOfTxs"`
		CtrlSum string   `xml:"CstmrCdtTrfInitn>GrpHdr>CtrlSum"`
		Blocks  []string `xml:"CstmrCdtTrfInitn>PmtInf>ReqdExctnDt"`
		PICtrl  string   `xml:"CstmrCdtTrfInitn>PmtInf>CtrlSum"`
		Amounts []string `xml:"CstmrCdtTrfInitn>PmtInf>CdtTrfTxInf>Amt>InstdAmt"`
		E2E     []string `xml:"CstmrCdtTrfInitn>PmtInf>CdtTrfTxInf>PmtId>EndToEndId"`
		Names   []string `xml:"CstmrCdtTrfInitn>PmtInf>CdtTrfTxInf>Cdtr>Nm"`
		Accts   []string `xml:"CstmrCdtTrfInitn>PmtInf>CdtTrfTxInf>CdtrAcct>Id>Othr>Id"`
	}
	require.NoError(t, xml.Unmarshal(got, &doc))
	assert.Equal(t, "4", doc.NbOfTxs)
	assert.Equal(t, "85417.86", doc.CtrlSum)
	assert.Equal(t, doc.CtrlSum, doc.PICtrl)
	assert.Equal(t, []string{"2022-09-28"}, doc.Blocks)
	assert.Equal(t, []string{"84083.35", "1234.50", "0.01", "100.00"}, doc.Amounts)
	assert.Equal(t, []string{"BT202209-P1", "BT202209-P2", "BT202209-P3", "BT202209-P4"}, doc.E2E)
	assert.Equal(t, "12000554330", doc.Accts[0], "BBAN without dots")
	assert.Equal(t, "Legesenteret Majorstua AS & Co", doc.Names[1])
	assert.Len(t, []rune(doc.Names[2]), 69, "cut to 70 characters, trailing space trimmed")
}

// Texts in the banks' character set (issue 13): the payee's name, the
// remittance text and the address are transliterated (the run warns of each
// change, W-BANK-TEXT); the category purpose is the policy's.
func TestBuildBankTexts(t *testing.T) {
	got, err := Build(sample(), testDebtor, "M1", created)
	require.NoError(t, err)
	var doc struct {
		Purpose []string `xml:"CstmrCdtTrfInitn>PmtInf>PmtTpInf>CtgyPurp>Cd"`
		Tx      []struct {
			Name   string `xml:"Cdtr>Nm"`
			Street string `xml:"Cdtr>PstlAdr>StrtNm"`
			Code   string `xml:"Cdtr>PstlAdr>PstCd"`
			Town   string `xml:"Cdtr>PstlAdr>TwnNm"`
			Ctry   string `xml:"Cdtr>PstlAdr>Ctry"`
			Ustrd  string `xml:"RmtInf>Ustrd"`
		} `xml:"CstmrCdtTrfInitn>PmtInf>CdtTrfTxInf"`
	}
	require.NoError(t, xml.Unmarshal(got, &doc))
	assert.Equal(t, []string{"SUPP"}, doc.Purpose)
	tx := doc.Tx[3]
	assert.Equal(t, `Máret Coavddát - "Legekontor" D`, tx.Name)
	assert.Equal(t, []string{"Cudetgeaidnu 1", "9730", "Kárášjohka", "NO"}, []string{tx.Street, tx.Code, tx.Town, tx.Ctry})
	assert.Equal(t, "Basistilskudd 2022-09-11 spes. P4", tx.Ustrd)
	assert.Empty(t, doc.Tx[0].Town, "no address, no PstlAdr")

	res := sample()
	res.Policy.CategoryPurpose = ""
	got, err = Build(res, testDebtor, "M1", created)
	require.NoError(t, err)
	assert.NotContains(t, string(got), "CtgyPurp")
}

func TestBuildRefuses(t *testing.T) {
	debtor := testDebtor
	tests := []struct {
		name   string
		change func(*payout.Result, *payout.Debtor, *string)
		want   string
	}{
		{"no payments", func(r *payout.Result, _ *payout.Debtor, _ *string) { r.Payments = nil; r.Total = decimal.Zero }, "has no payments"},
		{"zero amount", func(r *payout.Result, _ *payout.Debtor, _ *string) { r.Payments[2].Amount = decimal.Zero }, "payee P3: amount 0.00 is not positive"},
		{"negative amount", func(r *payout.Result, _ *payout.Debtor, _ *string) {
			r.Payments[2].Amount = decimal.RequireFromString("-1")
		}, "not positive"},
		{"fraction of øre", func(r *payout.Result, _ *payout.Debtor, _ *string) {
			r.Payments[2].Amount = decimal.RequireFromString("0.015")
		}, "not whole øre"},
		{"bad account", func(r *payout.Result, _ *payout.Debtor, _ *string) { r.Payments[0].Account = "12000554331" }, "payee P1: account"},
		{"payee twice", func(r *payout.Result, _ *payout.Debtor, _ *string) { r.Payments[1].PayeeID = "P1" }, "more than one payment"},
		{"long end-to-end id", func(r *payout.Result, _ *payout.Debtor, _ *string) {
			r.Payments[0].EndToEndID = strings.Repeat("x", 36)
		}, "end-to-end id"},
		{"no remittance", func(r *payout.Result, _ *payout.Debtor, _ *string) { r.Payments[0].Remittance = " " }, "no remittance"},
		{"sum is not the total", func(r *payout.Result, _ *payout.Debtor, _ *string) { r.Total = r.Total.Add(decimal.New(1, -2)) }, "sum to 85417.86 but the run's total is 85417.87"},
		{"bad debtor account", func(_ *payout.Result, d *payout.Debtor, _ *string) { d.Account = "123" }, "debtor account"},
		{"bad debtor orgnr", func(_ *payout.Result, d *payout.Debtor, _ *string) { d.OrgNr = "958935421" }, "debtor organisation number"},
		{"no message id", func(_ *payout.Result, _ *payout.Debtor, m *string) { *m = "" }, "message id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, d, msg := sample(), debtor, "M1"
			tt.change(res, &d, &msg)
			_, err := Build(res, d, msg, created)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestBuildValidatesAgainstXSD checks the golden file and a generated file
// against the official schema with xmllint.
func TestBuildValidatesAgainstXSD(t *testing.T) {
	xsd := sharedtest.Dir(t, "iso20022", "pain.001.001.03.xsd")
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("SKIPPED: xmllint not installed (apt-get install libxml2-utils); payments.xml not validated against the XSD")
	}
	got, err := Build(sample(), testDebtor, MessageID(payout.MustPeriod("2022-09")), created)
	require.NoError(t, err)
	noBIC := testDebtor
	noBIC.BIC, noBIC.OrgNr = "", ""
	other, err := Build(sample(), noBIC, "M1", created)
	require.NoError(t, err)
	for name, data := range map[string][]byte{"payments.xml": got, "no-bic.xml": other} {
		path := filepath.Join(t.TempDir(), name)
		require.NoError(t, os.WriteFile(path, data, 0o600))
		var out bytes.Buffer
		cmd := exec.Command(lint, "--noout", "--schema", xsd, path)
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Run(), "xmllint: %s", out.String())
		assert.Contains(t, out.String(), "validates")
	}
}
