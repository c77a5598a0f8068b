package store

import (
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/oslokommune/payout/payout"
)

// Recompute computes a stored run again from the files it was computed
// from (each checked against its digest), as of its as-of date and the
// as-of dates of the periods released before it (RULEBOOK §6), and checks
// every control of RULEBOOK §8. It is how release and Check know what a run
// pays without trusting the stored result.
func (s *Store) Recompute(run *Run) (*payout.Result, *payout.Inputs, error) {
	tx, err := s.beginRead()
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	return s.recomputeTx(tx, run)
}

func (s *Store) recomputeTx(q sqlx.Queryer, run *Run) (*payout.Result, *payout.Inputs, error) {
	in, err := s.runInputs(q, run)
	if err != nil {
		return nil, nil, err
	}
	// The periods released before it, with their as-of dates and knowledge,
	// and the run's own knowledge (RULEBOOK §6, issue 11).
	released, err := releasedTx(q)
	if err != nil {
		return nil, nil, err
	}
	res, err := payout.Compute(in, run.Period, released.Options(run.Period, run.AsOf, in))
	if err != nil {
		return nil, nil, fmt.Errorf("the run of %s cannot be computed again from its stored inputs: %w", run.Period, err)
	}
	if err := payout.CheckInvariants(res); err != nil {
		return nil, nil, fmt.Errorf("the run of %s computed again from its stored inputs fails a control: %w", run.Period, err)
	}
	if got := payout.RunDigest(res); run.Digest != "" && got != run.Digest {
		return nil, nil, refusef(ErrDigestMismatch, "the run of %s computed again from the stored inputs has digest %s and total %s, but the run attested and approved has digest %s and total %s: the stored run was changed outside payout, or the engine changed; compute it again (payout run --db) and have it attested and approved anew",
			run.Period, got[:12], res.Total.StringFixed(2), short(run.Digest), run.Total.StringFixed(2))
	}
	return res, in, nil
}
