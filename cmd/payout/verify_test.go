package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/exporters/pain001"
	"github.com/oslokommune/payout/fixtures/sharedtest"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/releasekey"
	"github.com/oslokommune/payout/payout/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// runCmd runs one command line with a pinned clock and returns the exit
// status, stdout and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	now := func() time.Time { return time.Date(2015, 4, 20, 9, 0, 0, 0, time.UTC) }
	env := &Env{Stdout: &out, Stderr: &errb, Now: now, Real: now,
		Actor: func() (store.Actor, error) { return lcActor("eva"), nil }, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), env, args)
	return code, out.String(), errb.String()
}

// e04Key signs the released E04 folders; its public key is e04Pub(). Both
// are made on first use, in a folder TestMain removes.
var e04Keys = sync.OnceValues(func() (*releasekey.Private, string) {
	dir, err := os.MkdirTemp("", "payout-e04-key-")
	if err != nil {
		panic(err)
	}
	e04Dir = dir
	k, err := releasekey.Generate(dir, nil)
	if err != nil {
		panic(err)
	}
	return k, filepath.Join(dir, releasekey.PublicFile)
})

var e04Dir string

func e04Key() *releasekey.Private { k, _ := e04Keys(); return k }
func e04Pub() string              { _, p := e04Keys(); return p }

// TestMain removes the E04 key's folder once the tests have run.
func TestMain(m *testing.M) {
	code := m.Run()
	if e04Dir != "" {
		_ = os.RemoveAll(e04Dir)
	}
	os.Exit(code)
}

