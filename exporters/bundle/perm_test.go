package bundle

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/payout"
)

// A folder shared with the store's group: 2770 folders, 0660 files, the
// group's, whatever the umask.
func TestWriteRenderedShared(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	gid := os.Getgid()
	out := filepath.Join(t.TempDir(), "out")
	b, err := Render(fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	_, err = WriteRenderedAs(out, payout.MustPeriod("2015-03"), b, Shared(gid))
	require.NoError(t, err)
	for _, d := range []string{out, filepath.Join(out, "2015-03"), filepath.Join(out, "2015-03", StatementsDir)} {
		fi, err := os.Stat(d)
		require.NoError(t, err)
		assert.Equal(t, fs.ModeSetgid|fs.ModeDir|0o770, fi.Mode(), d)
		assert.Equal(t, uint32(gid), fi.Sys().(*syscall.Stat_t).Gid)
	}
	for _, d := range []string{filepath.Join(out, "2015-03"), filepath.Join(out, "2015-03", StatementsDir)} {
		entries, err := os.ReadDir(d)
		require.NoError(t, err)
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			fi, err := e.Info()
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o660), fi.Mode().Perm(), e.Name())
			assert.Equal(t, uint32(gid), fi.Sys().(*syscall.Stat_t).Gid)
		}
	}
}

// A writer killed between its temporary files and the renames leaves them
// behind; the next write of the folder removes them.
func TestWriteRemovesTheTemporaryFilesOfAKilledWriter(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, "2015-03")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, StatementsDir), 0o750))
	for _, name := range []string{".lines.csv.tmp-123", ".report.xlsx.tmp-9", StatementsDir + "/.P1-2015-03.pdf.tmp-4"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("half"), 0o600))
	}
	m, err := Write(out, fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	assert.Len(t, snapshot(t, dir), len(m.Outputs)+1, "no temporary file remains")
}

// A released folder is written again only with the same release: never
// with another release (a second release after a lost store) nor an
// unreleased run.
func TestWriteRefusesAnotherRelease(t *testing.T) {
	out := t.TempDir()
	_, err := Write(out, fixture.Result(), fixture.Inputs(), release)
	require.NoError(t, err)
	_, err = Write(out, fixture.Result(), fixture.Inputs(), release)
	require.NoError(t, err, "the same release again completes an interrupted one")
	other := *release
	other.Record = manifest.Release{ReleasedAt: "2015-03-21T09:30:00Z", ReleasedBy: "mallory", AttestedBy: "anna",
		ApprovedBy: "bent", MsgID: "PAYOUT-2015-03-1"}
	_, err = Write(out, fixture.Result(), fixture.Inputs(), &other)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrReleased), "%v", err)
	assert.Contains(t, err.Error(), "it holds the release of 2015-03 at 2015-03-20T09:30:00Z by carl")
}
