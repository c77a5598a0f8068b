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
)

// TestReleaseChildProcess is not a test: TestReleaseSurvivesKill re-executes
// the test binary with LC_RELEASE_CHILD set, and this runs `payout` with the
// arguments in LC_RELEASE_ARGS in that child, so it can be killed.
func TestReleaseChildProcess(t *testing.T) {
	if os.Getenv("LC_RELEASE_CHILD") != "1" {
		t.Skip("helper process for TestReleaseSurvivesKill")
	}
	var args []string
	for _, a := range bytes.Split([]byte(os.Getenv("LC_RELEASE_ARGS")), []byte{0x1f}) {
		args = append(args, string(a))
	}
	now := time.Date(2022, 7, 20, 9, 0, 0, 0, time.UTC)
	env := &Env{Stdout: io.Discard, Stderr: os.Stderr, Now: func() time.Time { return now }}
	os.Exit(Main(context.Background(), env, args))
}

// TestReleaseSurvivesKill kills a release with SIGKILL at random moments
// (many times; the moments come from a logged seed, and LC_KILL_SEED=N
// replays a failure) and
// checks after each kill that the state is one of the two allowed:
//   - no release recorded, and no payments.xml; or
//   - the release recorded; its files are complete, or running release
//     again completes them.
//
// and that running release again then gives a complete, verified release.
func TestReleaseSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	w := newLCWorld(t)
	w.ok("import", w.fixtures())
	w.approve("2022-07")
	template, err := os.ReadFile(w.db)
	require.NoError(t, err)

	full := lcTimeRelease(t, w, template)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("LC_KILL_SEED"); s != "" {
		_, err := fmt.Sscan(s, &seed)
		require.NoError(t, err)
	}
	t.Logf("seed %d; an uninterrupted release takes %v", seed, full)
	rng := rand.New(rand.NewPCG(seed, 7))
	kinds := map[string]int{}
	for i := range 30 {
		delay := time.Duration(rng.Int64N(int64(full + full/4)))
		kinds[lcKillOnce(t, w, template, i, delay)]++
	}
	t.Logf("states after the kill: %v", kinds)
}

// lcTimeRelease measures one uninterrupted child release.
func lcTimeRelease(t *testing.T, w *lcWorld, template []byte) time.Duration {
	dir := filepath.Join(w.dir, "timing")
	cmd := lcChild(t, dir, template)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return time.Since(start)
}

// lcChild prepares a fresh copy of the approved store and a child process
// that releases it.
func lcChild(t *testing.T, dir string, template []byte) *exec.Cmd {
	require.NoError(t, os.MkdirAll(dir, 0o700))
	db := filepath.Join(dir, "payout.db")
	require.NoError(t, os.WriteFile(db, template, 0o600))
	args := []string{"release", "--db", db, "--period", "2022-07", "--out", filepath.Join(dir, "out"), "--user", "per"}
	cmd := exec.Command(os.Args[0], "-test.run=^TestReleaseChildProcess$")
	cmd.Env = append(os.Environ(), "LC_RELEASE_CHILD=1", "LC_RELEASE_ARGS="+string(bytes.Join(lcBytes(args), []byte{0x1f})))
	return cmd
}

func lcBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// lcKillOnce starts a release, kills it after delay, checks the state and
// runs release again. It returns which state the kill left.
func lcKillOnce(t *testing.T, w *lcWorld, template []byte, i int, delay time.Duration) string {
	dir := filepath.Join(w.dir, fmt.Sprintf("kill-%02d", i))
	cmd := lcChild(t, dir, template)
	require.NoError(t, cmd.Start())
	time.Sleep(delay)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	var exit *exec.ExitError
	require.True(t, err == nil || errors.As(err, &exit), "child: %v", err)

	db, out := filepath.Join(dir, "payout.db"), filepath.Join(dir, "out")
	state := lcState(t, db, out)
	msg := fmt.Sprintf("kill %d after %v: state %s", i, delay, state)
	switch state {
	case "not released":
		_, err := os.Stat(filepath.Join(bundle.Dir(out, payout.MustPeriod("2022-07")), bundle.PaymentsXML))
		assert.True(t, os.IsNotExist(err), "%s: payments.xml exists without a release", msg)
	case "released, files incomplete", "released, complete":
	default:
		t.Fatalf("%s", msg)
	}

	// Running release again finishes the job or says it is done.
	w2 := &lcWorld{t: t, dir: dir, db: db, out: out, now: w.now}
	code, stdout, stderr := w2.cmd("release", "--period", "2022-07", "--user", "per")
	if state == "released, complete" {
		assert.Equal(t, 1, code, "%s: %s", msg, stderr)
		assert.Contains(t, stderr, "already released", msg)
	} else {
		assert.Equal(t, 0, code, "%s: %s %s", msg, stdout, stderr)
	}
	assert.Equal(t, "released, complete", lcState(t, db, out), msg)
	code, stdout, stderr = w2.cmd("status", "--check", "--out", out)
	assert.Equal(t, 0, code, "%s: %s %s", msg, stdout, stderr)
	return state
}

// lcState classifies the store and folder after a kill.
func lcState(t *testing.T, db, out string) string {
	s, err := store.Open(db, nil)
	require.NoError(t, err)
	defer s.Close()
	run, err := s.Run(payout.MustPeriod("2022-07"))
	require.NoError(t, err)
	if run.Release == nil {
		return "not released"
	}
	ps, found := checkReleasedFolder(&Env{}, out, run.Release)
	if found && len(ps) == 0 {
		return "released, complete"
	}
	return "released, files incomplete"
}
