package bank

import (
	"github.com/oslokommune/payout/payout"
)

// A camt.054 books payments: each transaction of an entry (TxDtls) is
// matched by its EndToEndId, and its amount, currency and creditor account
// must be the released ones.

func (l *Ledger) applyBookings(rep *Report) (Outcome, error) {
	var errs payout.ErrorList
	// A national notification books ten thousand payments: room for them
	// at once (issue 16).
	posts := make([]Posted, 0, len(rep.Bookings))
	var unknown []Unknown
	periods := map[payout.Period]bool{}
	seen := make(map[string]Where, len(rep.Bookings))
	for i := range rep.Bookings {
		b := &rep.Bookings[i]
		if b.Status != "BOOK" {
			continue // pending or information entries book nothing
		}
		t, known := l.refersTo(b)
		if !known || b.Credit {
			unknown = append(unknown, Unknown{Source: Source{rep.File, b.Where}, Booking: *b})
			continue
		}
		if p := l.checkBooking(rep, b, t, seen); p != nil {
			errs.Add(p)
			continue
		}
		seen[t.EndToEndID] = b.Where
		periods[t.File.Period] = true
		posts = append(posts, Posted{Source: Source{rep.File, b.Where}, Booking: *b})
	}
	if len(posts) == 0 && len(errs) == 0 && !l.anyReference(rep) {
		errs.Add(problem(rep, Where{Element: "BkToCstmrDbtCdtNtfctn"},
			"none of its entries refers to a payment file payout released (%s); it is not a notification of these payments", l.knownFiles()))
	}
	if err := errs.Err(); err != nil {
		errs.Sort()
		return Outcome{}, err
	}
	for i := range posts {
		p := &posts[i]
		t := l.byE2E[p.EndToEndID]
		p.AfterRejection = t.State == StateRejected
		t.Bookings = append(t.Bookings, *p)
		t.State = StateBooked
	}
	ps := sortedPeriods(periods)
	for i := range unknown {
		unknown[i].Periods = ps
	}
	l.unknown = append(l.unknown, unknown...)
	return Outcome{Bookings: len(posts), Unknown: len(unknown), Periods: ps}, nil
}

// refersTo finds the payment a booking names; known is true when it names
// a released file, block or payment at all.
func (l *Ledger) refersTo(b *Booking) (*Track, bool) {
	t := l.byE2E[b.EndToEndID]
	return t, t != nil || l.byMsg[b.MsgID] != nil || l.blocks[b.PmtInfID] != nil && b.PmtInfID != ""
}

// anyReference reports whether any entry of rep, booked or not, refers to a
// released file.
func (l *Ledger) anyReference(rep *Report) bool {
	for i := range rep.Bookings {
		if _, known := l.refersTo(&rep.Bookings[i]); known {
			return true
		}
	}
	return false
}

func (l *Ledger) checkBooking(rep *Report, b *Booking, t *Track, seen map[string]Where) *payout.InputError {
	switch {
	case !b.Details:
		return problem(rep, b.Where, "the entry books payment file %s without transaction details (NtryDtls/TxDtls): payout books each payment by its EndToEndId; ask the bank for camt.054 with one TxDtls per payment", firstNonEmpty(b.MsgID, b.PmtInfID))
	case t == nil && b.EndToEndID == "":
		return problem(rep, b.Where, "the transaction has no EndToEndId (Refs/EndToEndId), so it cannot be matched to a payment of %s", firstNonEmpty(b.MsgID, b.PmtInfID))
	case t == nil:
		return problem(rep, b.Where, "EndToEndId %q is not a payment of %s", b.EndToEndID, firstNonEmpty(b.MsgID, b.PmtInfID))
	case b.MsgID != "" && b.MsgID != t.File.MsgID:
		return problem(rep, b.Where, "EndToEndId %s is a payment of %s, not of MsgId %s", t.EndToEndID, t.File.MsgID, b.MsgID)
	case b.PmtInfID != "" && b.PmtInfID != t.PmtInfID:
		return problem(rep, b.Where, "EndToEndId %s is in block %s, not %s", t.EndToEndID, t.PmtInfID, b.PmtInfID)
	case !b.Amount.Equal(t.Amount):
		return problem(rep, b.Where, "booked amount %s is not the released amount %s of %s (payee %s)", b.Amount.StringFixed(2), t.Amount.StringFixed(2), t.EndToEndID, t.PayeeID)
	case b.Currency != t.Currency:
		return problem(rep, b.Where, "booked currency %s is not the released %s of %s", b.Currency, t.Currency, t.EndToEndID)
	case b.CreditorAccount != "" && b.CreditorAccount != t.Account:
		return problem(rep, b.Where, "creditor account %s is not the released account %s of %s (payee %s)", b.CreditorAccount, t.Account, t.EndToEndID, t.PayeeID)
	case len(t.Bookings) > 0:
		return problem(rep, b.Where, "%s (payee %s) is already booked by %s: a payment is booked once", t.EndToEndID, t.PayeeID, t.Bookings[0].Source)
	}
	if w, dup := seen[t.EndToEndID]; dup {
		return problem(rep, b.Where, "%s is booked twice in this notification (also at line %d)", t.EndToEndID, w.Line)
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return "?"
}
