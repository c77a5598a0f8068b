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
	c.fs.Usage = c.Usage
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
	out := c.env.Stdout
	fmt.Fprintf(out, "%s %s by %s at %s: total %s to %s payees, payment date %s\n",
		p, run.Status, c.user, when(c.env.Now()), formatKroner(run.Total), formatCount(run.Payees), run.PayDate)
	switch run.Status {
	case store.StatusAttested:
		fmt.Fprintf(out, "next: another person approves with 'payout approve --db %s --period %s --user NAME'\n", c.db, p)
	case store.StatusApproved:
		fmt.Fprintf(out, "next: 'payout release --db %s --period %s' by %s (two banking days before the payment date)\n", c.db, p, payout.ReleaseDeadline(p))
	}
	return nil
}
