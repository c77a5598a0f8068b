package payout

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
// remittance text). It is the one place the digest is defined: the store
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
	w := digestWriter{w: out}
	w.rec("version", DigestVersion)
	w.rec("period", r.Period.String())
	w.rec("as_of", r.AsOf.String())
	w.rec("pay_date", r.PayDate.String())
	w.rec("total", r.Total)
	w.rec("counts", len(r.Lines), len(r.Adjustments), len(r.Payments))
	d := r.Policy.Debtor
	w.rec("debtor", d.Name, d.Account, d.OrgNr, d.BIC)
	for i := range r.Lines {
		digestLine(&w, &r.Lines[i])
	}
	for _, a := range r.Adjustments {
		w.rec("adjustment", a.AgreementID, a.Bydel, string(a.Role), a.PayeeID, a.RefPeriod.String(),
			a.Before, a.After, a.Amount, string(a.Reason))
	}
	for _, p := range r.Payments {
		w.rec("payment", p.PayeeID, p.Name, p.Account, p.OrgNr, p.Amount, p.EndToEndID, p.Remittance,
			strings.Join(p.Bydeler, ","))
	}
}

func digestLine(w *digestWriter, l *Line) {
	w.rec("line", l.Period.String(), l.Bydel, l.AgreementID, l.HPR, l.Name, string(l.Scheme), string(l.Role),
		l.PayeeID, l.ListID, l.Count, l.Members, l.AnnualAmount, l.SharePercent,
		l.ActiveDays, l.PaidDays, l.UnpaidDays, l.VikarDays,
		l.Base, l.AbsenceDeduction, l.VikarAmount, l.Entitlement, l.Withheld, l.Released,
		l.Adjustments, l.CarriedIn, l.Net, l.CarriedOut, strings.Join(l.Rules, ","))
}

// digestWriter writes canonical records; a hash's Write never fails, and
// the golden test's buffer neither.
type digestWriter struct{ w io.Writer }

// rec writes the tag and the fields of one record and a newline. Only the
// kinds below are allowed, so a new field type cannot enter the digest in
// a form nobody chose.
func (w digestWriter) rec(tag string, fields ...any) {
	var b strings.Builder
	b.WriteString(tag)
	for _, f := range fields {
		b.WriteByte(' ')
		switch v := f.(type) {
		case string:
			b.WriteString(strconv.Quote(v))
		case int:
			b.WriteString(strconv.Itoa(v))
		case decimal.Decimal:
			b.WriteString(v.String())
		default:
			panic(fmt.Sprintf("payout: RunDigest cannot serialise %T", f))
		}
	}
	b.WriteByte('\n')
	_, _ = io.WriteString(w.w, b.String())
}
