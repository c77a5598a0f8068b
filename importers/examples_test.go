package importers

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedExamplesLoad: every worked example of the rulebook must load.
func TestSharedExamplesLoad(t *testing.T) {
	dirs, _ := filepath.Glob("../../shared/examples/E*")
	if len(dirs) == 0 {
		dirs, _ = filepath.Glob("/work/shared/examples/E*")
	}
	if len(dirs) == 0 {
		t.Skip("shared examples not present")
	}
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
