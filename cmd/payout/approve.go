package main

import (
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// approve records the second person's approval of an attested run; the
// person who attested cannot approve.
func newApproveCommand(env *Env) command {
	return newTransitionCommand("approve", env, func(s *store.Store, p payout.Period, user string) (*store.Run, error) {
		return s.Approve(p, user, env.Now())
	})
}
