package main

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout/store"
	"github.com/oslokommune/payout/payout/store/pgtest"
)

// onPostgres reports a test that TestPostgres runs: its store is on the
// PostgreSQL test server (PAYOUT_TEST_POSTGRES), in a schema of its own.
func onPostgres(t *testing.T) bool { return strings.HasPrefix(t.Name(), "TestPostgres/") }

// lcClerks are the lifecycle's accounts as PostgreSQL login roles, with
// the same names as the operating-system accounts of the SQLite tests so
// that both back ends write the same files. Each holds every payout role,
// so that the two-person rule, not a missing grant, is what refuses them
// (the role tests are in payout/store). Roles are the server's, not a
// schema's: they are made once and shared by the tests.
var lcClerks = []string{"kari", "ola", "per", "eva"}

var lcClerksOnce sync.Once

func lcPostgresClerks(t *testing.T) {
	t.Helper()
	lcClerksOnce.Do(func() {
		db := pgtest.Admin(t)
		// The payout roles exist once any store is made; make one.
		url, _ := pgtest.Schema(t)
		s, err := store.Create(url, nil, store.CreateOptions{GID: store.NoGroup})
		require.NoError(t, err)
		s.Close()
		for _, name := range lcClerks {
			var n int
			require.NoError(t, db.Get(&n, `SELECT count(*) FROM pg_roles WHERE rolname = $1`, name))
			if n == 0 {
				_, err := db.Exec(`CREATE ROLE ` + name + ` LOGIN PASSWORD '` + name + `'`)
				require.NoError(t, err)
			}
			_, err := db.Exec(`GRANT ` + strings.Join(store.Roles(), ", ") + ` TO ` + name)
			require.NoError(t, err)
		}
	})
}

// said is what payout says on the world's back end: on PostgreSQL an
// actor is its login role, without an operating-system uid, and --user is
// checked against the server's session user.
func (w *lcWorld) said(msg string) string {
	if w.pg == "" {
		return msg
	}
	msg = lcUID.ReplaceAllString(msg, "")
	return strings.ReplaceAll(msg, "this terminal runs as", "the database authenticated you as")
}

var lcUID = regexp.MustCompile(` \(uid [0-9]+\)`)

// newKillWorld is newLCWorld for the kill tests: on PostgreSQL the store
// is in a database of its own, which each killed child gets a copy of.
func newKillWorld(t *testing.T) *lcWorld {
	t.Helper()
	if !onPostgres(t) {
		return newLCWorld(t)
	}
	w := newLCWorldOn(t, false)
	lcPostgresClerks(t)
	w.pg = pgtest.Database(t)
	code, out, errs := lcMain(w, "init", "--db", w.pg)
	require.Equal(t, 0, code, "payout init\n%s%s", out, errs)
	return w
}

// kills is how many times a kill test kills its child: fewer on
// PostgreSQL, where each child needs a copy of the database.
func kills(t *testing.T, n int) int {
	if onPostgres(t) {
		return n / 4
	}
	return n
}

// lcLogin is storeURL as the login role name (password = name).
func lcLogin(storeURL, name string) string {
	u, err := url.Parse(storeURL)
	if err != nil {
		return storeURL
	}
	u.User = url.UserPassword(name, name)
	return u.String()
}

// TestPostgres runs the lifecycle tests on PostgreSQL. The tests left out
// change the SQLite file behind payout's back or kill a process holding
// it (on PostgreSQL the server's triggers refuse such changes: payout/store's
// TestPostgresServerRefusesRawSQL), or, as TestLifecycleRefusals, repeat
// what payout/store's TestRefusedTransitions tests on PostgreSQL already
// (it passes there too; it is left out for make test's time).
func TestPostgres(t *testing.T) {
	pgtest.Server(t)
	for _, tc := range []struct {
		name string
		test func(*testing.T)
	}{
		{"LifecycleThreeMonths", TestLifecycleThreeMonths},
		{"LifecycleConcurrentReleases", TestLifecycleConcurrentReleases},
		{"LifecycleImportAgain", TestLifecycleImportAgain},
		{"ExportVerifiesEveryReleasedMonth", TestExportVerifiesEveryReleasedMonth},
		{"SupplementLoop", TestSupplementLoop},
		{"ReleaseSurvivesKill", TestReleaseSurvivesKill},
		{"RunSurvivesKill", TestRunSurvivesKill},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.test(t)
		})
	}
}

// The same months run, attested, approved and released on SQLite and on
// PostgreSQL write the same output folders, byte for byte.
func TestPostgresSameFilesAsSQLite(t *testing.T) {
	pgtest.Server(t)
	out := filepath.Join(t.TempDir(), "out") // both write here, one after the other
	months := func(w *lcWorld) map[string]string {
		// The same people: on SQLite accounts named as the login roles,
		// without the uid a database role has not.
		w.noUID = true
		w.out = out
		w.ok("import", w.fixtures())
		w.approve("2022-07")
		w.at("2022-07-21T09:00:00Z").release("2022-07")
		late := w.file("late/rates.csv", lcOldRates+"fastlege,2022-07-01,1,675,Statsavtalen 2022 §2.1,2022-08-15\n")
		w.at("2022-08-16T09:00:00Z").ok("import", late)
		w.at("2022-08-19T09:00:00Z").approve("2022-08")
		w.release("2022-08")
		files := lcTree(t, out)
		require.NoError(t, os.RemoveAll(out))
		return files
	}
	liteWorld, pgWorld := newLCWorldOn(t, false), newLCWorldOn(t, true)
	pgWorld.key = liteWorld.key // one release key signs both
	lite := months(liteWorld)
	pg := months(pgWorld)
	require.NotEmpty(t, lite)
	names := func(m map[string]string) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	require.Equal(t, names(lite), names(pg))
	for _, name := range names(lite) {
		if !assert.True(t, lite[name] == pg[name], "%s differs between SQLite and PostgreSQL", name) {
			t.Logf("SQLite:\n%s\nPostgreSQL:\n%s", lite[name], pg[name])
		}
	}
}

// lcTree reads every file under dir: relative path → content.
func lcTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = string(data)
		return err
	}))
	return out
}
