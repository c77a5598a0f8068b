package bundle

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var releaseRec = manifest.Release{ReleasedAt: "2015-03-20T09:30:00Z", ReleasedBy: "carl", AttestedBy: "anna",
	ApprovedBy: "bent", MsgID: "PAYOUT-2015-03-1"}

// releasable is the fixture's result with a debtor whose account passes
// MOD11, as the payment file requires.
func releasable() *payout.Result {
	res := fixture.Result()
	res.Policy.Debtor = payout.Debtor{Name: "Oslo kommune", Account: "60110512344", OrgNr: "958935420", BIC: "DNBANOKKXXX"}
	return res
}

// The folder of a release is a function of the record: the same record
// gives the same bytes (release and verify agree), another record another
// manifest digest.
func TestRenderReleaseIsAFunctionOfTheRecord(t *testing.T) {
	a, err := RenderRelease(releasable(), fixture.Inputs(), releaseRec)
	require.NoError(t, err)
	b, err := RenderRelease(releasable(), fixture.Inputs(), releaseRec)
	require.NoError(t, err)
	require.Equal(t, a.Files, b.Files)
	xml := a.File(PaymentsXML)
	require.NotNil(t, xml)
	assert.Contains(t, string(xml.Data), "<MsgId>PAYOUT-2015-03-1</MsgId>")
	assert.Contains(t, string(xml.Data), "<CreDtTm>2015-03-20T09:30:00")
	require.NotNil(t, a.Manifest.Release)
	assert.Equal(t, releaseRec, *a.Manifest.Release)
	assert.Equal(t, sha256Hex(a.File(ManifestJSON).Data), a.ManifestSHA256())
	assert.Len(t, a.ManifestSHA256(), 64)

	other := releaseRec
	other.ReleasedBy = "dina"
	c, err := RenderRelease(releasable(), fixture.Inputs(), other)
	require.NoError(t, err)
	assert.NotEqual(t, a.ManifestSHA256(), c.ManifestSHA256())
	assert.Equal(t, "", (&Bundle{}).ManifestSHA256(), "no manifest, no digest")
}

func TestNewReleaseFileRefusesABadTime(t *testing.T) {
	rec := releaseRec
	rec.ReleasedAt = "20 March 2015"
	_, err := NewReleaseFile(releasable(), rec)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "manifest release.released_at")
}

// writtenRelease writes the fixture's release folder and returns the
// output folder and the rendered bundle.
func writtenRelease(t *testing.T) (string, *Bundle) {
	t.Helper()
	out := t.TempDir()
	b, err := RenderRelease(releasable(), fixture.Inputs(), releaseRec)
	require.NoError(t, err)
	require.NoError(t, WriteRelease(out, payout.MustPeriod("2015-03"), b, b.ManifestSHA256()))
	return out, b
}

// A written release is the recorded one, and the verify path (a re-render
// from the manifest's record) finds it identical.
func TestWriteReleaseThenCheckAndVerify(t *testing.T) {
	out, b := writtenRelease(t)
	p := payout.MustPeriod("2015-03")
	onDisk, err := ManifestOnDisk(out, p)
	require.NoError(t, err)
	assert.Equal(t, b.ManifestSHA256(), onDisk)
	problems, found := CheckReleased(out, p, b.ManifestSHA256())
	assert.True(t, found)
	assert.Empty(t, problems)

	m, err := manifest.Unmarshal(b.File(ManifestJSON).Data)
	require.NoError(t, err)
	fresh, err := RenderRelease(releasable(), fixture.Inputs(), *m.Release)
	require.NoError(t, err)
	assert.Empty(t, Compare(Dir(out, p), fresh, m))
}

func TestWriteReleaseChecksTheRecordedDigest(t *testing.T) {
	out := t.TempDir()
	b, err := RenderRelease(releasable(), fixture.Inputs(), releaseRec)
	require.NoError(t, err)
	err = WriteRelease(out, payout.MustPeriod("2015-03"), b, strings.Repeat("0", 64))
	require.ErrorIs(t, err, ErrNotRecorded)
	assert.Equal(t, "the written manifest ("+b.ManifestSHA256()[:12]+") is not the recorded one (000000000000)", err.Error())
}

// CheckReleased names each file that is not the released one.
func TestCheckReleased(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(t *testing.T, dir string)
		recorded string // "" for the written manifest's digest
		found    bool
		want     []string // problems, with dir for the folder
		notRec   bool     // the first problem wraps ErrNotRecorded
	}{
		{name: "intact", found: true},
		{name: "no folder", edit: func(t *testing.T, dir string) { require.NoError(t, os.RemoveAll(dir)) }},
		{name: "manifest not the recorded one", recorded: strings.Repeat("a", 64), found: true, notRec: true,
			want: []string{"dir/manifest.json: sha256 %s is not the released manifest aaaaaaaaaaaa"}},
		{name: "output changed", found: true, edit: func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, LinesCSV), []byte("changed\n"), 0o600))
		}, want: []string{"dir/lines.csv: missing or changed since the release"}},
		{name: "outputs missing", found: true, edit: func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, PaymentsXML)))
			require.NoError(t, os.Remove(filepath.Join(dir, PaymentsCSV)))
		}, want: []string{"dir/payments.csv: missing or changed since the release", "dir/payments.xml: missing or changed since the release"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, b := writtenRelease(t)
			p := payout.MustPeriod("2015-03")
			dir := Dir(out, p)
			if tt.edit != nil {
				tt.edit(t, dir)
			}
			recorded := tt.recorded
			if recorded == "" {
				recorded = b.ManifestSHA256()
			}
			problems, found := CheckReleased(out, p, recorded)
			assert.Equal(t, tt.found, found)
			var got []string
			for _, e := range problems {
				got = append(got, strings.ReplaceAll(e.Error(), dir, "dir"))
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, strings.ReplaceAll(w, "%s", b.ManifestSHA256()[:12]))
			}
			assert.Equal(t, want, got)
			if tt.notRec {
				assert.True(t, errors.Is(problems[0], ErrNotRecorded))
			} else if len(problems) > 0 {
				assert.False(t, errors.Is(problems[0], ErrNotRecorded))
			}
		})
	}
}
