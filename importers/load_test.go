package importers

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadFolderValid(t *testing.T) {
	in, warnings, err := LoadFolder("testdata/valid")
	require.NoError(t, err)
	assert.Empty(t, warnings)

	// Normalisation while parsing.
	assert.Equal(t, "15030100007", in.Payees[0].Account)
	assert.Equal(t, "15030200001", in.Payees[1].Account)
	assert.Equal(t, "910007866", in.Payees[0].OrgNr)
	a1 := in.Agreements[0]
	assert.Equal(t, payout.Forever, a1.ValidTo)
	assert.Equal(t, payout.Beginning, a1.RecordedOn)
	assert.True(t, a1.SharePercent.Equal(decimal.NewFromInt(100)), a1.SharePercent.String())
	assert.Equal(t, payout.NewSource("agreements.csv", "", 2), a1.Src)
	assert.Equal(t, payout.MustDate("2025-12-31"), in.Agreements[1].ValidTo)
	assert.Equal(t, payout.MustDate("2024-06-01"), in.Agreements[1].RecordedOn)
	assert.Equal(t, "HEL", in.Agreements[3].Bydel)
	assert.Equal(t, payout.NoDate, in.Agreements[4].BirthDate)
	assert.Equal(t, "50", in.Agreements[4].HjemmelPercent.String())
	assert.Equal(t, 1, in.Rates[0].TierFrom)
	assert.Equal(t, 1001, in.Rates[2].TierFrom)
	assert.True(t, in.ListCounts[2].HasWeighted)
	assert.Equal(t, "2500.5", in.ListCounts[2].Weighted.String())
	assert.False(t, in.ListCounts[0].HasWeighted)
	assert.True(t, in.Absences[1].Cancelled)
	assert.Equal(t, payout.CoverMunicipalVikar, in.Absences[2].Cover)
	assert.Equal(t, payout.MustPeriod("2015-02"), in.Breaches[0].WithholdFrom)
	assert.Equal(t, payout.MustDate("2015-04-10"), in.Breaches[1].RectifiedOn)
	assert.True(t, in.Caregivers[0].ChronicOrDisabled)
	assert.Equal(t, "100", in.Takeovers[0].SharePercent.String())
	assert.Equal(t, 24, in.Policy.RetroWindowMonths)

	// One entry per file, sorted by name, with the digest of the raw bytes.
	var names []string
	for _, f := range in.Files {
		names = append(names, f.Name)
		data, err := os.ReadFile(filepath.Join("testdata/valid", f.Name))
		require.NoError(t, err)
		sum := sha256.Sum256(data)
		assert.Equal(t, hex.EncodeToString(sum[:]), f.SHA256, f.Name)
	}
	assert.Equal(t, []string{"absences.csv", "agreements.csv", "breaches.csv", "caregivers.csv",
		"list_counts.csv", "payees.csv", "policy.json", "rates.csv", "takeovers.csv"}, names)
	assert.Equal(t, payout.InputFile{Name: "agreements.csv", Kind: "agreements", SHA256: in.Files[1].SHA256, Rows: 5}, in.Files[1])
}

func TestKinds(t *testing.T) {
	assert.Equal(t, []string{"agreements", "payees", "rates", "list_counts", "absences", "caregivers", "breaches", "takeovers"}, Kinds())
}

// TestLoadPaths: single files need not form a complete folder, references
// are checked only against kinds that were loaded, and it is all or nothing.
func TestLoadPaths(t *testing.T) {
	in, _, err := LoadPaths([]string{"testdata/valid/absences.csv"})
	require.NoError(t, err)
	assert.Len(t, in.Absences, 4)

	in, _, err = LoadPaths([]string{"testdata/valid/absences.csv", "testdata/valid/agreements.csv", "testdata/valid/payees.csv"})
	require.NoError(t, err)
	assert.Len(t, in.Agreements, 5)

	in, _, err = LoadPaths([]string{"testdata/valid", "testdata/valid/absences.csv"})
	assert.Nil(t, in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "absences.csv:2: duplicate version")

	in, _, err = LoadPaths([]string{"testdata/valid/absences.csv", "testdata/nope.csv"})
	assert.Nil(t, in)
	assert.EqualError(t, err, "testdata/nope.csv: cannot be read: no such file or directory")
}

