package store

import (
	"errors"
	"fmt"
	"time"
)

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
	ErrNoRole           = errors.New("the PostgreSQL session lacks the payout role")
	ErrNotReleased      = errors.New("the period is not released")
	ErrPaidAgain        = errors.New("the payment is paid again already")
	ErrNoSupplement     = errors.New("no supplement")
)

// lifecycleError is a refused transition: a sentence for the user that
// matches its sentinel with errors.Is. It keeps its format and arguments so
// that the command line can show it in the user's language (Message).
type lifecycleError struct {
	format string
	args   []any
	err    error
}

// Error is the English text; a time among the arguments is written as the
// store records it (RFC 3339, UTC), the command line writes it in Oslo time.
func (e *lifecycleError) Error() string {
	shown := make([]any, len(e.args))
	for i, a := range e.args {
		shown[i] = a
		if t, ok := a.(time.Time); ok {
			shown[i] = stamp(t)
		}
	}
	return fmt.Sprintf(e.format, shown...)
}
func (e *lifecycleError) Unwrap() error { return e.err }

// Message is the refusal's English format and its arguments: the key of its
// row in the command line's message catalogue.
func (e *lifecycleError) Message() (string, []any) { return e.format, e.args }

// refusef is a refusal for sentinel, its text formatted as by fmt.Sprintf.
// The format is a catalogue key: keep it a literal so that the catalogue's
// test finds it.
func refusef(sentinel error, format string, args ...any) error {
	return &lifecycleError{format: format, args: args, err: sentinel}
}
