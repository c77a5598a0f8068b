package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/exporters/excel"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// rewriteWorkbook edits report.xlsx of an E04 folder and records its new
// digest and the given format version in the manifest, as a folder
// written by that format would hold it.
func rewriteWorkbook(t *testing.T, dir string, format int, edit func(f *excelize.File)) {
	t.Helper()
	path := filepath.Join(dir, excel.ReportName)
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	edit(f)
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	mpath := filepath.Join(dir, "manifest.json")
	raw, err := os.ReadFile(mpath)
	require.NoError(t, err)
	m, err := manifest.Unmarshal(raw)
	require.NoError(t, err)
	m.FormatVersion = format
	*m.Output(excel.ReportName) = manifest.Digest(excel.ReportName, buf.Bytes())
	raw, err = m.Marshal()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(mpath, raw, 0o600))
}

// A folder of an older format version (issue 16): its workbooks' layout
// and wording may differ from the re-run's, its numbers may not, and
// verify says how it compared.
func TestVerifyOlderFormatComparesWorkbookNumbers(t *testing.T) {
	relayout := func(f *excelize.File) {
		require.NoError(t, f.SetColWidth(excel.SheetLines, "A", "A", 30))
		require.NoError(t, f.SetCellStr(excel.SheetLines, "A1", "Periode (gammel tekst)"))
	}
	fixtures := copyE04(t, same)
	verify := func(out string) (int, string, string) {
		return runCmd(t, "verify", "--period", "2015-04", "--fixtures", fixtures, "--out", out)
	}

	out := writeE04(t, fixtures, false)
	rewriteWorkbook(t, filepath.Join(out, "2015-04"), 0, relayout)
	code, stdout, stderr := verify(out)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "identical\n")
	assert.Contains(t, stdout, fmt.Sprintf("written by format version 1 (this is %d)", excel.FormatVersion))

	rewriteWorkbook(t, filepath.Join(out, "2015-04"), 0, func(f *excelize.File) {
		require.NoError(t, f.SetCellFloat(excel.SheetLines, "Z2", 1, -1, 64))
	})
	code, _, stderr = verify(out)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "report.xlsx: its numbers differ from the re-run's")
	assert.Contains(t, stderr, "Linjer!Z2: folder 1, re-run")
	assert.Contains(t, stderr, "written by format version 1")

	current := writeE04(t, fixtures, false)
	rewriteWorkbook(t, filepath.Join(current, "2015-04"), excel.FormatVersion, relayout)
	code, _, stderr = verify(current)
	assert.Equal(t, 1, code, "a folder of this format is compared byte for byte")
	assert.Contains(t, stderr, "report.xlsx: differs from the re-run")
	assert.NotContains(t, stderr, "format version")
}

// testdata/format2 is the E04 folder (2015-04) as format version 2 wrote
// it, rendered before the workbooks of format 3: verify compares it with
// a re-run of today's code, by its workbooks' numbers once the format is
// newer, and says so.
func TestVerifyFolderWrittenByFormat2(t *testing.T) {
	fixtures := copyE04(t, same)
	out := t.TempDir()
	require.NoError(t, os.CopyFS(filepath.Join(out, "2015-04"), os.DirFS(filepath.Join("testdata", "format2", "2015-04"))))
	code, stdout, stderr := runCmd(t, "verify", "--period", "2015-04", "--fixtures", fixtures, "--out", out)
	assert.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "identical\n"), stdout)
	if excel.FormatVersion > 2 {
		assert.Contains(t, stdout, fmt.Sprintf("written by format version 2 (this is %d)", excel.FormatVersion))
		assert.Contains(t, stdout, "the workbooks by their numbers cell by cell")
	}
}
