package payout

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout/nb"
)

// Controls, RULEBOOK §8: every run must pass them, else no payment file is
// written. They are evaluated from the Result alone, so CheckInvariants can
// assert them after any run, in tests and in production alike.

// Control IDs, in report order.
const (
	CSum      = "C-SUM"
	CAccount  = "C-ACCOUNT"
	COrgNr    = "C-ORGNR"
	CUnique   = "C-UNIQUE"
	CRoles    = "C-ROLES"
	CBreach   = "C-WITHHELD"
	CNonNeg   = "C-NONNEG"
	CCeiling  = "C-CEILING"
	CClaims   = "C-CLAIMS"
	COutside  = "C-OUTSIDE-WINDOW"
	CReleased = "C-RELEASE-ONCE"
)

// evaluateControls runs every control over r.
func evaluateControls(r *Result) []Control {
	return []Control{
		controlSum(r), controlAccounts(r), controlOrgNr(r), controlUnique(r),
		controlRoles(r), controlBreaches(r), controlNonNegative(r), controlClaims(r), controlCeiling(r),
		controlOutsideWindow(r),
	}
}

// EvaluateControls returns the controls of r as a run reports them, in report
// order; hand-built results (the exporters' fixture) take theirs from here.
func EvaluateControls(r *Result) []Control { return evaluateControls(r) }

// CheckInvariants re-evaluates the controls of r and returns an error
// wrapping ErrInvariant naming every failed one.
func CheckInvariants(r *Result) error { return controlsError(evaluateControls(r)) }

