package iso20022

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/exporters/pain001"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/bank"
)

// TestBankLoop is the bank round trip of issue 13 on the pure packages
// (the store and the command line add persistence and who does what):
// release → pain.002 with two rejections → the payees' accounts corrected
// → a supplement paying exactly those two again → camt.054 books
// everything → the period reconciles; and the refusals on the way.
func TestBankLoop(t *testing.T) {
	in, _, err := importers.LoadFolder("testdata/release")
	require.NoError(t, err)
	res, err := payout.Compute(in, corpusPeriod, payout.Options{})
	require.NoError(t, err)
	msgID := pain001.MessageID(corpusPeriod)
	xmlData, err := pain001.Build(res, res.Policy.Debtor, msgID, time.Date(2022, 12, 21, 10, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	released, err := ReadPaymentFile("payments.xml", xmlData)
	require.NoError(t, err)
	released.Period = corpusPeriod
	require.NoError(t, released.Attach(res.Payments))
	l, err := bank.NewLedger([]bank.File{*released})
	require.NoError(t, err)

	sentOrig := mustSent(t, xmlData)
	status := sentOrig.Pain002("pain.002.001.10", "NDEA-STS-1", "2022-12-28T06:30:00+01:00", "PART", "", "PART", partRejected, true)
	apply(t, l, "pain002.xml", status)
	rejected := l.Repayable(corpusPeriod)
	require.Len(t, rejected, 2)
	assert.Equal(t, []string{"P02", "P05"}, []string{rejected[0].PayeeID, rejected[1].PayeeID})
	assert.Len(t, l.OpenRejections(corpusPeriod+1), 2, "next month's run and due report them")

	// Not before the accounts are corrected.
	_, err = bank.Repay(res.Payments, rejected, 1, payeeAt(in))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "payee P02's account is still 15031200013, which the bank rejected (AC04 kontoen er avsluttet")
	assert.Contains(t, err.Error(), "payee P05's account is still 15031200056, which the bank rejected (AC01 feil kontonummer")

	in.Payees = append(in.Payees,
		payout.Payee{ID: "P02", Name: "Lege Eide AS", Account: "15031200099", OrgNr: "920370004", Version: payout.Version{RecordedOn: payout.MustDate("2023-01-03")}},
		payout.Payee{ID: "P05", Name: "Legesenter Sagene AS", Account: "15031200102", OrgNr: "920370012", Version: payout.Version{RecordedOn: payout.MustDate("2023-01-03")}})
	pays, err := bank.Repay(res.Payments, rejected, 1, payeeAt(in))
	require.NoError(t, err)
	sup := &payout.Result{Period: corpusPeriod, PayDate: payout.MustDate("2023-01-04"), Payments: pays, Total: bank.Sum(pays), Policy: res.Policy}
	supXML, err := pain001.Build(sup, res.Policy.Debtor, bank.SupplementMsgID(msgID, 1), time.Date(2023, 1, 3, 9, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	supFile, err := ReadPaymentFile("payments-supplement-1.xml", supXML)
	require.NoError(t, err)
	supFile.Period, supFile.Supplement = corpusPeriod, 1
	require.NoError(t, supFile.Attach(pays))
	for i := range supFile.Payments {
		supFile.Payments[i].Original = rejected[i].EndToEndID
	}
	assert.Equal(t, "PAYOUT-OSLO-2022-12-S1", supFile.MsgID)
	assert.Equal(t, []string{rejected[0].EndToEndID + "-S1", "15031200099"}, []string{supFile.Payments[0].EndToEndID, supFile.Payments[0].Account})
	assert.True(t, supFile.CtrlSum.Equal(rejected[0].Amount.Add(rejected[1].Amount)), "exactly the rejected amounts")
	require.NoError(t, l.AddFile(*supFile))
	assert.Error(t, l.AddFile(*supFile), "a supplement released twice")
	assert.Empty(t, l.Repayable(corpusPeriod), "never paid twice")
	assert.Empty(t, l.OpenRejections(corpusPeriod+1))

	// The bank books the period's file (without the two rejected) and the
	// supplement.
	camt := sentOrig.Camt054(false, "DNB-NTF-1", "2022-12-28T18:00:00", partSkip)
	apply(t, l, "camt054-1.xml", camt)
	r := l.Reconcile(corpusPeriod)
	assert.False(t, r.Clean(), "the supplement is not booked yet")
	sentSup := mustSent(t, supXML)
	supCamt := sentSup.Camt054(true, "NDEA-NTF-2", "2023-01-04T18:00:00+01:00", nil)
	// Refused: the supplement booked at another amount; nothing changes.
	wrong := bytes.Replace(supCamt, []byte(">"+sentSup.Blocks[0].Txs[0].Amount+"<"), []byte(">1.00<"), 1)
	_, err = l.Apply(mustRead(t, "camt054-wrong.xml", wrong))
	assert.ErrorContains(t, err, "is not the released amount")
	apply(t, l, "camt054-2.xml", supCamt)
	r = l.Reconcile(corpusPeriod)
	require.Len(t, r.Differences, 1, "the account's other debit")
	assert.Equal(t, bank.DiffUnknown, r.Differences[0].Kind)
	assert.True(t, r.Balanced())
	assert.True(t, r.OpenRejected.IsZero())
	assert.True(t, r.Booked.Equal(released.CtrlSum), "booked = CtrlSum: everything paid once")

	// Refused: booking the same payments again from another file; a
	// supplement of a booked payment.
	again := sentOrig.Camt054(false, "DNB-NTF-3", "2022-12-29T18:00:00", partSkip)
	_, err = l.Apply(mustRead(t, "camt054-3.xml", again))
	assert.ErrorContains(t, err, "is already booked by camt054-1.xml")
	_, err = bank.Repay(res.Payments, []*bank.Track{l.Track(released.Payments[0].EndToEndID)}, 2, payeeAt(in))
	assert.ErrorContains(t, err, "is booked, not an open rejection: it is never paid twice")
}

func apply(t *testing.T, l *bank.Ledger, name string, data []byte) {
	t.Helper()
	_, err := l.Apply(mustRead(t, name, data))
	require.NoError(t, err)
}

func mustRead(t *testing.T, name string, data []byte) *bank.Report {
	t.Helper()
	rep, err := Read(name, data)
	require.NoError(t, err)
	return rep
}

// payeeAt gives each payee's latest version, as a supplement pays it now.
func payeeAt(in *payout.Inputs) func(string) *payout.Payee {
	return func(id string) *payout.Payee {
		var best *payout.Payee
		for i := range in.Payees {
			p := &in.Payees[i]
			if p.ID == id && (best == nil || p.RecordedOn >= best.RecordedOn) {
				best = p
			}
		}
		return best
	}
}
