package bundle

import "github.com/oslokommune/payout/payout"

// OutputInputs returns the part of the inputs that Render reads besides the
// Result: the policy, the payees and agreements (names, accounts,
// districts) and the input files (their digests). The records only the
// engine reads (rates, list counts, absences, caregivers, breaches,
// takeovers: on the Norway decade almost all of the inputs' memory) are
// left out, so a caller that keeps only this after computing lets them be
// freed before the outputs are rendered (issue 16: peak memory). The
// outputs are the same, since Render never reads the rest.
func OutputInputs(in *payout.Inputs) *payout.Inputs {
	return &payout.Inputs{Policy: in.Policy, Payees: in.Payees, Agreements: in.Agreements, Files: in.Files}
}
