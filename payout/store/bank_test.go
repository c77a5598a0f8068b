package store

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

func bankFile(name, body string) BankFile {
	return BankFile{Path: "bank/" + name, Data: []byte(body), Kind: "pain.002", Version: "pain.002.001.03", MsgID: "S-" + name}
}

// Stored bank reports: append-only, each once, linked to the release they
// answer; a refused check stores nothing.
func TestImportBank(t *testing.T) {
	s, _, key := world(t)
	approved(t, s, "2022-09")
	rel, err := release(s, "2022-09", per, key)
	require.NoError(t, err)
	p := payout.MustPeriod("2022-09")
	var seen [][]BankFile
	check := func(stored []BankReport, fresh []BankFile) ([][]payout.Period, error) {
		seen = append(seen, fresh)
		out := make([][]payout.Period, len(fresh))
		for i := range fresh {
			out[i] = []payout.Period{p}
		}
		return out, nil
	}
	a, b := bankFile("a.xml", "<a/>"), bankFile("b.xml", "<b/>")
	out, err := s.ImportBank(BankImport{Files: []BankFile{a}, By: kari, At: at(5), Check: check})
	require.NoError(t, err)
	assert.True(t, out[0].Stored)

	out, err = s.ImportBank(BankImport{Files: []BankFile{a, b}, By: kari, At: at(6), Check: check})
	require.NoError(t, err)
	assert.False(t, out[0].Stored, "the same bytes again: a no-op")
	assert.True(t, out[1].Stored)
	assert.Equal(t, []BankFile{b}, seen[1], "the check sees only the new file")

	refused := errors.New("refused")
	_, err = s.ImportBank(BankImport{Files: []BankFile{bankFile("c.xml", "<c/>")}, By: kari, At: at(7),
		Check: func([]BankReport, []BankFile) ([][]payout.Period, error) { return nil, refused }})
	assert.ErrorIs(t, err, refused)

	reps, err := s.BankReports()
	require.NoError(t, err)
	require.Len(t, reps, 2, "the refused report is not stored")
	assert.Equal(t, rel.ChainSHA256, reps[0].ReleaseChain, "linked into the release chain")
	assert.Equal(t, []payout.Period{p}, reps[1].Periods)
	assert.Equal(t, bankChain(reps[0].ChainSHA256, rel.ChainSHA256, reps[1].SHA256), reps[1].ChainSHA256)
	assert.Equal(t, "kari", reps[1].ImportedBy.Name)

	evs, err := s.Events("2022-09")
	require.NoError(t, err)
	assert.Equal(t, ActionBankImport, evs[len(evs)-1].Action)

	_, err = s.db.Exec(`UPDATE bank_reports SET data = 'x' WHERE id = 1`)
	assert.ErrorContains(t, err, "bank reports are append-only")
	_, err = s.db.Exec(`DELETE FROM bank_reports`)
	assert.ErrorContains(t, err, "bank reports are append-only")
}

// A changed stored report is found: its digest and the chain no longer
// match.
func TestBankReportsTampered(t *testing.T) {
	s, _ := openTest(t)
	_, err := s.ImportBank(BankImport{Files: []BankFile{bankFile("a.xml", "<a/>")}, By: kari, At: at(1),
		Check: func(_ []BankReport, f []BankFile) ([][]payout.Period, error) {
			return make([][]payout.Period, len(f)), nil
		}})
	require.NoError(t, err)
	dropTriggers(t, s)
	_, err = s.db.Exec(`UPDATE bank_reports SET data = '<b/>'`)
	require.NoError(t, err)
	_, err = s.BankReports()
	assert.ErrorContains(t, err, "stored bank report 1 (a.xml) does not match its digest or chain")
}

// status --check finds a changed bank report.
func TestCheckFindsChangedBankReport(t *testing.T) {
	s, _ := openTest(t)
	_, err := s.ImportBank(BankImport{Files: []BankFile{bankFile("a.xml", "<a/>")}, By: kari, At: at(1),
		Check: func(_ []BankReport, f []BankFile) ([][]payout.Period, error) {
			return make([][]payout.Period, len(f)), nil
		}})
	require.NoError(t, err)
	rep, err := s.Check(nil)
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	dropTriggers(t, s)
	_, err = s.db.Exec(`UPDATE bank_reports SET sha256 = 'x'`)
	require.NoError(t, err)
	rep, err = s.Check(nil)
	require.NoError(t, err)
	assert.Contains(t, rep.Problems, "stored bank report 1 (a.xml) does not match its digest or chain: the store was changed outside payout")
}

