package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/fixtures/sharedtest"
)

// The two-person rule with real, distinct operating-system accounts: the
// built binary runs as three clerks of one group sharing a store made with
// `payout init --group`, and as an auditor outside the group who can only
// read. The accounts are created when the test runs as root (as CI does);
// otherwise the test is skipped loudly, or fails when PAYOUT_REQUIRE_ACCOUNTS=1
// (set by .ci/run) so that CI cannot pass without it.

const (
	acctGroup   = "payout-test"
	acctRequire = "PAYOUT_REQUIRE_ACCOUNTS"
)

// account is one test user.
type account struct {
	name     string
	uid, gid uint32
	groups   []uint32
}

func TestTwoPersonRuleWithRealAccounts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and creates accounts; skipped with -short")
	}
	if os.Geteuid() != 0 {
		if os.Getenv(acctRequire) == "1" {
			t.Fatalf("%s=1, but the test is not root and cannot create the accounts payout-test-kari, -ola, -per", acctRequire)
		}
		t.Skipf("SKIPPED: NOT TESTED with real accounts: the two-person rule needs root to create payout-test-kari, -ola and -per (CI runs as root with %s=1)", acctRequire)
	}
	e07 := sharedtest.Dir(t, "examples", "E07-retro-rate")
	gid := ensureGroup(t, acctGroup)
	kari, ola, per := ensureUser(t, "payout-test-kari", int64(gid)), ensureUser(t, "payout-test-ola", int64(gid)), ensureUser(t, "payout-test-per", int64(gid))
	eva := ensureUser(t, "payout-test-eva", -1) // the auditor: not in the group

	root := sharedFolder(t)
	bin := buildBinary(t, root)
	fixtures := filepath.Join(root, "fixtures")
	copyE07(t, e07, fixtures)
	// The server's group folder, as the administrator makes it once:
	// install -d -m 2770 -g payout-test /srv/payout
	srv := filepath.Join(root, "srv")
	require.NoError(t, os.Mkdir(srv, 0o770))
	require.NoError(t, os.Chown(srv, 0, int(gid)))
	require.NoError(t, os.Chmod(srv, os.ModeSetgid|0o770))
	db, out := filepath.Join(srv, "payout.db"), filepath.Join(srv, "out")
	r := &acctRunner{t: t, bin: bin, env: []string{"PAYOUT_NOW=2022-07-20"}}

	r.ok(kari, "init", "--db", db, "--group", acctGroup)
	r.ok(kari, "import", "--db", db, fixtures)
	r.ok(kari, "run", "--db", db, "--period", "current", "--out", out)
	attested := r.ok(kari, "attest", "--db", db, "--period", "current")
	assert.Contains(t, attested, "2022-07 attested by payout-test-kari (uid "+strconv.Itoa(int(kari.uid))+")")
	r.fails(kari, 1, "cannot also approve it", "approve", "--db", db, "--period", "2022-07")
	r.fails(ola, 2, "--user payout-test-kari is not you", "approve", "--db", db, "--period", "2022-07", "--user", "payout-test-kari")
	r.ok(ola, "approve", "--db", db, "--period", "2022-07", "--user", "payout-test-ola")

	// The releaser keeps the key in a folder of their own.
	keys := filepath.Join(srv, "keys-per") // 0700: the releaser's alone
	r.ok(per, "keygen", "--out", keys)
	pub := filepath.Join(root, "release.pub")
	copyFile(t, filepath.Join(keys, "release.pub"), pub, 0o644)
	r.fails(kari, 1, "cannot also release it", "release", "--db", db, "--period", "2022-07", "--out", out)
	r.fails(ola, 1, "cannot also release it", "release", "--db", db, "--period", "2022-07", "--out", out)
	r.fails(per, 1, "no release key", "release", "--db", db, "--period", "2022-07", "--out", out)
	perKey := &acctRunner{t: t, bin: bin, env: append(r.env, "PAYOUT_RELEASE_KEY="+filepath.Join(keys, "release.key"))}
	released := perKey.ok(per, "release", "--db", db, "--period", "2022-07", "--out", out)
	assert.Contains(t, released, "released at")
	assert.Contains(t, released, "by payout-test-per")
	assertShared(t, filepath.Join(out, "2022-07"), gid)

	// Everyone in the group checks the store with the public key.
	checker := &acctRunner{t: t, bin: bin, env: append(r.env, "PAYOUT_RELEASE_PUB="+pub)}
	assert.Contains(t, checker.ok(ola, "status", "--db", db, "--check"), "ok:")

	// The auditor, outside the group, cannot read the group's folders; they
	// check copies they cannot write: the store and the released folder.
	checker.fails(eva, 1, "cannot open the store "+db+": permission denied", "status", "--db", db)
	audit := filepath.Join(root, "audit")
	require.NoError(t, os.MkdirAll(filepath.Join(audit, "out", "2022-07"), 0o755))
	copyFile(t, db, filepath.Join(audit, "payout.db"), 0o644)
	copyTree(t, filepath.Join(out, "2022-07"), filepath.Join(audit, "out", "2022-07"))
	require.NoError(t, os.Chmod(audit, 0o555))
	assert.Contains(t, checker.ok(eva, "status", "--db", filepath.Join(audit, "payout.db"), "--check", "--out", filepath.Join(audit, "out")), "ok:")
	checker.ok(eva, "due", "--db", filepath.Join(audit, "payout.db"))
	checker.fails(eva, 1, "no store at", "status", "--db", filepath.Join(audit, "typo.db"))

	// A clock that does not parse is bad usage, never the real clock.
	bad := &acctRunner{t: t, bin: bin, env: []string{"PAYOUT_NOW=garbage"}}
	bad.fails(kari, 2, "PAYOUT_NOW=\"garbage\" is not a time", "status", "--db", db)
}

