package store

import "errors"

// Sentinel errors of the lifecycle, matched with errors.Is. The errors
// returned carry a sentence for the user (when, by whom, what to do).
var (
	ErrNoRun            = errors.New("no run")
	ErrAlreadyAttested  = errors.New("already attested")
	ErrNotAttested      = errors.New("not attested")
	ErrAlreadyApproved  = errors.New("already approved")
	ErrNotApproved      = errors.New("not approved")
	ErrSameApprover     = errors.New("the approver attested the run")
	ErrAlreadyReleased  = errors.New("already released")
	ErrInputsChanged    = errors.New("inputs changed since the run was computed")
	ErrLaterReleased    = errors.New("a later period is released")
	ErrConflictingInput = errors.New("conflicting record versions")
	ErrNoUser           = errors.New("no user given")
	ErrNoStore          = errors.New("no store")
	ErrSameReleaser     = errors.New("the releaser attested or approved the run")
	ErrDigestMismatch   = errors.New("the run is not the one approved")
	ErrInconsistent     = errors.New("the store is not consistent")
	ErrUnsigned         = errors.New("no release key")
	ErrOtherFolder      = errors.New("released to another folder")
	ErrLegacyRun        = errors.New("run computed before run digests")
)

// lifecycleError is a refused transition: a sentence for the user that
// matches its sentinel with errors.Is.
type lifecycleError struct {
	msg string
	err error
}

func (e *lifecycleError) Error() string { return e.msg }
func (e *lifecycleError) Unwrap() error { return e.err }

func refuse(sentinel error, msg string) error { return &lifecycleError{msg: msg, err: sentinel} }
