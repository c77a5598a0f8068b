package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
	"github.com/oslokommune/payout/payout/store/pgtest"
)

// TestReleaseChildProcess is not a test: the kill tests re-execute the test
// binary with LC_RELEASE_CHILD set, and this runs `payout` with the
// arguments in LC_RELEASE_ARGS, as the account LC_RELEASE_USER with the key
// LC_RELEASE_KEY, in that child, so it can be killed.
func TestReleaseChildProcess(t *testing.T) {
	if os.Getenv("LC_RELEASE_CHILD") != "1" {
		t.Skip("helper process for TestReleaseSurvivesKill and TestRunSurvivesKill")
	}
	var args []string
	for _, a := range bytes.Split([]byte(os.Getenv("LC_RELEASE_ARGS")), []byte{0x1f}) {
		args = append(args, string(a))
	}
	now := time.Date(2022, 7, 20, 9, 0, 0, 0, time.UTC)
	who, key := os.Getenv("LC_RELEASE_USER"), os.Getenv("LC_RELEASE_KEY")
	env := &Env{Stdout: io.Discard, Stderr: os.Stderr, Now: func() time.Time { return now }, Real: func() time.Time { return now },
		Actor:  func() (store.Actor, error) { return lcActor(who), nil },
		Getenv: func(k string) string { return map[string]string{"PAYOUT_RELEASE_KEY": key}[k] }}
	os.Exit(Main(context.Background(), env, args))
}

// killTest is one kill test: the command the child runs, as whom, and how
// the state after a kill is classified and checked.
type killTest struct {
	w        *lcWorld
	template []byte // the store the child starts from (SQLite)
	pgDB     string // on PostgreSQL, the database the child's copy is made from
	args     func(db, out string) []string
	who      string
}

// TestReleaseSurvivesKill kills a release with SIGKILL at random moments
// (many times; the moments come from a logged seed, and LC_KILL_SEED=N
// replays a failure) and checks after each kill that the state is one of
// the two allowed:
//   - no release recorded, and no payments.xml; or
//   - the release recorded; its files are complete, or running release
//     again completes them (in its own folder, as an audit event).
//
// and that running release again then gives a complete, verified release.
func TestReleaseSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	w := newKillWorld(t)
	w.ok("import", w.fixtures())
	w.approve("2022-07")
	kt := &killTest{w: w, template: lcTemplate(t, w), pgDB: w.pg, who: "per", args: func(db, out string) []string {
		return []string{"release", "--db", db, "--period", "2022-07", "--out", out}
	}}
	kt.run(t, kills(t, 30), kt.checkRelease)
}

// TestRunSurvivesKill kills `run --db` at random moments: the store never
// points at a run whose files were not written (a stored run's manifest is
// the folder's), and the next run of the period leaves no temporary file of
// the killed one and a folder the store agrees with.
func TestRunSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	w := newKillWorld(t)
	w.ok("import", w.fixtures())
	kt := &killTest{w: w, template: lcTemplate(t, w), pgDB: w.pg, who: "kari", args: func(db, out string) []string {
		return []string{"run", "--db", db, "--period", "2022-07", "--out", out}
	}}
	kt.run(t, kills(t, 25), kt.checkRun)
}

// lcTemplate is the world's store file, to start each child from.
func lcTemplate(t *testing.T, w *lcWorld) []byte {
	if w.pg != "" {
		return nil
	}
	data, err := os.ReadFile(w.db)
	require.NoError(t, err)
	return data
}

// run times one uninterrupted child, then kills n children at random
// moments within 1.25 times that and checks each with check.
func (kt *killTest) run(t *testing.T, n int, check func(t *testing.T, dir string, msg string) string) {
	dir := filepath.Join(kt.w.dir, "timing")
	cmd := kt.child(t, dir)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	full := time.Since(start)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("LC_KILL_SEED"); s != "" {
		_, err := fmt.Sscan(s, &seed)
		require.NoError(t, err)
	}
	t.Logf("seed %d; an uninterrupted %s takes %v", seed, kt.args("", "")[0], full)
	rng := rand.New(rand.NewPCG(seed, 7))
	kinds := map[string]int{}
	for i := range n {
		delay := time.Duration(rng.Int64N(int64(full + full/4)))
		dir := filepath.Join(kt.w.dir, fmt.Sprintf("kill-%02d", i))
		kt.kill(t, dir, delay)
		kinds[check(t, dir, fmt.Sprintf("kill %d after %v", i, delay))]++
	}
	t.Logf("states after the kill: %v", kinds)
}

