package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/oslokommune/payout/importers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTemplateCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "maler")
	code, out, stderr := runImportCmd(t, "template", "--out", dir)
	require.Equal(t, 0, code, stderr)
	var want string
	for _, kind := range importers.Kinds() {
		path := filepath.Join(dir, kind+".xlsx")
		want += "wrote " + path + "\n"
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		again, err := importers.Template(kind)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(again, data), kind)
	}
	assert.Equal(t, want, out)

	// The folder may hold filled-in copies: never overwrite silently.
	code, _, stderr = runImportCmd(t, "template", "--out", dir)
	assert.Equal(t, 1, code)
	assert.Equal(t, "payout template: "+filepath.Join(dir, "agreements.xlsx")+" exists and may hold filled-in data; move it away or use --force\n", stderr)
	code, _, _ = runImportCmd(t, "template", "--out", dir, "--force")
	assert.Equal(t, 0, code)

	code, _, stderr = runImportCmd(t, "template")
	assert.Equal(t, 2, code)
	assert.Equal(t, "payout template: --out DIR is required\nTry: payout template -h\n", stderr)
}

func tmplCopyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		require.NoError(t, err)
		tmplWriteFile(t, filepath.Join(to, e.Name()), string(data))
	}
}

func tmplWriteFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}
