package main

import "github.com/oslokommune/payout/payout/store"

// approve records the second person's approval of an attested run; the
// account that attested cannot approve.
func newApproveCommand(env *Env) command {
	return newTransitionCommand("approve", env, (*store.Store).Approve)
}
