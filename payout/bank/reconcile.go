package bank

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// DiffKind is one kind of reconciliation difference.
type DiffKind string

// The differences Reconcile lists (issue 13), with their Norwegian names.
const (
	DiffMissing        DiffKind = "mangler bokføring"
	DiffAmount         DiffKind = "beløpet avviker"
	DiffBookedRejected DiffKind = "bokført selv om avvist"
	DiffBookedTwice    DiffKind = "bokført mer enn én gang"
	DiffUnknown        DiffKind = "ukjent post"
	DiffCredit         DiffKind = "kreditering (tilbakeført?)"
)

// Difference is one line of the reconciliation's list.
type Difference struct {
	Kind       DiffKind
	EndToEndID string
	PayeeID    string
	Amount     decimal.Decimal
	Detail     string
}

// Row is one released payment of a period as the reconciliation sees it.
type Row struct {
	*Track
	Booked decimal.Decimal // the sum of its bookings
	// Latest: no later supplement payment pays it again, so its state is
	// the outcome for the payee.
	Latest bool
	Diffs  []DiffKind
}

// Reconciliation is the control of one period's released files.
type Reconciliation struct {
	Period       payout.Period
	CtrlSum      decimal.Decimal // of the period's own payments.xml
	Booked       decimal.Decimal // every booking of the period's files
	OpenRejected decimal.Decimal // rejected, and not paid again
	Unbooked     decimal.Decimal // neither booked nor rejected
	Rows         []Row           // the period's file, then each supplement
	Differences  []Difference
}

// Balanced reports whether booked = CtrlSum − open rejections.
func (r *Reconciliation) Balanced() bool { return r.Booked.Equal(r.CtrlSum.Sub(r.OpenRejected)) }

// Clean reports whether the period is reconciled: balanced, and no
// difference at all (every payment booked once at its amount or rejected).
func (r *Reconciliation) Clean() bool { return r.Balanced() && len(r.Differences) == 0 }

// Reconcile checks period p: every released payment booked exactly once at
// its amount, booked sum = CtrlSum less open rejections, and every
// difference listed.
func (l *Ledger) Reconcile(p payout.Period) *Reconciliation {
	r := &Reconciliation{Period: p}
	for _, f := range l.files {
		if f.Period != p {
			continue
		}
		if f.Supplement == 0 {
			r.CtrlSum = r.CtrlSum.Add(f.CtrlSum)
		}
		for _, pay := range f.Payments {
			r.addRow(l.byE2E[pay.EndToEndID])
		}
	}
	for _, u := range l.unknown {
		if containsPeriod(u.Periods, p) {
			kind := DiffUnknown
			if u.Credit {
				kind = DiffCredit
			}
			r.Differences = append(r.Differences, Difference{Kind: kind, EndToEndID: u.EndToEndID, Amount: u.Amount,
				Detail: fmt.Sprintf("%s: %s %s, ref. %s", u.Source, u.Amount.StringFixed(2), u.Currency, firstNonEmpty(u.EntryRef, u.EndToEndID))})
		}
	}
	return r
}

func (r *Reconciliation) addRow(t *Track) {
	row := Row{Track: t, Latest: t.RepaidBy == ""}
	for _, b := range t.Bookings {
		row.Booked = row.Booked.Add(b.Amount)
	}
	r.Booked = r.Booked.Add(row.Booked)
	diff := func(k DiffKind, detail string) {
		row.Diffs = append(row.Diffs, k)
		r.Differences = append(r.Differences, Difference{Kind: k, EndToEndID: t.EndToEndID, PayeeID: t.PayeeID, Amount: t.Amount, Detail: detail})
	}
	n := len(t.Bookings)
	switch {
	case n > 1:
		diff(DiffBookedTwice, fmt.Sprintf("%d bokføringer, sist %s", n, t.Bookings[n-1].Source))
	case n == 1 && !t.Bookings[0].Amount.Equal(t.Amount):
		diff(DiffAmount, fmt.Sprintf("bokført %s, utbetalt %s", t.Bookings[0].Amount.StringFixed(2), t.Amount.StringFixed(2)))
	}
	if n > 0 && (t.Bookings[0].AfterRejection || !row.Latest) {
		detail := "avvist før bokføringen " + t.Bookings[0].Source.String()
		if !row.Latest {
			detail = "betalt på nytt som " + t.RepaidBy + ": sjekk om mottakeren har fått to ganger"
		}
		diff(DiffBookedRejected, detail)
	}
	if row.Latest && n == 0 {
		if t.State == StateRejected {
			r.OpenRejected = r.OpenRejected.Add(t.Amount)
		} else {
			r.Unbooked = r.Unbooked.Add(t.Amount)
			diff(DiffMissing, "status: "+string(t.State))
		}
	}
	r.Rows = append(r.Rows, row)
}

func containsPeriod(ps []payout.Period, p payout.Period) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// Repayable lists the payments of period p that a supplement may pay
// again: rejected, never booked, and not already in a supplement. A
// supplement payment that was itself rejected is repayable in its turn.
func (l *Ledger) Repayable(p payout.Period) []*Track {
	var out []*Track
	for _, t := range l.tracks {
		if t.File.Period == p && t.State == StateRejected && len(t.Bookings) == 0 && t.RepaidBy == "" {
			out = append(out, t)
		}
	}
	return out
}

// OpenRejections lists, over every period before or at p, the rejected
// payments nobody has paid again: what P+1's run and due must report.
func (l *Ledger) OpenRejections(p payout.Period) []*Track {
	var out []*Track
	for _, t := range l.tracks {
		if openRejection(t, p) {
			out = append(out, t)
		}
	}
	return out
}

// Overdue lists the payments still unbooked more than days banking days
// after their execution date, as of today (neither booked nor rejected).
func (l *Ledger) Overdue(today payout.Date, days int) []*Track {
	var out []*Track
	for _, t := range l.tracks {
		if overdue(t, today, days) {
			out = append(out, t)
		}
	}
	return out
}

// BookingDeadline is the last day a payment executed on exec may still be
// unbooked: days banking days after it (policy bank_booking_days).
func BookingDeadline(exec payout.Date, days int) payout.Date {
	d := exec
	for n := 0; n < days; {
		d++
		if payout.IsBankingDay(d) {
			n++
		}
	}
	return d
}

// Count is the number and sum of a period's payments in one state.
type Count struct {
	State State
	N     int
	Sum   decimal.Decimal
}

// Summary counts the latest attempt of each payment of period p per state,
// in the order of the states.
func (l *Ledger) Summary(p payout.Period) []Count {
	order := []State{StateSent, StatePending, StateAccepted, StateRejected, StateBooked}
	counts := make([]Count, len(order))
	for i, s := range order {
		counts[i].State = s
	}
	for _, t := range l.tracks {
		if t.File.Period != p || t.RepaidBy != "" {
			continue
		}
		for i := range counts {
			if counts[i].State == t.State {
				counts[i].N++
				counts[i].Sum = counts[i].Sum.Add(t.Amount)
			}
		}
	}
	return counts
}
