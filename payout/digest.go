package payout

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// DigestVersion names the canonical serialisation RunDigest hashes; a new
// serialisation gets a new name, so a digest never silently changes meaning.
const DigestVersion = "payout-run-digest/1"

// RunDigest is the SHA-256 (hex) of the run's canonical serialisation: the
// money a person reviewed and two people approve. It covers the period, the
// as-of and payment dates, the total, the debtor, every line (lines.csv:
// who, how many days, every amount, the rule IDs), every adjustment
// (adjustments.csv) and every payment (payments.csv and the bank file:
// payee, name, account, organisation number, amount, end-to-end id,
// remittance text), and every claim (claims.csv: an overpayment that
// finance will invoice is as much the approvers' decision as a payment).
// It is the one place the digest is defined: the store
// records it at compute, attest and approve, and release recomputes the run
// from the stored inputs and pays only when the digests agree.
//
// The serialisation is one record per line, fields separated by one space:
// strings quoted with strconv.Quote (so no value can fake a separator) and
// numbers in their exact shortest decimal form (decimal.String), so equal
// amounts give equal bytes whatever their internal exponent.
func RunDigest(r *Result) string {
	h := sha256.New()
	WriteCanonical(h, r)
	return hex.EncodeToString(h.Sum(nil))
}

// WriteCanonical writes the serialisation RunDigest hashes, so an auditor
// can read what was digested (and `sha256sum` it).
func WriteCanonical(out io.Writer, r *Result) {
	w := &digestWriter{w: out, b: make([]byte, 0, digestChunk+4<<10)}
	w.rec("version").str(DigestVersion).end()
	w.rec("period").str(r.Period.String()).end()
	w.rec("as_of").str(r.AsOf.String()).end()
	w.rec("pay_date").str(r.PayDate.String()).end()
	w.rec("total").dec(r.Total).end()
	w.rec("counts").num(len(r.Lines)).num(len(r.Adjustments)).num(len(r.Payments)).end()
	d := r.Policy.Debtor
	w.rec("debtor").str(d.Name).str(d.Account).str(d.OrgNr).str(d.BIC).end()
	for i := range r.Lines {
		digestLine(w, &r.Lines[i])
	}
	for _, a := range r.Adjustments {
		w.rec("adjustment").str(a.AgreementID).str(a.Bydel).str(string(a.Role)).str(a.PayeeID).str(a.RefPeriod.String()).
			dec(a.Before).dec(a.After).dec(a.Amount).str(string(a.Reason)).end()
	}
	for _, p := range r.Payments {
		w.rec("payment").str(p.PayeeID).str(p.Name).str(p.Account).str(p.OrgNr).dec(p.Amount).str(p.EndToEndID).
			str(p.Remittance).str(strings.Join(p.Bydeler, ",")).end()
	}
	for _, c := range r.Claims {
		w.rec("claim").str(c.AgreementID).str(c.Bydel).str(string(c.Role)).str(c.PayeeID).dec(c.Amount).
			str(c.OriginPeriod.String()).str(string(c.Cause)).end()
	}
	w.flush()
}

func digestLine(w *digestWriter, l *Line) {
	w.rec("line").str(l.Period.String()).str(l.Bydel).str(l.AgreementID).str(l.HPR).str(l.Name).str(string(l.Scheme)).
		str(string(l.Role)).str(l.PayeeID).str(l.ListID).num(l.Count).dec(l.Members).dec(l.AnnualAmount).
		dec(l.SharePercent).num(l.ActiveDays).num(l.PaidDays).num(l.UnpaidDays).num(l.VikarDays).
		dec(l.Base).dec(l.AbsenceDeduction).dec(l.VikarAmount).dec(l.Entitlement).dec(l.Withheld).dec(l.Released).
		dec(l.Adjustments).dec(l.CarriedIn).dec(l.Net).dec(l.CarriedOut).str(strings.Join(l.Rules, ",")).end()
}

// digestWriter writes canonical records, a tag and its fields, each field
// after one space and in its kind's one form: a string quoted
// (strconv.Quote), an int in decimal, a decimal.Decimal as its String. Its
// methods are the only kinds there are, so a new field type cannot enter
// the digest in a form nobody chose. Records are collected and written
// in chunks (a hash's Write never fails, and the golden test's buffer
// neither).
type digestWriter struct {
	w io.Writer
	b []byte
}

// digestChunk is how much is collected before it is written.
const digestChunk = 32 << 10

func (w *digestWriter) rec(tag string) *digestWriter {
	w.b = append(w.b, tag...)
	return w
}

func (w *digestWriter) str(v string) *digestWriter {
	w.b = strconv.AppendQuote(append(w.b, ' '), v)
	return w
}

func (w *digestWriter) num(v int) *digestWriter {
	w.b = strconv.AppendInt(append(w.b, ' '), int64(v), 10)
	return w
}

func (w *digestWriter) dec(v decimal.Decimal) *digestWriter {
	w.b = append(append(w.b, ' '), v.String()...)
	return w
}

// end ends the record with a newline.
func (w *digestWriter) end() {
	w.b = append(w.b, '\n')
	if len(w.b) >= digestChunk {
		w.flush()
	}
}

func (w *digestWriter) flush() {
	_, _ = w.w.Write(w.b)
	w.b = w.b[:0]
}
