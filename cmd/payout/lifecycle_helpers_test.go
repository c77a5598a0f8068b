package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/fixtures/sharedtest"
	"github.com/oslokommune/payout/payout/releasekey"
	"github.com/oslokommune/payout/payout/store"
	"github.com/oslokommune/payout/payout/store/pgtest"
)

// The lifecycle tests run on the shared example E07 (one GP, a list of 1500,
// a new rate recorded late): a small month that the engine computes
// exactly, so the amounts below are the example's hand-computed ones.

// lcPolicy sets a debtor whose account passes MOD11 (the payment file
// checks it).
const lcPolicy = `{"debtor": {"name": "Oslo kommune", "account": "60110512344", "orgnr": "958935420", "bic": "DNBANOKKXXX"}}`

// lcOldRates are E07's rates before the 2022 statsavtale was recorded.
const lcOldRates = "scheme,valid_from,tier_from,annual_amount,source,recorded_on\n" +
	"fastlege,2022-01-01,1,653,Statsavtalen 2021 §2.1,\n" +
	"fastlege,2022-01-01,1001,526,Statsavtalen 2021 §2.1,\n"

// lcWorld is one test's store, output folder, clock, the account that runs
// the commands (who; kari, the preparer, unless as says otherwise) and the
// release key (PAYOUT_RELEASE_KEY).
type lcWorld struct {
	t   *testing.T
	e07 string // the shared example's folder
	dir string
	db  string
	out string
	now time.Time
	who string
	key string
	env map[string]string // more environment
	pg  string            // the administrator's URL of a PostgreSQL store ("": SQLite, db)
	// noUID gives the accounts no uid, as PostgreSQL's login roles have none.
	noUID bool
}

// lcUIDs are the test accounts' user ids; any other name gets one too.
var lcUIDs = map[string]int64{"kari": 1001, "ola": 1002, "per": 1003, "eva": 1004}

func lcActor(name string) store.Actor {
	uid, ok := lcUIDs[name]
	if !ok {
		uid = 2000 + int64(len(name))
	}
	return store.Actor{UID: uid, Name: name}
}

// newLCWorld makes a store (payout init) and a release key.
func newLCWorld(t *testing.T) *lcWorld {
	t.Helper()
	return newLCWorldOn(t, onPostgres(t))
}

// newLCWorldOn is newLCWorld on PostgreSQL (pg) or SQLite.
func newLCWorldOn(t *testing.T, pg bool) *lcWorld {
	t.Helper()
	e07 := sharedtest.Dir(t, "examples", "E07-retro-rate")
	dir := t.TempDir()
	w := &lcWorld{t: t, e07: e07, dir: dir, db: filepath.Join(dir, "payout.db"), out: filepath.Join(dir, "out"),
		now: time.Date(2022, 7, 20, 9, 0, 0, 0, time.UTC), who: "kari", key: filepath.Join(dir, "keys", "release.key")}
	_, err := releasekey.Generate(filepath.Dir(w.key), nil)
	require.NoError(t, err)
	if pg {
		w.pg, _ = pgtest.Schema(t)
		lcPostgresClerks(t)
		code, out, errs := lcMain(w, "init", "--db", w.pg)
		require.Equal(t, 0, code, "payout init\n%s%s", out, errs)
		return w
	}
	w.ok("init")
	return w
}

// dbArg is the --db of the world's account: the store file, or on
// PostgreSQL the URL of the account's own login role (the server, not
// the operating system, says who acts there).
func (w *lcWorld) dbArg() string {
	if w.pg == "" {
		return w.db
	}
	return lcLogin(w.pg, w.who)
}

// as is the world with the commands run by another account.
func (w *lcWorld) as(name string) *lcWorld {
	c := *w
	c.who = name
	return &c
}

