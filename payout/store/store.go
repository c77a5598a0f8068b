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
	"path/filepath"
	"sort"
	"syscall"
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
	db       *sqlx.DB
	parse    ParseFunc
	path     string
	readOnly bool
}

// CreateOptions say how Create shares the new store.
type CreateOptions struct {
	// GID is the group that shares the store (NoGroup: the owner alone).
	// The store file is then mode 0660 and the group's, and its folder must
	// be the group's with the set-group-ID bit, so that the journal files
	// SQLite creates beside it are the group's too.
	GID int
}

// NoGroup: a store for its owner alone (mode 0600).
const NoGroup = -1

// Create makes a new store at path and applies the migrations. It refuses
// a path that holds anything already: a store is never overwritten.
func Create(path string, parse ParseFunc, opt CreateOptions) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: no database file given")
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return nil, fmt.Errorf("%s exists already: payout init never overwrites a store (give another --db)", path)
	}
	if opt.GID != NoGroup {
		if err := checkGroupFolder(filepath.Dir(path), opt.GID); err != nil {
			return nil, err
		}
	}
	if err := createFile(path, opt.GID); err != nil {
		return nil, err
	}
	return openDB(path, parse, modeCreate)
}

// Open opens an existing store for reading and writing and applies the
// migrations it lacks. A missing file, an empty one or one without the
// store's schema is refused (ErrNoStore): a typo never makes a new store.
func Open(path string, parse ParseFunc) (*Store, error) {
	if err := mustExist(path); err != nil {
		return nil, err
	}
	return openDB(path, parse, modeReadWrite)
}

// OpenReadOnly opens an existing store for reading only, for the commands
// that change nothing (status, due, verify, explain, export): an auditor
// with read access can run them, and a bug in them cannot write.
func OpenReadOnly(path string, parse ParseFunc) (*Store, error) {
	if err := mustExist(path); err != nil {
		return nil, err
	}
	return openDB(path, parse, modeReadOnly)
}

func mustExist(path string) error {
	if path == "" {
		return errors.New("store: no database file given")
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return noStore(path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot open the store %s: permission denied (a shared store is for the accounts of its group)", path)
	case err != nil:
		return fmt.Errorf("store: %w", err)
	case fi.IsDir():
		return fmt.Errorf("%s is a folder, not a store", path)
	case fi.Size() == 0:
		return noStore(path)
	}
	return nil
}

func noStore(path string) error {
	return refuse(ErrNoStore, fmt.Sprintf("no store at %s (create it with payout init)", path))
}

// openMode is how openDB opens a file.
type openMode int

const (
	modeCreate openMode = iota // a file Create just made: the schema is applied
	modeReadWrite
	modeReadOnly
)

func openDB(path string, parse ParseFunc, mode openMode) (*Store, error) {
	db, err := sqlx.Open("sqlite3", dsn(path, mode == modeReadOnly))
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	s := &Store{db: db, parse: parse, path: path, readOnly: mode == modeReadOnly}
	if err := s.prepare(mode == modeCreate); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// prepare checks the file is a store and brings its schema up to date (a
// read-only store must be up to date already).
func (s *Store) prepare(fresh bool) error {
	var n int
	if err := s.db.Get(&n, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`); err != nil {
		return fmt.Errorf("store %s: %w (is it a payout store?)", s.path, err)
	}
	if n == 0 && !fresh {
		return noStore(s.path)
	}
	pending, err := s.pendingMigrations()
	if err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	if len(pending) == 0 {
		return nil
	}
	if s.readOnly {
		return fmt.Errorf("store %s has an older schema (missing %s): any command that writes (import, run, attest …) upgrades it first", s.path, pending[0])
	}
	return s.migrate(pending)
}

// createFile creates an empty file with mode 0600 (0660 and the group gid
// when shared) unless one exists, so that SQLite (which gives its journal
// files the database's mode) never creates the store readable by others.
func createFile(path string, gid int) error {
	mode := os.FileMode(0o600)
	if gid != NoGroup {
		mode = 0o660
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, mode)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	if gid != NoGroup {
		if err := f.Chown(-1, gid); err != nil {
			return fmt.Errorf("store: give %s to group %d: %w", path, gid, err)
		}
	}
	// The umask may have taken bits off; the mode is the contract.
	if err := f.Chmod(mode); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// checkGroupFolder refuses a shared store in a folder that would give the
// journal files SQLite creates the creator's own group: the others could
// then not open the store.
func checkGroupFolder(dir string, gid int) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if int(st.Gid) != gid || fi.Mode()&fs.ModeSetgid == 0 || fi.Mode().Perm()&0o070 != 0o070 {
		return fmt.Errorf("%s is not a shared folder of the group (gid %d): make it one with 'chgrp GROUP %s && chmod 2770 %s', so that every clerk of the group can open the store's journal files",
			dir, gid, dir, dir)
	}
	return nil
}

// Shared reports whether the store is shared with a group (mode 0660), and
// which: files written for the store are then shared the same way.
func (s *Store) Shared() (gid int, shared bool) {
	fi, err := os.Stat(s.path)
	if err != nil || fi.Mode().Perm()&0o060 != 0o060 {
		return NoGroup, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return NoGroup, false
	}
	return int(st.Gid), true
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// pendingMigrations lists the embedded migrations not yet applied, in
// file name order.
func (s *Store) pendingMigrations() ([]string, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var applied []string
	var n int
	if err := s.db.Get(&n, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`); err != nil {
		return nil, err
	}
	if n > 0 {
		if err := s.db.Select(&applied, `SELECT name FROM schema_migrations`); err != nil {
			return nil, err
		}
	}
	done := map[string]bool{}
	for _, a := range applied {
		done[a] = true
	}
	var out []string
	for _, name := range names {
		if !done[name] {
			out = append(out, name)
		}
	}
	return out, nil
}

// migrate applies the pending migrations, each in its own transaction
// (which takes the write lock, so two processes cannot both apply one).
func (s *Store) migrate(pending []string) error {
	if _, err := s.db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	for _, name := range pending {
		if err := s.applyMigration(name); err != nil {
			return fmt.Errorf("store %s: migration %s: %w", s.path, name, err)
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
