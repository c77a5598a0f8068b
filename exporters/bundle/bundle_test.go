package bundle

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/journal"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var release = &ReleaseFile{
	Record: manifest.Release{ReleasedAt: "2015-03-20T09:30:00Z", ReleasedBy: "carl", AttestedBy: "anna",
		ApprovedBy: "bent", MsgID: "PAYOUT-2015-03-1"},
	PaymentsXML: []byte("<Document>hand-made stand-in for pain.001</Document>\n"),
}

func names(b *Bundle) []string {
	var n []string
	for _, f := range b.Files {
		n = append(n, f.Name)
	}
	return n
}

func TestRenderNamesAndOrder(t *testing.T) {
	b, err := Render(fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"adjustments.csv", "bydel-01.xlsx", "bydel-05.xlsx", "bydel-12.xlsx",
		"claims.csv", "lines.csv", "payments.csv", "report.xlsx",
		"statements/P1-2015-03.pdf", "statements/P2-2015-03.pdf", "statements/P3-2015-03.pdf",
		"statements/P4-2015-03.pdf", "statements/P5-2015-03.pdf", "statements/V1-2015-03.pdf",
		"manifest.json"}, names(b), "an unreleased run: no payment file and no journal.csv")
	r, err := Render(fixture.Result(), fixture.Inputs(), release)
	require.NoError(t, err)
	assert.Contains(t, names(r), "payments.xml")
	assert.Contains(t, names(r), JournalCSV)
	assert.Equal(t, "manifest.json", names(r)[len(r.Files)-1])
	// The released journal.csv is the voucher of report.xlsx's Bilag sheet
	// and the manifest counts its postings.
	j, err := journal.Build(fixture.Result())
	require.NoError(t, err)
	want, err := j.CSV(fixture.Result().Policy.Ledger.Layout)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(r.File(JournalCSV).Data))
	assert.Equal(t, len(j.Postings), r.Manifest.Output(JournalCSV).Rows)
}

// A ledger that cannot book the run (here: a district without an ansvar)
// fails the render of every run, long before a release.
func TestRenderRefusesAnUnbookableRun(t *testing.T) {
	res := fixture.Result()
	delete(res.Policy.Ledger.Ansvar, "05")
	_, err := Render(res, fixture.Inputs(), nil)
	require.ErrorContains(t, err, "no responsibility code for bydel 05")
}

// TestTwoRendersAreByteIdentical is the determinism promise of DESIGN.md:
// same inputs, same bytes, for every output including the manifest.
func TestTwoRendersAreByteIdentical(t *testing.T) {
	for _, rel := range []*ReleaseFile{nil, release} {
		a, err := Render(fixture.Result(), fixture.Inputs(), rel)
		require.NoError(t, err)
		for i := 0; i < 3; i++ {
			b, err := Render(fixture.Result(), fixture.Inputs(), rel)
			require.NoError(t, err)
			require.Equal(t, names(a), names(b))
			for j := range a.Files {
				assert.True(t, bytes.Equal(a.Files[j].Data, b.Files[j].Data), "%s differs between renders", a.Files[j].Name)
			}
		}
	}
}

func TestManifestGolden(t *testing.T) {
	b, err := Render(fixture.Result(), fixture.Inputs(), release)
	require.NoError(t, err)
	got := b.File(ManifestJSON).Data
	path := filepath.Join("testdata", "manifest.json")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "go test -update creates %s", path)
	assert.Equal(t, string(want), string(got))
	m, err := manifest.Unmarshal(got)
	require.NoError(t, err)
	for _, f := range b.Files[:len(b.Files)-1] {
		assert.Equal(t, manifest.Digest(f.Name, f.Data).SHA256, m.Output(f.Name).SHA256, f.Name)
	}
}

func TestWriteWritesEveryFileAndTheManifestMatches(t *testing.T) {
	out := t.TempDir()
	m, err := Write(out, fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	dir := filepath.Join(out, "2015-03")
	require.Len(t, snapshot(t, dir), len(m.Outputs)+1, "the outputs and the manifest, no temporary file")
	require.NoError(t, filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			info, err := e.Info()
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), path)
		}
		return err
	}))
	require.NotNil(t, m.Output(StatementsDir+"/P1-2015-03.pdf"), "the statements are in the manifest")
	for _, f := range m.Outputs {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		require.NoError(t, err)
		assert.Equal(t, f.SHA256, manifest.Digest(f.Name, data).SHA256, f.Name)
	}
	fresh, err := Render(fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	assert.Empty(t, Compare(dir, fresh, m))
}

