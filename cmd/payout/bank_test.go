package main

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/importers/iso20022"
	"github.com/oslokommune/payout/importers/iso20022/banksim"
	"github.com/oslokommune/payout/payout/bank"
)

// bankWorld is a store holding the bank corpus's release fixture (eight
// payees) with 2022-12 released, and the bank that answers it.
func bankWorld(t *testing.T) (*lcWorld, *banksim.File) { return bankWorldOn(t, onPostgres(t)) }

// bankWorldOn is bankWorld on PostgreSQL (pg) or SQLite.
func bankWorldOn(t *testing.T, pg bool) (*lcWorld, *banksim.File) {
	w := newLCWorldOn(t, pg).at("2022-12-20T09:00:00Z")
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
	code, runOut, errs := w.cmd("run", "--period", "2023-01")
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "warning: 2022-12: "+f.Blocks[0].Txs[1].E2E+" (P02, 64 410,00 kr) was rejected by the bank (AC04")
	// The summary counts every warning the run printed (issue 11).
	assert.Contains(t, runOut, "warnings      "+strconv.Itoa(strings.Count(errs, "warning: "))+"\n")
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

// The whole bank loop with the supplement, on the command line: release →
// pain.002 with two rejections → status and due report them → the payees'
// accounts corrected → the supplement computed, attested, approved and
// released by three accounts → camt.054 books everything → the period
// reconciles; and the refusals: a supplement released twice, a supplement
// of what is booked or paid again already.
func TestSupplementLoop(t *testing.T) {
	w, f := bankWorld(t)
	rejected := map[int]banksim.Rejection{1: {Code: "AC04", Info: "Konto avsluttet"}, 4: {Code: "AC01", Info: "Ugyldig kontonummer"}}
	w.at("2022-12-21T07:00:00Z")
	w.ok("bank", "import", w.file("bank/pain002.xml", string(f.Pain002("pain.002.001.03", "DNB-STS-1", "2022-12-21T06:30:00", "PART", "", "PART", rejected, true))))
	status := w.ok("status", "--period", "2022-12")
	assert.Contains(t, status, "rejected  P02 Lege Eide AS 64 410,00 kr")
	assert.Contains(t, status, "AC04 kontoen er avsluttet")
	code, _, _ := w.cmd("due")
	assert.Equal(t, 1, code)

	// Not before the accounts are corrected.
	code, _, errs := w.as("kari").cmd("run", "--period", "2022-12", "--supplement")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "payee P02's account is still 15031200013, which the bank rejected")
	w.ok("import", w.file("corrected/payees.csv", "payee_id,name,account,orgnr,recorded_on\n"+
		"P02,Lege Eide AS,15031200099,920370004,2022-12-21\nP05,Legesenter Sagene AS – Torshov,15031200102,920370012,2022-12-21\n"))

	code, out, errs := w.as("kari").cmd("run", "--period", "2022-12", "--supplement")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "W-BANK-TEXT  mottaker P05: navnet «Legesenter Sagene AS – Torshov» skrives «Legesenter Sagene AS - Torshov»", "the new name's texts fitted, never silently")
	e2e1, e2e4 := f.Blocks[0].Txs[1].E2E, f.Blocks[0].Txs[4].E2E
	assert.Contains(t, out, "supplement 1 of 2022-12 (PAYOUT-OSLO-2022-12-S1): 2 payment(s)")
	assert.Contains(t, out, "P02 Lege Eide AS 64410.00 kr to 15031200099 (rejected: 15031200013, AC04 kontoen er avsluttet: Konto avsluttet); pays "+e2e1+" again as "+e2e1+"-S1")
	code, _, errs = w.as("kari").cmd("approve", "--period", "2022-12", "--supplement")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "is not attested")
	w.as("kari").ok("attest", "--period", "2022-12", "--supplement")
	code, _, errs = w.cmd("due")
	assert.Equal(t, 1, code, "not paid until released")
	assert.Contains(t, errs, "supplement 1 of 2022-12 pays it again but is attested, not released")
	code, _, errs = w.as("kari").cmd("approve", "--period", "2022-12", "--supplement")
	assert.Equal(t, 1, code, "the attester cannot approve")
	assert.Contains(t, errs, "cannot also approve it")
	w.as("ola").ok("approve", "--period", "2022-12", "--supplement")
	code, _, errs = w.as("ola").cmd("release", "--period", "2022-12", "--supplement")
	assert.Equal(t, 1, code, "the approver cannot release")
	assert.Contains(t, errs, "cannot also release it")
	out = w.as("per").ok("release", "--period", "2022-12", "--supplement")
	assert.Contains(t, out, "supplement 1 of 2022-12 released at")
	sup := w.read("2022-12/supplement-1/payments-supplement-1.xml")
	sf, err := banksim.Read([]byte(sup))
	require.NoError(t, err)
	assert.Equal(t, "PAYOUT-OSLO-2022-12-S1", sf.MsgID)
	require.Len(t, sf.Blocks[0].Txs, 2)
	assert.Equal(t, []string{e2e1 + "-S1", "15031200099", f.Blocks[0].Txs[1].Amount}, []string{sf.Blocks[0].Txs[0].E2E, sf.Blocks[0].Txs[0].Acct, sf.Blocks[0].Txs[0].Amount})
	assert.Equal(t, e2e4+"-S1", sf.Blocks[0].Txs[1].E2E)
	assert.Contains(t, w.read("2022-12/supplement-1/supplement-1.sig"), "signature ed25519 ")
	// Its voucher (issue 14): number 02 of the period, the returned money
	// and the new payment on the bank, the clearing account netting to zero.
	voucher := w.read("2022-12/supplement-1/journal-supplement-1.csv")
	assert.Equal(t, 5, strings.Count(voucher, "\n"), voucher)
	assert.Contains(t, voucher, ";20221202;")
	assert.Contains(t, voucher, ";21002;HEL;317;241;;-125193,33;Avviste betalinger desember 2022, skyldes mottakerne")
	assert.Contains(t, voucher, ";21001;HEL;317;241;;-125193,33;Tilleggsutbetaling 1 for desember 2022, 2 betalinger")

	// Refused: the same supplement released again; another supplement of
	// what is paid again already.
	code, _, errs = w.as("per").cmd("release", "--period", "2022-12", "--supplement")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "supplement 1 of 2022-12 was already released at")
	code, _, errs = w.as("kari").cmd("run", "--period", "2022-12", "--supplement")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "2022-12 has no rejected payment to pay again")
	code, _, _ = w.cmd("due")
	assert.Equal(t, 0, code, "nothing rejected is open")
	w.ok("status", "--check") // the open items with the supplement added are the ledger's

	// The bank accepts the supplement (its pain.002 is matched to it), then
	// books the period's file (without the two) and the supplement: the
	// period reconciles, everything paid once.
	w.at("2022-12-23T18:00:00Z")
	out = w.ok("bank", "import", w.file("bank/pain002-s1.xml", string(sf.Pain002("pain.002.001.10", "NDEA-STS-2", "2022-12-22T06:30:00+01:00", "ACCP", "", "", nil, false))))
	assert.Contains(t, out, "accepted        8")
	w.ok("bank", "import", w.file("bank/camt-1.xml", string(f.Camt054(false, "DNB-NTF-1", "2022-12-22T18:00:00", map[int]bool{1: true, 4: true}))))
	out = w.ok("bank", "import", "--out", w.out, w.file("bank/camt-2.xml", string(sf.Camt054(false, "DNB-NTF-2", "2022-12-23T18:00:00", nil))))
	assert.Contains(t, out, "booked          8")
	assert.Contains(t, out, "reconciled: booked "+formatKroner(decimal.RequireFromString(f.CtrlSum))+" = CtrlSum")
	csv := w.read("2022-12/bank/reconciliation.csv")
	assert.Equal(t, 11, strings.Count(csv, "\n"), "header, eight payments and the two paid again:\n%s", csv)

	// Refused: a booking of a payment booked already; a supplement of a
	// booked payment.
	code, _, errs = w.cmd("bank", "import", w.file("bank/camt-3.xml", string(sf.Camt054(false, "DNB-NTF-3", "2022-12-23T19:00:00", nil))))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "is already booked by camt-2.xml")
	code, _, errs = w.as("kari").cmd("run", "--period", "2022-12", "--supplement")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "has no rejected payment to pay again")

	check := w.ok("status", "--check")
	assert.Contains(t, check, "ok: 1 released supplement(s)")

	// An interrupted release: the supplement's file lost after the commit
	// is written again, the same bytes; status --check finds it missing.
	supPath := filepath.Join(w.out, "2022-12", "supplement-1", "payments-supplement-1.xml")
	require.NoError(t, os.Remove(supPath))
	code, _, errs = w.cmd("status", "--check")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "the files of supplement 1 of 2022-12 are missing")
	out = w.as("per").ok("release", "--period", "2022-12", "--supplement")
	assert.Contains(t, out, "was not complete")
	assert.Equal(t, sup, w.read("2022-12/supplement-1/payments-supplement-1.xml"), "the same bytes again")
	require.NoError(t, os.WriteFile(filepath.Join(w.out, "2022-12", "supplement-1", "journal-supplement-1.csv"), []byte("edited"), 0o660))
	code, _, errs = w.cmd("status", "--check")
	assert.Equal(t, 1, code, "an edited voucher is found")
	assert.Contains(t, errs, "the files of supplement 1 of 2022-12 are missing or not the recorded ones")
	w.as("per").ok("release", "--period", "2022-12", "--supplement")
	assert.Equal(t, voucher, w.read("2022-12/supplement-1/journal-supplement-1.csv"), "the voucher derived again")
	status = w.ok("status", "--period", "2022-12")
	assert.Contains(t, status, "supplement 1 of 2022-12: released, 2 payment(s)")
	assert.Contains(t, status, "supplement-release")
	assert.Regexp(t, `2022-12-S1 +released +125 193,33 kr +2 +2022-12-28 +kari`, w.ok("status"), "the overview lists the supplement beside the runs")
}

