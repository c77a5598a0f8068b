package iso20022

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/exporters/pain001"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/importers/iso20022/banksim"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/bank"
)

var (
	update        = flag.Bool("update", false, "rewrite the bank reports of testdata/corpus from its payment file")
	updateRelease = flag.Bool("update-release", false, "rewrite testdata/corpus/payments-2022-12.xml from testdata/release")
)

var corpusPeriod = payout.MustPeriod("2022-12")

const releasedXML = "testdata/corpus/payments-2022-12.xml"

// TestCorpusRelease: the corpus answers a payment file that payout itself
// released: the 2022-12 run of testdata/release, as pain001 writes it.
func TestCorpusRelease(t *testing.T) {
	in, _, err := importers.LoadFolder("testdata/release")
	require.NoError(t, err)
	res, err := payout.Compute(in, corpusPeriod, payout.Options{})
	require.NoError(t, err)
	created := time.Date(2022, 12, 21, 10, 0, 0, 0, time.UTC)
	got, err := pain001.Build(res, res.Policy.Debtor, pain001.MessageID(corpusPeriod), created)
	require.NoError(t, err)
	if *updateRelease {
		require.NoError(t, os.WriteFile(releasedXML, got, 0o644))
	}
	want, err := os.ReadFile(releasedXML)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "rerun with -update-release (and -update) after a deliberate change of the payment file")
	var bankText int
	for _, w := range res.Warnings {
		if w.Code == "W-BANK-TEXT" {
			bankText++
		}
	}
	assert.Equal(t, 1, bankText, "the Sámi name is transliterated, with a warning")
}

// The rejected payments of the corpus: by index in the released block.
var (
	partRejected = map[int]banksim.Rejection{1: {Code: "AC04", Info: "Mottakers konto er avsluttet"}, 4: {Code: "AC01", Info: "Ugyldig kontonummer"}}
	txRejected   = map[int]banksim.Rejection{6: {Code: "AC06", Info: "Kontoen er sperret"}}
	partSkip     = map[int]bool{1: true, 4: true}
)

// corpus are the bank reports, written as banks write them.
var corpus = []struct {
	name  string
	build func(f *banksim.File) []byte
}{
	{"pain002-03-group-accepted.xml", func(f *banksim.File) []byte {
		return f.Pain002("pain.002.001.03", "DNB-STS-20221227-1", "2022-12-27T07:10:00", "ACTC", "", "", nil, false)
	}},
	{"pain002-03-group-rejected.xml", func(f *banksim.File) []byte {
		return f.Pain002("pain.002.001.03", "DNB-STS-20221227-2", "2022-12-27T07:12:00", "RJCT", "FF01", "", nil, false)
	}},
	{"pain002-10-block-part.xml", func(f *banksim.File) []byte {
		return f.Pain002("pain.002.001.10", "NDEA-STS-20221228-1", "2022-12-28T06:30:00+01:00", "PART", "", "PART", partRejected, true)
	}},
	{"pain002-03-tx-rejected.xml", func(f *banksim.File) []byte {
		return f.Pain002("pain.002.001.03", "DNB-STS-20221228-3", "2022-12-28T06:45:00", "PART", "", "", txRejected, false)
	}},
	{"pain002-10-pending.xml", func(f *banksim.File) []byte {
		return f.Pain002("pain.002.001.10", "NDEA-STS-20221227-0", "2022-12-27T06:00:00+01:00", "PDNG", "", "", nil, false)
	}},
	{"camt054-02-batch.xml", func(f *banksim.File) []byte {
		return f.Camt054(false, "DNB-NTF-20221228-1", "2022-12-28T18:00:00", partSkip)
	}},
	{"camt054-08-batch.xml", func(f *banksim.File) []byte {
		return f.Camt054(true, "NDEA-NTF-20221228-1", "2022-12-28T18:05:00+01:00", partSkip)
	}},
}

func mustSent(t testing.TB, data []byte) *banksim.File {
	f, err := banksim.Read(data)
	require.NoError(t, err)
	return f
}

func sent(t testing.TB) (*banksim.File, []byte) {
	data, err := os.ReadFile(releasedXML)
	require.NoError(t, err)
	return mustSent(t, data), data
}

// TestCorpusReports: each report is what the bank writes for the released
// file (rewrite with -update), and reads.
func TestCorpusReports(t *testing.T) {
	f, _ := sent(t)
	for _, c := range corpus {
		t.Run(c.name, func(t *testing.T) {
			got := c.build(f)
			path := filepath.Join("testdata/corpus", c.name)
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, string(want), string(got), "rerun with -update")
			rep, err := Read(path, got)
			require.NoError(t, err)
			assert.Equal(t, c.name, rep.File)
			assert.Len(t, rep.SHA256, 64)
		})
	}
}

func readCorpus(t testing.TB, name string) *bank.Report {
	data, err := os.ReadFile(filepath.Join("testdata/corpus", name))
	require.NoError(t, err)
	rep, err := Read(name, data)
	require.NoError(t, err)
	return rep
}

