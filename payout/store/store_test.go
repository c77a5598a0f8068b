package store

import (
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

func TestCreateMakesPrivateFileAndOpenMigratesOnce(t *testing.T) {
	s, path := openTest(t)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	var mode string
	require.NoError(t, s.db.Get(&mode, `PRAGMA journal_mode`))
	assert.Equal(t, "wal", mode)
	var fk int
	require.NoError(t, s.db.Get(&fk, `PRAGMA foreign_keys`))
	assert.Equal(t, 1, fk)
	require.NoError(t, s.Close())

	again, err := Open(path, fakeParse)
	require.NoError(t, err)
	defer again.Close()
	var n int
	require.NoError(t, again.db.Get(&n, `SELECT count(*) FROM schema_migrations`))
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	assert.Equal(t, len(names), n)

	_, err = Create(path, fakeParse, CreateOptions{GID: NoGroup})
	require.Error(t, err, "a store is never overwritten")
	assert.Contains(t, err.Error(), "exists already")
}

// A typo never makes a new store, and an empty or foreign file is no store.
func TestOpenRefusesWhatIsNoStore(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	foreign := filepath.Join(dir, "foreign.db")
	conn, err := sql.Open("sqlite3", foreign)
	require.NoError(t, err)
	_, err = conn.Exec(`CREATE TABLE t (x)`)
	require.NoError(t, err)
	conn.Close()
	text := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(text, []byte("hello, this is not a database at all, not even close"), 0o600))
	for _, path := range []string{filepath.Join(dir, "typo.db"), empty, foreign, text} {
		for _, open := range []func(string, ParseFunc) (*Store, error){Open, OpenReadOnly} {
			_, err := open(path, fakeParse)
			require.Error(t, err, path)
			if path != text {
				assert.ErrorIs(t, err, ErrNoStore)
				assert.EqualError(t, err, "no store at "+path+" (create it with payout init)")
			}
		}
	}
	_, err = os.Stat(filepath.Join(dir, "typo.db"))
	assert.True(t, os.IsNotExist(err), "nothing was created")
}

// A read-only store reads and cannot write.
func TestOpenReadOnly(t *testing.T) {
	s, path := openTest(t)
	importText(t, s, "list_counts.csv", "L1,2022-01-01,1500\n")
	require.NoError(t, s.Close())
	ro, err := OpenReadOnly(path, fakeParse)
	require.NoError(t, err)
	defer ro.Close()
	st, err := ro.State()
	require.NoError(t, err)
	assert.Len(t, st.FileIDs, 1)
	_, err = ro.Import([]File{{Path: "x/list_counts_2.csv", Data: []byte("L1,2022-02-01,1500\n")}}, kari, at(0))
	require.Error(t, err)
	assert.Regexp(t, "readonly|read-only", err.Error()) // SQLite's words, PostgreSQL's
}

// A shared store is the group's, mode 0660, in a group folder; Create
// refuses a folder that would give SQLite's journal files another group.
func TestCreateShared(t *testing.T) {
	gid := os.Getgid()
	plain := t.TempDir()
	_, err := Create(filepath.Join(plain, "payout.db"), fakeParse, CreateOptions{GID: gid})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "chmod 2770")

	shared := filepath.Join(t.TempDir(), "shared")
	require.NoError(t, os.Mkdir(shared, 0o700))
	require.NoError(t, os.Chmod(shared, os.ModeSetgid|0o770))
	path := filepath.Join(shared, "payout.db")
	s, err := Create(path, fakeParse, CreateOptions{GID: gid})
	require.NoError(t, err)
	defer s.Close()
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o660), fi.Mode().Perm())
	got, ok := s.Shared()
	assert.True(t, ok)
	assert.Equal(t, gid, got)
	unlock, err := s.LockReleases()
	require.NoError(t, err)
	unlock()
	lock, err := os.Stat(path + ".release-lock")
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o660), lock.Mode().Perm(), "another clerk can take the lock")
}