// rejectedOne is the bank world (SQLite) after the import of a pain.002
// that rejects its first payment (AC04), on 2022-12-28: the world, its
// file and the report's bytes.
func rejectedOne(t *testing.T) (*lcWorld, *banksim.File, []byte) {
	w, f := bankWorldOn(t, false)
	rejected := map[int]banksim.Rejection{1: {Code: "AC04", Info: "Konto avsluttet"}}
	w.at("2022-12-28T09:00:00Z")
	data := f.Pain002("pain.002.001.03", "DNB-STS-1", "2022-12-28T06:30:00", "PART", "", "PART", rejected, true)
	w.ok("bank", "import", w.file("bank/pain002.xml", string(data)))
	return w, f, data
}

// Each report's record is stored with it and is what the ledger applies;
// a report without one (stored before the store kept records) is read from
// its bytes, with the same outcome; a record forged with its digest, so
// that due no longer sees a rejection, is found by status --check, which
// reads every report again.
func TestBankRecordsOnTheCommandLine(t *testing.T) {
	w, f, _ := rejectedOne(t)
	status := w.ok("status", "--period", "2022-12")
	_, dueOut, dueErr := w.cmd("due")
	assert.Contains(t, dueErr, "was rejected by the bank (AC04")

	// A store of the time before the open items (migration 0009): due
	// replays the ledger, and says the same.
	lcSQL(t, w.db, `DROP TRIGGER bank_open_records_no_delete`, `DELETE FROM bank_open_records`)
	_, dueOut1, dueErr1 := w.cmd("due")
	assert.Equal(t, dueOut+dueErr, dueOut1+dueErr1)

	lcSQL(t, w.db, `DROP TRIGGER bank_report_records_no_delete`, `DELETE FROM bank_report_records`)
	assert.Equal(t, status, w.ok("status", "--period", "2022-12"), "read from the report's bytes")
	_, dueOut2, dueErr2 := w.cmd("due")
	assert.Equal(t, dueOut+dueErr, dueOut2+dueErr2)
	assert.NotContains(t, w.ok("status", "--check"), "bank report")

	// The forged record: the report as if it had accepted everything.
	accepted, err := iso20022.Read("pain002.xml", f.Pain002("pain.002.001.03", "DNB-STS-1", "2022-12-28T06:30:00", "ACCP", "", "", nil, true))
	require.NoError(t, err)
	forged := bank.EncodeReport(accepted)
	sum := sha256.Sum256(forged)
	lcSQL(t, w.db, fmt.Sprintf(`INSERT INTO bank_report_records (report_id, record, sha256) VALUES (1, x'%x', '%x')`, forged, sum))
	code, _, dueErr3 := w.cmd("due")
	assert.NotContains(t, dueErr3, "was rejected by the bank", "the forged record hides the rejection (code %d)", code)
	code, _, errs := w.cmd("status", "--check")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "the record of bank report 1 (pain002.xml) is not what its bytes say: the store was changed outside payout")
}

