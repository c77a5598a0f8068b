package importers

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/oslokommune/payout/fixtures/sharedtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedExamplesLoad: every worked example of the rulebook must load.
func TestSharedExamplesLoad(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(sharedtest.Dir(t, "examples"), "E*"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			in, _, err := LoadFolder(dir)
			require.NoError(t, err)
			require.NotEmpty(t, in.Agreements)
			for _, f := range in.Files {
				data, err := os.ReadFile(filepath.Join(dir, f.Name))
				require.NoError(t, err)
				assert.Len(t, f.SHA256, 64)
				assert.NotEmpty(t, data)
			}
		})
	}
}
