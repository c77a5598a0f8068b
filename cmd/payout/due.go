package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// dueCommand lists what must still happen before the next payment date,
// for a cron job or systemd timer: missing list counts, the run's next
// lifecycle step and the last banking day to release. It exits 1 when a
// payment will be late (the last day to release has passed, or an earlier
// period was never released), or when fewer than --margin banking days
// remain.
type dueCommand struct {
	base
	shared
	margin int
}

func newDueCommand(env *Env) command {
	c := &dueCommand{base: newBase("due", env)}
	c.dbFlag(c.fs, dbUsage)
	c.fs.IntVar(&c.margin, "margin", 0, "also exit 1 when fewer banking days than this remain before the last day to release")
	c.help = helpText{
		synopsis: []string{"payout due --db FILE [--margin N]"},
		required: "--db",
		example:  "payout due --db payout.db --margin 1",
	}
	return c
}

func (c *dueCommand) Run(_ context.Context, args []string) error {
	env := c.env
	if err := c.parseOnly(args); err != nil {
		return err
	}
	s, err := c.openStoreReadOnly()
	if err != nil {
		return err
	}
	defer s.Close()
	d := today(env)
	p := d.Period()
	if d > payout.PayDate(p) {
		p++
	}
	late, err := overdue(env, s, p, d)
	if err != nil {
		return err
	}
	todo, run, err := dueSteps(env, s, p, c.dbShown())
	if err != nil {
		return err
	}
	deadline := payout.ReleaseDeadline(p)
	left := payout.BankingDaysBetween(d, deadline)
	if run != nil && run.Status == store.StatusReleased {
		env.outf("%s is released (%s); its payment date is %s\n", p, released(run), run.PayDate)
	} else {
		env.outf("next payment: %s on %s; release by %s (%s)\n", p, payout.PayDate(p), deadline, daysLeft(env, d, deadline, left))
		if d > deadline {
			late = append(late, env.tr("%s is not released and the last day to release (%s) has passed: the payment on %s will be late", p, deadline, payout.PayDate(p)))
		} else if left < c.margin {
			late = append(late, env.tr("%s is not released and only %d banking day(s) remain before the last day to release (%s)", p, left, deadline))
		}
	}
	for _, t := range todo {
		fmt.Fprintf(env.Stdout, "  - %s\n", t)
	}
	bankLate, err := bankDue(env, s, d)
	if err != nil {
		return err
	}
	late = append(late, bankLate...)
	if len(late) > 0 {
		return errorf("%s", strings.Join(late, "\n"))
	}
	return nil
}

func daysLeft(env *Env, today, deadline payout.Date, left int) string {
	switch {
	case today > deadline:
		return env.tr("passed")
	case today == deadline:
		return env.tr("today is the last day")
	}
	return env.tr("%d banking day(s) left", left)
}

// overdue lists the periods before p, after the last released one, that
// were never released although their payment date has passed.
func overdue(env *Env, s *store.Store, p payout.Period, d payout.Date) ([]string, error) {
	runs, err := s.Runs()
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	first := runs[0].Period
	var released []payout.Period
	for _, r := range runs {
		if r.Status == store.StatusReleased {
			released = append(released, r.Period)
		}
	}
	if len(released) > 0 {
		first = released[len(released)-1] + 1
	}
	var missed []payout.Period
	for e := first; e < p; e++ {
		if payout.PayDate(e) < d {
			missed = append(missed, e)
		}
	}
	switch {
	case len(missed) == 1:
		return []string{env.tr("%s was due on %s and is not released", missed[0], payout.PayDate(missed[0]))}, nil
	case len(missed) > 1:
		return []string{env.tr("%d periods from %s to %s were due and are not released", len(missed), missed[0], missed[len(missed)-1])}, nil
	}
	return nil, nil
}

// dueSteps lists what remains for p: missing list counts and the run's next
// step.
func dueSteps(env *Env, s *store.Store, p payout.Period, db string) ([]string, *store.Run, error) {
	run, err := s.Run(p)
	if err != nil && !errors.Is(err, store.ErrNoRun) {
		return nil, nil, err
	}
	if run != nil && run.Status == store.StatusReleased {
		return nil, run, nil
	}
	in, st, err := s.Inputs()
	if err != nil {
		return nil, nil, err
	}
	var todo []string
	if missing := payout.MissingListCounts(in, p, payout.NoDate); len(missing) > 0 {
		todo = append(todo, env.tr("list counts for %s missing for %d active agreement(s): %s; import them", p, len(missing), listSome(env, missing, 10)))
	}
	cmd := func(c string) string { return fmt.Sprintf("payout %s --db %s --period %s", c, db, p) }
	switch {
	case run == nil:
		todo = append(todo, env.tr("compute the run: %s", cmd("run")))
	case run.InputDigest != st.Digest:
		todo = append(todo, env.tr("inputs changed since the run was computed: %s again", cmd("run")))
	case run.Status == store.StatusComputed:
		todo = append(todo, env.tr("attest the run: %s", cmd("attest")))
	case run.Status == store.StatusAttested:
		todo = append(todo, env.tr("approve the run (from another account than %s): %s", run.AttestedBy.Name, cmd("approve")))
	case run.Status == store.StatusApproved:
		todo = append(todo, env.tr("release the run (from a third account, not %s or %s): %s", run.AttestedBy.Name, run.ApprovedBy.Name, cmd("release")))
	}
	return todo, run, nil
}

// listSome names the first n agreements as "agreement (list)".
func listSome(env *Env, missing []payout.MissingCount, n int) string {
	var names []string
	for _, m := range missing[:min(n, len(missing))] {
		names = append(names, fmt.Sprintf("%s (%s)", m.AgreementID, m.ListID))
	}
	s := strings.Join(names, ", ")
	if len(missing) > n {
		s += env.tr(" and %d more", len(missing)-n)
	}
	return s
}

var _ = messages(
	msg{"also exit 1 when fewer banking days than this remain before the last day to release",
		"avslutt også med status 1 når færre bankdager enn dette gjenstår før siste frigivelsesdag"},
	msg{"%s is released (%s); its payment date is %s\n", "%s er frigitt (%s); utbetalingsdatoen er %s\n"},
	msg{"next payment: %s on %s; release by %s (%s)\n", "neste utbetaling: %s den %s; frigis innen %s (%s)\n"},
	msg{"%s is not released and only %d banking day(s) remain before the last day to release (%s)",
		"%s er ikke frigitt og bare %d bankdag(er) gjenstår før siste frigivelsesdag (%s)"},
	msg{"passed", "passert"},
	msg{"today is the last day", "i dag er siste dag"},
	msg{"%d banking day(s) left", "%d bankdag(er) igjen"},
	msg{"%s was due on %s and is not released", "%s forfalt %s og er ikke frigitt"},
	msg{"%d periods from %s to %s were due and are not released", "%d perioder fra %s til %s har forfalt og er ikke frigitt"},
	msg{"list counts for %s missing for %d active agreement(s): %s; import them",
		"listelengder for %s mangler for %d aktive avtale(r): %s; les dem inn"},
	msg{"compute the run: %s", "beregn kjøringen: %s"},
	msg{"inputs changed since the run was computed: %s again", "inndata er endret siden kjøringen ble beregnet: %s på nytt"},
	msg{"attest the run: %s", "attester kjøringen: %s"},
	msg{"approve the run (from another account than %s): %s", "godkjenn kjøringen (fra en annen konto enn %s): %s"},
	msg{"release the run (from a third account, not %s or %s): %s", "frigi kjøringen (fra en tredje konto, ikke %s eller %s): %s"},
	msg{" and %d more", " og %d til"},
)