func TestImport(t *testing.T) {
	const jan = "L1,2022-01-01,1500\n"
	const janFeb = jan + "L1,2022-02-01,1510\n"
	tests := []struct {
		name      string
		before    []string // file contents imported first, each as list_counts.csv
		file      string
		status    FileStatus
		versions  int
		wantErr   string
		errTarget error
	}{
		{name: "new file", file: jan, status: "stored", versions: 1},
		{name: "same bytes again", before: []string{jan}, file: jan, status: "unchanged"},
		{name: "rows appended", before: []string{jan}, file: janFeb, status: "stored", versions: 1},
		{name: "nothing new in other bytes", before: []string{janFeb}, file: "L1,2022-02-01,1510\n", status: "no new records"},
		{name: "correction with later recorded_on", before: []string{jan}, file: "L1,2022-01-01,1490,2022-02-10\n", status: "stored", versions: 1},
		{name: "changed history refused", before: []string{jan}, file: "L1,2022-01-01,1490\n",
			wantErr: "list_counts.csv:1: list_counts L1/2022-01-01: this version (same key and recorded_on) is already stored from list_counts.csv:1", errTarget: ErrConflictingInput},
		{name: "bad file refused", file: "L1,2022-01-01\n", wantErr: "list_counts.csv:1: expected list_id,as_of,count", errTarget: payout.ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTest(t)
			for _, b := range tt.before {
				importText(t, s, "list_counts.csv", b)
			}
			before, err := s.State()
			require.NoError(t, err)
			rep, err := s.Import([]File{{Path: "x/list_counts.csv", Data: []byte(tt.file)}}, kari, at(0))
			after, _ := s.State()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.True(t, errors.Is(err, tt.errTarget), "errors.Is %v", tt.errTarget)
				assert.Equal(t, before, after, "nothing stored")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.status, rep.Files[0].Status)
			assert.Equal(t, tt.versions, rep.Files[0].Versions)
			assert.Equal(t, tt.status == FileStored, before.Digest != after.Digest)
		})
	}
}

func TestImportAllOrNothing(t *testing.T) {
	s, _ := openTest(t)
	_, err := s.Import([]File{
		{Path: "a/list_counts.csv", Data: []byte("L1,2022-01-01,1500\n")},
		{Path: "b/list_counts_feb.csv", Data: []byte("L1,2022-02-01,x\n")},
	}, kari, at(0))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "list_counts_feb.csv:1 (count)")
	st, err := s.State()
	require.NoError(t, err)
	assert.Empty(t, st.FileIDs)
}

func TestInputsReadOnceWithSource(t *testing.T) {
	s, _ := openTest(t)
	importText(t, s, "list_counts.csv", "L1,2022-01-01,1500\n")
	importText(t, s, "list_counts.csv", "L1,2022-01-01,1500\nL1,2022-02-01,1510\n")
	in, st, err := s.Inputs()
	require.NoError(t, err)
	require.Len(t, in.ListCounts, 2)
	assert.Equal(t, 1, in.ListCounts[0].Src.Line())
	assert.Equal(t, 2, in.ListCounts[1].Src.Line(), "the appended row keeps its line in the newer file")
	assert.Len(t, st.FileIDs, 2)
	assert.Len(t, in.Files, 2)
}

// Every read of a stored file checks its digest.
func TestInputsRefuseAChangedFile(t *testing.T) {
	s, _ := openTest(t)
	importText(t, s, "list_counts.csv", "L1,2022-01-01,2032\n")
	dropTriggers(t, s)
	mustExec(t, s, `UPDATE files SET data = CAST('L1,2022-01-01,9032' AS BLOB)`)
	_, _, err := s.Inputs()
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInconsistent)
	assert.Contains(t, err.Error(), "stored file list_counts.csv (id 1) is not the file imported")
}