// copyE04 copies the E04 fixtures to a temporary folder, passing each file
// through edit, and adds a policy.json with a debtor account that passes
// MOD11 (the payment file checks it).
func copyE04(t *testing.T, edit func(name string, data []byte) []byte) string {
	t.Helper()
	dir := copyInputs(t, sharedtest.Dir(t, "examples", "E04-withhold-release"), edit)
	policy := `{"debtor": {"name": "Oslo kommune", "account": "12000316766", "orgnr": "958935420", "bic": "DNBANOKKXXX"}}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "policy.json"), []byte(policy), 0o600))
	return dir
}

// copyInputs copies the input files (*.csv but an example's expected.csv)
// of src to a temporary folder, passing each through edit.
func copyInputs(t *testing.T, src string, edit func(name string, data []byte) []byte) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".csv") || e.Name() == "expected.csv" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, e.Name()), edit(e.Name(), data), 0o600))
	}
	return dir
}

func same(_ string, data []byte) []byte { return data }

// writeE04 computes E04 (2015-04) from fixtures and writes its folder the
// way run and release do, through bundle.Write; released adds the payment
// file and the release record.
func writeE04(t *testing.T, fixtures string, released bool) string {
	t.Helper()
	in, _, err := importers.LoadFolder(fixtures)
	require.NoError(t, err)
	p := payout.MustPeriod("2015-04")
	res, err := payout.Compute(in, p, payout.Options{})
	require.NoError(t, err)
	out := t.TempDir()
	if !released {
		_, err = bundle.Write(out, res, in, nil)
		require.NoError(t, err)
		return out
	}
	rec := manifest.Release{ReleasedAt: "2015-04-21T08:15:00Z", ReleasedBy: "carl", AttestedBy: "anna",
		ApprovedBy: "bent", MsgID: pain001.MessageID(p), KeyID: e04Key().ID()}
	b, err := bundle.RenderRelease(res, in, rec)
	require.NoError(t, err)
	st := &store.Release{Period: p, RunSHA256: payout.RunDigest(res), ManifestSHA256: b.ManifestSHA256(), KeyID: e04Key().ID(),
		ReleasedAt: time.Date(2015, 4, 21, 8, 15, 0, 0, time.UTC), MsgID: rec.MsgID}
	st.Seal(e04Key())
	_, err = bundle.WriteRendered(out, p, b.WithSignature(st.SignatureFile()))
	require.NoError(t, err)
	return out
}

func TestVerifyE04Identical(t *testing.T) {
	for _, released := range []bool{false, true} {
		fixtures := copyE04(t, same)
		out := writeE04(t, fixtures, released)
		code, stdout, stderr := runCmd(t, "verify", "--period", "2015-04", "--fixtures", fixtures, "--out", out, "--pub", e04Pub())
		assert.Equal(t, 0, code, stderr)
		assert.True(t, strings.HasPrefix(stdout, "identical\n"), stdout)
		if released {
			_, err := os.Stat(filepath.Join(out, "2015-04", "payments.xml"))
			assert.NoError(t, err)
			assert.Contains(t, stdout, "release statement signed with trusted key "+e04Key().ID())
		}
	}
}

// A released folder's signed statement: without the public key it proves
// nothing; a changed statement or one of another folder is refused.
func TestVerifyChecksTheReleaseStatement(t *testing.T) {
	fixtures := copyE04(t, same)
	out := writeE04(t, fixtures, true)
	code, _, stderr := runCmd(t, "verify", "--period", "2015-04", "--fixtures", fixtures, "--out", out)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "which is not among the trusted public keys (no trusted public key given)")

	sig := filepath.Join(out, "2015-04", bundle.ReleaseSig)
	data, err := os.ReadFile(sig)
	require.NoError(t, err)
	forged := strings.Replace(string(data), `msg_id "`, `msg_id "X`, 1)
	require.NoError(t, os.WriteFile(sig, []byte(forged), 0o600))
	code, _, stderr = runCmd(t, "verify", "--period", "2015-04", "--fixtures", fixtures, "--out", out, "--pub", e04Pub())
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "the signature does not verify with key "+e04Key().ID())

	require.NoError(t, os.Remove(sig))
	code, _, stderr = runCmd(t, "verify", "--period", "2015-04", "--fixtures", fixtures, "--out", out, "--pub", e04Pub())
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "the released folder has no signed release statement")
}

func TestVerifyCatchesAChangedAmountInLinesCSV(t *testing.T) {
	fixtures := copyE04(t, same)
	out := writeE04(t, fixtures, false)
	path := filepath.Join(out, "2015-04", "lines.csv")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(data), ",58940.00,")
	require.NoError(t, os.WriteFile(path, bytes.Replace(data, []byte(",58940.00,"), []byte(",58941.00,"), 1), 0o600))

	code, stdout, stderr := runCmd(t, "verify", "--period", "2015-04", "--fixtures", fixtures, "--out", out)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "payout verify: lines.csv: differs from the re-run")
	assert.Contains(t, stderr, "line 2: folder ")
	assert.Contains(t, stderr, "58941.00")
	assert.Contains(t, stderr, "lines.csv: SHA-256 ")
}

func TestVerifyCatchesAChangedAmountInAWorkbook(t *testing.T) {
	fixtures := copyE04(t, same)
	out := writeE04(t, fixtures, false)
	path := filepath.Join(out, "2015-04", "bydel-01.xlsx")
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	v, err := f.GetCellValue("Linjer", "Z2", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	require.Equal(t, "58940", v, "Linjer!Z2 is A1's net")
	require.NoError(t, f.SetCellFloat("Linjer", "Z2", 58941, -1, 64))
	require.NoError(t, f.Save())
	require.NoError(t, f.Close())

	code, _, stderr := runCmd(t, "verify", "--period", "2015-04", "--fixtures", fixtures, "--out", out)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "bydel-01.xlsx: differs from the re-run")
	assert.Contains(t, stderr, "Linjer!Z2: folder 58941 #,##0.00, re-run 58940 #,##0.00")
}

func TestVerifyCatchesChangedFixtures(t *testing.T) {
	out := writeE04(t, copyE04(t, same), false)
	// The auditor's fixtures say the rectification became known only in May.
	fixtures := copyE04(t, func(name string, data []byte) []byte {
		if name == "breaches.csv" {
			return bytes.ReplaceAll(data, []byte("2015-04-10,2015-04-10"), []byte("2015-04-10,2015-05-10"))
		}
		return data
	})
	code, _, stderr := runCmd(t, "verify", "--period", "2015-04", "--fixtures", fixtures, "--out", out)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "input "+filepath.Join(fixtures, "breaches.csv")+": SHA-256", "the input file by its path")
	assert.Contains(t, stderr, "lines.csv: differs from the re-run")
}

func TestVerifyUsage(t *testing.T) {
	code, _, stderr := runCmd(t, "verify", "--period", "2015-04", "--fixtures", "x")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--out is required")
	code, _, stderr = runCmd(t, "verify", "--period", "2015-04", "--fixtures", "x", "--out", t.TempDir())
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no run of 2015-04 to verify")
}
