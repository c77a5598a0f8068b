package bank

import (
	"fmt"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/record"
)

// Open items (issue 16). Every run --db and due asks the ledger two
// things: the rejections nobody has paid again (OpenRejections) and the
// payments still unbooked (Overdue). Both look only at payments that are
// neither booked nor paid again, and such a payment never becomes one
// again: a booking is final (a later status is kept as history, a second
// booking is refused) and so is RepaidBy. So what those two questions need
// of a year of releases and reports is the few payments still open, not
// the 120 000 the ledger replays. bank import, which builds the whole
// ledger anyway, stores the open items after each import (OpenRecord);
// run and due read them and add what was released since, and status
// --check requires them to be what the whole ledger says.

// OpenFormat names the open items' record layout.
const OpenFormat = "payout-bank-open/1"

// OpenItems are the payments of a ledger that are neither booked nor paid
// again, by released file. They answer OpenRejections and Overdue as the
// ledger does, and nothing else: a file's other payments are not there.
type OpenItems struct {
	// runs are the periods' own files in release order, sups the released
	// supplements in theirs: the ledger's order (storedLedger).
	runs, sups []*openFile
	byE2E      map[string]*Track
}

type openFile struct {
	file   *File // the file's header; Payments is nil
	tracks []*Track
}

// open says that t may still be a rejection or an overdue payment.
func open(t *Track) bool { return t.State != StateBooked && t.RepaidBy == "" }

// openRejection is OpenRejections' test of one payment, up to period p.
func openRejection(t *Track, p payout.Period) bool {
	return t.File.Period <= p && t.State == StateRejected && len(t.Bookings) == 0 && t.RepaidBy == ""
}

// overdue is Overdue's test of one payment.
func overdue(t *Track, today payout.Date, days int) bool {
	if t.State == StateBooked || t.State == StateRejected || t.RepaidBy != "" {
		return false
	}
	return today > BookingDeadline(t.File.ExecutionDate, days)
}

// Open is the ledger's open items.
func (l *Ledger) Open() *OpenItems {
	o := &OpenItems{byE2E: map[string]*Track{}}
	at := map[*File]*openFile{}
	for _, f := range l.files {
		of := o.file(f)
		at[f] = of
	}
	for _, t := range l.tracks {
		if open(t) {
			of := at[t.File]
			of.tracks = append(of.tracks, t)
			o.byE2E[t.EndToEndID] = t
		}
	}
	return o
}

// file starts the entry of f, a header without payments.
func (o *OpenItems) file(f *File) *openFile {
	h := *f
	h.Payments = nil
	of := &openFile{file: &h}
	if f.Supplement == 0 {
		o.runs = append(o.runs, of)
	} else {
		o.sups = append(o.sups, of)
	}
	return of
}

// Released are the message ids of the files the items cover, the periods'
// own files and the supplements, each in release order.
func (o *OpenItems) Released() (runs, sups []string) {
	for _, of := range o.runs {
		runs = append(runs, of.file.MsgID)
	}
	for _, of := range o.sups {
		sups = append(sups, of.file.MsgID)
	}
	return runs, sups
}

// Add adds a file released after the items were taken, as Ledger.AddFile
// would: its payments are open (sent), and a supplement's payments close
// the payments they pay again.
func (o *OpenItems) Add(f File) {
	of := o.file(&f)
	for _, p := range f.Payments {
		t := &Track{Payment: p, File: of.file, State: StateSent}
		of.tracks = append(of.tracks, t)
		if p.Original != "" {
			if orig := o.byE2E[p.Original]; orig != nil {
				orig.RepaidBy = p.EndToEndID
			}
		}
		o.byE2E[p.EndToEndID] = t
	}
}

// each calls fn with every open payment in the ledger's order.
func (o *OpenItems) each(fn func(*Track)) {
	for _, list := range [][]*openFile{o.runs, o.sups} {
		for _, of := range list {
			for _, t := range of.tracks {
				fn(t)
			}
		}
	}
}

