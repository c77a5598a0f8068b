// Package store keeps the payout batch's state in one SQLite file: the
// imported input files, the runs of each period and their lifecycle
// (computed → attested → approved → released), the signed chain of releases
// and a hash-chained audit log of every state change.
//
// The contract:
//   - A store is made once, by Create (payout init): mode 0600, or 0660 and
//     a group's when several clerks share it (in a set-group-ID folder of
//     that group, so SQLite's journal files are the group's too). Open and
//     OpenReadOnly refuse a missing, empty or foreign file (ErrNoStore): a
//     typo never makes a new store. OpenReadOnly cannot write.
//   - Who and when. Every state change records the Actor the caller
//     authenticated (an operating-system uid and name; the store takes no
//     typed names) and a When: the real time, and the pinned time beside it
//     when the caller's clock is pinned. The store reads no clock.
//   - Inputs are append-only. Each imported file is kept byte for byte and
//     identified by its SHA-256, so importing it again changes nothing; its
//     import event names that digest. Every read of a stored file checks
//     its bytes against the digest (ErrInconsistent otherwise), and records
//     are re-read from the stored bytes, keeping the file and line they came
//     from. A record version that another file already holds (same key,
//     recorded_on and values) is read once; the same key and recorded_on
//     with other values is refused at import.
//   - One run per period, identified by payout.RunDigest of its result. A
//     computed or attested run is replaced by a new computation; an
//     approved run only when asked to reopen it; a released run never (the
//     database refuses it with triggers). SaveRun writes the run's files
//     (the caller's Write) inside its transaction, so a stored run's files
//     were written.
//   - Attest and Approve record the run's digest and total; the approver is
//     another account than the attester. Before either, and before a
//     release, the store runs PRAGMA quick_check and its own consistency
//     check (the audit log's hash chain; each run's status against the
//     events of its last computation; each release against its run; each
//     file against its import event) and refuses on any finding.
//   - Release recomputes the run from the files it was computed from (each
//     checked), with every control of RULEBOOK §8, and releases only when
//     the result's digest is the approved one, the attest and approve
//     events name it and are by two accounts, and the releaser is neither
//     (the approver when policy release_by_approver allows; never the
//     attester). Stage renders the files from that recomputed result. The
//     release statement (Statement) is signed with the ed25519 release key
//     (unsigned only when policy unsigned_releases allows), its SHA-256 is
//     the release's chain hash, and it names the previous chain hash, the
//     audit log's head and the folder the release went to. The commit is
//     checkpointed into the main file, so a lost -wal file cannot take a
//     release with it. Releases are serialised: the transaction takes the
//     write lock before it checks anything, so of two concurrent releases
//     of a period exactly one succeeds.
//   - Check (status --check) runs PRAGMA integrity_check, the consistency
//     check, the release chain and every signature against the trusted
//     keys, recomputes every released run and compares it with the
//     released digest, and reads every stored file against its digest.
//   - What is particular to SQLite (connection strings, PRAGMAs, the
//     checkpoint, the release lock) lives in sqlite.go; the Store's methods
//     are the interface another back end implements.
//   - The database is in WAL mode with foreign keys on and synchronous
//     commits; migrations are numbered files applied once, in order.
package store

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"

	"github.com/oslokommune/payout/payout"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// ParseFunc reads one input file into records (importers.ReadFile). It
// refuses a file that holds a version twice (the same key and recorded_on,
// FORMATS.md), as importers.ReadFile does: the store checks only the
// versions of different files for repeats.
type ParseFunc func(name string, data []byte) (*payout.Inputs, error)

// Store is an open store. It is safe for use by one process at a time per
// operation; several processes may open the same file (SQLite locks it).
type Store struct {
	db       *sqlx.DB
	parse    ParseFunc
	stream   StreamFunc // nil: stored files are parsed whole, by parse
	piece    int        // the size of a stored file's pieces; 0: pieceSize
	path     string     // the file, or the PostgreSQL URL without its password
	readOnly bool
	pg       bool // PostgreSQL (postgres.go), else SQLite (sqlite.go)
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
	if IsPostgres(path) {
		return openPostgresStore(path, parse, modeCreate)
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
	if IsPostgres(path) {
		return openPostgresStore(path, parse, modeReadWrite)
	}
	if err := mustExist(path); err != nil {
		return nil, err
	}
	return openDB(path, parse, modeReadWrite)
}

// OpenReadOnly opens an existing store for reading only, for the commands
// that change nothing (status, due, verify, explain, export): an auditor
// with read access can run them, and a bug in them cannot write.
func OpenReadOnly(path string, parse ParseFunc) (*Store, error) {
	if IsPostgres(path) {
		return openPostgresStore(path, parse, modeReadOnly)
	}
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
	return refusef(ErrNoStore, "no store at %s (create it with payout init)", path)
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
	n, err := s.hasMigrations()
	if err != nil {
		return fmt.Errorf("store %s: %w (is it a payout store?)", s.path, err)
	}
	if n == 0 && !fresh {
		return noStore(s.path)
	}
	if n > 0 && fresh && s.pg {
		return fmt.Errorf("%s exists already: payout init never overwrites a store (give another database or schema)", s.path)
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
	if err := s.migrate(pending); err != nil {
		if s.pg && permissionDenied(err) {
			return fmt.Errorf("store %s has an older schema (missing %s), and only its owner may change the schema: the database administrator upgrades it by running, as the owner, a payout command that writes (payout import --db URL of a folder already imported changes nothing else)", s.path, pending[0])
		}
		return err
	}
	return nil
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
	names, err := s.migrationNames()
	if err != nil {
		return nil, err
	}
	var applied []string
	n, err := s.hasMigrations()
	if err != nil {
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
	if err := s.lockMigrations(tx); err != nil {
		return err
	}
	var n int
	if err := tx.Get(&n, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	sqlText, err := s.migrationText(name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(sqlText); err != nil {
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
