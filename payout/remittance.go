package payout

// The remittance text and the bank-text warnings of a payment (issue 13,
// DESIGN.md "Payment file": unstructured remittance text naming the period
// and the grant).

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout/banktext"
)

// Field limits of pain.001 that the payment's texts must fit: Nm and Ustrd
// as the Norwegian banks' guides take them.
const (
	MaxNameLen       = 70
	MaxRemittanceLen = 140
)

// remitFacts is what one payment holds besides the month's grant: the
// periods corrected (R-ADJ) and their net sign, withholding and an
// overpayment carried in (R-CARRY).
type remitFacts struct {
	schemes   map[Scheme]bool
	adjusted  map[Period]bool
	adjusts   decimal.Decimal
	withheld  bool
	released  bool
	offsetOut bool
}

// addLine adds one line of the payee to the facts.
func (f *remitFacts) addLine(l *Line) {
	f.schemes[l.Scheme] = true
	f.withheld = f.withheld || l.Withheld.IsPositive()
	f.released = f.released || l.Released.IsPositive()
	f.offsetOut = f.offsetOut || l.CarriedIn.IsNegative()
	f.adjusts = f.adjusts.Add(l.Adjustments)
}

// Remittance is a payment's Ustrd (at most 140 characters, in the banks'
// character set): what is paid, for which period, what else it holds, and
// the payee's statement, e.g.
//
//	Basistilskudd 2022-12, inkl. etterbetaling 2022-09 til 2022-11; spes. P00002-2022-12
//
// A range of months is written "2022-09 til 2022-11": the en dash of
// "2022-09–11" is not in the banks' set, and "2022-09-11" would read as a
// date. When the text is too long the corrected months become their first
// and last; the statement reference is kept whole.
func remittance(p Period, payeeID string, f *remitFacts) string {
	parts := []string{grantName(f.schemes) + " " + p.String()}
	adj := ""
	if len(f.adjusted) > 0 {
		switch f.adjusts.Sign() {
		case 1:
			adj = "inkl. etterbetaling "
		case -1:
			adj = "inkl. trekk for "
		default:
			adj = "inkl. korreksjon "
		}
		parts = append(parts, adj+monthRanges(f.adjusted, false))
	}
	if f.released {
		parts = append(parts, "inkl. frigitt tilbakehold")
	}
	if f.withheld {
		parts = append(parts, "etter tilbakehold")
	}
	if f.offsetOut {
		parts = append(parts, "etter motregning")
	}
	ref := "; spes. " + StatementRef(payeeID, p)
	text := strings.Join(parts, ", ") + ref
	if utf8.RuneCountInString(text) > MaxRemittanceLen && adj != "" {
		parts[1] = adj + monthRanges(f.adjusted, true)
		text = strings.Join(parts, ", ") + ref
	}
	if n := utf8.RuneCountInString(text); n > MaxRemittanceLen {
		head := []rune(strings.Join(parts, ", "))
		keep := max(0, MaxRemittanceLen-utf8.RuneCountInString(ref))
		text = strings.TrimSpace(string(head[:min(keep, len(head))])) + ref
	}
	return text
}

// StatementRef names the payee's statement of period p (the file
// statements/<payee>-<period>.pdf); the remittance text refers to it.
func StatementRef(payeeID string, p Period) string { return payeeID + "-" + p.String() }

func grantName(s map[Scheme]bool) string {
	switch {
	case s[SchemeFastlege] && s[SchemeFysio]:
		return "Basistilskudd og driftstilskudd"
	case s[SchemeFysio]:
		return "Driftstilskudd"
	}
	return "Basistilskudd"
}

// monthRanges writes a set of months as runs: "2022-05, 2022-09 til
// 2022-11"; span writes only the first and the last.
func monthRanges(set map[Period]bool, span bool) string {
	ps := make([]Period, 0, len(set))
	for p := range set {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	if span && len(ps) > 1 {
		ps = []Period{ps[0], ps[len(ps)-1]}
		return ps[0].String() + " til " + ps[1].String()
	}
	var out []string
	for i := 0; i < len(ps); {
		j := i
		for j+1 < len(ps) && ps[j+1] == ps[j]+1 {
			j++
		}
		if j == i {
			out = append(out, ps[i].String())
		} else {
			out = append(out, ps[i].String()+" til "+ps[j].String())
		}
		i = j + 1
	}
	return strings.Join(out, ", ")
}

// BankTextWarnings is bankTextWarnings for a payment made outside a run
// (a supplement's, to the payee's corrected name and account).
func BankTextWarnings(p *Payment) []Warning { return bankTextWarnings(p, "") }

// bankTextWarnings lists what the payment file will change in a payment's
// texts (W-BANK-TEXT, issue 13): characters outside the banks' set are
// transliterated and a name longer than the field is cut, never silently.
func bankTextWarnings(p *Payment, agreementID string) []Warning {
	var w []Warning
	check := func(what, text string, limit int) {
		f := banktext.Fit(text, limit)
		if !f.Changed() {
			return
		}
		var msg []string
		if len(f.Changes) > 0 {
			msg = append(msg, "tegn banken ikke tar: "+banktext.Describe(f.Changes))
		}
		if f.Cut {
			msg = append(msg, fmt.Sprintf("%d tegn, kuttet til %d", f.Runes, limit))
		}
		w = append(w, Warning{Code: WBankText, AgreementID: agreementID, Msg: fmt.Sprintf(
			"mottaker %s: %s «%s» skrives «%s» i betalingsfilen (%s)", p.PayeeID, what, text, f.Text, strings.Join(msg, "; "))})
	}
	check("navnet", p.Name, MaxNameLen)
	check("meldingen", p.Remittance, MaxRemittanceLen)
	check("gateadressen", p.Address.Street, MaxStreetLen)
	check("poststedet", p.Address.Town, MaxTownLen)
	return w
}