// A report's record is stored with it, append-only; BankRecords gives the
// record and not the bytes, and the bytes only of a report without one;
// each read is checked against its own digest.
func TestBankRecords(t *testing.T) {
	s, _ := openTest(t)
	anyPeriods := func(_ []BankReport, f []BankFile) ([][]payout.Period, error) {
		return make([][]payout.Period, len(f)), nil
	}
	a, b := bankFile("a.xml", "<a/>"), bankFile("b.xml", "<b/>")
	a.Record = []byte("record of a")
	_, err := s.ImportBank(BankImport{Files: []BankFile{a, b}, By: kari, At: at(1), Check: anyPeriods})
	require.NoError(t, err)

	whole, err := s.BankReports()
	require.NoError(t, err)
	require.Len(t, whole, 2)
	assert.Equal(t, []byte("<a/>"), whole[0].Data)
	assert.Equal(t, []byte("record of a"), whole[0].Record)
	assert.Equal(t, []byte("<b/>"), whole[1].Data)
	assert.Nil(t, whole[1].Record, "b was stored without one")

	reads, err := s.BankRecords()
	require.NoError(t, err)
	require.Len(t, reads, 2)
	assert.Nil(t, reads[0].Data, "a's record is read, not its bytes")
	assert.Equal(t, []byte("record of a"), reads[0].Record)
	assert.Equal(t, []byte("<b/>"), reads[1].Data)

	_, err = s.db.Exec(`UPDATE bank_report_records SET record = 'x'`)
	assert.ErrorContains(t, err, "bank reports are append-only")
	_, err = s.db.Exec(`DELETE FROM bank_report_records`)
	assert.ErrorContains(t, err, "bank reports are append-only")

	dropTriggers(t, s)
	_, err = s.db.Exec(`UPDATE bank_report_records SET record = 'another record'`)
	require.NoError(t, err)
	_, err = s.BankRecords()
	assert.ErrorContains(t, err, "stored bank report 1 (a.xml) does not match its digest or chain")
	rep, err := s.Check(nil)
	require.NoError(t, err)
	assert.Contains(t, rep.Problems, "stored bank report 1 (a.xml) does not match its digest or chain: the store was changed outside payout")
}

// A release stores its record of what it paid, which Paid reads: the Paid
// its result gives. A record changed with its digest is found by Check.
func TestReleaseRecord(t *testing.T) {
	s, _, key := world(t)
	approved(t, s, "2022-09")
	rel, err := release(s, "2022-09", per, key)
	require.NoError(t, err)
	fromResult, err := s.paidOfResult(rel.RunID)
	require.NoError(t, err)
	paid, err := s.Paid(rel.RunID)
	require.NoError(t, err)
	want, err := encodePaid(fromResult)
	require.NoError(t, err)
	got, err := encodePaid(paid)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.NotEmpty(t, paid.Payments)
	assert.Equal(t, fromResult.Total.String(), paid.Total.String())
	require.NoError(t, s.paidRecordIsResult(rel.RunID))

	_, err = s.db.Exec(`DELETE FROM release_records`)
	assert.ErrorContains(t, err, "a release is immutable")
	dropTriggers(t, s)
	forged := append([]byte(nil), got...)
	forged[len(forged)-1]++
	_, err = s.db.Exec(`UPDATE release_records SET record = ?, sha256 = ?`, forged, sha(forged))
	require.NoError(t, err)
	assert.ErrorContains(t, s.paidRecordIsResult(rel.RunID), "not what the released result pays")
	_, err = s.db.Exec(`UPDATE release_records SET sha256 = ?`, "x")
	require.NoError(t, err)
	_, err = s.Paid(rel.RunID)
	assert.ErrorContains(t, err, "does not match its digest")
}

// An import stores the ledger's open items Open gives, beside its last
// report, append-only; BankOpen reads those of the latest report only,
// checked against their digest.
func TestBankOpen(t *testing.T) {
	s, _ := openTest(t)
	anyPeriods := func(_ []BankReport, f []BankFile) ([][]payout.Period, error) {
		return make([][]payout.Period, len(f)), nil
	}
	rec, err := s.BankOpen()
	require.NoError(t, err)
	assert.Nil(t, rec, "no report, no items")
	calls := 0
	open := func() []byte { calls++; return []byte("open after a and b") }
	_, err = s.ImportBank(BankImport{Files: []BankFile{bankFile("a.xml", "<a/>"), bankFile("b.xml", "<b/>")}, By: kari, At: at(1),
		Check: anyPeriods, Open: open})
	require.NoError(t, err)
	assert.Equal(t, 1, calls, "once per import")
	rec, err = s.BankOpen()
	require.NoError(t, err)
	assert.Equal(t, []byte("open after a and b"), rec)
	var ids []int64
	require.NoError(t, s.db.Select(&ids, `SELECT report_id FROM bank_open_records`))
	assert.Equal(t, []int64{2}, ids, "beside the last report")

	_, err = s.ImportBank(BankImport{Files: []BankFile{bankFile("a.xml", "<a/>")}, By: kari, At: at(2), Check: anyPeriods, Open: open})
	require.NoError(t, err)
	assert.Equal(t, 1, calls, "nothing new: nothing stored")

	_, err = s.ImportBank(BankImport{Files: []BankFile{bankFile("c.xml", "<c/>")}, By: kari, At: at(2), Check: anyPeriods})
	require.NoError(t, err)
	rec, err = s.BankOpen()
	require.NoError(t, err)
	assert.Nil(t, rec, "the latest report's import stored none: the items of an earlier one are not the ledger's now")

	_, err = s.db.Exec(`UPDATE bank_open_records SET record = 'x'`)
	assert.ErrorContains(t, err, "bank reports are append-only")
	_, err = s.db.Exec(`DELETE FROM bank_open_records`)
	assert.ErrorContains(t, err, "bank reports are append-only")

	_, err = s.ImportBank(BankImport{Files: []BankFile{bankFile("d.xml", "<d/>")}, By: kari, At: at(3), Check: anyPeriods, Open: open})
	require.NoError(t, err)
	dropTriggers(t, s)
	_, err = s.db.Exec(`UPDATE bank_open_records SET record = 'other items'`)
	require.NoError(t, err)
	_, err = s.BankOpen()
	assert.ErrorContains(t, err, "the stored open items of the bank ledger do not match their digest")
}
