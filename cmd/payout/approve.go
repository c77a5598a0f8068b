package main

import (
	"context"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// approve records the second person's approval of an attested run; the
// person who attested cannot approve.
func init() {
	register("approve", "approve a period's attested run (second person, not the one who attested)", func(ctx context.Context, env *Env, args []string) error {
		return runTransition(env, "approve", args, func(s *store.Store, p payout.Period, user string) (*store.Run, error) {
			return s.Approve(p, user, env.Now())
		})
	})
}
