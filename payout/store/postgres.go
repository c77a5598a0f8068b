package store

// What is particular to PostgreSQL (issue 12) lives here, beside sqlite.go:
// the connection (pgx's database/sql driver), the migrations and the
// server's rules (roles, grants and the triggers that no client can skip:
// migrations/postgres/rules.sql), SERIALIZABLE transactions retried on a
// serialization failure, the release lock (an advisory lock) and the
// session's identity.
//
// The store's SQL is written once, with SQLite's ? placeholders; the
// driver below rebinds each statement to PostgreSQL's $1, $2 … (sqlx.Rebind)
// before pgx sees it, so no query is written twice.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
)

// pgDriverName is the sqlx driver name of the rebinding connector: sqlx
// compiles named queries to ? for it, which the connector then rebinds.
const pgDriverName = "payout-postgres"

func init() { sqlx.BindDriver(pgDriverName, sqlx.QUESTION) }

// IsPostgres reports whether a --db value names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// displayURL is the URL without its password, for messages.
func displayURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "postgres://…"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	if q := u.Query(); q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// DisplayDB is a --db value as it may be shown or logged: a file as it is,
// a PostgreSQL URL without its password (in the user part or a query
// parameter), so that no hint or summary prints a secret.
func DisplayDB(db string) string {
	if IsPostgres(db) {
		return displayURL(db)
	}
	return db
}

// openPostgres connects to the database of rawURL. A read-only store's
// sessions are read-only on the server (default_transaction_read_only).
func openPostgres(rawURL string, readOnly bool) (*sqlx.DB, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", displayURL(rawURL), err)
	}
	if readOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	db := sql.OpenDB(rebindConnector{stdlib.GetConnector(*cfg, stdlib.OptionAfterConnect(fastCompression))})
	// A few sessions are plenty for one command; a store kept open long
	// (tests, a service) gives idle ones back.
	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(time.Minute)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", displayURL(rawURL), err)
	}
	return sqlx.NewDb(db, pgDriverName), nil
}

// fastCompression makes the session compress the large values it stores
// (the input files' bytes, a run's result, a bank report) with lz4 rather
// than the server's default pglz: the same bytes read back, but the
// server takes about a second less to store the Norway decade's 41 MB of
// files (pglz compresses at a few tens of MB a second on one core, while
// the client waits), and reads them back faster. A server that cannot
// (before PostgreSQL 14, or built without lz4) refuses the setting; the
// session then keeps its default.
func fastCompression(ctx context.Context, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, "SET default_toast_compression = lz4")
	var refused *pgconn.PgError
	if errors.As(err, &refused) {
		return nil
	}
	return err
}

// openPostgresStore opens (modeCreate: creates) the store in the current
// schema of the database rawURL names.
func openPostgresStore(rawURL string, parse ParseFunc, mode openMode) (*Store, error) {
	db, err := openPostgres(rawURL, mode == modeReadOnly)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, parse: parse, path: displayURL(rawURL), readOnly: mode == modeReadOnly, pg: true}
	if mode != modeCreate {
		// A session without a payout role cannot see the schema: say
		// which role it needs rather than "no store".
		if err := s.requireAnyRole(); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := s.prepare(mode == modeCreate); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// rebindConnector hands out connections that rebind ? to $n.
type rebindConnector struct{ driver.Connector }

func (c rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{conn.(*stdlib.Conn)}, nil
}

// rebindConn is pgx's connection with every statement rebound.
type rebindConn struct{ *stdlib.Conn }

func rebind(q string) string { return sqlx.Rebind(sqlx.DOLLAR, q) }

func (c *rebindConn) Prepare(q string) (driver.Stmt, error) { return c.Conn.Prepare(rebind(q)) }

func (c *rebindConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(q))
}

func (c *rebindConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(q), args)
}

func (c *rebindConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(q), args)
}

// retryable reports a transaction the server aborted because another one
// ran at the same time (serialization failure, deadlock, or a key another
// transaction took first): run again, it sees the other's result.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01", "23505":
		return true
	}
	return false
}

// permissionDenied reports the server refusing a privilege (SQLSTATE 42501).
func permissionDenied(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42501"
}

// maxAttempts bounds the retries of one state change.
const maxAttempts = 12