// What the reader finds in each report.
func TestCorpusContents(t *testing.T) {
	f, _ := sent(t)
	blk := f.Blocks[0]

	part := readCorpus(t, "pain002-10-block-part.xml")
	assert.Equal(t, bank.StatusReport, part.Kind)
	assert.Equal(t, "pain.002.001.10", part.Version)
	require.Len(t, part.Statuses, 4)
	assert.Equal(t, []bank.Level{bank.LevelGroup, bank.LevelBlock, bank.LevelTransaction, bank.LevelTransaction},
		[]bank.Level{part.Statuses[0].Level, part.Statuses[1].Level, part.Statuses[2].Level, part.Statuses[3].Level})
	tx := part.Statuses[2]
	assert.Equal(t, blk.Txs[1].E2E, tx.EndToEndID)
	assert.Equal(t, blk.ID, tx.PmtInfID)
	assert.Equal(t, f.MsgID, tx.MsgID)
	assert.Equal(t, "RJCT", tx.Code)
	assert.Equal(t, []bank.Reason{{Code: "AC04", Info: "Mottakers konto er avsluttet"}}, tx.Reasons)
	assert.Equal(t, blk.Txs[1].Amount, tx.Amount.StringFixed(2))
	assert.Equal(t, "CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/TxSts", tx.Element)
	assert.Positive(t, tx.Line)
	assert.Equal(t, f.CtrlSum, part.Statuses[0].CtrlSum.StringFixed(2))

	rej := readCorpus(t, "pain002-03-group-rejected.xml")
	require.Len(t, rej.Statuses, 1)
	assert.Equal(t, []bank.Reason{{Code: "FF01", Info: "Filen er avvist"}}, rej.Statuses[0].Reasons)

	for _, name := range []string{"camt054-02-batch.xml", "camt054-08-batch.xml"} {
		n := readCorpus(t, name)
		assert.Equal(t, bank.Notification, n.Kind)
		want := len(blk.Txs) - len(partSkip)
		if name == "camt054-08-batch.xml" {
			want++ // the account's other debit
		}
		require.Len(t, n.Bookings, want, name)
		b := n.Bookings[0]
		assert.Equal(t, bank.Booking{Where: b.Where, EntryRef: "DNB-NTF-20221228-1-E1", Status: "BOOK",
			BookingDate: payout.MustDate(blk.Date), ValueDate: payout.MustDate(blk.Date), MsgID: f.MsgID, PmtInfID: blk.ID,
			EndToEndID: blk.Txs[0].E2E, Amount: b.Amount, Currency: "NOK", CreditorAccount: blk.Txs[0].Acct,
			CreditorName: blk.Txs[0].Name, Details: true}.EndToEndID, b.EndToEndID, name)
		assert.Equal(t, blk.Txs[0].Amount, b.Amount.StringFixed(2), name)
		assert.Equal(t, blk.Txs[0].Acct, b.CreditorAccount, "%s: BBAN, also from an NO IBAN", name)
		assert.True(t, b.Details)
	}
}

// The round trip on the corpus: the released file, the block-level PART
// with two rejections, the batch booking of the rest.
func TestCorpusRoundTrip(t *testing.T) {
	f, data := sent(t)
	released, err := ReadPaymentFile(releasedXML, data)
	require.NoError(t, err)
	released.Period = corpusPeriod
	assert.Equal(t, f.LedgerFile(corpusPeriod), *released, "ReadPaymentFile reads what the bank reads")
	newLedger := func() *bank.Ledger {
		l, err := bank.NewLedger([]bank.File{*released})
		require.NoError(t, err)
		return l
	}
	l := newLedger()
	_, err = l.Apply(readCorpus(t, "pain002-10-pending.xml"))
	require.NoError(t, err)
	out, err := l.Apply(readCorpus(t, "pain002-10-block-part.xml"))
	require.NoError(t, err)
	assert.Equal(t, 8, out.Statuses)
	blk := f.Blocks[0]
	assert.Equal(t, bank.StateRejected, l.Track(blk.Txs[1].E2E).State)
	assert.Equal(t, "AC04", l.Track(blk.Txs[1].E2E).Reason.Code)
	assert.Equal(t, bank.StateAccepted, l.Track(blk.Txs[0].E2E).State, "PART: the payments not listed are accepted")

	ntf := readCorpus(t, "camt054-02-batch.xml")
	out, err = l.Apply(ntf)
	require.NoError(t, err)
	assert.Equal(t, 6, out.Bookings)
	again, err := l.Apply(ntf)
	require.NoError(t, err)
	assert.True(t, again.Unchanged, "the same file again is a no-op")

	r := l.Reconcile(corpusPeriod)
	assert.True(t, r.Clean(), "%+v", r.Differences)
	open := l.Track(blk.Txs[1].E2E).Amount.Add(l.Track(blk.Txs[4].E2E).Amount)
	assert.Equal(t, open.StringFixed(2), r.OpenRejected.StringFixed(2))
	assert.Len(t, l.Repayable(corpusPeriod), 2)

	// The other bank's notification books the same payments again: refused,
	// nothing changes.
	_, err = l.Apply(readCorpus(t, "camt054-08-batch.xml"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is already booked by camt054-02-batch.xml")
	assert.True(t, l.Reconcile(corpusPeriod).Clean())

	// On its own it books the same and lists the account's other debit.
	l = newLedger()
	_, err = l.Apply(readCorpus(t, "pain002-10-block-part.xml"))
	require.NoError(t, err)
	out, err = l.Apply(readCorpus(t, "camt054-08-batch.xml"))
	require.NoError(t, err)
	assert.Equal(t, 1, out.Unknown)
	r = l.Reconcile(corpusPeriod)
	assert.True(t, r.Balanced())
	require.Len(t, r.Differences, 1)
	assert.Equal(t, bank.DiffUnknown, r.Differences[0].Kind)
}