// acctRunner runs the built binary as an account.
type acctRunner struct {
	t   *testing.T
	bin string
	env []string
}

func (r *acctRunner) run(a account, args ...string) (int, string, string) {
	r.t.Helper()
	cmd := exec.Command(r.bin, args...)
	cmd.Env = append([]string{"PATH=/usr/bin:/bin", "HOME=/nonexistent", "LANG=C.UTF-8"}, r.env...)
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: a.uid, Gid: a.gid, Groups: a.groups}}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(r.t, err)
	}
	return code, stdout.String(), stderr.String()
}

func (r *acctRunner) ok(a account, args ...string) string {
	r.t.Helper()
	code, stdout, stderr := r.run(a, args...)
	require.Equal(r.t, 0, code, "%s: payout %s\n%s%s", a.name, strings.Join(args, " "), stdout, stderr)
	return stdout
}

func (r *acctRunner) fails(a account, want int, msg string, args ...string) {
	r.t.Helper()
	code, stdout, stderr := r.run(a, args...)
	assert.Equal(r.t, want, code, "%s: payout %s\n%s%s", a.name, strings.Join(args, " "), stdout, stderr)
	assert.Contains(r.t, stderr, msg, "%s: payout %s", a.name, strings.Join(args, " "))
}

func ensureGroup(t *testing.T, name string) uint32 {
	t.Helper()
	if _, err := user.LookupGroup(name); err != nil {
		out, err := exec.Command("groupadd", name).CombinedOutput()
		require.NoError(t, err, "groupadd %s: %s", name, out)
	}
	g, err := user.LookupGroup(name)
	require.NoError(t, err)
	gid, err := strconv.Atoi(g.Gid)
	require.NoError(t, err)
	return uint32(gid)
}

// ensureUser makes a login-less account whose primary group is its own;
// gid >= 0 adds the group as a supplementary one.
func ensureUser(t *testing.T, name string, gid int64) account {
	t.Helper()
	if _, err := user.Lookup(name); err != nil {
		out, err := exec.Command("useradd", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", name).CombinedOutput()
		require.NoError(t, err, "useradd %s: %s", name, out)
	}
	u, err := user.Lookup(name)
	require.NoError(t, err)
	uid, _ := strconv.Atoi(u.Uid)
	pgid, _ := strconv.Atoi(u.Gid)
	a := account{name: name, uid: uint32(uid), gid: uint32(pgid)}
	if gid >= 0 {
		a.groups = []uint32{uint32(gid)}
	}
	return a
}

// sharedFolder is a fresh folder every test account can enter (t.TempDir
// is root's alone).
func sharedFolder(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "payout-accounts-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	return dir
}

// buildBinary builds cmd/payout into dir, executable by everyone.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "payout")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	require.NoError(t, os.Chmod(bin, 0o755))
	return bin
}

func copyE07(t *testing.T, from, to string) {
	t.Helper()
	require.NoError(t, os.Mkdir(to, 0o755))
	for _, name := range []string{"agreements.csv", "payees.csv", "list_counts.csv"} {
		copyFile(t, filepath.Join(from, name), filepath.Join(to, name), 0o644)
	}
	require.NoError(t, os.WriteFile(filepath.Join(to, "rates.csv"), []byte(lcOldRates), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(to, "policy.json"), []byte(lcPolicy), 0o644))
}

func copyFile(t *testing.T, from, to string, mode fs.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, data, mode))
	require.NoError(t, os.Chmod(to, mode))
}

// copyTree copies a period's folder (and its statements/) readable by all.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	require.NoError(t, err)
	for _, e := range entries {
		if e.IsDir() {
			require.NoError(t, os.MkdirAll(filepath.Join(to, e.Name()), 0o755))
			copyTree(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
			continue
		}
		copyFile(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()), 0o644)
	}
}

// assertShared: the released folder is the group's, 2770, its files 0660.
func assertShared(t *testing.T, dir string, gid uint32) {
	t.Helper()
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, fs.ModeDir|fs.ModeSetgid|0o770, fi.Mode(), dir)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if e.IsDir() { // statements/
			assertShared(t, filepath.Join(dir, e.Name()), gid)
			continue
		}
		info, err := e.Info()
		require.NoError(t, err)
		assert.Equal(t, fs.FileMode(0o660), info.Mode().Perm(), e.Name())
		assert.Equal(t, gid, info.Sys().(*syscall.Stat_t).Gid, e.Name())
	}
}