// The open items each bank import stores are what run and due read; open
// items forged with their digest, so that they no longer hold a
// rejection, are found by status --check, which builds the whole ledger.
func TestBankOpenItemsOnTheCommandLine(t *testing.T) {
	w, _, _ := rejectedOne(t)
	w.ok("status", "--check")
	_, _, dueErr := w.cmd("due")
	assert.Contains(t, dueErr, "was rejected by the bank (AC04")

	// Forged: items that cover no release, so that due takes the
	// released period as merely sent.
	forged := (&bank.OpenItems{}).Encode()
	sum := sha256.Sum256(forged)
	lcSQL(t, w.db, `DROP TRIGGER bank_open_records_no_update`,
		fmt.Sprintf(`UPDATE bank_open_records SET record = x'%x', sha256 = '%x'`, forged, sum))
	_, _, dueErr = w.cmd("due")
	assert.NotContains(t, dueErr, "was rejected by the bank", "the forged items hide the rejection")
	code, _, errs := w.cmd("status", "--check")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "the open items stored with the latest bank report are not what the bank ledger says")

	// Changed without their digest: refused where they are read.
	lcSQL(t, w.db, `UPDATE bank_open_records SET record = x'00'`)
	code, _, errs = w.cmd("due")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errs, "the stored open items of the bank ledger do not match their digest")
	code, _, errs = w.cmd("status", "--check")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "the open items stored with the latest bank report")
}