func TestWriteRefusesToOverwriteAReleasedFolder(t *testing.T) {
	out := t.TempDir()
	_, err := Write(out, fixture.Result(), fixture.Inputs(), release)
	require.NoError(t, err)
	_, err = Write(out, fixture.Result(), fixture.Inputs(), nil)
	assert.True(t, errors.Is(err, ErrReleased), "%v", err)
}

// TestWriteFailingHalfwayLeavesTheOldFolder: when a file cannot be
// written (the first, the second, the last temporary file made), or the
// flush that makes them durable fails, no new file and no temporary file
// remains, and the old run is untouched; with one flush of the file system
// and with an fsync per file.
func TestWriteFailingHalfwayLeavesTheOldFolder(t *testing.T) {
	res := fixture.Result()
	res.Lines[0].Name += " Olsen" // lines.csv, report.xlsx, bydel-01.xlsx, P1's statement and the manifest change
	made := tempsMade(t, res)
	require.Equal(t, 5, made, "the files that did not change are not written again")
	for _, flush := range []bool{true, false} {
		for _, failAt := range []int{1, 2, made, 0} { // 0: the flush fails
			if failAt == 0 && !flush {
				continue
			}
			name := fmt.Sprintf("flush=%v/fail at %d", flush, failAt)
			t.Run(name, func(t *testing.T) {
				out := t.TempDir()
				_, err := Write(out, fixture.Result(), fixture.Inputs(), nil)
				require.NoError(t, err)
				dir := filepath.Join(out, "2015-03")
				before := snapshot(t, dir)
				failWrites(t, failAt, flush)
				_, err = Write(out, res, fixture.Inputs(), nil)
				require.ErrorContains(t, err, "disk full")
				assert.Equal(t, before, snapshot(t, dir))
			})
		}
	}
}

// A new period's folder whose writing fails (a workbook, a statement of
// the staged statements folder, the manifest, or the flush) is left empty:
// no file, no temporary file or folder, no statements folder.
func TestWriteFailingInANewFolderLeavesItEmpty(t *testing.T) {
	files := len(must(Render(fixture.Result(), fixture.Inputs(), nil)).Files)
	for _, flush := range []bool{true, false} {
		for _, failAt := range []int{1, 2, files - 1, files, 0} {
			if failAt == 0 && !flush {
				continue
			}
			t.Run(fmt.Sprintf("flush=%v/fail at %d", flush, failAt), func(t *testing.T) {
				failWrites(t, failAt, flush)
				out := t.TempDir()
				_, err := Write(out, fixture.Result(), fixture.Inputs(), nil)
				require.ErrorContains(t, err, "disk full")
				entries, err := os.ReadDir(filepath.Join(out, "2015-03"))
				require.NoError(t, err)
				assert.Empty(t, entries)
			})
		}
	}
}

