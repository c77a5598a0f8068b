package store

import "github.com/jmoiron/sqlx"

// lifecycleStep runs one step of the lifecycle (attest, approve or release,
// of a run or of a supplement) as by: refused unless the session holds
// role (PostgreSQL), retried on a serialization failure, in one transaction
// that begins only for a valid actor and only after the store passes its
// checks (preflight). do makes the step's own checks and writes; the
// transaction commits when do returns no error, and nothing is recorded
// when it does.
func lifecycleStep[T any](s *Store, role, action string, by Actor, do func(*sqlx.Tx) (T, error)) (out T, err error) {
	if err := s.requireRole(role); err != nil {
		return out, err
	}
	err = s.retrying(func() error { out, err = lifecycleOnce(s, action, by, do); return err })
	return out, err
}

func lifecycleOnce[T any](s *Store, action string, by Actor, do func(*sqlx.Tx) (T, error)) (T, error) {
	var zero T
	if err := by.valid(); err != nil {
		return zero, err
	}
	tx, err := s.begin()
	if err != nil {
		return zero, err
	}
	defer tx.Rollback()
	if err := s.preflight(tx, action); err != nil {
		return zero, err
	}
	out, err := do(tx)
	if err != nil {
		return zero, err
	}
	return out, tx.Commit()
}

// roleFor is the PostgreSQL role an attest or approve step needs.
func roleFor(action string) string {
	if action == ActionApprove || action == ActionSupplementApprove {
		return RoleApprover
	}
	return RoleAttester
}