// The import that brings versions concerning a released period says which
// periods the next run corrects, and the store gives every version its
// import sequence and every released run its knowledge (DESIGN.md "When").
func TestImportNamesTheReleasedPeriodsItCorrects(t *testing.T) {
	s, _, key := world(t)
	importText(t, s, "list_counts.csv", "L1,2022-09-01,1500\n")
	approved(t, s, "2022-09")
	_, err := release(s, "2022-09", per, key)
	require.NoError(t, err)

	late := importText(t, s, "list_counts.csv", "L1,2022-09-01,1500\nL1,2022-09-01,1400,2022-09-10\n")
	require.Len(t, late.Corrections, 1)
	assert.Equal(t, Correction{File: "list_counts.csv", Versions: 1, Line: 2, Periods: []payout.Period{payout.MustPeriod("2022-09")}},
		late.Corrections[0])

	next := importText(t, s, "list_counts_2.csv", "L1,2022-10-01,1500\n")
	assert.Empty(t, next.Corrections, "next month's count corrects nothing")

	rel, err := s.Released()
	require.NoError(t, err)
	// Import 1 is the world's base file.
	assert.Equal(t, map[payout.Period]int64{payout.MustPeriod("2022-09"): 2}, rel.Knowledge)
	in, _, err := s.Inputs()
	require.NoError(t, err)
	var imports []int32
	for _, c := range in.ListCounts {
		imports = append(imports, c.Import)
	}
	assert.Equal(t, []int32{2, 3, 4}, imports, "each version keeps the import that first brought it")
	opt := rel.Options(payout.MustPeriod("2022-10"), payout.NoDate, in)
	assert.Equal(t, map[payout.Period]int64{payout.MustPeriod("2022-09"): 2, payout.MustPeriod("2022-10"): 4}, opt.KnowledgeByPeriod)
}

// A store made before issue 10 (migration 0001 only, events without hashes,
// a run without a digest) opens, is migrated, checks clean, and refuses to
// bind an approval to the old run until it is computed again.
func TestLegacyStoreIsMigrated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	conn, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	schema, err := migrations.ReadFile("migrations/0001_init.sql")
	require.NoError(t, err)
	for _, stmt := range []string{
		`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY)`, string(schema),
		`INSERT INTO schema_migrations VALUES ('migrations/0001_init.sql')`,
		`INSERT INTO events (at, period, action, user, detail) VALUES ('2022-09-01T08:00:00Z', '', 'import', '', 'nothing')`,
		`INSERT INTO runs (period, status, as_of, pay_date, input_digest, computed_at, computations, total, agreements, payees, lines, warnings, result, result_sha256)
			VALUES ('2022-09', 'computed', '2022-09-28', '2022-09-28', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '2022-09-01T08:00:00Z', 1, '0.00', 0, 0, 0, 0, '{}', '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a')`,
		`INSERT INTO events (at, period, action, user, detail) VALUES ('2022-09-01T08:00:00Z', '2022-09', 'compute', 'batch', 'total 0.00')`,
	} {
		_, err := conn.Exec(stmt)
		require.NoError(t, err, stmt)
	}
	require.NoError(t, conn.Close())

	s, err := Open(path, fakeParse)
	require.NoError(t, err)
	defer s.Close()
	rep, err := s.Check(nil)
	require.NoError(t, err)
	assert.Empty(t, rep.Problems, "the old audit log is hashed into the chain as it is")
	run, err := s.Run(payout.MustPeriod("2022-09"))
	require.NoError(t, err)
	res, err := s.Result(run.ID)
	require.NoError(t, err, "the result moved from the run's row to run_results (0007)")
	assert.True(t, res.Total.IsZero())
	_, err = s.Attest(step("2022-09", kari, 1))
	assert.ErrorIs(t, err, ErrLegacyRun)
	importText(t, s, "base.csv", "base")
	rep, err = s.Check(nil)
	require.NoError(t, err)
	assert.Empty(t, rep.Problems, "a new event chains onto the old ones")
}