// The statements of a new period's folder are written into a staged
// folder renamed into place once; a staged folder a killed writer left is
// removed by the next writer.
func TestWriteStagesANewStatementsFolder(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, "2015-03")
	left := filepath.Join(dir, "."+StatementsDir+".tmp-123")
	require.NoError(t, os.MkdirAll(left, 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(left, "P1-2015-03.pdf"), []byte("half"), 0o600))
	var temps atomic.Int64
	createTemp = func(dir, prefix string) (int, string, error) {
		temps.Add(1)
		return createTempFile(dir, prefix)
	}
	t.Cleanup(func() { createTemp = createTempFile })
	m, err := Write(out, fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	statements := 0
	for _, f := range m.Outputs {
		if strings.HasPrefix(f.Name, StatementsDir+"/") {
			statements++
		}
	}
	require.Positive(t, statements)
	assert.Equal(t, len(m.Outputs)+1-statements, int(temps.Load()), "no temporary file for a statement")
	assert.NoDirExists(t, left)
	assert.Len(t, snapshot(t, dir), len(m.Outputs)+1)
	fresh, err := Render(fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	assert.Empty(t, Compare(dir, fresh, m))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// tempsMade is how many temporary files writing res over the fixture's
// folder makes.
func tempsMade(t *testing.T, res *payout.Result) int {
	out := t.TempDir()
	_, err := Write(out, fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	var n atomic.Int64
	createTemp = func(dir, prefix string) (int, string, error) {
		n.Add(1)
		return createTempFile(dir, prefix)
	}
	defer func() { createTemp = createTempFile }()
	_, err = Write(out, res, fixture.Inputs(), nil)
	require.NoError(t, err)
	return int(n.Load())
}

// failWrites makes the failAt-th temporary file (or file of a staged
// folder) fail to be created (or, with 0, the flush fail), and writes with
// one flush or an fsync per file, until the test ends. The count is shared
// by the parallel writers.
func failWrites(t *testing.T, failAt int, flush bool) {
	var n atomic.Int64
	createTemp = func(dir, prefix string) (int, string, error) {
		if n.Add(1) == int64(failAt) {
			return -1, "", errors.New("disk full")
		}
		return createTempFile(dir, prefix)
	}
	createNew = func(path string) (int, error) {
		if n.Add(1) == int64(failAt) {
			return -1, errors.New("disk full")
		}
		return createNewFile(path)
	}
	canFlushFS = func(*os.File, []string) bool { return flush }
	flushFS = func(*os.File) error {
		if failAt == 0 {
			return errors.New("syncfs: disk full")
		}
		return nil
	}
	t.Cleanup(func() {
		createTemp, createNew, canFlushFS, flushFS = createTempFile, createNewFile, syncfsCovers, syncfs
	})
}

// A file already in place with the new bytes, mode and owner is left as it
// is (the same inode); one that differs in any of them is replaced, and the
// manifest is always written anew.
func TestWriteLeavesUnchangedFilesInPlace(t *testing.T) {
	for _, flush := range []bool{true, false} {
		t.Run(fmt.Sprintf("flush=%v", flush), func(t *testing.T) {
			failWrites(t, -1, flush)
			out := t.TempDir()
			m, err := Write(out, fixture.Result(), fixture.Inputs(), nil)
			require.NoError(t, err)
			dir := filepath.Join(out, "2015-03")
			before := snapshot(t, dir)
			inodes := inodesOf(t, dir)
			lines, report, p2 := filepath.Join(dir, LinesCSV), filepath.Join(dir, "report.xlsx"), filepath.Join(dir, StatementsDir, "P2-2015-03.pdf")
			require.NoError(t, os.Chmod(lines, 0o644))
			require.NoError(t, os.WriteFile(p2, []byte("tampered"), 0o600))
			data, err := os.ReadFile(report)
			require.NoError(t, err)
			data[len(data)/2] ^= 1 // same size, another byte
			require.NoError(t, os.WriteFile(report, data, 0o600))
			// the same bytes, but through a link, or with another name too
			district, p3 := filepath.Join(dir, "bydel-05.xlsx"), filepath.Join(dir, StatementsDir, "P3-2015-03.pdf")
			require.NoError(t, os.Rename(district, district+".orig"))
			require.NoError(t, os.Symlink(filepath.Base(district)+".orig", district))
			require.NoError(t, os.Link(p3, filepath.Join(t.TempDir(), "elsewhere.pdf")))

			_, err = Write(out, fixture.Result(), fixture.Inputs(), nil)
			require.NoError(t, err)
			require.NoError(t, os.Remove(district+".orig"))
			assert.Equal(t, before, snapshot(t, dir))
			after := inodesOf(t, dir)
			for name, ino := range inodes {
				replaced := name == LinesCSV || name == "report.xlsx" || name == StatementsDir+"/P2-2015-03.pdf" || name == ManifestJSON ||
					name == "bydel-05.xlsx" || name == StatementsDir+"/P3-2015-03.pdf"
				assert.Equal(t, replaced, ino != after[name], name)
			}
			fi, err := os.Lstat(district)
			require.NoError(t, err)
			assert.True(t, fi.Mode().IsRegular(), "the link is replaced by the file")
			fi, err = os.Stat(lines)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
			assert.Len(t, after, len(m.Outputs)+1)
		})
	}
}

// inodesOf is the inode number of every file under dir, by name.
func inodesOf(t *testing.T, dir string) map[string]uint64 {
	t.Helper()
	m := map[string]uint64{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		fi, err := e.Info()
		require.NoError(t, err)
		rel, _ := filepath.Rel(dir, path)
		m[filepath.ToSlash(rel)] = fi.Sys().(*syscall.Stat_t).Ino
		return nil
	}))
	return m
}

// Each way of making the files durable writes the same folder.
func TestWriteWithAnFsyncPerFile(t *testing.T) {
	viaFlush, viaFsync := t.TempDir(), t.TempDir()
	_, err := Write(viaFlush, fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	failWrites(t, -1, false)
	m, err := Write(viaFsync, fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	got := snapshot(t, filepath.Join(viaFsync, "2015-03"))
	assert.Len(t, got, len(m.Outputs)+1)
	assert.Equal(t, snapshot(t, filepath.Join(viaFlush, "2015-03")), got)
}

// WriteFilesAs (a supplement's folder, the yearly statements) is all or
// nothing too: a file that cannot be written leaves the folder as it was.
func TestWriteFilesAsFailingHalfwayLeavesTheFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "supplement")
	files := []Output{{Name: "a.xml", Data: []byte("a")}, {Name: "b.csv", Data: []byte("b")}, {Name: "c.sig", Data: []byte("c")}}
	require.NoError(t, WriteFilesAs(dir, files, Private))
	before := snapshot(t, dir)
	for _, failAt := range []int{1, 3, 0} {
		failWrites(t, failAt, failAt%2 == 0)
		err := WriteFilesAs(dir, []Output{{Name: "a.xml", Data: []byte("A")}, {Name: "b.csv", Data: []byte("B")}, {Name: "c.sig", Data: []byte("C")}}, Private)
		require.ErrorContains(t, err, "disk full")
		assert.Equal(t, before, snapshot(t, dir))
	}
}

// A district whose last agreement ended loses its workbook, and a payee no
// longer paid its statement, so the folder matches its manifest.
func TestWriteRemovesStaleDistrictWorkbooks(t *testing.T) {
	out := t.TempDir()
	_, err := Write(out, fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(out, "2015-03", StatementsDir, "P5-2015-03.pdf"))
	require.NoError(t, err)
	res := fixture.Result()
	require.Equal(t, "12", res.Lines[5].Bydel)
	require.Equal(t, "P5", res.Payments[4].PayeeID)
	res.Total = res.Total.Sub(res.Lines[5].Net).Sub(res.Lines[6].Net)
	res.Lines = res.Lines[:5] // district 12 (payee P5) has no line, adjustment or claim any more
	res.Adjustments, res.Claims = res.Adjustments[:1], nil
	res.Payments = append(res.Payments[:4], res.Payments[5:]...)
	_, err = Write(out, res, fixture.Inputs(), nil)
	require.NoError(t, err)
	for _, gone := range []string{"bydel-12.xlsx", filepath.Join(StatementsDir, "P5-2015-03.pdf")} {
		_, err = os.Stat(filepath.Join(out, "2015-03", gone))
		assert.True(t, errors.Is(err, os.ErrNotExist), gone)
	}
	_, err = os.Stat(filepath.Join(out, "2015-03", StatementsDir, "P1-2015-03.pdf"))
	require.NoError(t, err)
}

// snapshot is the digest of every file under dir, by its slash-separated
// name relative to dir (statements/… included).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		m[filepath.ToSlash(rel)] = manifest.Digest(rel, data).SHA256
		return nil
	}))
	return m
}

