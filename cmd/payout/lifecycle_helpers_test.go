package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oslokommune/payout/fixtures/sharedtest"
	"github.com/stretchr/testify/require"
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

// lcWorld is one test's store, output folder and clock.
type lcWorld struct {
	t   *testing.T
	e07 string // the shared example's folder
	dir string
	db  string
	out string
	now time.Time
}

func newLCWorld(t *testing.T) *lcWorld {
	t.Helper()
	e07 := sharedtest.Dir(t, "examples", "E07-retro-rate")
	dir := t.TempDir()
	return &lcWorld{t: t, e07: e07, dir: dir, db: filepath.Join(dir, "payout.db"), out: filepath.Join(dir, "out"),
		now: time.Date(2022, 7, 20, 9, 0, 0, 0, time.UTC)}
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
	full := append([]string{args[0], "--db", w.db}, args[1:]...)
	switch args[0] {
	case "run", "release":
		full = append(full, "--out", w.out)
	}
	var out, errb bytes.Buffer
	now := w.now
	env := &Env{Stdout: &out, Stderr: &errb, Now: func() time.Time { return now }}
	code := Main(context.Background(), env, full)
	return code, out.String(), errb.String()
}

// ok runs a command that must succeed.
func (w *lcWorld) ok(args ...string) string {
	w.t.Helper()
	code, out, errs := w.cmd(args...)
	require.Equal(w.t, 0, code, "payout %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), out, errs)
	return out
}

// approve brings period p from nothing to approved.
func (w *lcWorld) approve(p string) {
	w.t.Helper()
	w.ok("run", "--period", p)
	w.ok("attest", "--period", p, "--user", "kari")
	w.ok("approve", "--period", p, "--user", "ola")
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
	now := w.now
	env := &Env{Stdout: &out, Stderr: &errb, Now: func() time.Time { return now }}
	code := Main(context.Background(), env, args)
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
