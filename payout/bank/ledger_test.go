package bank

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

var p12 = payout.MustPeriod("2022-12")

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// release is a file of period 2022-12 with one block and four payments.
func release() File {
	f := File{MsgID: "M12", Period: p12, ExecutionDate: payout.MustDate("2022-12-28"), CtrlSum: dec("1000.00")}
	for i, amt := range []string{"100.00", "200.00", "300.00", "400.00"} {
		id := string(rune('1' + i))
		f.Payments = append(f.Payments, Payment{PmtInfID: "M12-B", EndToEndID: "E" + id, PayeeID: "P" + id,
			Account: "1503120000" + id, Amount: dec(amt), Currency: "NOK"})
	}
	return f
}

func ledger(t *testing.T, files ...File) *Ledger {
	if len(files) == 0 {
		files = []File{release()}
	}
	l, err := NewLedger(files)
	require.NoError(t, err)
	return l
}

func at(line int) Where { return Where{Line: line, Element: "X"} }

func group(code string, reasons ...Reason) Status {
	return Status{Where: at(1), Level: LevelGroup, MsgID: "M12", Code: code, Reasons: reasons}
}

func block(code string) Status {
	return Status{Where: at(2), Level: LevelBlock, MsgID: "M12", PmtInfID: "M12-B", Code: code}
}

func tx(e2e, code string, reasons ...Reason) Status {
	return Status{Where: at(3), Level: LevelTransaction, MsgID: "M12", PmtInfID: "M12-B", EndToEndID: e2e, Code: code, Reasons: reasons}
}

func statusReport(name, created string, s ...Status) *Report {
	return &Report{File: name, SHA256: name, Kind: StatusReport, Created: created, Statuses: s}
}

func booking(e2e, amount string) Booking {
	return Booking{Where: at(5), Status: "BOOK", MsgID: "M12", PmtInfID: "M12-B", EndToEndID: e2e, Amount: dec(amount),
		Currency: "NOK", Details: true, BookingDate: payout.MustDate("2022-12-28")}
}

func notification(name string, b ...Booking) *Report {
	return &Report{File: name, SHA256: name, Kind: Notification, Bookings: b}
}

func states(l *Ledger) string {
	var s []string
	for _, t := range l.tracks {
		s = append(s, t.EndToEndID+"="+string(t.State))
	}
	return strings.Join(s, " ")
}

func mustApply(t *testing.T, l *Ledger, r *Report) Outcome {
	t.Helper()
	out, err := l.Apply(r)
	require.NoError(t, err)
	return out
}

// The levels of a pain.002 and their precedence.
func TestStatusLevels(t *testing.T) {
	tests := []struct {
		name     string
		statuses []Status
		want     string
	}{
		{"group accepted: every payment", []Status{group("ACTC")}, "E1=accepted E2=accepted E3=accepted E4=accepted"},
		{"group rejected: every payment", []Status{group("RJCT", Reason{Code: "FF01"})}, "E1=rejected E2=rejected E3=rejected E4=rejected"},
		{"group pending", []Status{group("PDNG")}, "E1=pending E2=pending E3=pending E4=pending"},
		{"received changes nothing", []Status{group("RCVD")}, "E1=sent E2=sent E3=sent E4=sent"},
		{"block PART with two rejected transactions", []Status{group("PART"), block("PART"), tx("E2", "RJCT"), tx("E4", "RJCT")},
			"E1=accepted E2=rejected E3=accepted E4=rejected"},
		{"group PART, transaction rejected", []Status{group("PART"), tx("E3", "RJCT")}, "E1=accepted E2=accepted E3=rejected E4=accepted"},
		{"block status over group status", []Status{group("ACTC"), block("RJCT")}, "E1=rejected E2=rejected E3=rejected E4=rejected"},
		{"only transactions", []Status{tx("E1", "ACSC")}, "E1=accepted E2=sent E3=sent E4=sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ledger(t)
			mustApply(t, l, statusReport("s.xml", "", tt.statuses...))
			assert.Equal(t, tt.want, states(l))
		})
	}
}