// written writes the fixture's folder and returns it with its manifest and
// a fresh rendering to compare with.
func written(t *testing.T) (string, *manifest.Manifest, *Bundle) {
	t.Helper()
	out := t.TempDir()
	m, err := Write(out, fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	fresh, err := Render(fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	return filepath.Join(out, "2015-03"), m, fresh
}

func TestCompareCatchesAChangedAmountInLinesCSV(t *testing.T) {
	dir, m, fresh := written(t)
	path := filepath.Join(dir, LinesCSV)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, bytes.Replace(data, []byte("36667.74"), []byte("36767.74"), 1), 0o600))

	diffs := Compare(dir, fresh, m)
	require.Len(t, diffs, 2, "%v", diffs)
	assert.Equal(t, "lines.csv: differs from the re-run\n  line 2: folder \"2015-03,A1,1000001,Kari Nordmann,01,fastlege,holder,P1,L1,1200,1200,505200.00,100,31,27,4,0,42100.00,5432.26,0.00,36767.74,0.00,0.00,0.00,0.00,36667.74,0.00,R-13.4-SICK;R-8.4\", re-run \"2015-03,A1,1000001,Kari Nordmann,01,fastlege,holder,P1,L1,1200,1200,505200.00,100,31,27,4,0,42100.00,5432.26,0.00,36667.74,0.00,0.00,0.00,0.00,36667.74,0.00,R-13.4-SICK;R-8.4\"", diffs[0].String())
	assert.Contains(t, diffs[1].Problem, "does not match the manifest")
}

