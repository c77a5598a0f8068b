package main

import (
	"context"
	"fmt"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// attest records the first person's check of a computed run.
func newAttestCommand(env *Env) command {
	return newTransitionCommand("attest", env, (*store.Store).Attest)
}

// transitionCommand is one lifecycle step (attest, approve) of a period's
// run, by the account that runs it. It shows and records the run's digest
// and total: the run a person reviewed is the one that is paid.
type transitionCommand struct {
	base
	shared
	user, digest string
	name         string
	supplement   bool
	step         func(s *store.Store, st store.Step) (*store.Run, error)
}

func newTransitionCommand(name string, env *Env, step func(*store.Store, store.Step) (*store.Run, error)) command {
	c := &transitionCommand{base: newBase(name, env), step: step, name: name}
	c.dbFlag(c.fs, dbUsage)
	c.periodFlag(c.fs, periodUsage)
	c.fs.StringVar(&c.user, "user", "", userUsage)
	c.fs.StringVar(&c.digest, "digest", "", "optional: the run digest you reviewed (manifest.json run_sha256, 12 digits or more); another run is refused")
	c.fs.BoolVar(&c.supplement, "supplement", false, "the period's supplement (payout run --supplement), not its run")
	c.help = helpText{
		synopsis: []string{"payout " + name + " --db FILE --period P [--supplement] [--digest D] [--user NAME]"},
		required: "--db and --period",
		example:  "payout " + name + " --db payout.db --period 2022-12",
	}
	return c
}

func (c *transitionCommand) Run(_ context.Context, args []string) error {
	if err := c.parseOnly(args); err != nil {
		return err
	}
	p, err := c.parsePeriod(c.env)
	if err != nil {
		return err
	}
	s, by, err := c.openAs(c.env, c.user)
	if err != nil {
		return err
	}
	defer s.Close()
	at := c.env.when()
	if c.supplement {
		return c.supplementStep(s, store.Step{Period: p, By: by, At: at, Digest: c.digest})
	}
	run, err := c.step(s, store.Step{Period: p, By: by, At: at, Digest: c.digest})
	if err != nil {
		return err
	}
	env := c.env
	env.outf("%s %s by %s at %s: total %s to %s payees, payment date %s\n",
		p, statusText(env, run.Status), by, when(at.Real), formatKroner(run.Total), formatCount(run.Payees), run.PayDate)
	env.outf("run digest %s (the files of %s show it in manifest.json)\n", run.Digest, run.OutDir)
	switch run.Status {
	case store.StatusAttested:
		env.outf("next: another person approves with %s from their own account\n", fmt.Sprintf("'payout approve --db %s --period %s'", c.dbShown(), p))
	case store.StatusApproved:
		env.outf("next: a third person runs %s by %s (two banking days before the payment date)\n", fmt.Sprintf("'payout release --db %s --period %s'", c.dbShown(), p), payout.ReleaseDeadline(p))
	}
	return nil
}

var _ = messages(
	msg{"the period's supplement (payout run --supplement), not its run", "periodens tilleggsutbetaling (payout run --supplement), ikke kjøringen"},
	msg{"optional: the run digest you reviewed (manifest.json run_sha256, 12 digits or more); another run is refused",
		"valgfritt: kjøringens sammendrag (digest) du kontrollerte (manifest.json run_sha256, minst 12 tegn); en annen kjøring avvises"},
	msg{"%s %s by %s at %s: total %s to %s payees, payment date %s\n", "%s %s av %s %s: totalt %s til %s mottakere, utbetalingsdato %s\n"},
	msg{"run digest %s (the files of %s show it in manifest.json)\n", "kjøringens sammendrag %s (filene i %s viser det i manifest.json)\n"},
	msg{"next: another person approves with %s from their own account\n", "neste: en annen person godkjenner med %s fra sin egen konto\n"},
	msg{"next: a third person runs %s by %s (two banking days before the payment date)\n", "neste: en tredje person kjører %s innen %s (to bankdager før utbetalingsdatoen)\n"},
)
