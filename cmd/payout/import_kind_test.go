package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Inputs as they arrive: a folder with only this month's counts imports
// into a store that has the rest; files that are not read are named with
// the reason; --kind reads a file of any name, and the store reads it the
// same way again (a run from the store uses it).
func TestImportAsTheFilesArrive(t *testing.T) {
	w := newLCWorld(t)
	w.ok("import", w.fixtures())

	nov := filepath.Join(w.dir, "november")
	require.NoError(t, os.MkdirAll(filepath.Join(nov, "old"), 0o700))
	counts := "list_id,as_of,count,weighted_count,recorded_on\nL1,2022-09-01,1600,,2022-07-15\n"
	for name, text := range map[string]string{"list_counts.csv": counts, "README.txt": "notes", "list_counts (1).csv": counts} {
		require.NoError(t, os.WriteFile(filepath.Join(nov, name), []byte(text), 0o600))
	}
	code, out, stderr := w.cmd("import", nov)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "list_counts.csv (1 rows, 1 new record versions")
	assert.Contains(t, stderr, filepath.Join(nov, "README.txt")+": not an input file, skipped\n")
	assert.Contains(t, stderr, filepath.Join(nov, "list_counts (1).csv")+": not read: the name is not list_counts.csv; rename it, or import it with 'payout import --kind list_counts'\n")
	assert.Contains(t, stderr, filepath.Join(nov, "old")+": a folder, not read")

	oct := filepath.Join(w.dir, "list_counts_okt.csv")
	require.NoError(t, os.WriteFile(oct, []byte("list_id,as_of,count,weighted_count,recorded_on\nL1,2022-10-01,1700,,2022-07-16\n"), 0o600))
	code, _, stderr = w.cmd("import", oct)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "list_counts_okt.csv: unknown file")
	out = w.ok("import", "--kind", "list_counts", oct)
	assert.Contains(t, out, "stored     "+oct+" (1 rows, 1 new record versions")
	assert.Contains(t, w.ok("import", "--kind", "list_counts", oct), "unchanged")
	assert.Contains(t, w.ok("run", "--period", "2022-10"), "total ")

	code, _, stderr = w.cmd("import", "--kind", "nonsense", oct)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `unknown kind "nonsense"`)
	code, _, stderr = w.cmd("import", "--kind", "list_counts", filepath.Join(w.dir, "bad.csv"))
	assert.Equal(t, 1, code, stderr)
	assert.True(t, strings.Contains(stderr, "no such file") || strings.Contains(stderr, "bad.csv"), stderr)
}