func controlsError(cs []Control) error {
	var failed []string
	for _, c := range cs {
		if !c.OK {
			failed = append(failed, c.ID+": "+c.Detail)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrInvariant, strings.Join(failed, "; "))
}

func controlSum(r *Result) Control {
	lines, pays := decimal.Zero, decimal.Zero
	for _, l := range r.Lines {
		lines = lines.Add(l.Net)
	}
	for _, p := range r.Payments {
		pays = pays.Add(p.Amount)
	}
	ok := lines.Equal(pays) && pays.Equal(r.Total)
	return Control{ID: CSum, Name: "Sum linjer = sum betalinger = rapportert total", OK: ok,
		Detail: fmt.Sprintf("linjer %s, betalinger %s, total %s", nb.Money(lines), nb.Money(pays), nb.Money(r.Total))}
}

func controlAccounts(r *Result) Control {
	var bad []string
	for _, p := range r.Payments {
		if !ValidAccount(p.Account) {
			bad = append(bad, p.PayeeID)
		}
	}
	return listControl(CAccount, "Gyldig kontonummer (MOD11) for alle mottakere", len(r.Payments), bad)
}

func controlOrgNr(r *Result) Control {
	var bad []string
	n := 0
	for _, p := range r.Payments {
		if p.OrgNr != "" {
			n++
			if !ValidOrgNr(p.OrgNr) {
				bad = append(bad, p.PayeeID)
			}
		}
	}
	return listControl(COrgNr, "Gyldig organisasjonsnummer (MOD11) for foretak", n, bad)
}

func controlUnique(r *Result) Control {
	// The key's parts, not their joined text: no string per line, and the
	// set made to size (both garbage at the end of the compute, issue 16).
	type key struct {
		agreement string
		role      Role
		payee     string
	}
	seen := make(map[key]bool, len(r.Lines))
	var dup []string
	for _, l := range r.Lines {
		k := key{l.AgreementID, l.Role, l.PayeeID}
		if seen[k] {
			dup = append(dup, l.AgreementID+"/"+string(l.Role)+"/"+l.PayeeID)
		}
		seen[k] = true
	}
	return listControl(CUnique, "Høyst én linje per avtale, rolle og mottaker", len(r.Lines), dup)
}

// controlRoles: the roles of an agreement add up to base − absence
// deduction, to the øre (RULEBOOK §3).
func controlRoles(r *Result) Control {
	type sums struct{ want, got decimal.Decimal }
	by := map[string]*sums{}
	var order []string
	for _, l := range r.Lines {
		s := by[l.AgreementID]
		if s == nil {
			s = &sums{}
			by[l.AgreementID] = s
			order = append(order, l.AgreementID)
		}
		if l.Role == RoleHolder {
			s.want = s.want.Add(l.Base.Sub(l.AbsenceDeduction))
		}
		s.got = s.got.Add(l.Entitlement)
	}
	var bad []string
	for _, id := range order {
		if !by[id].want.Equal(by[id].got) {
			bad = append(bad, fmt.Sprintf("%s (%s ≠ %s)", id, nb.Money(by[id].got), nb.Money(by[id].want)))
		}
	}
	return listControl(CRoles, "Rollene summerer til grunnbeløp − fravær", len(order), bad)
}

// controlBreaches: for every breach, balance in + withheld − released =
// balance out (withheld = released + outstanding), and the lines carry the
// same withheld and released totals.
func controlBreaches(r *Result) Control {
	var bad []string
	wb, rb := decimal.Zero, decimal.Zero
	for _, b := range r.Breaches {
		if !b.BalanceIn.Add(b.Withheld).Sub(b.Released).Equal(b.BalanceOut) || b.BalanceOut.Sign() < 0 {
			bad = append(bad, b.BreachID)
		}
		wb, rb = wb.Add(b.Withheld), rb.Add(b.Released)
	}
	wl, rl := decimal.Zero, decimal.Zero
	for _, l := range r.Lines {
		wl, rl = wl.Add(l.Withheld), rl.Add(l.Released)
	}
	if !wb.Equal(wl) || !rb.Equal(rl) {
		bad = append(bad, fmt.Sprintf("linjer %s/%s ≠ vedtak %s/%s", nb.Money(wl), nb.Money(rl), nb.Money(wb), nb.Money(rb)))
	}
	return listControl(CBreach, "Tilbakeholdt = utbetalt + utestående", len(r.Breaches), bad)
}

func controlNonNegative(r *Result) Control {
	var bad []string
	for _, l := range r.Lines {
		raw := l.Entitlement.Sub(l.Withheld).Add(l.Released).Add(l.Adjustments).Add(l.CarriedIn)
		if l.Net.Sign() < 0 || l.CarriedOut.Sign() > 0 || !l.Net.Add(l.CarriedOut).Sub(l.Claimed).Equal(raw) {
			bad = append(bad, l.AgreementID+"/"+string(l.Role)+"/"+l.PayeeID)
		}
	}
	for _, p := range r.Payments {
		if p.Amount.Sign() <= 0 {
			bad = append(bad, "betaling "+p.PayeeID)
		}
	}
	return listControl(CNonNeg, "Ingen negative utbetalinger; netto = beregnet beløp", len(r.Lines), bad)
}

// controlClaims: carried and claimed account for every overpayment
// (RULEBOOK §6 "Nothing is lost silently", R-CARRY): a line's overpayment
// is either carried (carried_out) or claimed, never both and never partly;
// every claim is positive and belongs to a line that claims exactly it.
func controlClaims(r *Result) Control {
	type key struct {
		agr, payee string
		role       Role
	}
	claimed := map[key]decimal.Decimal{}
	var bad []string
	total := decimal.Zero
	for _, c := range r.Claims {
		if c.Amount.Sign() <= 0 || c.OriginPeriod > c.Period {
			bad = append(bad, "krav "+c.AgreementID+"/"+string(c.Role)+"/"+c.PayeeID)
		}
		k := key{c.AgreementID, c.PayeeID, c.Role}
		claimed[k] = claimed[k].Add(c.Amount)
		total = total.Add(c.Amount)
	}
	for _, l := range r.Lines {
		k := key{l.AgreementID, l.PayeeID, l.Role}
		want := claimed[k]
		delete(claimed, k)
		if !l.Claimed.Equal(want) || (l.Claimed.Sign() != 0 && (l.Claimed.Sign() < 0 || !l.CarriedOut.IsZero() || !l.Net.IsZero())) {
			bad = append(bad, l.AgreementID+"/"+string(l.Role)+"/"+l.PayeeID)
		}
	}
	for k := range claimed {
		bad = append(bad, "krav uten linje "+k.agr+"/"+string(k.role)+"/"+k.payee)
	}
	c := listControl(CClaims, "Overbetaling fremført eller krevd tilbake (tilbakebetalingskrav)", len(r.Claims), bad)
	if c.OK {
		c.Detail = fmt.Sprintf("%d krav, sum %s", len(r.Claims), nb.Money(total))
	}
	return c
}

// controlOutsideWindow lists the corrections older than the retro window
// for a manual decision (W-OUTSIDE-WINDOW); it never fails the run.
func controlOutsideWindow(r *Result) Control {
	total := decimal.Zero
	for _, a := range r.OutsideWindow {
		total = total.Add(a.Amount)
	}
	return Control{ID: COutside, Name: "Korreksjoner eldre enn tilbakevirkningsvinduet (til manuell behandling)", OK: true,
		Detail: fmt.Sprintf("%d korreksjoner, sum %s (ikke utbetalt)", len(r.OutsideWindow), nb.Money(total))}
}

// controlCeiling reports the count warnings; they never fail the run
// (paid as counted, RULEBOOK §8).
func controlCeiling(r *Result) Control {
	n := 0
	for _, w := range r.Warnings {
		if w.Code == WCeiling || w.Code == WShared {
			n++
		}
	}
	return Control{ID: CCeiling, Name: "Listelengde over listetak / deleliste over 2500 (varsel)", OK: true,
		Detail: fmt.Sprintf("%d varsler (utbetalt etter telling)", n)}
}

func listControl(id, name string, checked int, bad []string) Control {
	if len(bad) == 0 {
		return Control{ID: id, Name: name, OK: true, Detail: fmt.Sprintf("%d kontrollert, ingen avvik", checked)}
	}
	detail := strings.Join(bad, ", ")
	if len(bad) > 10 {
		detail = strings.Join(bad[:10], ", ") + fmt.Sprintf(" og %d til", len(bad)-10)
	}
	return Control{ID: id, Name: name, OK: false, Detail: fmt.Sprintf("%d avvik: %s", len(bad), detail)}
}