// A later report supersedes an earlier one, never a booking; an older
// CreDtTm does not supersede the status in force.
func TestStatusSupersedes(t *testing.T) {
	l := ledger(t)
	mustApply(t, l, statusReport("a.xml", "2022-12-27T06:00:00", group("PDNG")))
	mustApply(t, l, statusReport("b.xml", "2022-12-28T06:00:00", group("PART"), tx("E2", "RJCT", Reason{Code: "AC04", Info: "Konto avsluttet"})))
	assert.Equal(t, "E1=accepted E2=rejected E3=accepted E4=accepted", states(l))
	e2 := l.Track("E2")
	assert.Equal(t, "AC04", e2.Reason.Code)
	assert.Equal(t, "AC04 kontoen er avsluttet: Konto avsluttet", e2.Reason.Text())

	mustApply(t, l, statusReport("old.xml", "2022-12-27T07:00:00", tx("E2", "ACCP")))
	assert.Equal(t, StateRejected, e2.State, "an older report does not supersede")
	assert.Equal(t, "eldre enn statusen som gjelder (b.xml)", e2.History[len(e2.History)-1].Note)

	mustApply(t, l, notification("n.xml", booking("E1", "100.00")))
	mustApply(t, l, statusReport("late.xml", "2022-12-29T06:00:00", tx("E1", "RJCT")))
	assert.Equal(t, StateBooked, l.Track("E1").State, "never a booking")
	assert.False(t, l.Track("E1").History[len(l.Track("E1").History)-1].Applied)

	mustApply(t, l, statusReport("c.xml", "2022-12-29T08:00:00", tx("E2", "ACSC")))
	assert.Equal(t, StateAccepted, e2.State, "a later report supersedes a rejection")
	assert.Len(t, e2.History, 4)
}

// Apply refuses a report that does not fit the released file, and changes
// nothing.
func TestApplyRefuses(t *testing.T) {
	badAmount := tx("E1", "RJCT")
	badAmount.Amount = ptr(dec("100.01"))
	badGroup := group("ACTC")
	badGroup.CtrlSum, badGroup.NbOfTxs = ptr(dec("999.00")), "3"
	noTx := booking("E1", "100.00")
	noTx.Details, noTx.EndToEndID = false, ""
	tests := []struct {
		name string
		rep  *Report
		want []string
	}{
		{"unknown message", statusReport("s.xml", "", Status{Where: at(1), Level: LevelGroup, MsgID: "M11", Code: "ACTC"}),
			[]string{`s.xml:1 (X): OrgnlMsgId "M11" is not a payment file payout released (released: M12)`}},
		{"unknown block", statusReport("s.xml", "", Status{Where: at(2), Level: LevelBlock, MsgID: "M12", PmtInfID: "B9", Code: "RJCT"}),
			[]string{`s.xml:2 (X): OrgnlPmtInfId "B9" is not a payment block of M12`}},
		{"unknown end-to-end id", statusReport("s.xml", "", tx("E9", "RJCT")), []string{`s.xml:3 (X): OrgnlEndToEndId "E9" is not a payment of M12`}},
		{"amount of a status", statusReport("s.xml", "", badAmount), []string{`s.xml:3 (X): the amount 100.01 is not the released amount 100.00 of E1`}},
		{"control figures", statusReport("s.xml", "", badGroup), []string{`s.xml:1 (X): OrgnlNbOfTxs 3 is not the 4 payments of M12`}},
		{"not a status code", statusReport("s.xml", "", tx("E1", "OKAY")), []string{`s.xml:3 (X): "OKAY" is not an ISO 20022 payment status code`}},
		{"PART of a transaction", statusReport("s.xml", "", tx("E1", "PART")), []string{`s.xml:3 (X): PART is a status of a group or block, not of one transaction (E1)`}},
		{"a transaction twice", statusReport("s.xml", "", tx("E1", "RJCT"), tx("E1", "ACCP")), []string{`s.xml:3 (X): a second status for E1 in one report (also at line 3)`}},
		{"booked amount differs", notification("n.xml", booking("E2", "200.50")), []string{`n.xml:5 (X): booked amount 200.50 is not the released amount 200.00 of E2 (payee P2)`}},
		{"booked currency differs", notification("n.xml", func() Booking { b := booking("E2", "200.00"); b.Currency = "SEK"; return b }()),
			[]string{`n.xml:5 (X): booked currency SEK is not the released NOK of E2`}},
		{"creditor account differs", notification("n.xml", func() Booking { b := booking("E2", "200.00"); b.CreditorAccount = "15031200099"; return b }()),
			[]string{`n.xml:5 (X): creditor account 15031200099 is not the released account 15031200002 of E2 (payee P2)`}},
		{"end-to-end id not in the batch", notification("n.xml", booking("E9", "1.00")), []string{`n.xml:5 (X): EndToEndId "E9" is not a payment of M12`}},
		{"booked twice in one notification", notification("n.xml", booking("E1", "100.00"), booking("E1", "100.00")),
			[]string{`n.xml:5 (X): E1 is booked twice in this notification (also at line 5)`}},
		{"batch without transaction details", notification("n.xml", noTx),
			[]string{`n.xml:5 (X): the entry books payment file M12 without transaction details (NtryDtls/TxDtls): payout books each payment by its EndToEndId; ask the bank for camt.054 with one TxDtls per payment`}},
		{"nothing of ours", notification("n.xml", Booking{Where: at(5), Status: "BOOK", Amount: dec("1875.00"), Currency: "NOK"}),
			[]string{`n.xml (BkToCstmrDbtCdtNtfctn): none of its entries refers to a payment file payout released (released: M12); it is not a notification of these payments`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ledger(t)
			before := states(l)
			_, err := l.Apply(tt.rep)
			require.Error(t, err)
			assert.Equal(t, strings.Join(tt.want, "\n"), err.Error())
			assert.Equal(t, before, states(l), "nothing changed")
			assert.Empty(t, l.applied)
		})
	}
}

