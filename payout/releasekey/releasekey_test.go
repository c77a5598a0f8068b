package releasekey

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGenerateWritesPrivateAndPublicFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	k, err := Generate(dir, nil)
	require.NoError(t, err)
	priv, err := os.Stat(filepath.Join(dir, PrivateFile))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), priv.Mode().Perm())
	pub, err := os.Stat(filepath.Join(dir, PublicFile))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), pub.Mode().Perm())
	assert.Regexp(t, `^ed25519:[0-9a-f]{16}$`, k.ID())

	loaded, err := LoadPrivate(filepath.Join(dir, PrivateFile))
	require.NoError(t, err)
	assert.Equal(t, k.ID(), loaded.ID())
	lp, err := LoadPublic(filepath.Join(dir, PublicFile))
	require.NoError(t, err)
	assert.Equal(t, k.ID(), lp.ID())

	_, err = Generate(dir, nil)
	require.Error(t, err, "a key is never overwritten")
	assert.Contains(t, err.Error(), "exists already")
	again, err := LoadPrivate(filepath.Join(dir, PrivateFile))
	require.NoError(t, err)
	assert.Equal(t, k.ID(), again.ID(), "the refused second Generate left the first key alone")
}

func TestSignVerify(t *testing.T) {
	k, err := Generate(t.TempDir(), nil)
	require.NoError(t, err)
	other, err := Generate(t.TempDir(), nil)
	require.NoError(t, err)
	msg := []byte("payout release statement\nperiod 2022-07\n")
	sig := k.Sign(msg)
	assert.True(t, k.Public().Verify(msg, sig))
	assert.False(t, k.Public().Verify([]byte("payout release statement\nperiod 2022-08\n"), sig), "another statement")
	assert.False(t, other.Public().Verify(msg, sig), "another key")
	assert.False(t, k.Public().Verify(msg, "not base64!"), "garbage")
	assert.False(t, k.Public().Verify(msg, sig[:len(sig)-4]), "cut short")
	assert.NotEqual(t, k.ID(), other.ID())

	ring := Ring{other.Public(), k.Public()}
	assert.Same(t, k.Public(), ring.Find(k.ID()))
	assert.Nil(t, ring.Find("ed25519:0000000000000000"))
	assert.Equal(t, []string{other.ID(), k.ID()}, ring.IDs())
}

func TestLoadRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	_, err := Generate(dir, nil)
	require.NoError(t, err)
	priv := filepath.Join(dir, PrivateFile)
	require.NoError(t, os.Chmod(priv, 0o640))
	_, err = LoadPrivate(priv)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "chmod 600")

	require.NoError(t, os.Chmod(priv, 0o600))
	_, err = LoadPrivate(filepath.Join(dir, PublicFile))
	require.Error(t, err, "a public key file is not a private key")
	_, err = LoadPublic(priv)
	require.Error(t, err, "a private key file is not a public key")

	junk := filepath.Join(dir, "junk")
	require.NoError(t, os.WriteFile(junk, []byte("hello"), 0o600))
	_, err = LoadPrivate(junk)
	require.ErrorContains(t, err, "not a PEM key file")
	_, err = LoadPrivate(filepath.Join(dir, "missing"))
	require.Error(t, err)
}

// The files are standard: openssl reads the key and checks our signature,
// so an auditor needs no payout to check a release statement.
func TestOpenSSLChecksOurSignature(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	dir := t.TempDir()
	k, err := Generate(dir, nil)
	require.NoError(t, err)
	msg := []byte("payout release statement\nperiod 2022-07\n")
	raw, err := base64.StdEncoding.DecodeString(k.Sign(msg))
	require.NoError(t, err)
	msgPath, sigPath := filepath.Join(dir, "statement"), filepath.Join(dir, "sig")
	require.NoError(t, os.WriteFile(msgPath, msg, 0o600))
	require.NoError(t, os.WriteFile(sigPath, raw, 0o600))
	out, err := exec.Command("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", filepath.Join(dir, PublicFile),
		"-rawin", "-in", msgPath, "-sigfile", sigPath).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.True(t, strings.Contains(string(out), "Success"), "%s", out)
}
