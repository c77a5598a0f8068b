// Package releasekey is the release signing key: an ed25519 key pair kept
// outside the store, so that whoever can write the store file still cannot
// rewrite the chain of releases without it.
//
// The contract:
//   - Files are the standard PEM encodings (PKCS #8 "PRIVATE KEY", PKIX
//     "PUBLIC KEY"), so an auditor can check a signature with openssl alone.
//     Generate writes DIR/release.key (mode 0600) and DIR/release.pub (0644)
//     and never overwrites a key.
//   - LoadPrivate refuses a private key file that its group or others may
//     read or write (as ssh does): a key others can read proves nothing.
//   - A key is named by its ID, "ed25519:" and the first 16 hex digits of
//     the SHA-256 of its public key (PKIX DER). A release records the ID of
//     the key that signed it, so after a rotation each release is checked
//     against its own key (a Ring holds the public keys one trusts).
//   - Signatures are ed25519 over the exact bytes given (the store's release
//     statement), base64 (standard, padded) in text.
package releasekey

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// The file names Generate writes.
const (
	PrivateFile = "release.key"
	PublicFile  = "release.pub"
)

// ErrNoKey: no key was given (no --key, no PAYOUT_RELEASE_KEY).
var ErrNoKey = errors.New("no release key")

// Private is a release signing key.
type Private struct {
	key ed25519.PrivateKey
	pub *Public
}

// Public is a release key's public half, for checking signatures.
type Public struct {
	key ed25519.PublicKey
	id  string
}

// ID names the key: "ed25519:" and 16 hex digits.
func (p *Public) ID() string { return p.id }

// Public returns the key's public half.
func (k *Private) Public() *Public { return k.pub }

// ID names the key (the ID of its public half).
func (k *Private) ID() string { return k.pub.id }

// Sign signs msg; the signature is base64.
func (k *Private) Sign(msg []byte) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(k.key, msg))
}

// Verify reports whether sig (base64) is this key's signature of msg.
func (p *Public) Verify(msg []byte, sig string) bool {
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(raw) != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(p.key, msg, raw)
}

func newPublic(pub ed25519.PublicKey) (*Public, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(der)
	return &Public{key: pub, id: "ed25519:" + hex.EncodeToString(sum[:8])}, nil
}

func newPrivate(key ed25519.PrivateKey) (*Private, error) {
	pub, err := newPublic(key.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}
	return &Private{key: key, pub: pub}, nil
}

// Generate makes a new key from random (crypto/rand when nil) and writes
// it to dir, which it creates (0700) when missing. It refuses to overwrite
// an existing key file.
func Generate(dir string, random io.Reader) (*Private, error) {
	if random == nil {
		random = rand.Reader
	}
	_, key, err := ed25519.GenerateKey(random)
	if err != nil {
		return nil, fmt.Errorf("release key: %w", err)
	}
	k, err := newPrivate(key)
	if err != nil {
		return nil, err
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(k.pub.key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("release key: %w", err)
	}
	if err := writeNew(filepath.Join(dir, PrivateFile), "PRIVATE KEY", privDER, 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(filepath.Join(dir, PublicFile), "PUBLIC KEY", pubDER, 0o644); err != nil {
		return nil, err
	}
	return k, nil
}

// writeNew writes one PEM block to a file that must not exist yet, with
// exactly mode (whatever the umask).
func writeNew(path, kind string, der []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists already: a release key is never overwritten (give another --out to make a new one)", path)
	}
	if err != nil {
		return fmt.Errorf("release key: %w", err)
	}
	err = f.Chmod(mode)
	if err == nil {
		err = pem.Encode(f, &pem.Block{Type: kind, Bytes: der})
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// LoadPrivate reads a private key file written by Generate (or openssl
// genpkey -algorithm ed25519). The file must be readable by its owner only.
func LoadPrivate(path string) (*Private, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("release key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("release key %s has mode %04o: others may read it, so it proves nothing; make it private with chmod 600 %s (and consider it exposed: make a new one)",
			path, fi.Mode().Perm(), path)
	}
	block, err := readPEM(path)
	if err != nil {
		return nil, err
	}
	if block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("release key %s: a %q block, not a PRIVATE KEY", path, block.Type)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("release key %s: %w", path, err)
	}
	ed, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("release key %s: a %T key, not ed25519", path, key)
	}
	return newPrivate(ed)
}

// LoadPublic reads a public key file (release.pub).
func LoadPublic(path string) (*Public, error) {
	block, err := readPEM(path)
	if err != nil {
		return nil, err
	}
	if block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("public key %s: a %q block, not a PUBLIC KEY", path, block.Type)
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public key %s: %w", path, err)
	}
	ed, ok := key.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public key %s: a %T key, not ed25519", path, key)
	}
	return newPublic(ed)
}

func readPEM(path string) (*pem.Block, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("release key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s: not a PEM key file", path)
	}
	return block, nil
}

// Ring is the set of public keys one trusts, found by ID.
type Ring []*Public

// Find returns the key with this ID, or nil.
func (r Ring) Find(id string) *Public {
	for _, k := range r {
		if k.id == id {
			return k
		}
	}
	return nil
}

// IDs lists the ring's key IDs, for messages.
func (r Ring) IDs() []string {
	out := make([]string, len(r))
	for i, k := range r {
		out[i] = k.id
	}
	return out
}
