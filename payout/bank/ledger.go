package bank

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// Source is where a fact came from: a report and its element.
type Source struct {
	File string
	Where
}

func (s Source) String() string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d (%s)", s.File, s.Line, s.Element)
	}
	return fmt.Sprintf("%s (%s)", s.File, s.Element)
}

// Event is one status a report gave a payment, applied or not.
type Event struct {
	Source
	Code    string
	State   State
	Reason  *Reason
	Applied bool
	Note    string // why it was not applied
}

// Posted is one booking of a payment.
type Posted struct {
	Source
	Booking
	// AfterRejection: the payment stood rejected when it was booked.
	AfterRejection bool
}

// Unknown is a camt.054 entry that refers to no released file, or a credit.
type Unknown struct {
	Source
	Booking
	// Periods are those of the released files the same report books, so
	// the entry is listed with them.
	Periods []payout.Period
}

// Track is one released payment and what the bank said about it.
type Track struct {
	Payment
	File     *File
	State    State
	Code     string  // the status code in force ("" while sent)
	Reason   *Reason // the first reason of the status in force
	StatusBy Source
	Bookings []Posted
	History  []Event
	// RepaidBy is the EndToEndId of the supplement payment that pays this
	// one again.
	RepaidBy string

	statusAt time.Time
}

// Ledger holds the released files and the reports applied to them.
type Ledger struct {
	files   []*File
	byMsg   map[string]*File
	blocks  map[string]*File
	tracks  []*Track
	byE2E   map[string]*Track
	unknown []Unknown
	applied map[string]string // SHA-256 → report file name
}

// NewLedger starts a ledger from the released files (in release order). A
// file must be consistent: a new MsgId, EndToEndIds not seen before, and
// payments that sum to its CtrlSum.
func NewLedger(files []File) (*Ledger, error) {
	l := &Ledger{byMsg: map[string]*File{}, blocks: map[string]*File{}, byE2E: map[string]*Track{}, applied: map[string]string{}}
	for i := range files {
		if err := l.add(files[i]); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (l *Ledger) add(file File) error {
	f := &file
	if f.MsgID == "" || l.byMsg[f.MsgID] != nil {
		return fmt.Errorf("bank: payment file %q: no MsgId, or a MsgId used before", f.MsgID)
	}
	sum := decimal.Zero
	for _, p := range f.Payments {
		if p.EndToEndID == "" || l.byE2E[p.EndToEndID] != nil {
			return fmt.Errorf("bank: payment file %s: EndToEndId %q is empty or used before", f.MsgID, p.EndToEndID)
		}
		t := &Track{Payment: p, File: f, State: StateSent}
		l.tracks = append(l.tracks, t)
		l.byE2E[p.EndToEndID] = t
		l.blocks[p.PmtInfID] = f
		sum = sum.Add(p.Amount)
		if p.Original != "" {
			if o := l.byE2E[p.Original]; o != nil {
				o.RepaidBy = p.EndToEndID
			}
		}
	}
	if !sum.Equal(f.CtrlSum) {
		return fmt.Errorf("bank: payment file %s: the payments sum to %s, not its CtrlSum %s", f.MsgID, sum.StringFixed(2), f.CtrlSum.StringFixed(2))
	}
	l.files = append(l.files, f)
	l.byMsg[f.MsgID] = f
	return nil
}

// AddFile adds a file released after the ledger was made (a supplement).
func (l *Ledger) AddFile(f File) error { return l.add(f) }

// Track returns the payment with this EndToEndId, or nil.
func (l *Ledger) Track(endToEndID string) *Track { return l.byE2E[endToEndID] }

// Files are the released files, in release order.
func (l *Ledger) Files() []*File { return l.files }

// Outcome says what Apply did.
type Outcome struct {
	Unchanged bool // the same report (SHA-256) was applied before
	Statuses  int  // payments whose status changed
	Bookings  int
	Unknown   int // entries that refer to no released file
	Ignored   []string
	// Periods are the released periods the report answers, sorted.
	Periods []payout.Period
}

// Apply checks a report against the ledger and applies it; a refused report
// changes nothing (the error is a payout.ErrorList).
func (l *Ledger) Apply(rep *Report) (Outcome, error) {
	if prev, ok := l.applied[rep.SHA256]; ok && rep.SHA256 != "" {
		return Outcome{Unchanged: true, Ignored: []string{"the same bytes as " + prev}}, nil
	}
	var out Outcome
	var err error
	switch rep.Kind {
	case StatusReport:
		out, err = l.applyStatuses(rep)
	case Notification:
		out, err = l.applyBookings(rep)
	default:
		err = payout.ErrorList{&payout.InputError{File: rep.File, Msg: fmt.Sprintf("%q is not a pain.002 or camt.054 report", rep.Kind)}}
	}
	if err == nil && rep.SHA256 != "" {
		l.applied[rep.SHA256] = rep.File
	}
	return out, err
}

// problem is one refusal, at an element of a report.
func problem(rep *Report, w Where, format string, a ...any) *payout.InputError {
	return &payout.InputError{File: rep.File, Line: w.Line, Column: w.Element, Msg: fmt.Sprintf(format, a...)}
}

// knownFiles names the released files for a message that names none of them.
func (l *Ledger) knownFiles() string {
	ids := make([]string, len(l.files))
	for i, f := range l.files {
		ids[i] = f.MsgID
	}
	if len(ids) == 0 {
		return "no payment file is released"
	}
	if len(ids) > 5 {
		ids = append(ids[len(ids)-5:], "…")
	}
	return "released: " + strings.Join(ids, ", ")
}

// createdAt reads a report's CreDtTm; a time without a zone is taken as
// UTC (only reports of the same bank are compared). Zero when unreadable.
func createdAt(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// sortedPeriods lists a set of periods in order.
func sortedPeriods(set map[payout.Period]bool) []payout.Period {
	ps := make([]payout.Period, 0, len(set))
	for p := range set {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	return ps
}

// Attach names the payee of each payment of a file read back from its bytes
// (iso20022.ReadPaymentFile) from the run's payments, and checks that the
// file pays what the run says: the same EndToEndIds, amounts and accounts.
func (f *File) Attach(run []payout.Payment) error {
	byE2E := make(map[string]payout.Payment, len(run))
	for _, p := range run {
		byE2E[p.EndToEndID] = p
	}
	if len(run) != len(f.Payments) {
		return fmt.Errorf("bank: payment file %s holds %d payments, the run %d", f.MsgID, len(f.Payments), len(run))
	}
	for i := range f.Payments {
		fp := &f.Payments[i]
		p, ok := byE2E[fp.EndToEndID]
		switch {
		case !ok:
			return fmt.Errorf("bank: payment file %s: EndToEndId %s is not a payment of the run", f.MsgID, fp.EndToEndID)
		case !p.Amount.Equal(fp.Amount) || payout.NormalizeAccount(p.Account) != fp.Account:
			return fmt.Errorf("bank: payment file %s: %s pays %s to %s, the run %s to %s", f.MsgID, fp.EndToEndID,
				fp.Amount.StringFixed(2), fp.Account, p.Amount.StringFixed(2), payout.NormalizeAccount(p.Account))
		}
		fp.PayeeID = p.PayeeID
	}
	return nil
}
