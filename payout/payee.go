package payout

// Payee changes, RULEBOOK §6: "an agreement version that changes the payee
// says from which day (payee_from). Corrections of months before that day
// belong to the old payee, from that day to the new one; an old payee's
// overpayment is never set off against the new payee's money."
//
// Each day of an agreement has one holder payee, as seen at an as-of date:
// the day's amounts (and so every later correction of them, R-ADJ) belong
// to that payee's holder line. A month in which the payee changes has one
// holder line per payee (see monthCalc.splitHolder).

// payeeSpan is one payee from a day on.
type payeeSpan struct {
	from  Date
	payee string
}

// payeeSpans is the agreement's payee timeline as seen at asOf: its
// visible, uncancelled versions in recorded_on order. A version that names a
// new payee starts a span from its payee_from, or its recorded_on when
// payee_from is empty (FORMATS.md); consecutive versions of one payee are
// one span, and a payee_from on a later one corrects the day of the change.
// The first span holds from the beginning. Nil when no version is visible.
func (a *agrInputs) payeeSpans(asOf Date) []payeeSpan {
	var spans []payeeSpan
	for _, v := range a.versions {
		if v.RecordedOn > asOf {
			break
		}
		if v.Cancelled || v.knownOn() > asOf {
			continue
		}
		n := len(spans)
		switch {
		case n == 0:
			spans = append(spans, payeeSpan{Beginning, v.PayeeID})
		case spans[n-1].payee == v.PayeeID:
			if v.PayeeFrom != NoDate && n > 1 {
				spans[n-1].from = v.PayeeFrom
			}
		default:
			from := v.PayeeFrom
			if from == NoDate {
				from = v.RecordedOn // the source's date, not when payout learnt it
			}
			spans = append(spans, payeeSpan{from, v.PayeeID})
		}
	}
	return spans
}

// payeeOn returns the holder payee of day d in spans: that of the last span
// (in recorded order) in effect on d, so a later decision wins from its
// day on; the first span's before any change.
func payeeOn(spans []payeeSpan, d Date) string {
	for i := len(spans) - 1; i > 0; i-- {
		if spans[i].from <= d {
			return spans[i].payee
		}
	}
	return spans[0].payee
}

// holderPayee is the holder payee of day d as seen at asOf; with no
// version visible, the payee of the agreement as displayed.
func (a *agrInputs) holderPayee(d, asOf Date) string {
	if !a.payeeChanges {
		return a.display(asOf).PayeeID
	}
	spans := a.payeeSpans(asOf)
	if len(spans) == 0 {
		return a.display(asOf).PayeeID
	}
	return payeeOn(spans, d)
}

// holderSeg is one holder payee's run of active days within a month.
type holderSeg struct {
	payee    string
	from, to Date // the first and last active day of the run
	paid     int  // paid days of the run (status paid)
}

// holderSegs splits the month's active days by holder payee, in date
// order; nil when the agreement never changed its payee (the common case:
// then the version in force names the payee of every day).
func (c *chain) holderSegs(m *monthCalc, active []bool) []holderSeg {
	if !c.a.payeeChanges {
		return nil
	}
	spans := c.a.payeeSpans(m.asOf)
	var segs []holderSeg
	first := m.period.First()
	for i, ok := range active {
		if !ok {
			continue
		}
		d := first + Date(i)
		p := payeeOn(spans, d)
		if n := len(segs); n > 0 && segs[n-1].payee == p {
			segs[n-1].to = d
			continue
		}
		segs = append(segs, holderSeg{payee: p, from: d, to: d})
	}
	return segs
}

// segOf returns the index of the segment holding day d.
func segOf(segs []holderSeg, d Date) int {
	for i := range segs {
		if d <= segs[i].to {
			return i
		}
	}
	return len(segs) - 1
}
