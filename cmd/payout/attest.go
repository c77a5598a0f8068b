package main

import (
	"context"
	"fmt"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// attest records the first person's check of a computed run.
func init() {
	register("attest", "record that you checked a period's computed run (first person)", func(ctx context.Context, env *Env, args []string) error {
		return runTransition(env, "attest", args, func(s *store.Store, p payout.Period, user string) (*store.Run, error) {
			return s.Attest(p, user, env.Now())
		})
	})
}

// runTransition parses --db, --period and --user and applies one lifecycle
// step.
func runTransition(env *Env, name string, args []string, step func(*store.Store, payout.Period, string) (*store.Run, error)) error {
	fs := newFlags(name, env)
	db := fs.String("db", "", "store file")
	period := fs.String("period", "", "period: YYYY-MM, current or next")
	user := fs.String("user", "", "your name, as recorded")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	p, err := periodFlag(env, *period)
	if err != nil {
		return err
	}
	if *user == "" {
		return usagef("--user NAME is required")
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	run, err := step(s, p, *user)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s %s by %s at %s: total %s to %s payees, payment date %s\n",
		p, run.Status, *user, when(env.Now()), formatKroner(run.Total), formatCount(run.Payees), run.PayDate)
	switch run.Status {
	case store.StatusAttested:
		fmt.Fprintf(env.Stdout, "next: another person approves with 'payout approve --db %s --period %s --user NAME'\n", *db, p)
	case store.StatusApproved:
		fmt.Fprintf(env.Stdout, "next: 'payout release --db %s --period %s' by %s (two banking days before the payment date)\n", *db, p, releaseDeadline(p))
	}
	return nil
}
