package importers

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The importers are tuned for speed (issue 6); this test pins what they
// produce. The golden file is a text dump of every field of every record
// LoadFolder returns for the Oslo demo set (one record a line, grouped by
// kind, then the warnings), so any change in what is read shows up as a
// reviewable diff. When fixtures/oslo is regenerated on purpose the test
// fails; rerun with -update-records and review the diff of the golden.

var updateRecords = flag.Bool("update-records", false, "rewrite testdata/oslo-records.txt")

const recordsGolden = "testdata/oslo-records.txt"

func TestOsloRecordsUnchanged(t *testing.T) {
	in, warnings, err := LoadFolder("../fixtures/oslo")
	require.NoError(t, err)
	got := recordsText(in, warnings)
	if *updateRecords {
		require.NoError(t, os.WriteFile(recordsGolden, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(recordsGolden)
	require.NoError(t, err)
	if string(want) != got {
		t.Fatalf("LoadFolder(fixtures/oslo) no longer returns the records of %s:\n%s\n"+
			"if fixtures/oslo changed on purpose, rerun with -update-records and review the diff", recordsGolden, firstDiff(string(want), got))
	}
}

// recordsText writes every record of in as tab-separated text: each slice
// of Inputs under a heading with its count and a header of (flattened)
// field names, one record a line; the policy and the warnings after. An
// empty cell is the field's zero value.
func recordsText(in *payout.Inputs, warnings []payout.Warning) string {
	var b strings.Builder
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Slice {
			writeTable(&b, v.Type().Field(i).Name, f)
		}
	}
	writeTable(&b, "Warnings", reflect.ValueOf(warnings))
	b.WriteString("# Policy\n")
	dumpValue(&b, reflect.ValueOf(in.Policy))
	b.WriteString("\n")
	return b.String()
}

func writeTable(b *strings.Builder, name string, rows reflect.Value) {
	fmt.Fprintf(b, "# %s %d\n%s\n", name, rows.Len(), strings.Join(columns(rows.Type().Elem(), ""), "\t"))
	for j := range rows.Len() {
		var cells []string
		cells = appendCells(cells, rows.Index(j))
		b.WriteString(strings.Join(cells, "\t"))
		b.WriteString("\n")
	}
}

// flat says whether a field of type t is written as nested columns.
func flat(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t != decimalType
}

func columns(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue // the engine's own state, never read from a file
		}
		if f.Type == sourceType {
			out = append(out, prefix+f.Name+".File", prefix+f.Name+".Sheet", prefix+f.Name+".Line")
			continue
		}
		if flat(f.Type) {
			out = append(out, columns(f.Type, prefix+f.Name+".")...)
		} else {
			out = append(out, prefix+f.Name)
		}
	}
	return out
}

func appendCells(cells []string, v reflect.Value) []string {
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case !v.Type().Field(i).IsExported():
		case f.Type() == sourceType:
			src := f.Interface().(payout.Source)
			cells = append(cells, src.File(), src.Sheet(), "")
			if src.Line() != 0 {
				cells[len(cells)-1] = strconv.Itoa(src.Line())
			}
		case flat(f.Type()):
			cells = appendCells(cells, f)
		case f.IsZero():
			cells = append(cells, "")
		case f.Type() == decimalType || f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice || f.Kind() == reflect.Map:
			var b strings.Builder
			dumpValue(&b, f)
			cells = append(cells, b.String())
		default:
			s := fmt.Sprint(f)
			if strings.ContainsAny(s, "\t\n\r\"") {
				s = strconv.Quote(s)
			}
			cells = append(cells, s)
		}
	}
	return cells
}

// firstDiff names the first line where two texts part.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, wl, gl)
		}
	}
	return ""
}

// recordsDigest is the SHA-256 of a dump of every field of v (and of the
// warnings). Decimals are written as coefficient and exponent, since
// "1234.50" and "1234.5" print alike but are different values to keep.
func recordsDigest(v ...any) string {
	h := sha256.New()
	for _, x := range v {
		dumpValue(h, reflect.ValueOf(x))
	}
	return hex.EncodeToString(h.Sum(nil))
}

var (
	decimalType = reflect.TypeOf(decimal.Decimal{})
	// sourceType is dumped by its file, sheet and line, as the fields it
	// had before it became 8 bytes.
	sourceType = reflect.TypeOf(payout.Source{})
)

