// Package store keeps the payout batch's state in one SQLite file: the
// imported input files, the runs of each period and their lifecycle
// (computed → attested → approved → released), the hash-chained releases and
// an audit log of every state change.
//
// The contract:
//   - Inputs are append-only. Each imported file is kept byte for byte and
//     identified by its SHA-256, so importing it again changes nothing;
//     records are re-read from the stored bytes, keeping the file and line
//     they came from. A record version that another file already holds (same
//     key, recorded_on and values) is read once; the same key and
//     recorded_on with other values is refused at import.
//   - One run per period. A computed or attested run is replaced by a new
//     computation; an approved run only when asked to reopen it; a released
//     run never (the database refuses it with triggers).
//   - Every state change is one transaction, recorded in the audit log with
//     the user and the time the caller gives (the store reads no clock).
//   - Releases are serialised: the release transaction takes the write lock
//     before it checks the run, so of two concurrent releases of a period
//     exactly one succeeds. Each release stores the SHA-256 of its manifest,
//     the previous release's manifest SHA-256 and a chain hash over both, so
//     Check detects a changed or removed past release.
//   - The database file is created with mode 0600 (it holds account numbers),
//     in WAL mode with foreign keys on and synchronous commits.
package store

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"

	"github.com/oslokommune/payout/payout"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ParseFunc reads one input file into records (importers.ReadFile).
type ParseFunc func(name string, data []byte) (*payout.Inputs, error)

// Store is an open store. It is safe for use by one process at a time per
// operation; several processes may open the same file (SQLite locks it).
type Store struct {
	db    *sqlx.DB
	parse ParseFunc
	path  string
}

// Open opens the store at path, creating it (mode 0600) when missing, and
// applies the embedded migrations. parse reads stored files back into
// records; it may be nil for commands that never need the records.
func Open(path string, parse ParseFunc) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: no database file given")
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	// _txlock=immediate: every transaction takes the write lock at BEGIN, so
	// a check and the write that depends on it cannot interleave with
	// another process. The busy timeout lets a concurrent one wait its turn.
	dsn := path + "?_journal_mode=WAL&_foreign_keys=on&_synchronous=FULL&_busy_timeout=60000&_txlock=immediate"
	db, err := sqlx.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	s := &Store{db: db, parse: parse, path: path}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return s, nil
}

// createPrivate creates an empty file with mode 0600 unless one exists, so
// that SQLite (which gives its WAL files the database's mode) never creates
// the store world-readable.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return f.Close()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// migrate applies the migrations not yet applied, each in its own
// transaction, in file name order.
func (s *Store) migrate() error {
	if _, err := s.db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := s.applyMigration(name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

func (s *Store) applyMigration(name string) error {
	tx, err := s.db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.Get(&n, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	sqlText, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(string(sqlText)); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO schema_migrations (name) VALUES (?)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// stamp formats an event time: RFC 3339 in UTC, to the second.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// parseStamp reads a stamp back; "" is the zero time.
func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// logEvent appends to the audit log.
func logEvent(tx *sqlx.Tx, at time.Time, period, action, user, detail string) error {
	_, err := tx.Exec(`INSERT INTO events (at, period, action, user, detail) VALUES (?, ?, ?, ?, ?)`,
		stamp(at), period, action, user, detail)
	return err
}

// sameUser compares user names as people do: ignoring case and spaces
// around them.
func sameUser(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