func TestCompareCatchesAChangedAmountInAWorkbook(t *testing.T) {
	dir, m, fresh := written(t)
	path := filepath.Join(dir, "report.xlsx")
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	require.NoError(t, f.SetCellFloat("Linjer", "Z2", 36767.74, -1, 64)) // A1's net
	require.NoError(t, f.Save())
	require.NoError(t, f.Close())

	diffs := Compare(dir, fresh, m)
	require.NotEmpty(t, diffs)
	assert.Equal(t, "report.xlsx", diffs[0].Name)
	assert.Equal(t, "differs from the re-run", diffs[0].Problem)
	assert.Contains(t, diffs[0].Detail, "Linjer!Z2: folder 36767.74 #,##0.00, re-run 36667.74 #,##0.00")
}

func TestCompareCatchesChangedInputsAndStrayFiles(t *testing.T) {
	dir, m, fresh := written(t)
	fresh.Manifest.Inputs[1].SHA256 = strings.Repeat("9", 64)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bydel-99.xlsx"), []byte("x"), 0o600))
	require.NoError(t, os.Remove(filepath.Join(dir, "payments.csv")))
	var got []string
	for _, d := range Compare(dir, fresh, m) {
		got = append(got, d.Name+": "+d.Problem)
	}
	assert.Equal(t, []string{
		"bydel-99.xlsx: in the folder, but neither the manifest nor the re-run has it",
		"input list_counts.csv: SHA-256 " + strings.Repeat("9", 64) + ", the manifest recorded " + strings.Repeat("2", 64),
		"payments.csv: missing from the folder",
	}, got)
}