func dumpValue(h io.Writer, v reflect.Value) {
	switch {
	case !v.IsValid():
		fmt.Fprint(h, "<nil>")
	case v.Type() == decimalType:
		d := v.Interface().(decimal.Decimal)
		fmt.Fprintf(h, "%se%d", d.Coefficient(), d.Exponent())
	case v.Type() == sourceType:
		src := v.Interface().(payout.Source)
		fmt.Fprintf(h, "{File:%q Sheet:%q Line:%q }", src.File(), src.Sheet(), strconv.Itoa(src.Line()))
	default:
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				fmt.Fprint(h, "<nil>")
				return
			}
			dumpValue(h, v.Elem())
		case reflect.Struct:
			fmt.Fprint(h, "{")
			for i := range v.NumField() {
				if !v.Type().Field(i).IsExported() {
					continue
				}
				fmt.Fprintf(h, "%s:", v.Type().Field(i).Name)
				dumpValue(h, v.Field(i))
				fmt.Fprint(h, " ")
			}
			fmt.Fprint(h, "}")
		case reflect.Slice, reflect.Array:
			fmt.Fprintf(h, "[%d:", v.Len())
			for i := range v.Len() {
				dumpValue(h, v.Index(i))
				fmt.Fprint(h, ",")
			}
			fmt.Fprint(h, "]")
		case reflect.Map:
			fmt.Fprintf(h, "map%v", v) // fmt sorts map keys
		default:
			fmt.Fprintf(h, "%q", fmt.Sprint(v))
		}
	}
}

// TestFolderDigests prints the digest of what LoadFolder returns for each
// folder of $PAYOUT_DIGEST_DIRS (':'-separated; the records, or the error
// text when refused), for a one-off comparison before and after a change of
// the importers on the Norway decade or on deliberately broken copies of it:
//
//	PAYOUT_DIGEST_DIRS=/tmp/norway-data go test ./importers -run FolderDigests -v
//
// $PAYOUT_DIGEST_SAVE names a folder to write each refusal's text into.
func TestFolderDigests(t *testing.T) {
	dirs := os.Getenv("PAYOUT_DIGEST_DIRS")
	if dirs == "" || testing.Short() {
		t.Skip("set PAYOUT_DIGEST_DIRS to the folders to digest")
	}
	for _, dir := range strings.Split(dirs, ":") {
		in, warnings, err := LoadFolder(dir)
		if save := os.Getenv("PAYOUT_DIGEST_SAVE"); save != "" && err != nil {
			// The full text, to diff when the digests differ.
			require.NoError(t, os.WriteFile(filepath.Join(save, filepath.Base(dir)+".errors"), []byte(err.Error()), 0o644))
		}
		if err != nil {
			sum := sha256.Sum256([]byte(err.Error()))
			t.Logf("%s: %d errors %x, %d warnings %s", dir, strings.Count(err.Error(), "\n")+1, sum, len(warnings), recordsDigest(warnings))
			continue
		}
		t.Logf("%s: records %s", dir, recordsDigest(in, warnings))
	}
}

// TestFastPathsAgree: where a fast path of values.go reads a text, the
// general parser reads the same value without complaint.
func TestFastPathsAgree(t *testing.T) {
	var texts []string
	// Every string of up to 5 characters from an alphabet of the troubles.
	alphabet := []string{"0", "1", "9", "-", ".", ",", " ", "a", "\u00a0"}
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		texts = append(texts, prefix)
		if n == 0 {
			return
		}
		for _, a := range alphabet {
			grow(prefix+a, n-1)
		}
	}
	grow("", 5)
	for _, y := range []string{"0000", "0001", "1900", "2000", "2015", "2016", "2100", "9999", "20a6", "-201"} {
		for m := -1; m <= 13; m++ {
			for d := -1; d <= 32; d++ {
				texts = append(texts, fmt.Sprintf("%s-%02d-%02d", y, m, d), fmt.Sprintf("%02d.%02d.%s", d, m, y))
			}
		}
	}
	texts = append(texts, "999999999", "1000000000", "0000000000123", "123456789.5", "-0", "-0.0", "00.10", "1234,50", "+1", "1e3")
	for _, s := range texts {
		if d, ok := plainDate(s); ok {
			want, msg := parseAnyDate(s)
			require.Empty(t, msg, s)
			require.Equal(t, want, d, s)
		}
		if n, ok := plainWhole(s); ok {
			for _, comma := range []bool{false, true} {
				want, msg := parseAnyWhole(s, comma)
				require.Empty(t, msg, s)
				require.Equal(t, want, n, s)
			}
		}
		for _, comma := range []bool{false, true} {
			if text, ok := plainDecimal(s, comma); ok {
				got, msg := toDecimal(s, text, comma)
				want, wantMsg := parseAnyDecimal(s, comma)
				require.Equal(t, wantMsg, msg, s)
				require.Equal(t, recordsDigest(want), recordsDigest(got), s)
			}
		}
		require.Equal(t, strings.TrimFunc(s, isCellSpace), trimCell(s), s)
	}
}

// TestPlainCSVAgrees: a CSV without quotes is split by hand; it must read
// exactly as encoding/csv reads it, line numbers included.
func TestPlainCSVAgrees(t *testing.T) {
	pieces := []string{"a", "bc", ",", ";", "\r", "\n", "\r\n", " ", "\u00a0", "\t", ""}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rnd.IntN(30) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		data := []byte(b.String())
		for _, comma := range []byte{',', ';'} {
			plain, quoted := &table{file: "x.csv"}, &table{file: "x.csv"}
			var errs payout.ErrorList
			splitPlainCSV(plain, data, comma, &errs, collectRows{})
			readQuotedCSV(quoted, data, rune(comma), &errs, collectRows{})
			require.Empty(t, errs)
			require.Equal(t, quoted, plain, "%q", data)
		}
	}
}