// retrying runs f, a whole transaction, again while PostgreSQL aborts it
// for a concurrent one (SQLite serialises writers with its lock, so f runs
// once there). The pause grows with each attempt.
func (s *Store) retrying(f func() error) error {
	err := f()
	for attempt := 1; s.pg && attempt < maxAttempts && retryable(err); attempt++ {
		time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
		err = f()
	}
	return err
}

// begin starts a transaction: SERIALIZABLE on PostgreSQL; on SQLite one
// that takes the write lock at BEGIN (_txlock=immediate, sqlite.go).
func (s *Store) begin() (*sqlx.Tx, error) {
	if !s.pg {
		return s.db.Beginx()
	}
	return s.db.BeginTxx(context.Background(), &sql.TxOptions{Isolation: sql.LevelSerializable, ReadOnly: s.readOnly})
}

// beginRead starts a transaction that only reads: one snapshot of the
// whole store on PostgreSQL (REPEATABLE READ), as SQLite's transaction is.
func (s *Store) beginRead() (*sqlx.Tx, error) {
	if !s.pg {
		return s.db.Beginx()
	}
	return s.db.BeginTxx(context.Background(), &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
}

// The roles payout init creates; the database administrator grants them
// to the clerks (README, "A department's store on PostgreSQL").
const (
	RoleImporter = "payout_importer" // import, bank import
	RolePreparer = "payout_preparer" // run
	RoleAttester = "payout_attester" // attest
	RoleApprover = "payout_approver" // approve
	RoleReleaser = "payout_releaser" // release
	RoleAuditor  = "payout_auditor"  // status, due, verify, explain, export, statement
)

var allRoles = []string{RoleImporter, RolePreparer, RoleAttester, RoleApprover, RoleReleaser, RoleAuditor}

// requireRole refuses, on PostgreSQL, a session that is not a member of
// role, naming it. The server refuses the writes anyway (grants); this says
// so before any work is done, in a sentence.
func (s *Store) requireRole(role string) error {
	if !s.pg {
		return nil
	}
	var ok bool
	if err := s.db.Get(&ok, `SELECT pg_has_role(session_user, ?, 'USAGE')`, role); err != nil {
		return err
	}
	if ok {
		return nil
	}
	who, _ := s.SessionActor()
	return refusef(ErrNoRole, "%s does not hold the PostgreSQL role %s, which this needs: ask the database administrator to GRANT %s TO %s",
		who.Name, role, role, who.Name)
}

// requireAnyRole refuses a session that holds none of the payout roles (a
// reader: the auditor's role is the one to ask for) and does not own the
// store's schema (the administrator, who upgrades it).
func (s *Store) requireAnyRole() error {
	if !s.pg {
		return nil
	}
	var n int
	if err := s.db.Get(&n, `SELECT count(*) FROM unnest(CAST(? AS text[])) r WHERE pg_has_role(session_user, r, 'USAGE')
		OR EXISTS (SELECT FROM pg_namespace WHERE nspname = current_schema() AND pg_has_role(session_user, nspowner, 'USAGE'))`,
		"{"+strings.Join(allRoles, ",")+"}"); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return s.requireRole(RoleAuditor)
}

// SessionActor is the user the PostgreSQL server authenticated
// (session_user): the actor of every event on that back end. ok is false
// on SQLite, whose actor is the operating-system account (cmd).
func (s *Store) SessionActor() (a Actor, ok bool) {
	if !s.pg {
		return Actor{}, false
	}
	var name string
	if err := s.db.Get(&name, `SELECT session_user`); err != nil {
		return Actor{UID: NoUID}, true
	}
	return Actor{UID: NoUID, Name: name}, true
}

// pgLockReleases takes the release lock: a session-level advisory lock on
// a connection of its own, held until unlock (the server drops it when
// the process dies).
func (s *Store) pgLockReleases() (unlock func(), err error) {
	ctx := context.Background()
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, releaseLockKey); err != nil {
		conn.Close()
		return nil, fmt.Errorf("release lock: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(ctx, `SELECT pg_advisory_unlock(?)`, releaseLockKey)
		conn.Close()
	}, nil
}

// releaseLockKey is the advisory lock of releases ("payout" in ASCII). The
// key is per database, so two stores on one server do not wait for each
// other.
const releaseLockKey int64 = 0x7061796f7574

// Roles are the roles payout init creates on PostgreSQL.
func Roles() []string { return append([]string(nil), allRoles...) }