// child prepares a fresh copy of the store in dir and a child process
// that runs the command on it.
func (kt *killTest) child(t *testing.T, dir string) *exec.Cmd {
	require.NoError(t, os.MkdirAll(dir, 0o700))
	db := filepath.Join(dir, "payout.db")
	if kt.pgDB != "" {
		db = pgtest.CopyDatabase(t, kt.pgDB)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "db-url"), []byte(db), 0o600))
		db = lcLogin(db, kt.who)
	} else {
		require.NoError(t, os.WriteFile(db, kt.template, 0o600))
	}
	args := kt.args(db, filepath.Join(dir, "out"))
	cmd := exec.Command(os.Args[0], "-test.run=^TestReleaseChildProcess$")
	cmd.Env = append(os.Environ(), "LC_RELEASE_CHILD=1", "LC_RELEASE_ARGS="+string(bytes.Join(lcBytes(args), []byte{0x1f})),
		"LC_RELEASE_USER="+kt.who, "LC_RELEASE_KEY="+kt.w.key)
	return cmd
}

func (kt *killTest) kill(t *testing.T, dir string, delay time.Duration) {
	cmd := kt.child(t, dir)
	require.NoError(t, cmd.Start())
	time.Sleep(delay)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	var exit *exec.ExitError
	require.True(t, err == nil || errors.As(err, &exit), "child: %v", err)
}

func lcBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// world is the lcWorld of one killed child's folder.
func (kt *killTest) world(t *testing.T, dir string) *lcWorld {
	w := *kt.w
	w.t, w.dir, w.db, w.out = t, dir, filepath.Join(dir, "payout.db"), filepath.Join(dir, "out")
	if kt.pgDB != "" {
		u, err := os.ReadFile(filepath.Join(dir, "db-url"))
		require.NoError(t, err)
		w.pg, w.db = string(u), string(u)
	}
	return &w
}

// checkRelease checks the state a killed release left, runs release again
// and checks that the release is then complete and verified.
func (kt *killTest) checkRelease(t *testing.T, dir, msg string) string {
	w := kt.world(t, dir)
	state := lcState(t, w.db)
	msg += ": state " + state
	switch state {
	case "not released":
		_, err := os.Stat(filepath.Join(bundle.Dir(w.out, payout.MustPeriod("2022-07")), bundle.PaymentsXML))
		assert.True(t, os.IsNotExist(err), "%s: payments.xml exists without a release", msg)
	case "released, files incomplete", "released, complete":
	default:
		t.Fatalf("%s", msg)
	}
	// Running release again finishes the job or says it is done.
	code, stdout, stderr := w.as("per").cmd("release", "--period", "2022-07")
	if state == "released, complete" {
		assert.Equal(t, 1, code, "%s: %s", msg, stderr)
		assert.Contains(t, stderr, "already released", msg)
	} else {
		assert.Equal(t, 0, code, "%s: %s %s", msg, stdout, stderr)
	}
	assert.Equal(t, "released, complete", lcState(t, w.db), msg)
	assertNoTemps(t, w.out, msg)
	code, stdout, stderr = w.cmd("status", "--check", "--out", w.out)
	assert.Equal(t, 0, code, "%s: %s %s", msg, stdout, stderr)
	return state
}

// lcState classifies the store and its release's folder after a kill.
func lcState(t *testing.T, db string) string {
	s, err := store.Open(db, nil)
	require.NoError(t, err)
	defer s.Close()
	run, err := s.Run(payout.MustPeriod("2022-07"))
	require.NoError(t, err)
	if run.Release == nil {
		return "not released"
	}
	if len(releasedFolderProblems(&Env{}, run.Release, "")) == 0 {
		return "released, complete"
	}
	return "released, files incomplete"
}

// checkRun checks the state a killed run left: a stored run's files are
// in the folder; then the period is run again, which leaves no temporary
// file and a folder whose manifest is the stored run's.
func (kt *killTest) checkRun(t *testing.T, dir, msg string) string {
	w := kt.world(t, dir)
	state := "not stored"
	if sum, stored := storedManifest(t, w.db); stored {
		state = "stored"
		onDisk, err := bundle.ManifestOnDisk(w.out, payout.MustPeriod("2022-07"))
		assert.NoError(t, err, "%s: the store points at a run whose files were not written", msg)
		assert.Equal(t, sum, onDisk, "%s: the folder is not the stored run's", msg)
	}
	w.as("kari").ok("run", "--period", "2022-07")
	assertNoTemps(t, w.out, msg)
	sum, stored := storedManifest(t, w.db)
	require.True(t, stored, msg)
	onDisk, err := bundle.ManifestOnDisk(w.out, payout.MustPeriod("2022-07"))
	require.NoError(t, err, msg)
	assert.Equal(t, sum, onDisk, "%s: store and folder agree", msg)
	return state
}

// storedManifest is the manifest digest the store records for 2022-07's run.
func storedManifest(t *testing.T, db string) (string, bool) {
	s, err := store.Open(db, nil)
	require.NoError(t, err)
	defer s.Close()
	run, err := s.Run(payout.MustPeriod("2022-07"))
	if errors.Is(err, store.ErrNoRun) {
		return "", false
	}
	require.NoError(t, err)
	return run.ManifestSHA256, true
}

func assertNoTemps(t *testing.T, out, msg string) {
	t.Helper()
	temps, err := filepath.Glob(filepath.Join(out, "*", ".*.tmp-*"))
	require.NoError(t, err)
	assert.Empty(t, temps, "%s: temporary files left behind", msg)
}
