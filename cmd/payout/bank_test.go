package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/importers/iso20022/banksim"
)

// bankWorld is a store holding the bank corpus's release fixture (eight
// payees) with 2022-12 released, and the bank that answers it.
func bankWorld(t *testing.T) (*lcWorld, *banksim.File) {
	w := newLCWorld(t).at("2022-12-20T09:00:00Z")
	src := filepath.Join("..", "..", "importers", "iso20022", "testdata", "release")
	for _, name := range []string{"agreements.csv", "payees.csv", "list_counts.csv", "rates.csv"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		require.NoError(t, err)
		w.file(filepath.Join("fixtures", name), string(data))
	}
	w.file(filepath.Join("fixtures", "policy.json"), lcPolicy)
	w.ok("import", filepath.Join(w.dir, "fixtures"))
	w.approve("2022-12")
	w.release("2022-12")
	f, err := banksim.Read([]byte(w.read("2022-12/payments.xml")))
	require.NoError(t, err)
	return w, f
}

// The bank step of the routine on the command line: the status report
// with two rejections, status and due reporting them, the bookings, the
// reconciliation files, and every refusal storing nothing.
func TestBankImportLoop(t *testing.T) {
	w, f := bankWorld(t)
	rejected := map[int]banksim.Rejection{1: {Code: "AC04", Info: "Konto avsluttet"}, 4: {Code: "AC01", Info: "Ugyldig kontonummer"}}
	sts := w.file("bank/pain002.xml", string(f.Pain002("pain.002.001.10", "NDEA-STS-1", "2022-12-28T06:30:00+01:00", "PART", "", "PART", rejected, true)))
	w.at("2022-12-28T09:00:00Z")
	out := w.ok("bank", "import", "--out", w.out, sts)
	assert.Contains(t, out, "stored     "+sts)
	assert.Contains(t, out, "accepted        6")
	assert.Contains(t, out, "rejected  P02 Lege Eide AS 64 410,00 kr "+f.Blocks[0].Txs[1].E2E+": AC04 kontoen er avsluttet: Konto avsluttet")
	assert.Contains(t, out, "rejected  P05 Legesenter Sagene AS")
	assert.FileExists(t, filepath.Join(w.out, "2022-12", "bank", "reconciliation.csv"))
	assert.FileExists(t, filepath.Join(w.out, "2022-12", "bank", "bankavstemming.xlsx"))

	again := w.ok("bank", "import", sts)
	assert.Contains(t, again, "unchanged  "+sts, "re-import is a no-op")

	status := w.ok("status", "--period", "2022-12")
	assert.Contains(t, status, "bank 2022-12:")
	assert.Contains(t, status, "AC01 feil kontonummer: Ugyldig kontonummer")
	code, dueOut, dueErr := w.cmd("due")
	assert.Equal(t, 1, code, "open rejections: %s", dueOut)
	assert.Contains(t, dueErr, "(P02, 64 410,00 kr) was rejected by the bank (AC04 kontoen er avsluttet: Konto avsluttet) and is not paid again")

	// Refusals: a report of a message payout never sent; a booking at
	// another amount. Nothing is stored.
	other := bytes.ReplaceAll(f.Pain002("pain.002.001.03", "DNB-STS-9", "2022-12-28T07:00:00", "ACTC", "", "", nil, false),
		[]byte(f.MsgID), []byte("PAYOUT-OSLO-2099-01"))
	code, _, errs := w.cmd("bank", "import", w.file("bank/other.xml", string(other)))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, `other.xml:15 (CstmrPmtStsRpt/OrgnlGrpInfAndSts/GrpSts): OrgnlMsgId "PAYOUT-OSLO-2099-01" is not a payment file payout released`)
	camt := f.Camt054(false, "DNB-NTF-1", "2022-12-28T18:00:00", map[int]bool{1: true, 4: true})
	tx0 := f.Blocks[0].Txs[0].Amount
	wrong := bytes.Replace(camt, []byte("<Amt Ccy=\"NOK\">"+tx0+"</Amt>"), []byte("<Amt Ccy=\"NOK\">1.00</Amt>"), 1)
	code, _, errs = w.cmd("bank", "import", w.file("bank/wrong.xml", string(wrong)))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "booked amount 1.00 is not the released amount "+tx0)

	// The bookings: the period balances with the two rejections open.
	booked := w.file("bank/camt054.xml", string(camt))
	out = w.ok("bank", "import", "--out", w.out, booked)
	assert.Contains(t, out, "booked          6")
	assert.Contains(t, out, "reconciled: booked")
	csv, err := os.ReadFile(filepath.Join(w.out, "2022-12", "bank", "reconciliation.csv"))
	require.NoError(t, err)
	assert.Equal(t, 9, strings.Count(string(csv), "\n"), "header and eight payments")
	assert.Contains(t, string(csv), ",booked,")

	// A second notification booking the same payments: refused.
	dup := f.Camt054(true, "NDEA-NTF-2", "2022-12-29T18:00:00+01:00", map[int]bool{1: true, 4: true})
	code, _, errs = w.cmd("bank", "import", w.file("bank/dup.xml", string(dup)))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "is already booked by camt054.xml")
	check := w.ok("status", "--check")
	assert.NotContains(t, check, "bank report")
	code, _, _ = w.cmd("due")
	assert.Equal(t, 1, code, "the rejections are still open")

	// The next month's run reports them: never carried or dropped silently.
	w.file("fixtures2/list_counts.csv", "list_id,as_of,count\nL01,2023-01-01,1450\nL02,2023-01-01,1180\nL03,2023-01-01,990\nL04,2023-01-01,1390\nL05,2023-01-01,1100\nL06,2023-01-01,1020\nL07,2023-01-01,1250\n")
	w.ok("import", filepath.Join(w.dir, "fixtures2", "list_counts.csv"))
	w.at("2023-01-20T09:00:00Z")
	code, _, errs = w.cmd("run", "--period", "2023-01")
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "warning: 2022-12: "+f.Blocks[0].Txs[1].E2E+" (P02, 64 410,00 kr) was rejected by the bank (AC04")
}

func TestBankUsage(t *testing.T) {
	w := newLCWorld(t)
	code, _, errs := w.cmd("bank", "list")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "payout bank takes one action, import")
	code, _, errs = w.cmd("bank", "import")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "give the bank's files to import")
	code, _, errs = w.cmd("bank", "import", w.file("x.xml", "<Document/>"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, `x.xml:1 (Document): the root element is Document in namespace ""`)
}
