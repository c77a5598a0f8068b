package importers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/require"
)

// wholeFile reads a CSV file the way every file was read before streaming
// (and every file that is not plain still is): whole, by scanCSV.
func wholeFile(kind, name string, data []byte) *parsed {
	p := &parsed{in: &payout.Inputs{Policy: payout.DefaultPolicy()}, kind: kind}
	tp := newTableParser(specFor(kind), &p.errs, strings.Count(string(data), "\n")+1)
	sum := sha256.Sum256(data)
	file := payout.InputFile{Name: name, Kind: payout.FileKind(kind), SHA256: hex.EncodeToString(sum[:])}
	t := scanCSV(name, data, &p.errs, tp)
	if t != nil {
		tp.in.Policy = p.in.Policy
		p.in, p.cols, p.complete = tp.in, tp.idx, t.lost == 0
		p.spec = checkFile(p.in, &p.errs)
		file.Rows = t.nrows
	}
	p.in.Files = []payout.InputFile{file}
	return p
}

// randomCSV is a list_counts or absences file made of good rows and the
// troubles a reader must get right: blank and "\r\n" lines, a BOM, ';'
// with decimal commas, short and long rows, bad values, duplicates, and
// now and then what only the general path reads (a quote, Latin-1, a line
// past the limit).
func randomCSV(rnd *rand.Rand) (kind string, data []byte) {
	kind = "list_counts"
	header, rows := "list_id,as_of,count,weighted_count,recorded_on", []string{
		"L1,2016-01-01,2282,,", "L1,2016-02-01,2236,12.5,2016-02-03", "L2,2016-01-01,7,,", "L2,2016-01-01,7,,",
		"L3,2016-01-15,9,,", "L4,2016-01-01,x,,", "L5,,3,,", "L6,2016-01-01,3", "L7,2016-01-01,3,,,,", " L8 ,2016-03-01, 4 ,,",
	}
	if rnd.IntN(2) == 0 {
		kind = "absences"
		header, rows = "absence_id,agreement_id,kind,from,to,cover,vikar_payee_id,recorded_on,cancelled", []string{
			"AB1,FL1,sickness,2016-01-12,2016-01-13,none,,,", "AB2,FL1,parental,2016-04-22,2016-06-16,colleagues,,,",
			"AB2,FL1,parental,2016-04-22,2016-06-16,colleagues,,,", "AB3,FL2,flu,2016-01-01,2016-01-02,none,,,",
			"AB4,FL2,sickness,2016-02-01,2016-01-02,municipal_vikar,,,", "AB5,,sickness,2016-01-01,2016-01-01,none,,,ja",
		}
	}
	var b strings.Builder
	if rnd.IntN(8) == 0 {
		b.WriteString("\uFEFF")
	}
	semi := rnd.IntN(4) == 0
	if rnd.IntN(10) != 0 {
		b.WriteString(header)
		b.WriteString("\n")
	}
	for range rnd.IntN(40) {
		switch rnd.IntN(60) {
		case 0:
			b.WriteString("\n")
		case 1:
			b.WriteString("\r\n")
		case 2:
			b.WriteString(`"L9",2016-01-01,1,,` + "\n")
		case 3:
			b.WriteString("L\xe6,2016-01-01,1,,\n")
		case 4:
			if rnd.IntN(10) == 0 {
				b.WriteString(strings.Repeat("L", maxLineBytes+rnd.IntN(3)-1) + "\n")
			}
		default:
			row := rows[rnd.IntN(len(rows))]
			if semi {
				row = strings.ReplaceAll(strings.ReplaceAll(row, ",", ";"), ".", ",")
			}
			b.WriteString(row)
			if rnd.IntN(6) == 0 {
				b.WriteString("\r")
			}
			if rnd.IntN(12) != 0 {
				b.WriteString("\n")
			}
		}
	}
	s := b.String()
	if semi {
		s = strings.Replace(s, header, strings.ReplaceAll(header, ",", ";"), 1)
	}
	return kind, []byte(s)
}