// envOf is the Env the world's commands run in.
func (w *lcWorld) envOf(out, errb *bytes.Buffer) *Env {
	now, who := w.now, w.who
	vars := map[string]string{"PAYOUT_RELEASE_KEY": w.key}
	for k, v := range w.env {
		vars[k] = v
	}
	return &Env{Stdout: out, Stderr: errb, Now: func() time.Time { return now }, Real: func() time.Time { return now },
		Actor: func() (store.Actor, error) {
			a := lcActor(who)
			if w.noUID {
				a.UID = store.NoUID
			}
			return a, nil
		}, Getenv: func(k string) string { return vars[k] }}
}

// fixtures writes E07 with the old rates (and the policy) to a folder.
func (w *lcWorld) fixtures() string {
	w.t.Helper()
	dir := filepath.Join(w.dir, "fixtures")
	require.NoError(w.t, os.MkdirAll(dir, 0o700))
	for _, name := range []string{"agreements.csv", "payees.csv", "list_counts.csv"} {
		data, err := os.ReadFile(filepath.Join(w.e07, name))
		require.NoError(w.t, err)
		require.NoError(w.t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	require.NoError(w.t, os.WriteFile(filepath.Join(dir, "rates.csv"), []byte(lcOldRates), 0o600))
	require.NoError(w.t, os.WriteFile(filepath.Join(dir, "policy.json"), []byte(lcPolicy), 0o600))
	return dir
}

// file writes one file under the world's folder and returns its path.
func (w *lcWorld) file(rel, content string) string {
	w.t.Helper()
	path := filepath.Join(w.dir, rel)
	require.NoError(w.t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(w.t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// at sets the clock.
func (w *lcWorld) at(rfc3339 string) *lcWorld {
	t, err := time.Parse(time.RFC3339, rfc3339)
	require.NoError(w.t, err)
	w.now = t
	return w
}

// cmd runs one command line against the world (with --db, and --out where
// the command takes it, added) and returns exit status, stdout and stderr.
func (w *lcWorld) cmd(args ...string) (int, string, string) {
	w.t.Helper()
	full := append([]string{args[0], "--db", w.dbArg()}, args[1:]...)
	if slices.Contains(args, "--db") {
		full = slices.Clone(args) // a test's own store: --db given twice is refused
	}
	switch args[0] {
	case "run", "release":
		if !slices.Contains(args, "--out") {
			full = append(full, "--out", w.out)
		}
	}
	var out, errb bytes.Buffer
	code := Main(context.Background(), w.envOf(&out, &errb), full)
	return code, out.String(), errb.String()
}

// ok runs a command that must succeed.
func (w *lcWorld) ok(args ...string) string {
	w.t.Helper()
	code, out, errs := w.cmd(args...)
	require.Equal(w.t, 0, code, "payout %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), out, errs)
	return out
}

// approve brings period p from nothing to approved: kari computes and
// attests, ola approves.
func (w *lcWorld) approve(p string) {
	w.t.Helper()
	w.as("kari").ok("run", "--period", p)
	w.as("kari").ok("attest", "--period", p)
	w.as("ola").ok("approve", "--period", p)
}

// release releases p as per.
func (w *lcWorld) release(p string) string {
	w.t.Helper()
	return w.as("per").ok("release", "--period", p)
}

// read returns a file of the output folder ("" when missing).
func (w *lcWorld) read(rel string) string {
	data, err := os.ReadFile(filepath.Join(w.out, rel))
	if err != nil {
		return ""
	}
	return string(data)
}

// lcMain runs a full command line (no --db added).
func lcMain(w *lcWorld, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), w.envOf(&out, &errb), args)
	return code, out.String(), errb.String()
}

// lcSQL changes the store behind payout's back, as someone with the file
// could.
func lcSQL(t *testing.T, db string, stmts ...string) {
	t.Helper()
	conn, err := sql.Open("sqlite3", db)
	require.NoError(t, err)
	defer conn.Close()
	for _, s := range stmts {
		_, err := conn.Exec(s)
		require.NoError(t, err, s)
	}
}
