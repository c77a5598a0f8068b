//go:build linux

package bundle

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKernelAtLeast(t *testing.T) {
	for release, want := range map[string]bool{
		"5.8.0": true, "5.10.0-28-amd64": true, "6.1.0": true, "5.7.19": false, "4.19.0-26-amd64": false,
		"5": false, "": false, "x.y": false, "10.0": true, "5.8": true,
	} {
		assert.Equal(t, want, kernelAtLeast(release, 5, 8), release)
	}
}

// A folder's files are flushed through its own file system only: a
// subfolder on another one (here a folder that is not there, so whose file
// system is unknown) is fsynced file by file.
func TestSyncfsCoversOnlyItsFileSystem(t *testing.T) {
	dir := t.TempDir()
	d, err := os.Open(dir)
	require.NoError(t, err)
	defer d.Close()
	require.NoError(t, syncfs(d))
	if !syncfsReportsErrors() {
		t.Skip("syncfs reports no write-back error before Linux 5.8")
	}
	assert.True(t, syncfsCovers(d, []string{dir}))
	assert.False(t, syncfsCovers(d, []string{dir, filepath.Join(dir, "missing")}))
}