func ptr[T any](v T) *T { return &v }

// A payment is booked once: a second notification booking it is refused.
func TestDuplicateBooking(t *testing.T) {
	l := ledger(t)
	mustApply(t, l, notification("n1.xml", booking("E1", "100.00")))
	_, err := l.Apply(notification("n2.xml", booking("E1", "100.00"), booking("E2", "200.00")))
	assert.EqualError(t, err, "n2.xml:5 (X): E1 (payee P1) is already booked by n1.xml:5 (X): a payment is booked once")
	assert.Equal(t, "E1=booked E2=sent E3=sent E4=sent", states(l))
	out := mustApply(t, l, notification("n1.xml", booking("E1", "100.00")))
	assert.True(t, out.Unchanged, "the same file (SHA-256) again is a no-op")
}

// Reconcile: every difference kind, and the balance.
func TestReconcile(t *testing.T) {
	l := ledger(t)
	mustApply(t, l, statusReport("s.xml", "", group("PART"), tx("E3", "RJCT", Reason{Code: "AC01"}), tx("E4", "RJCT", Reason{Code: "AC04"})))
	unknown := Booking{Where: at(9), Status: "BOOK", Amount: dec("1875.00"), Currency: "NOK", EntryRef: "R9"}
	mustApply(t, l, notification("n.xml", booking("E1", "100.00"), booking("E4", "400.00"), unknown))
	r := l.Reconcile(p12)
	assert.Equal(t, "1000.00", r.CtrlSum.StringFixed(2))
	assert.Equal(t, "500.00", r.Booked.StringFixed(2))
	assert.Equal(t, "300.00", r.OpenRejected.StringFixed(2), "E3; E4 was booked after all")
	assert.Equal(t, "200.00", r.Unbooked.StringFixed(2))
	var kinds []string
	for _, d := range r.Differences {
		kinds = append(kinds, d.EndToEndID+":"+string(d.Kind))
	}
	assert.Equal(t, []string{"E2:mangler bokføring", "E4:bokført selv om avvist", ":ukjent post"}, kinds)
	assert.False(t, r.Balanced(), "500 booked, 1000 − 300 expected")
	assert.False(t, r.Clean())

	mustApply(t, l, notification("n2.xml", booking("E2", "200.00")))
	r = l.Reconcile(p12)
	assert.True(t, r.Balanced(), "700 = 1000 − 300")

	// What import refuses can still be found in what is stored: a second
	// booking, or one at another amount.
	e1 := l.Track("E1")
	e1.Bookings = append(e1.Bookings, e1.Bookings[0])
	l.Track("E2").Bookings[0].Amount = dec("201.00")
	r = l.Reconcile(p12)
	kinds = nil
	for _, d := range r.Differences {
		kinds = append(kinds, d.EndToEndID+":"+string(d.Kind))
	}
	assert.Equal(t, []string{"E1:bokført mer enn én gang", "E2:beløpet avviker", "E4:bokført selv om avvist", ":ukjent post"}, kinds)
}

