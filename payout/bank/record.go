package bank

import (
	"fmt"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/record"
)

// A report's record is what the reader found in it, in a compact form the
// store keeps beside the report's bytes (issue 16): every run, bank import,
// status and due applies every stored report to the ledger, and reading a
// year of national camt.054s again (90 MB of XML) took 2.2 s of CPU per
// command, growing every month. The record holds every field of the Report
// but File and SHA256, which are the stored report's own; decimals keep
// their coefficient and exponent, so that a decoded report is the one
// read, amount texts and all. The report's bytes stay the source: `status
// --check` reads each report again and requires its record to be
// EncodeReport of what it reads.

// RecordFormat names the record's layout; the first bytes of a record.
const RecordFormat = "payout-bank-report/1"

// EncodeReport is the record of r.
func EncodeReport(r *Report) []byte {
	w := record.NewWriter(64 + len(r.Statuses)*64 + len(r.Bookings)*128)
	w.Str(RecordFormat)
	w.Strs(string(r.Kind), r.Version, r.MsgID, r.Created)
	w.Uint(uint64(len(r.Statuses)))
	for i := range r.Statuses {
		st := &r.Statuses[i]
		putWhere(w, st.Where)
		w.Uint(uint64(st.Level))
		w.Strs(st.MsgID, st.PmtInfID, st.EndToEndID, st.Code)
		w.Uint(uint64(len(st.Reasons)))
		for _, rs := range st.Reasons {
			w.Strs(rs.Code, rs.Info)
			w.Bool(rs.Proprietary)
		}
		w.Str(st.NbOfTxs)
		w.OptDecimal(st.CtrlSum)
		w.OptDecimal(st.Amount)
		w.Strs(st.Currency, st.Accounted)
	}
	w.Uint(uint64(len(r.Bookings)))
	for i := range r.Bookings {
		bk := &r.Bookings[i]
		putWhere(w, bk.Where)
		w.Str(bk.EntryRef)
		w.Bool(bk.Credit)
		w.Str(bk.Status)
		w.Int(int64(bk.BookingDate))
		w.Int(int64(bk.ValueDate))
		w.Strs(bk.MsgID, bk.PmtInfID, bk.EndToEndID)
		w.Decimal(bk.Amount)
		w.Strs(bk.Currency, bk.CreditorAccount, bk.CreditorName)
		w.Bool(bk.Details)
	}
	return w.Bytes()
}

// DecodeReport is the report a record holds, as file with digest sum. A
// record that is not EncodeReport's of this format is an error, never a
// panic.
func DecodeReport(file, sum string, rec []byte) (rep *Report, err error) {
	r := record.NewReader(rec)
	if f := r.Str(); f != RecordFormat {
		return nil, fmt.Errorf("bank report record of %s: format %q, not %q", file, truncate(f), RecordFormat)
	}
	rep = &Report{File: file, SHA256: sum, Kind: Kind(r.Str()), Version: r.Str(), MsgID: r.Str(), Created: r.Str()}
	if n := r.Count(16); n > 0 {
		rep.Statuses = make([]Status, n)
	}
	for i := range rep.Statuses {
		st := &rep.Statuses[i]
		st.Where = getWhere(r)
		st.Level = Level(r.Uint())
		st.MsgID, st.PmtInfID, st.EndToEndID, st.Code = r.Str(), r.Str(), r.Str(), r.Str()
		if n := r.Count(3); n > 0 {
			st.Reasons = make([]Reason, n)
		}
		for j := range st.Reasons {
			st.Reasons[j] = Reason{Code: r.Str(), Info: r.Str(), Proprietary: r.Bool()}
		}
		st.NbOfTxs = r.Str()
		st.CtrlSum, st.Amount = r.OptDecimal(), r.OptDecimal()
		st.Currency, st.Accounted = r.Str(), r.Str()
	}
	if n := r.Count(20); n > 0 {
		rep.Bookings = make([]Booking, n)
	}
	for i := range rep.Bookings {
		bk := &rep.Bookings[i]
		bk.Where = getWhere(r)
		bk.EntryRef, bk.Credit, bk.Status = r.Str(), r.Bool(), r.Str()
		bk.BookingDate, bk.ValueDate = payout.Date(r.Int32()), payout.Date(r.Int32())
		bk.MsgID, bk.PmtInfID, bk.EndToEndID = r.Str(), r.Str(), r.Str()
		bk.Amount = r.Decimal()
		bk.Currency, bk.CreditorAccount, bk.CreditorName = r.Str(), r.Str(), r.Str()
		bk.Details = r.Bool()
	}
	if err := r.End("the last booking"); err != nil {
		return nil, fmt.Errorf("bank report record of %s: %w", file, err)
	}
	return rep, nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func putWhere(w *record.Writer, at Where) {
	w.Int(int64(at.Line))
	w.Str(at.Element)
}

func getWhere(r *record.Reader) Where {
	return Where{Line: int(r.Int32()), Element: r.Str()}
}
