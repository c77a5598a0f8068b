package store

// What is particular to SQLite lives here, so that another back end
// (PostgreSQL, issue 12) replaces this file's functions behind the same
// Store methods: the connection string, the engine's own integrity checks,
// the checkpoint that makes a release durable in the main file, and the
// release lock.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/jmoiron/sqlx"
)

// dsn is the connection string. _txlock=immediate: every transaction takes
// the write lock at BEGIN, so a check and the write that depends on it
// cannot interleave with another process; the busy timeout lets a
// concurrent one wait its turn. A read-only store is opened with mode=ro,
// so that nothing through it can write, whoever owns the file.
func dsn(path string, readOnly bool) string {
	params := "_journal_mode=WAL&_foreign_keys=on&_synchronous=FULL&_busy_timeout=60000&_txlock=immediate"
	if readOnly {
		// The journal mode is the file's (a store is always WAL); setting
		// it would be a write.
		ro := "file:" + uriEscape(path) + "?mode=ro&_foreign_keys=on&_busy_timeout=60000"
		if frozen(path) {
			ro += "&immutable=1"
		}
		return ro
	}
	return "file:" + uriEscape(path) + "?" + params
}

// frozen reports a store no process can be writing: no -wal file beside it,
// and a folder we may not write (an auditor's copy, a read-only mount).
// SQLite cannot open such a WAL store read-only the ordinary way (it would
// create the -shm file), so it is opened as immutable, which is exact when
// nothing writes it.
func frozen(path string) bool {
	if _, err := os.Stat(path + "-wal"); err == nil {
		return false
	}
	return syscall.Access(filepath.Dir(path), 2 /* W_OK */) != nil
}

// uriEscape escapes what a SQLite URI file name may not hold as is.
func uriEscape(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// engineCheck runs PRAGMA quick_check (full: integrity_check) and returns
// its findings; none means the file is sound.
func (s *Store) engineCheck(full bool) ([]string, error) { return s.engineCheckQ(s.db, full) }

func (s *Store) engineCheckQ(q sqlx.Queryer, full bool) ([]string, error) {
	if s.pg {
		// PostgreSQL checks its pages itself (WAL, checksums when the
		// cluster has them); the store's own checks follow as on SQLite.
		return nil, nil
	}
	pragma := "PRAGMA quick_check"
	if full {
		pragma = "PRAGMA integrity_check"
	}
	var rows []string
	if err := sqlx.Select(q, &rows, pragma); err != nil {
		return nil, fmt.Errorf("%s: %w", pragma, err)
	}
	if len(rows) == 1 && rows[0] == "ok" {
		return nil, nil
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%s: %s", pragma, r)
	}
	return out, nil
}

// checkpoint copies the write-ahead log into the main file, so that a
// release just committed no longer lives in the -wal file alone (a lost or
// deleted -wal would otherwise take the release with it). A checkpoint that
// readers keep from completing is no error: the next one completes it.
func (s *Store) checkpoint() {
	if s.pg {
		return // a PostgreSQL commit is durable when it returns
	}
	_, _ = s.db.Exec(`PRAGMA wal_checkpoint(FULL)`)
}

// LockReleases takes an exclusive lock held while a release writes its
// files, so that a second release (or a repair) of the same store waits;
// the kernel drops it if the process dies. The lock file sits beside the
// store and is shared like the store.
func (s *Store) LockReleases() (unlock func(), err error) {
	if s.pg {
		return s.pgLockReleases()
	}
	path := s.path + ".release-lock"
	gid, shared := s.Shared()
	mode := os.FileMode(0o600)
	if shared {
		mode = 0o660
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, mode)
	if err != nil {
		return nil, err
	}
	if shared {
		// Only the file's owner may change these; another clerk's
		// lock file is already right.
		if fi, err := f.Stat(); err == nil && fi.Mode().Perm() != mode {
			_ = f.Chown(-1, gid)
			_ = f.Chmod(mode)
		}
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}
