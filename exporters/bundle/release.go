package bundle

// The release protocol (DESIGN.md lifecycle): a release is a release record
// (manifest.Release) whose payments.xml is built from the record alone, so
// the store's record and the manifest's give the same bytes; the folder is
// recorded by the SHA-256 of its manifest.json, and a folder is the released
// one when its manifest has that digest and every output the manifest names
// has the digest the manifest gives. `payout release` renders and writes
// through here, `payout verify` re-renders, `payout status --check` checks.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/exporters/pain001"
	"github.com/oslokommune/payout/payout"
)

// ErrNotRecorded: a folder's manifest.json is not the one recorded for the
// release (changed since, or a release interrupted before its last rename).
var ErrNotRecorded = errors.New("manifest is not the recorded one")

// NewReleaseFile builds payments.xml from a release record: the message id
// and creation time (to the second, as the record holds it) the release
// used, the debtor of the policy in force.
func NewReleaseFile(res *payout.Result, rec manifest.Release) (*ReleaseFile, error) {
	at, err := time.Parse(time.RFC3339, rec.ReleasedAt)
	if err != nil {
		return nil, fmt.Errorf("manifest release.released_at: %w", err)
	}
	xml, err := pain001.Build(res, res.Policy.Debtor, rec.MsgID, at)
	if err != nil {
		return nil, err
	}
	return &ReleaseFile{Record: rec, PaymentsXML: xml}, nil
}

// RenderRelease renders the released folder of a release record: Render
// with the payment file NewReleaseFile builds.
func RenderRelease(res *payout.Result, in *payout.Inputs, rec manifest.Release) (*Bundle, error) {
	rf, err := NewReleaseFile(res, rec)
	if err != nil {
		return nil, err
	}
	return Render(res, in, rf)
}

// ManifestSHA256 is the hex SHA-256 of the rendered manifest.json, the
// digest a release records ("" when there is none).
func (b *Bundle) ManifestSHA256() string {
	m := b.File(ManifestJSON)
	if m == nil {
		return ""
	}
	return sha256Hex(m.Data)
}

// WriteRelease writes a rendered release folder under outDir and checks
// that the manifest now on disk has the recorded digest (ErrNotRecorded
// when not).
func WriteRelease(outDir string, p payout.Period, b *Bundle, recordedSHA256 string) error {
	if _, err := WriteRendered(outDir, p, b); err != nil {
		return err
	}
	got, err := ManifestOnDisk(outDir, p)
	if err != nil {
		return err
	}
	if got != recordedSHA256 {
		return notRecorded(fmt.Sprintf("the written manifest (%s) is not the recorded one (%s)", short(got), short(recordedSHA256)))
	}
	return nil
}

// ManifestOnDisk is the hex SHA-256 of outDir/P/manifest.json.
func ManifestOnDisk(outDir string, p payout.Period) (string, error) {
	return FileSHA256(filepath.Join(Dir(outDir, p), ManifestJSON))
}

// CheckReleased verifies outDir/P against a release's recorded manifest
// digest: the manifest is the recorded one (else one problem wrapping
// ErrNotRecorded) and every output it names is there with its digest. A
// folder without a manifest is no problem (it may live elsewhere); found
// says whether there was one.
func CheckReleased(outDir string, p payout.Period, recordedSHA256 string) (problems []error, found bool) {
	dir := Dir(outDir, p)
	path := filepath.Join(dir, ManifestJSON)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	if got := sha256Hex(data); got != recordedSHA256 {
		return []error{notRecorded(fmt.Sprintf("%s: sha256 %s is not the released manifest %s", path, short(got), short(recordedSHA256)))}, true
	}
	m, err := manifest.Unmarshal(data)
	if err != nil {
		return []error{fmt.Errorf("%s: %v", path, err)}, true
	}
	for _, f := range m.Outputs {
		name := filepath.Join(dir, f.Name)
		if sum, err := FileSHA256(name); err != nil || sum != f.SHA256 {
			problems = append(problems, fmt.Errorf("%s: missing or changed since the release", name))
		}
	}
	return problems, true
}

// FileSHA256 is the hex SHA-256 of a file's bytes.
func FileSHA256(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return sha256Hex(data), nil
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// short is a digest's first twelve hex digits, as messages show it.
func short(sha string) string { return sha[:min(12, len(sha))] }

// recordError is a problem that wraps ErrNotRecorded with its own sentence.
type recordError struct{ msg string }

func notRecorded(msg string) error          { return &recordError{msg} }
func (e *recordError) Error() string        { return e.msg }
func (e *recordError) Is(target error) bool { return target == ErrNotRecorded }