// TestStreamReadsAsWholeFile: a CSV read a piece at a time, with pieces
// of every size, gives exactly what reading it whole gives: the records,
// every problem and its message, the digest.
func TestStreamReadsAsWholeFile(t *testing.T) {
	defer func(n int) { chunkSize = n }(chunkSize)
	rnd := rand.New(rand.NewPCG(3, 4))
	dir := t.TempDir()
	for i := range 3000 {
		kind, data := randomCSV(rnd)
		name := kind + ".csv"
		want := wholeFile(kind, name, data)
		chunkSize = 1 + rnd.IntN(80)
		if i%10 == 0 {
			chunkSize = 1 << 20
		}
		got, err := readAs(kind, ".csv", name, heldSource(data))
		require.NoError(t, err)
		require.Equal(t, want, got, "%q in pieces of %d", data, chunkSize)
		if i%50 == 0 {
			path := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(path, data, 0o644))
			fromPath, err := readAs(kind, ".csv", path, source{path: path})
			require.NoError(t, err)
			require.Equal(t, want, fromPath, "%q from its path", data)
		}
	}
}

// TestStreamedFilesReadAsWhole: every CSV file of the tests, the fixtures
// and the worked examples (each kind, good and broken) read a piece at a
// time in pieces of a few bytes gives what reading it whole gives. The
// stream's cells are its buffer, which the next piece overwrites, so a
// text that a record, the header or a problem kept would show here as
// another piece's bytes.
func TestStreamedFilesReadAsWhole(t *testing.T) {
	defer func(n int) { chunkSize = n }(chunkSize)
	var paths []string
	for _, root := range []string{"testdata", filepath.Join("..", "fixtures", "oslo"), filepath.Join("..", "..", "shared", "examples")} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".csv") {
				paths = append(paths, path)
			}
			if errors.Is(err, fs.ErrNotExist) && path == root {
				return nil // no worked examples beside the checkout
			}
			return err
		})
		require.NoError(t, err)
	}
	require.Greater(t, len(paths), 60, "the test files were not found")
	kinds := map[string]bool{}
	for i, path := range paths {
		kind, _ := kindOf(filepath.Base(path))
		if kind == "" {
			continue
		}
		kinds[kind] = true
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		want := wholeFile(kind, filepath.Base(path), data)
		for _, size := range []int{1, 2 + i%7, 16 + i%50, 1 << 20} {
			chunkSize = size
			got, err := readAs(kind, ".csv", filepath.Base(path), heldSource(data))
			require.NoError(t, err)
			require.Equal(t, want, got, "%s in pieces of %d", path, size)
		}
	}
	require.Subset(t, keys(kinds), Kinds(), "a kind has no CSV file to read in pieces")
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// FuzzStreamIsWhole: any CSV of any kind read a piece at a time, in pieces
// of any size, gives what reading it whole gives (records, problems,
// digest), so no text the stream's buffer held survives into them. The
// fuzzer calls the target one input at a time in each process, so it may
// set chunkSize.
func FuzzStreamIsWhole(f *testing.F) {
	kinds, data := seeds(f, ".csv")
	for i := range kinds {
		f.Add(kinds[i], uint16(1+i%61), data[i])
	}
	f.Fuzz(func(t *testing.T, k uint8, size uint16, data []byte) {
		defer func(n int) { chunkSize = n }(chunkSize)
		kind := Kinds()[int(k)%len(Kinds())]
		if specFor(kind) == nil {
			return // policy.json: not a CSV
		}
		want := wholeFile(kind, kind+".csv", data)
		chunkSize = 1 + int(size)
		got, err := readAs(kind, ".csv", kind+".csv", heldSource(data))
		require.NoError(t, err)
		require.Equal(t, want, got, "in pieces of %d", chunkSize)
	})
}