// TestDuplicatesAcrossFiles: a version repeated by a later file of its
// kind names the earliest file that has it (there, its last version);
// repeats within a file name their own file's line. Pinned from the
// loader that indexed every file as it came.
func TestDuplicatesAcrossFiles(t *testing.T) {
	var paths []string
	for _, body := range []string{
		"K,2015-03-01,1\nK,2015-03-01,2\nM,2015-03-01,1\n",
		"J,2015-03-01,1\nK,2015-03-01,1\nJ,2015-03-01,3\nN,2015-03-01,1\n",
		"N,2015-03-01,1\nJ,2015-03-01,1\nK,2015-03-01,1\nM,2015-03-01,1\nM,2015-04-01,1\n",
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "list_counts.csv")
		require.NoError(t, os.WriteFile(path, []byte("list_id,as_of,count\n"+body), 0o644))
		paths = append(paths, path)
	}
	_, _, err := LoadPaths(paths)
	const dup = ": duplicate version: list_id %s, as_of 2015-03-01 with recorded_on (empty) is already at %s; give the newer version a later recorded_on, or delete one"
	var want []string
	for _, w := range [][3]string{
		{"2", "N", "list_counts.csv line 5"}, {"3", "K", "line 2"}, {"3", "K", "list_counts.csv line 3"}, {"3", "J", "list_counts.csv line 4"},
		{"4", "J", "line 2"}, {"4", "K", "list_counts.csv line 3"}, {"5", "M", "list_counts.csv line 4"},
	} {
		want = append(want, "list_counts.csv:"+w[0]+fmt.Sprintf(dup, w[1], w[2]))
	}
	require.Error(t, err)
	assert.Equal(t, strings.Join(want, "\n"), err.Error())
}

func TestOrphanListWarning(t *testing.T) {
	dir := overlay(t, map[string]string{"list_counts.csv": "list_id,as_of,count\nL1,2015-03-01,1200\nL9,2015-03-01,10\nL9,2015-04-01,10\n"})
	in, warnings, err := LoadFolder(dir)
	require.NoError(t, err)
	require.NotNil(t, in)
	assert.Equal(t, []payout.Warning{{Code: "W-LIST-ORPHAN",
		Msg: "list_counts.csv:3: list L9 is held by no agreement; its counts are not used (check the list_id)"}}, warnings)
}

// removed marks a file that overlay deletes.
const removed = "\x00removed"

// overlay copies testdata/valid to a temporary folder and writes files over
// it (content removed deletes the file).
func overlay(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("testdata/valid")
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata/valid", e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644))
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if content == removed {
			require.NoError(t, os.Remove(path))
			continue
		}
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	return dir
}

// TestLoadHeldIsLoadPaths: single files parsed from the bytes the caller
// read give what LoadPaths gives reading them: records, warnings and every
// problem, good files and broken ones, one kind or several, a kind twice.
func TestLoadHeldIsLoadPaths(t *testing.T) {
	valid, err := filepath.Glob("testdata/valid/*")
	require.NoError(t, err)
	broken, err := filepath.Glob("testdata/broken/*/*.csv")
	require.NoError(t, err)
	sets := [][]string{valid, {"testdata/valid/absences.csv"}, {"testdata/valid/absences.csv", "testdata/valid/absences.csv"}}
	for _, b := range broken {
		sets = append(sets, append(slices.Clone(valid[:3]), b))
	}
	for _, paths := range sets {
		var held []Held
		for _, p := range paths {
			data, err := os.ReadFile(p)
			require.NoError(t, err)
			held = append(held, Held{Path: p, Data: data})
		}
		wantIn, wantWarns, wantErr := LoadPaths(paths)
		in, warns, err := LoadHeld(held)
		require.Equal(t, wantIn, in, "%v", paths)
		require.Equal(t, wantWarns, warns, "%v", paths)
		require.Equal(t, wantErr, err, "%v", paths)
	}
}
