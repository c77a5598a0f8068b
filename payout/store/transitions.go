package store

import (
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/oslokommune/payout/payout"
)

// Attest records that user checked the computed run of p. It refuses a run
// that is not in status computed, and one whose inputs changed since it was
// computed (the store's input digest differs from the run's).
func (s *Store) Attest(p payout.Period, user string, at time.Time) (*Run, error) {
	return s.transition(p, user, at, "attest", func(tx *sqlx.Tx, run *Run) error {
		switch run.Status {
		case StatusAttested:
			return refuse(ErrAlreadyAttested, fmt.Sprintf("the run of %s is already attested by %s at %s", p, run.AttestedBy, stamp(run.AttestedAt)))
		case StatusApproved:
			return refuse(ErrAlreadyApproved, fmt.Sprintf("the run of %s is already approved by %s at %s", p, run.ApprovedBy, stamp(run.ApprovedAt)))
		}
		_, err := tx.Exec(`UPDATE runs SET status = ?, attested_by = ?, attested_at = ? WHERE id = ?`,
			string(StatusAttested), strings.TrimSpace(user), stamp(at), run.ID)
		return err
	})
}

// Approve records the second person's approval of the attested run of p.
// The approver must not be the one who attested (two-person rule).
func (s *Store) Approve(p payout.Period, user string, at time.Time) (*Run, error) {
	return s.transition(p, user, at, "approve", func(tx *sqlx.Tx, run *Run) error {
		switch run.Status {
		case StatusComputed:
			return refuse(ErrNotAttested, fmt.Sprintf("the run of %s is not attested: 'payout attest' by another person comes first", p))
		case StatusApproved:
			return refuse(ErrAlreadyApproved, fmt.Sprintf("the run of %s is already approved by %s at %s", p, run.ApprovedBy, stamp(run.ApprovedAt)))
		}
		if sameUser(run.AttestedBy, user) {
			return refuse(ErrSameApprover, fmt.Sprintf("%s attested the run of %s and cannot also approve it: a second person must approve", run.AttestedBy, p))
		}
		_, err := tx.Exec(`UPDATE runs SET status = ?, approved_by = ?, approved_at = ? WHERE id = ?`,
			string(StatusApproved), strings.TrimSpace(user), stamp(at), run.ID)
		return err
	})
}

// transition runs one lifecycle step in one transaction: it loads the run,
// refuses a released run and changed inputs, applies step and logs it.
func (s *Store) transition(p payout.Period, user string, at time.Time, action string, step func(*sqlx.Tx, *Run) error) (*Run, error) {
	if strings.TrimSpace(user) == "" {
		return nil, refuse(ErrNoUser, "no user given: --user NAME is required")
	}
	tx, err := s.db.Beginx()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	run, err := runTx(tx, p)
	if err != nil {
		return nil, err
	}
	if run.Status == StatusReleased {
		return nil, releasedError(run)
	}
	if err := inputsUnchanged(tx, run); err != nil {
		return nil, err
	}
	if err := step(tx, run); err != nil {
		return nil, err
	}
	if err := logEvent(tx, at, p.String(), action, strings.TrimSpace(user), "total "+run.Total.StringFixed(2)); err != nil {
		return nil, err
	}
	if run, err = runTx(tx, p); err != nil {
		return nil, err
	}
	return run, tx.Commit()
}

// inputsUnchanged refuses a run whose inputs are no longer the stored ones.
func inputsUnchanged(q sqlx.Queryer, run *Run) error {
	st, err := stateOf(q)
	if err != nil {
		return err
	}
	if st.Digest != run.InputDigest {
		return refuse(ErrInputsChanged, fmt.Sprintf("inputs changed since the run of %s was computed at %s (input digest %s, now %s): run it again, then attest and approve the new run",
			run.Period, stamp(run.ComputedAt), run.InputDigest[:12], st.Digest[:12]))
	}
	return nil
}
