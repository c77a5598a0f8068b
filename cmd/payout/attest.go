package main

import (
	"context"
	"fmt"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// attest records the first person's check of a computed run.
func newAttestCommand(env *Env) command {
	return newTransitionCommand("attest", env, func(s *store.Store, p payout.Period, user string) (*store.Run, error) {
		return s.Attest(p, user, env.Now())
	})
}

// transitionCommand is one lifecycle step (attest, approve) of a period's
// run, by a named user.
type transitionCommand struct {
	base
	shared
	user string
	step func(s *store.Store, p payout.Period, user string) (*store.Run, error)
}

func newTransitionCommand(name string, env *Env, step func(*store.Store, payout.Period, string) (*store.Run, error)) command {
	c := &transitionCommand{base: newBase(name, env), step: step}
	c.dbFlag(c.fs, dbUsage)
	c.periodFlag(c.fs, periodUsage)
	c.fs.StringVar(&c.user, "user", "", "your name, as recorded")
	c.help = helpText{
		synopsis: []string{"payout " + name + " --db FILE --period P --user NAME"},
		required: "--db, --period and --user",
		example:  "payout " + name + " --db payout.db --period 2022-12 --user kari",
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
	if c.user == "" {
		return usagef("--user NAME is required")
	}
	s, err := c.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	run, err := c.step(s, p, c.user)
	if err != nil {
		return err
	}
	env := c.env
	env.outf("%s %s by %s at %s: total %s to %s payees, payment date %s\n",
		p, statusText(env, run.Status), c.user, when(env.Now()), formatKroner(run.Total), formatCount(run.Payees), run.PayDate)
	switch run.Status {
	case store.StatusAttested:
		env.outf("next: another person approves with %s\n", fmt.Sprintf("'payout approve --db %s --period %s --user NAME'", c.db, p))
	case store.StatusApproved:
		env.outf("next: %s by %s (two banking days before the payment date)\n", fmt.Sprintf("'payout release --db %s --period %s'", c.db, p), payout.ReleaseDeadline(p))
	}
	return nil
}

var _ = messages(
	msg{"your name, as recorded", "navnet ditt, slik det registreres"},
	msg{"--db, --period and --user", "--db, --period og --user"},
	msg{"--user NAME is required", "--user NAME er påkrevd"},
	msg{"%s %s by %s at %s: total %s to %s payees, payment date %s\n", "%s %s av %s %s: totalt %s til %s mottakere, utbetalingsdato %s\n"},
	msg{"next: another person approves with %s\n", "neste: en annen person godkjenner med %s\n"},
	msg{"next: %s by %s (two banking days before the payment date)\n", "neste: %s innen %s (to bankdager før utbetalingsdatoen)\n"},
)
