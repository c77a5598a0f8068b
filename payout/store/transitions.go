package store

import (
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/oslokommune/payout/payout"
)

// Step is one attest or approve: who, when, and optionally the digest the
// person reviewed.
type Step struct {
	Period payout.Period
	By     Actor
	At     When
	// Digest, when given, is the run digest the person reviewed (the
	// folder's manifest shows it): a store holding another run refuses.
	// Its first 12 hex digits are enough.
	Digest string
}

// Attest records that st.By checked the computed run of st.Period. It
// refuses a run that is not in status computed, one whose inputs changed
// since it was computed, and a store that fails its checks. The event names
// the run's digest and total.
func (s *Store) Attest(st Step) (*Run, error) {
	return s.transition(st, ActionAttest, func(tx *sqlx.Tx, run *Run) error {
		switch run.Status {
		case StatusAttested:
			return refusef(ErrAlreadyAttested, "the run of %s is already attested by %s at %s", run.Period, run.AttestedBy, run.AttestedAt)
		case StatusApproved:
			return refusef(ErrAlreadyApproved, "the run of %s is already approved by %s at %s", run.Period, run.ApprovedBy, run.ApprovedAt)
		}
		_, err := tx.Exec(`UPDATE runs SET status = ?, attested_by = ?, attested_uid = ?, attested_at = ? WHERE id = ?`,
			string(StatusAttested), strings.TrimSpace(st.By.Name), st.By.UID, stamp(st.At.Real), run.ID)
		return err
	})
}

// Approve records the second person's approval of the attested run. The
// approver must be another account than the attester (two-person rule).
func (s *Store) Approve(st Step) (*Run, error) {
	return s.transition(st, ActionApprove, func(tx *sqlx.Tx, run *Run) error {
		switch run.Status {
		case StatusComputed:
			return refusef(ErrNotAttested, "the run of %s is not attested: 'payout attest' by another person comes first", run.Period)
		case StatusApproved:
			return refusef(ErrAlreadyApproved, "the run of %s is already approved by %s at %s", run.Period, run.ApprovedBy, run.ApprovedAt)
		}
		if run.AttestedBy.Same(st.By) {
			return refusef(ErrSameApprover, "%s attested the run of %s and cannot also approve it: a second person must approve, from their own account", run.AttestedBy, run.Period)
		}
		_, err := tx.Exec(`UPDATE runs SET status = ?, approved_by = ?, approved_uid = ?, approved_at = ? WHERE id = ?`,
			string(StatusApproved), strings.TrimSpace(st.By.Name), st.By.UID, stamp(st.At.Real), run.ID)
		return err
	})
}

// transition runs one lifecycle step in one transaction: it checks the
// store, loads the run, refuses a released run, a run without a digest,
// another digest than the one reviewed and changed inputs, applies step and
// logs it.
func (s *Store) transition(st Step, action string, step func(*sqlx.Tx, *Run) error) (*Run, error) {
	return lifecycleStep(s, roleFor(action), action, st.By, func(tx *sqlx.Tx) (*Run, error) {
		run, err := runTx(tx, st.Period)
		if err != nil {
			return nil, err
		}
		if err := stepAllowed(tx, run, st.Digest); err != nil {
			return nil, err
		}
		if err := step(tx, run); err != nil {
			return nil, err
		}
		if _, err := logEvent(tx, st.At, Event{Period: run.Period.String(), Action: action, Actor: st.By, RunID: run.ID,
			RunSHA256: run.Digest, Total: run.Total.StringFixed(2)}); err != nil {
			return nil, err
		}
		return runTx(tx, st.Period)
	})
}

// stepAllowed refuses a step on a released run, on a run computed before
// digests, on another run than the one reviewed and on changed inputs.
func stepAllowed(q sqlx.Queryer, run *Run, reviewed string) error {
	if run.Status == StatusReleased {
		return releasedError(run)
	}
	if run.Digest == "" {
		return legacyRun(run)
	}
	if reviewed != "" && (len(reviewed) < 12 || !strings.HasPrefix(run.Digest, strings.ToLower(reviewed))) {
		return refusef(ErrDigestMismatch, "the stored run of %s has digest %s, not the %s you reviewed: review the files of the stored run (payout run --db wrote them to %s)",
			run.Period, run.Digest[:12], reviewed, run.OutDir)
	}
	return inputsUnchanged(q, run)
}

func legacyRun(run *Run) error {
	return refusef(ErrLegacyRun, "the run of %s was computed before runs carried a digest, so no approval can be bound to it: run it again (payout run --db FILE --period %s), then attest and approve the new run",
		run.Period, run.Period)
}

// inputsUnchanged refuses a run whose inputs are no longer the stored ones.
func inputsUnchanged(q sqlx.Queryer, run *Run) error {
	st, err := stateOf(q)
	if err != nil {
		return err
	}
	if st.Digest != run.InputDigest {
		return refusef(ErrInputsChanged, "inputs changed since the run of %s was computed at %s (input digest %s, now %s): run it again, then attest and approve the new run",
			run.Period, run.ComputedAt, run.InputDigest[:12], st.Digest[:12])
	}
	return nil
}

// preflight runs SQLite's quick check and the store's own consistency check
// before a step that others will rely on, and refuses on any finding.
func (s *Store) preflight(q sqlx.Queryer, action string) error {
	problems, err := s.engineCheckQ(q, false)
	if err != nil {
		return err
	}
	more, err := consistency(q)
	if err != nil {
		return err
	}
	problems = append(problems, more...)
	if len(problems) == 0 {
		return nil
	}
	return inconsistentBefore(action, s.path, problems[0], len(problems))
}

// inconsistentBefore is the refusal of action on a store that fails its
// checks: the first finding and how many there are in all.
func inconsistentBefore(action, path, first string, n int) error {
	switch action {
	case ActionAttest, ActionSupplementAttest:
		return refusef(ErrInconsistent, "the store %s fails its checks, so nothing is attested: %s (%d finding(s) in all: see payout status --check)", path, first, n)
	case ActionApprove, ActionSupplementApprove:
		return refusef(ErrInconsistent, "the store %s fails its checks, so nothing is approved: %s (%d finding(s) in all: see payout status --check)", path, first, n)
	}
	return refusef(ErrInconsistent, "the store %s fails its checks, so nothing is released: %s (%d finding(s) in all: see payout status --check)", path, first, n)
}
