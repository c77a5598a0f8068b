package bank

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

// history is a random life of a store's bank step: periods released,
// reports imported, supplements released, in some order.
type history struct {
	rng         *rand.Rand
	runs, sups  []File
	reports     []*Report
	checkpoints [][]byte // the open items after each import
	after       []int    // len(runs), len(sups) when each was taken
	afterSups   []int
}

// ledgerNow is the ledger as storedLedger builds it from what is there.
func (h *history) ledgerNow(t *testing.T) *Ledger {
	l, err := NewLedger(append(append([]File{}, h.runs...), h.sups...))
	require.NoError(t, err)
	for _, r := range h.reports {
		_, err := l.Apply(r)
		require.NoError(t, err)
	}
	return l
}

func (h *history) releaseRun() {
	n := len(h.runs)
	p := payout.MustPeriod("2025-01") + payout.Period(n)
	f := File{MsgID: fmt.Sprintf("M%d", n), Period: p, ExecutionDate: payout.MustDate("2025-01-28") + payout.Date(30*n)}
	for i := range 2 + h.rng.IntN(5) {
		f.Payments = append(f.Payments, Payment{PmtInfID: f.MsgID + "-B", EndToEndID: fmt.Sprintf("E%d-%d", n, i),
			PayeeID: fmt.Sprintf("P%d", i), Account: fmt.Sprintf("150312%05d", i), Amount: decimal.New(int64(100+i), 0), Currency: "NOK"})
	}
	f.CtrlSum = sum(f.Payments)
	h.runs = append(h.runs, f)
}

func sum(ps []Payment) decimal.Decimal {
	s := decimal.Zero
	for _, p := range ps {
		s = s.Add(p.Amount)
	}
	return s
}

// releaseSupplement pays again some of the open rejections.
func (h *history) releaseSupplement(t *testing.T) {
	rej := h.ledgerNow(t).OpenRejections(payout.MustPeriod("2099-12"))
	if len(rej) == 0 {
		return
	}
	n := len(h.sups) + 1
	f := File{MsgID: fmt.Sprintf("S%d", n), Period: rej[0].File.Period, Supplement: n, ExecutionDate: rej[0].File.ExecutionDate + 3}
	for i, o := range rej[:1+h.rng.IntN(len(rej))] {
		f.Payments = append(f.Payments, Payment{PmtInfID: f.MsgID + "-B", EndToEndID: fmt.Sprintf("S%d-%d", n, i), PayeeID: o.PayeeID,
			Account: "15031299999", Amount: o.Amount, Currency: "NOK", Original: o.EndToEndID})
	}
	f.CtrlSum = sum(f.Payments)
	h.sups = append(h.sups, f)
}

// importReport answers one released file with statuses or bookings.
func (h *history) importReport(t *testing.T) {
	files := append(append([]File{}, h.runs...), h.sups...)
	if len(files) == 0 {
		return
	}
	f := files[h.rng.IntN(len(files))]
	l := h.ledgerNow(t)
	name := fmt.Sprintf("r%d.xml", len(h.reports))
	var rep *Report
	if h.rng.IntN(2) == 0 {
		rep = &Report{File: name, SHA256: name, Kind: StatusReport, Created: fmt.Sprintf("2025-06-01T10:%02d:00", h.rng.IntN(60))}
		for i, p := range f.Payments {
			if h.rng.IntN(2) == 0 {
				code := []string{"ACCP", "ACSC", "RJCT", "PDNG"}[h.rng.IntN(4)]
				rep.Statuses = append(rep.Statuses, Status{Where: at(i + 1), Level: LevelTransaction, MsgID: f.MsgID,
					PmtInfID: p.PmtInfID, EndToEndID: p.EndToEndID, Code: code, Reasons: []Reason{{Code: "AC04", Info: "x"}}})
			}
		}
		if len(rep.Statuses) == 0 {
			rep.Statuses = append(rep.Statuses, Status{Where: at(1), Level: LevelGroup, MsgID: f.MsgID, Code: "ACCP"})
		}
	} else {
		rep = &Report{File: name, SHA256: name, Kind: Notification}
		for i, p := range f.Payments {
			if len(l.Track(p.EndToEndID).Bookings) == 0 && h.rng.IntN(2) == 0 {
				rep.Bookings = append(rep.Bookings, Booking{Where: at(i + 1), Status: "BOOK", MsgID: f.MsgID, PmtInfID: p.PmtInfID,
					EndToEndID: p.EndToEndID, Amount: p.Amount, Currency: "NOK", Details: true, BookingDate: f.ExecutionDate})
			}
		}
		if len(rep.Bookings) == 0 {
			return
		}
	}
	_, err := l.Apply(rep)
	require.NoError(t, err)
	h.reports = append(h.reports, rep)
	h.checkpoints = append(h.checkpoints, l.Open().Encode())
	h.after = append(h.after, len(h.runs))
	h.afterSups = append(h.afterSups, len(h.sups))
}