// A stored report that this version's reader refuses, its bytes still
// those of its digest (as a report imported under a laxer reader would
// be): status --check says so, and does not call its record forged.
func TestBankReportRefusedByAStricterReader(t *testing.T) {
	w, _, data := rejectedOne(t)
	w.ok("status", "--check")

	// The rejection given again, accepted: what an XML reader left to
	// itself read as accepted, and this one refuses.
	twice := bytes.Replace(data, []byte("<TxSts>RJCT</TxSts>"), []byte("<TxSts>RJCT</TxSts><TxSts>ACSC</TxSts>"), 1)
	require.NotEqual(t, data, twice)
	sum := fmt.Sprintf("%x", sha256.Sum256(twice))
	conn, err := sql.Open("sqlite3", w.db)
	require.NoError(t, err)
	var prev, rel string
	require.NoError(t, conn.QueryRow(`SELECT previous_chain, release_chain FROM bank_reports WHERE id = 1`).Scan(&prev, &rel))
	require.NoError(t, conn.Close())
	// the chain as the store links a report (store.bankChain)
	chain := fmt.Sprintf("%x", sha256.Sum256([]byte("payout-bank/1 "+strconv.Quote(prev)+" "+strconv.Quote(rel)+" "+strconv.Quote(sum))))
	lcSQL(t, w.db, `DROP TRIGGER bank_reports_no_update`,
		fmt.Sprintf(`UPDATE bank_reports SET data = x'%x', sha256 = '%s', bytes = %d, chain_sha256 = '%s' WHERE id = 1`, twice, sum, len(twice), chain))
	code, _, errs := w.cmd("status", "--check")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "bank report 1 (pain002.xml) is refused by this version's reader, which is stricter than the one that imported it")
	assert.Contains(t, errs, "TxSts is given twice in TxInfAndSts")
	assert.NotContains(t, errs, "the record of bank report 1 (pain002.xml) is not what its bytes say")
}