// A supplement pays a rejected payment again; the original is then never
// repayable, and the period reconciles once the supplement is booked.
func TestSupplement(t *testing.T) {
	l := ledger(t)
	mustApply(t, l, statusReport("s.xml", "", group("PART"), tx("E2", "RJCT", Reason{Code: "AC04"})))
	mustApply(t, l, notification("n.xml", booking("E1", "100.00"), booking("E3", "300.00"), booking("E4", "400.00")))
	assert.Equal(t, []string{"E2"}, e2es(l.Repayable(p12)))
	assert.Equal(t, []string{"E2"}, e2es(l.OpenRejections(p12+1)), "reported by the next period until paid again")
	assert.Empty(t, l.OpenRejections(p12-1))

	sup := File{MsgID: "M12-S1", Period: p12, Supplement: 1, ExecutionDate: payout.MustDate("2023-01-05"), CtrlSum: dec("200.00"),
		Payments: []Payment{{PmtInfID: "M12-S1-B", EndToEndID: "E2-S1", PayeeID: "P2", Account: "15031200099", Amount: dec("200.00"), Currency: "NOK", Original: "E2"}}}
	require.NoError(t, l.AddFile(sup))
	assert.Empty(t, l.Repayable(p12), "never paid twice")
	assert.Empty(t, l.OpenRejections(p12+1))
	r := l.Reconcile(p12)
	assert.False(t, r.Clean())
	assert.Equal(t, DiffMissing, r.Differences[0].Kind)
	assert.Equal(t, "E2-S1", r.Differences[0].EndToEndID)

	b := booking("E2-S1", "200.00")
	b.MsgID, b.PmtInfID, b.CreditorAccount = "M12-S1", "M12-S1-B", "15031200099"
	mustApply(t, l, notification("n2.xml", b))
	r = l.Reconcile(p12)
	assert.True(t, r.Clean(), "%+v", r.Differences)
	assert.Equal(t, "1000.00", r.Booked.StringFixed(2))

	// The original booked after all: the payee was paid twice.
	mustApply(t, l, notification("n3.xml", booking("E2", "200.00")))
	r = l.Reconcile(p12)
	require.Len(t, r.Differences, 1)
	assert.Equal(t, DiffBookedRejected, r.Differences[0].Kind)
	assert.Contains(t, r.Differences[0].Detail, "betalt på nytt som E2-S1")
}

func e2es(ts []*Track) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.EndToEndID)
	}
	return out
}

// Overdue counts banking days after the execution date (policy
// bank_booking_days): 2022-12-28 (Wednesday) + 2 banking days is
// 2022-12-30; 2023-01-02 is the first day a payment is overdue.
func TestOverdue(t *testing.T) {
	assert.Equal(t, payout.MustDate("2022-12-30"), BookingDeadline(payout.MustDate("2022-12-28"), 2))
	assert.Equal(t, payout.MustDate("2022-12-27"), BookingDeadline(payout.MustDate("2022-12-23"), 1), "over Christmas")
	l := ledger(t)
	mustApply(t, l, statusReport("s.xml", "", group("PART"), tx("E2", "RJCT")))
	mustApply(t, l, notification("n.xml", booking("E1", "100.00")))
	assert.Empty(t, l.Overdue(payout.MustDate("2022-12-30"), 2))
	assert.Equal(t, []string{"E3", "E4"}, e2es(l.Overdue(payout.MustDate("2023-01-02"), 2)), "rejected and booked are not overdue")
	counts := l.Summary(p12)
	assert.Equal(t, Count{State: StateAccepted, N: 2, Sum: dec("700.00")}, counts[2])
}

// NewLedger refuses released files that do not add up.
func TestNewLedgerRefuses(t *testing.T) {
	f := release()
	f.CtrlSum = dec("999.99")
	_, err := NewLedger([]File{f})
	assert.EqualError(t, err, "bank: payment file M12: the payments sum to 1000.00, not its CtrlSum 999.99")
	_, err = NewLedger([]File{release(), release()})
	assert.EqualError(t, err, `bank: payment file "M12": no MsgId, or a MsgId used before`)
}

func TestCodes(t *testing.T) {
	for _, c := range []string{"AC01", "AC04", "AC06", "AM04", "MS03"} {
		assert.NotContains(t, ReasonText(c), "ukjent", c)
	}
	assert.Equal(t, "ukjent årsakskode XY99 (se bankens veiledning)", ReasonText("XY99"))
	assert.Equal(t, "X1 (bankens egen kode): Kontakt banken", Reason{Code: "X1", Proprietary: true, Info: "Kontakt banken"}.Text())
	for _, c := range []string{"ACCP", "ACTC", "ACWC", "ACSP", "ACSC", "PDNG", "RJCT", "RCVD", "PART"} {
		_, _, ok := stateOf(c)
		assert.True(t, ok, c)
		assert.NotContains(t, StatusText(c), "ukjent", c)
	}
}

func TestAttach(t *testing.T) {
	run := []payout.Payment{{PayeeID: "P1", EndToEndID: "E1", Amount: dec("100.00"), Account: "1503.12.00001"}}
	f := File{MsgID: "M", Payments: []Payment{{EndToEndID: "E1", Amount: dec("100.00"), Account: "15031200001"}}}
	require.NoError(t, f.Attach(run))
	assert.Equal(t, "P1", f.Payments[0].PayeeID)
	f.Payments[0].Amount = dec("100.01")
	assert.EqualError(t, f.Attach(run), "bank: payment file M: E1 pays 100.01 to 15031200001, the run 100.00 to 15031200001")
	f.Payments[0].EndToEndID = "E9"
	assert.EqualError(t, f.Attach(run), "bank: payment file M: EndToEndId E9 is not a payment of the run")
	assert.EqualError(t, f.Attach(nil), "bank: payment file M holds 1 payments, the run 0")
}
