package explain

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
)

// Text renders the trace as the aligned text `payout explain` prints, in
// Norwegian like the reports: the facts, the rates, every day, the formulas
// and the lines, with trailing blanks trimmed.
func Text(w io.Writer, tr *payout.Trace) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	a := tr.Agreement
	fmt.Fprintf(tw, "Forklaring av avtale %s for %s\n", a.ID, tr.Period)
	fmt.Fprintf(tw, "Kunnskapsdato %s, utbetalingsdato %s\n\n", tr.AsOf, tr.PayDate)
	printFacts(tw, tr)
	printRates(tw, tr)
	printDays(tw, tr)
	printSteps(tw, tr)
	printOutcome(tw, tr)
	if err := tw.Flush(); err != nil {
		return err
	}
	// tabwriter pads empty last cells; drop the trailing blanks.
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+newline(line)); err != nil {
			return err
		}
	}
	return nil
}

func newline(line string) string {
	if strings.HasSuffix(line, "\n") {
		return "\n"
	}
	return ""
}

func printFacts(w io.Writer, tr *payout.Trace) {
	a, pe := tr.Agreement, tr.Payee
	valid := a.ValidFrom.String() + " – "
	if a.ValidTo != payout.Forever {
		valid += a.ValidTo.String()
	} else {
		valid += "(løpende)"
	}
	fmt.Fprintf(w, "Avtale\t%s %s (%s), HPR %s\n", a.ID, a.Name, nb.SchemeName(a.Scheme), a.HPR)
	fmt.Fprintf(w, "Bydel\t%s %s\n", a.Bydel, nb.BydelName(a.Bydel))
	fmt.Fprintf(w, "Gyldig\t%s\n", valid)
	fmt.Fprintf(w, "Mottaker\t%s %s, konto %s\n", pe.ID, pe.Name, pe.Account)
	if a.Scheme == payout.SchemeFysio {
		fmt.Fprintf(w, "Hjemmel\t%s %%\n", a.HjemmelPercent)
	} else {
		fmt.Fprintf(w, "Liste\t%s, andel %s %%\n", a.ListID, a.SharePercent)
	}
	if tr.HasCount {
		fmt.Fprintf(w, "Listelengde\t%d per %s\n", tr.Count, tr.Period.First())
	}
	if !tr.Weighted.IsZero() {
		fmt.Fprintf(w, "Vektet listelengde\t%s (Helfo)\n", tr.Weighted)
	}
	fmt.Fprintf(w, "Grunnlag\t%s\n", tr.Members)
	fmt.Fprintf(w, "Årsbeløp\t%s kr\n\n", nb.Money(tr.Annual))
}

func printRates(w io.Writer, tr *payout.Trace) {
	if len(tr.RateTiers) == 0 {
		return
	}
	fmt.Fprintln(w, "Satser i kraft")
	fmt.Fprintln(w, "  Ordning\tGjelder fra\tFra listeplass\tKr per år\tHjemmel")
	for _, r := range tr.RateTiers {
		fmt.Fprintf(w, "  %s\t%s\t%d\t%s\t%s\n", r.Scheme, r.ValidFrom, r.TierFrom, nb.Money(r.AnnualNOK), r.Source)
	}
	fmt.Fprintln(w)
}

func printDays(w io.Writer, tr *payout.Trace) {
	fmt.Fprintln(w, "Dager")
	fmt.Fprintln(w, "  Dato\tDag\tStatus\tRegel\tFravær\tBetales til\tMerknad")
	for _, d := range tr.Days {
		abs := ""
		if d.AbsenceID != "" {
			abs = fmt.Sprintf("%s %s (%s)", d.AbsenceID, nb.KindName(d.Kind), nb.CoverName(d.Cover))
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Date, nb.Weekday(d.Date.Weekday()),
			nb.StatusName(d.Status), d.Rule, abs, d.PayeeID, d.Note)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "  "+dayCounts(tr.Days))
	fmt.Fprintln(w)
}

// dayCounts sums the days by status, the numbers the formulas below use.
func dayCounts(days []payout.DayTrace) string {
	order := []payout.DayStatus{payout.StatusPaid, payout.StatusUnpaid, payout.StatusToVikar, payout.StatusTakeover, payout.StatusInactive}
	n := map[payout.DayStatus]int{}
	for _, d := range days {
		n[d.Status]++
	}
	var parts []string
	for _, s := range order {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", nb.StatusName(s), n[s]))
		}
	}
	return "Sum dager: " + strings.Join(parts, ", ")
}

func printSteps(w io.Writer, tr *payout.Trace) {
	fmt.Fprintln(w, "Beregning")
	fmt.Fprintln(w, "  Beløp\tRegel\tHjemmel\tFormel\tVerdi")
	for _, s := range tr.Steps {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\n", stepName(s.Name), s.Rule, clause(tr, s.Rule), s.Formula, nb.Money(s.Value))
	}
	fmt.Fprintln(w)
}

func printOutcome(w io.Writer, tr *payout.Trace) {
	fmt.Fprintln(w, "Linjer")
	if len(tr.Lines) == 0 {
		fmt.Fprintln(w, "  (ingen linje denne måneden)")
	}
	fmt.Fprintln(w, "  Rolle\tMottaker\tBasis\tFraværstrekk\tTil vikar\tTilskudd\tTilbakeholdt\tFrigitt\tKorreksjoner\tOverført inn\tNetto\tOverført ut\tRegler")
	for _, l := range tr.Lines {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", nb.RoleName(l.Role), l.PayeeID,
			nb.Money(l.Base), nb.Money(l.AbsenceDeduction), nb.Money(l.VikarAmount), nb.Money(l.Entitlement),
			nb.Money(l.Withheld), nb.Money(l.Released), nb.Money(l.Adjustments), nb.Money(l.CarriedIn),
			nb.Money(l.Net), nb.Money(l.CarriedOut), strings.Join(l.Rules, ";"))
	}
	if len(tr.Adjust) > 0 {
		fmt.Fprintln(w, "\nKorreksjoner av tidligere måneder (R-ADJ)")
		fmt.Fprintln(w, "  Måned\tRolle\tMottaker\tFør\tEtter\tDifferanse\tÅrsak")
		for _, a := range tr.Adjust {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.RefPeriod, nb.RoleName(a.Role), a.PayeeID,
				nb.Money(a.Before), nb.Money(a.After), nb.Money(a.Amount), a.Reason)
		}
	}
	if len(tr.Breaches) > 0 {
		fmt.Fprintln(w, "\nBrudd og tilbakeholdelse (§15.1)")
		fmt.Fprintln(w, "  Brudd\tVedtak\tStatus\tFra\tProsent\tSaldo inn\tTilbakeholdt\tFrigitt\tSaldo ut")
		for _, b := range tr.Breaches {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", b.BreachID, b.DecisionRef, nb.BreachStateName(b.State), b.WithholdFrom,
				b.Percent, nb.Money(b.BalanceIn), nb.Money(b.Withheld), nb.Money(b.Released), nb.Money(b.BalanceOut))
		}
	}
}