// The open items stored after the last import, with the files released
// since added, answer OpenRejections and Overdue as the whole ledger
// does, and are its open items byte for byte.
func TestOpenItemsAreTheLedgers(t *testing.T) {
	for seed := range uint64(300) {
		h := &history{rng: rand.New(rand.NewPCG(seed, 7))}
		for range 5 + h.rng.IntN(30) {
			switch k := h.rng.IntN(10); {
			case k < 2:
				h.releaseRun()
			case k < 3:
				h.releaseSupplement(t)
			default:
				h.importReport(t)
			}
		}
		if len(h.checkpoints) == 0 {
			continue
		}
		whole := h.ledgerNow(t)
		last := len(h.checkpoints) - 1
		o, err := DecodeOpen(h.checkpoints[last])
		require.NoError(t, err)
		require.Equal(t, h.checkpoints[last], o.Encode(), "seed %d: a record read back is the same bytes", seed)
		runs, sups := o.Released()
		require.Len(t, runs, h.after[last])
		require.Len(t, sups, h.afterSups[last])
		for _, f := range h.runs[h.after[last]:] {
			o.Add(f)
		}
		for _, f := range h.sups[h.afterSups[last]:] {
			o.Add(f)
		}
		require.Equal(t, string(whole.Open().Encode()), string(o.Encode()), "seed %d", seed)
		for _, p := range []string{"2025-01", "2025-03", "2099-12"} {
			assert.Equal(t, e2es(whole.OpenRejections(payout.MustPeriod(p))), e2es(o.OpenRejections(payout.MustPeriod(p))), "seed %d", seed)
		}
		for _, day := range []string{"2025-02-05", "2025-06-01", "2026-01-01"} {
			assert.Equal(t, e2es(whole.Overdue(payout.MustDate(day), 3)), e2es(o.Overdue(payout.MustDate(day), 3)), "seed %d", seed)
		}
	}
}

// Every cut of a record, extra bytes after it, and a file filed with the
// wrong kind are refused without a panic.
func TestOpenRecordRefusesOthers(t *testing.T) {
	h := &history{rng: rand.New(rand.NewPCG(1, 2))}
	h.releaseRun()
	h.releaseRun()
	for range 8 {
		h.importReport(t)
	}
	require.NotEmpty(t, h.checkpoints)
	rec := h.checkpoints[len(h.checkpoints)-1]
	for i := range len(rec) {
		_, err := DecodeOpen(rec[:i])
		assert.Error(t, err, "cut at %d", i)
	}
	_, err := DecodeOpen(append(append([]byte{}, rec...), 0))
	assert.Error(t, err)
	o := ledger(t, release(), File{MsgID: "S1", Period: p12, Supplement: 1}).Open()
	o.runs, o.sups = o.sups, o.runs
	_, err = DecodeOpen(o.Encode())
	assert.ErrorContains(t, err, "wrong kind")
}

func FuzzDecodeOpen(f *testing.F) {
	l, err := NewLedger([]File{release(), {MsgID: "S1", Period: p12, Supplement: 1}})
	if err != nil {
		f.Fatal(err)
	}
	if _, err := l.Apply(statusReport("r", "", tx("E2", "RJCT", Reason{Code: "AC04", Info: "x"}))); err != nil {
		f.Fatal(err)
	}
	f.Add(l.Open().Encode())
	f.Fuzz(func(t *testing.T, rec []byte) {
		if o, err := DecodeOpen(rec); err == nil {
			o.OpenRejections(p12)
			o.Overdue(payout.MustDate("2030-01-01"), 3)
		}
	})
}