// OpenRejections is Ledger.OpenRejections.
func (o *OpenItems) OpenRejections(p payout.Period) []*Track {
	var out []*Track
	o.each(func(t *Track) {
		if openRejection(t, p) {
			out = append(out, t)
		}
	})
	return out
}

// Overdue is Ledger.Overdue.
func (o *OpenItems) Overdue(today payout.Date, days int) []*Track {
	var out []*Track
	o.each(func(t *Track) {
		if overdue(t, today, days) {
			out = append(out, t)
		}
	})
	return out
}

// Encode is the items' record: each file's header and its open payments
// with the status in force; a payment paid again since it was taken is
// closed and left out, so the same items are the same bytes however they
// were reached (status --check compares them so).
func (o *OpenItems) Encode() []byte {
	w := record.NewWriter(256)
	w.Str(OpenFormat)
	for _, list := range [][]*openFile{o.runs, o.sups} {
		w.Uint(uint64(len(list)))
		for _, of := range list {
			f := of.file
			w.Str(f.MsgID)
			w.Int(int64(f.Period))
			w.Int(int64(f.Supplement))
			w.Int(int64(f.ExecutionDate))
			w.Decimal(f.CtrlSum)
			var still []*Track
			for _, t := range of.tracks {
				if open(t) {
					still = append(still, t)
				}
			}
			w.Uint(uint64(len(still)))
			for _, t := range still {
				putOpenTrack(w, t)
			}
		}
	}
	return w.Bytes()
}

func putOpenTrack(w *record.Writer, t *Track) {
	p := &t.Payment
	w.Strs(p.PmtInfID, p.EndToEndID, p.PayeeID, p.Name, p.Account)
	w.Decimal(p.Amount)
	w.Strs(p.Currency, p.Original, string(t.State), t.Code)
	w.Bool(t.Reason != nil)
	if t.Reason != nil {
		w.Strs(t.Reason.Code, t.Reason.Info)
		w.Bool(t.Reason.Proprietary)
	}
	w.Str(t.StatusBy.File)
	putWhere(w, t.StatusBy.Where)
}

// DecodeOpen is the open items a record holds. A record that is not
// Encode's of this format is an error, never a panic.
func DecodeOpen(rec []byte) (*OpenItems, error) {
	r := record.NewReader(rec)
	if f := r.Str(); f != OpenFormat {
		return nil, fmt.Errorf("bank open items record: format %q, not %q", truncate(f), OpenFormat)
	}
	o := &OpenItems{byE2E: map[string]*Track{}}
	for _, sups := range []bool{false, true} {
		for range r.Count(6) {
			f := File{MsgID: r.Str(), Period: payout.Period(r.Int32()), Supplement: int(r.Int32()),
				ExecutionDate: payout.Date(r.Int32()), CtrlSum: r.Decimal()}
			if (f.Supplement != 0) != sups {
				return nil, fmt.Errorf("bank open items record: file %s is listed with the wrong kind of files", truncate(f.MsgID))
			}
			of := o.file(&f)
			for range r.Count(12) {
				t := getOpenTrack(r)
				t.File = of.file
				of.tracks = append(of.tracks, t)
				o.byE2E[t.EndToEndID] = t
			}
		}
	}
	if err := r.End("the last open payment"); err != nil {
		return nil, fmt.Errorf("bank open items record: %w", err)
	}
	return o, nil
}

func getOpenTrack(r *record.Reader) *Track {
	t := &Track{}
	p := &t.Payment
	p.PmtInfID, p.EndToEndID, p.PayeeID, p.Name, p.Account = r.Str(), r.Str(), r.Str(), r.Str(), r.Str()
	p.Amount = r.Decimal()
	p.Currency, p.Original, t.State, t.Code = r.Str(), r.Str(), State(r.Str()), r.Str()
	if r.Bool() {
		t.Reason = &Reason{Code: r.Str(), Info: r.Str(), Proprietary: r.Bool()}
	}
	t.StatusBy.File = r.Str()
	t.StatusBy.Where = getWhere(r)
	return t
}