// TestWriteRenderedWritesWhatWriteWrites: rendering once and writing the
// bundle gives the folder Write gives, and a released folder is refused.
func TestWriteRenderedWritesWhatWriteWrites(t *testing.T) {
	viaWrite, viaRendered := t.TempDir(), t.TempDir()
	_, err := Write(viaWrite, fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	b, err := Render(fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	m, err := WriteRendered(viaRendered, fixture.Result().Period, b)
	require.NoError(t, err)
	assert.Same(t, b.Manifest, m)
	assert.Equal(t, snapshot(t, filepath.Join(viaWrite, "2015-03")), snapshot(t, filepath.Join(viaRendered, "2015-03")))

	r, err := Render(fixture.Result(), fixture.Inputs(), release)
	require.NoError(t, err)
	_, err = WriteRendered(viaRendered, fixture.Result().Period, r)
	require.NoError(t, err)
	_, err = WriteRendered(viaRendered, fixture.Result().Period, b)
	assert.True(t, errors.Is(err, ErrReleased), "%v", err)
}

// A staged folder is not in place until Commit: Close without it (flushed
// or not) leaves the old folder exactly as it was and no temporary file or
// staged folder; Commit (with a Flush on another goroutine) puts in place
// what Write writes, and again returns the same manifest without writing
// anything.
func TestStageIsInPlaceOnlyAfterCommit(t *testing.T) {
	res := fixture.Result()
	res.Lines[0].Name += " Olsen"
	for _, fresh := range []bool{true, false} {
		t.Run(fmt.Sprintf("new folder=%v", fresh), func(t *testing.T) {
			out := t.TempDir()
			dir := filepath.Join(out, "2015-03")
			require.NoError(t, os.MkdirAll(dir, 0o700))
			if !fresh {
				_, err := Write(out, fixture.Result(), fixture.Inputs(), nil)
				require.NoError(t, err)
			}
			before := snapshot(t, dir)
			for _, flush := range []bool{false, true} {
				st, err := Stage(out, res, fixture.Inputs(), Private)
				require.NoError(t, err)
				if flush {
					require.NoError(t, st.Flush())
				}
				st.Close()
				assert.Equal(t, before, snapshot(t, dir), "closed without a commit (flushed: %v)", flush)
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			for _, e := range entries {
				assert.False(t, strings.Contains(e.Name(), ".tmp-"), e.Name())
			}

			st, err := Stage(out, res, fixture.Inputs(), Private)
			require.NoError(t, err)
			defer st.Close()
			flushed := make(chan error, 1)
			go func() { flushed <- st.Flush() }()
			m, err := st.Commit()
			require.NoError(t, <-flushed)
			require.NoError(t, err)
			assert.Equal(t, st.Bundle().Manifest, m)
			fresh, err := Render(res, fixture.Inputs(), nil)
			require.NoError(t, err)
			assert.Empty(t, Compare(dir, fresh, m))
			after := snapshot(t, dir)
			again, err := st.Commit()
			require.NoError(t, err)
			assert.Equal(t, m, again)
			st.Close()
			assert.Equal(t, after, snapshot(t, dir), "a second Commit and the Close change nothing")
		})
	}
}

// Stage and Commit say that the files could not be written (WriteError),
// not that the result cannot be rendered: a temporary file that cannot be
// made, a flush that fails, a released folder; a result that cannot be
// rendered is not a WriteError.
func TestStageTellsAWriteFromARenderFailure(t *testing.T) {
	t.Run("a temporary file", func(t *testing.T) {
		failWrites(t, 1, true)
		_, err := Stage(t.TempDir(), fixture.Result(), fixture.Inputs(), Private)
		var we *WriteError
		assert.True(t, errors.As(err, &we), "%v", err)
	})
	t.Run("the flush", func(t *testing.T) {
		failWrites(t, 0, true)
		out := t.TempDir()
		st, err := Stage(out, fixture.Result(), fixture.Inputs(), Private)
		require.NoError(t, err)
		defer st.Close()
		_, err = st.Commit()
		var we *WriteError
		assert.True(t, errors.As(err, &we), "%v", err)
		entries, err := os.ReadDir(filepath.Join(out, "2015-03"))
		require.NoError(t, err)
		assert.Empty(t, entries, "nothing in place, no temporary file")
	})
	out := t.TempDir()
	_, err := Write(out, fixture.Result(), fixture.Inputs(), release)
	require.NoError(t, err)
	_, err = Stage(out, fixture.Result(), fixture.Inputs(), Private)
	var we *WriteError
	assert.True(t, errors.As(err, &we) && errors.Is(err, ErrReleased), "%v", err)

	res := fixture.Result()
	delete(res.Policy.Ledger.Ansvar, "05") // as TestRenderRefusesAnUnbookableRun
	_, err = Stage(t.TempDir(), res, fixture.Inputs(), Private)
	require.ErrorContains(t, err, "no responsibility code for bydel 05")
	assert.False(t, errors.As(err, &we), "%v", err)
}

// Reserve holds the folder's lock for one Render of its period: a run of
// another period, a second Render, or a Commit before any is refused, and
// a refused Render leaves the folder as it was and unlocked.
func TestReserveThenRender(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, "2015-03")
	st, err := Reserve(out, fixture.Result().Period, Private)
	require.NoError(t, err)
	_, err = st.Commit()
	require.ErrorContains(t, err, "not rendered")
	st.Close()

	st, err = Reserve(out, payout.MustPeriod("2015-04"), Private)
	require.NoError(t, err)
	require.ErrorContains(t, st.Render(fixture.Result(), fixture.Inputs()), "rendered into the folder of 2015-04")
	st.Close()

	st, err = Reserve(out, fixture.Result().Period, Private)
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.Render(fixture.Result(), fixture.Inputs()))
	require.ErrorContains(t, st.Render(fixture.Result(), fixture.Inputs()), "rendered already")
	m, err := st.Commit()
	require.NoError(t, err)
	fresh, err := Render(fixture.Result(), fixture.Inputs(), nil)
	require.NoError(t, err)
	assert.Empty(t, Compare(dir, fresh, m))
}

// A step's bytes are recycled only after the sink has written them and
// their manifest entry is made: a recycle that scribbles over them changes
// nothing that was written or described.
func TestRecycleAfterTheSink(t *testing.T) {
	var steps []step
	for i := range 40 {
		name := fmt.Sprintf("f%02d.pdf", i)
		steps = append(steps, step{name, func() ([]byte, error) { return []byte(strings.Repeat(name, 50)), nil },
			func(b []byte) { copy(b, bytes.Repeat([]byte("X"), len(b))) }})
	}
	var mu sync.Mutex
	written := map[string]string{}
	put := func(o Output) error {
		mu.Lock()
		defer mu.Unlock()
		written[o.Name] = string(o.Data)
		return nil
	}
	files, err := run(steps, 4, func(o Output) manifest.File { return manifest.Digest(o.Name, o.Data) }, put)
	require.NoError(t, err)
	require.Len(t, written, len(steps))
	for _, f := range files {
		want := strings.Repeat(f.Name, 50)
		assert.Equal(t, want, written[f.Name], "what the sink wrote")
		assert.Equal(t, manifest.Digest(f.Name, []byte(want)).SHA256, f.entry.SHA256, "what the manifest says")
		assert.Nil(t, f.Data, "the bytes are let go")
	}
}
