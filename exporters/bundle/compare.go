package bundle

import (
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/oslokommune/payout/exporters/excel"
	"github.com/oslokommune/payout/exporters/manifest"
)

// maxDetail caps the differing lines or cells reported per file.
const maxDetail = 3

// Difference is one file of a period's folder that is not what a re-run
// gives: missing, extra, different bytes, or a digest that does not match
// the manifest. Detail names the first differing lines (CSV, JSON, XML) or
// cells (workbooks).
type Difference struct {
	Name    string
	Problem string
	Detail  []string
}

func (d Difference) String() string {
	s := d.Name + ": " + d.Problem
	for _, l := range d.Detail {
		s += "\n  " + l
	}
	return s
}

// Compare checks the folder dir against a fresh rendering: every file
// byte for byte, every file against the digest the recorded manifest holds,
// the recorded input digests against those of the inputs now, and no file
// in the folder that neither names. It returns the differences sorted by
// file name; none means identical.
func Compare(dir string, fresh *Bundle, recorded *manifest.Manifest) []Difference {
	var diffs []Difference
	diffs = append(diffs, compareInputs(recorded, fresh.Manifest)...)
	// release.sig is checked by the caller against the release's statement.
	named := map[string]bool{ManifestJSON: true, ReleaseSig: true}
	for _, f := range recorded.Outputs {
		named[f.Name] = true
	}
	for _, f := range fresh.Files {
		named[f.Name] = true
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Name)))
		if errors.Is(err, os.ErrNotExist) {
			diffs = append(diffs, Difference{Name: f.Name, Problem: "missing from the folder"})
			continue
		} else if err != nil {
			diffs = append(diffs, Difference{Name: f.Name, Problem: err.Error()})
			continue
		}
		if OlderFormat(recorded, fresh.Manifest) {
			diffs = append(diffs, compareOlder(f, got, recorded, fresh.Manifest)...)
			continue
		}
		diffs = append(diffs, compareFile(f, got, recorded)...)
	}
	for _, f := range recorded.Outputs {
		if fresh.File(f.Name) == nil {
			diffs = append(diffs, Difference{Name: f.Name, Problem: "in the manifest, but the re-run does not produce it"})
		}
	}
	diffs = append(diffs, strayFiles(dir, named)...)
	sort.SliceStable(diffs, func(i, j int) bool { return diffs[i].Name < diffs[j].Name })
	return diffs
}

// OlderFormat reports whether the folder's manifest was written by an
// older format version (excel.FormatVersion) than the re-run's.
func OlderFormat(recorded, fresh *manifest.Manifest) bool {
	return recorded.Format() < fresh.Format()
}

// compareOlder compares one file of a folder written by an older format
// version (issue 16): workbooks by the numbers of every cell (amounts,
// counts, days, dates), the manifest as the re-run's with the folder's
// format version and workbook digests, every other file byte for byte.
// The folder's own files must still match its manifest's digests.
func compareOlder(f Output, got []byte, recorded, fresh *manifest.Manifest) []Difference {
	if !strings.HasSuffix(f.Name, ".xlsx") && f.Name != ManifestJSON {
		return compareFile(f, got, recorded)
	}
	var diffs []Difference
	if f.Name == ManifestJSON {
		want, err := asOlderFormat(fresh, recorded).Marshal()
		if err != nil {
			return []Difference{{Name: f.Name, Problem: err.Error()}}
		}
		if !bytes.Equal(got, want) {
			diffs = append(diffs, Difference{Name: f.Name, Problem: "differs from the re-run (workbook digests aside)", Detail: lineDiff(got, want)})
		}
		return diffs
	}
	if detail := numberDiffs(got, f.Data); len(detail) > 0 {
		diffs = append(diffs, Difference{Name: f.Name, Problem: "its numbers differ from the re-run's", Detail: detail})
	}
	return append(diffs, digestDiffs(f.Name, got, recorded)...)
}

// asOlderFormat is the re-run's manifest as the older format wrote it:
// its format version and the workbooks' digests the folder's manifest
// records; everything else (amounts, controls, inputs, the other files'
// digests) is the re-run's.
func asOlderFormat(fresh, recorded *manifest.Manifest) *manifest.Manifest {
	m := *fresh
	m.FormatVersion = recorded.FormatVersion
	m.Outputs = append([]manifest.File(nil), fresh.Outputs...)
	for i, o := range m.Outputs {
		if rec := recorded.Output(o.Name); rec != nil && strings.HasSuffix(o.Name, ".xlsx") {
			m.Outputs[i] = *rec
		}
	}
	return &m
}

// numberDiffs names the numeric cells of the folder's workbook that the
// re-run's lacks or holds another value in: "Linjer!Z2: folder 36767.74,
// re-run 36667.74".
func numberDiffs(got, want []byte) []string {
	g, err := excel.Numbers(got)
	if err != nil {
		return []string{"the folder's workbook cannot be read: " + err.Error()}
	}
	w, err := excel.Numbers(want)
	if err != nil {
		return []string{"the re-run's workbook cannot be read: " + err.Error()}
	}
	var out []string
	for _, sheet := range sortedKeys(g) {
		ws, ok := w[sheet]
		if !ok {
			return append(out, "sheet "+sheet+" is not in the re-run's workbook")
		}
		for _, ref := range sortedKeys(g[sheet]) {
			if v := g[sheet][ref]; ws[ref] != v {
				out = append(out, fmt.Sprintf("%s!%s: folder %s, re-run %s", sheet, ref, v, show(ws[ref])))
				if len(out) == maxDetail {
					return out
				}
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// compareFile compares one file's bytes on disk with the fresh rendering
// and with the recorded digest.
func compareFile(f Output, got []byte, recorded *manifest.Manifest) []Difference {
	var diffs []Difference
	if !bytes.Equal(got, f.Data) {
		diffs = append(diffs, Difference{Name: f.Name, Problem: "differs from the re-run", Detail: explain(f.Name, got, f.Data)})
	}
	if f.Name == ManifestJSON {
		return diffs
	}
	return append(diffs, digestDiffs(f.Name, got, recorded)...)
}

// digestDiffs checks a file of the folder against the digest its
// manifest records.
func digestDiffs(name string, got []byte, recorded *manifest.Manifest) []Difference {
	rec, disk := recorded.Output(name), manifest.Digest(name, got)
	switch {
	case rec == nil:
		return []Difference{{Name: name, Problem: "not listed in the manifest"}}
	case rec.SHA256 != disk.SHA256:
		return []Difference{{Name: name, Problem: fmt.Sprintf("SHA-256 %s does not match the manifest's %s", disk.SHA256, rec.SHA256)}}
	}
	return nil
}

// compareInputs reports input files whose digest changed since the run, or
// that appeared or disappeared. A store's run may read several files of
// one name (a folder, then later list_counts.csv files): inputs are
// compared as name and digest pairs, and a name held once on each side
// with another digest is reported as changed.
func compareInputs(recorded, fresh *manifest.Manifest) []Difference {
	count := func(files []manifest.File) map[manifest.File]int {
		m := map[manifest.File]int{}
		for _, f := range files {
			m[manifest.File{Name: f.Name, SHA256: f.SHA256}]++
		}
		return m
	}
	now := count(fresh.Inputs)
	var gone, added []manifest.File
	for _, f := range recorded.Inputs {
		k := manifest.File{Name: f.Name, SHA256: f.SHA256}
		if now[k] > 0 {
			now[k]--
			continue
		}
		gone = append(gone, k)
	}
	for _, f := range fresh.Inputs {
		k := manifest.File{Name: f.Name, SHA256: f.SHA256}
		if now[k] > 0 {
			now[k]--
			added = append(added, k)
		}
	}
	var diffs []Difference
	for _, g := range gone {
		if i := onlyOne(added, g.Name); i >= 0 && onlyOne(gone, g.Name) >= 0 {
			diffs = append(diffs, Difference{Name: "input " + g.Name, Problem: fmt.Sprintf("SHA-256 %s, the manifest recorded %s", added[i].SHA256, g.SHA256)})
			added = append(added[:i], added[i+1:]...)
			continue
		}
		diffs = append(diffs, Difference{Name: "input " + g.Name, Problem: fmt.Sprintf("no longer among the fixtures (SHA-256 %s)", g.SHA256)})
	}
	for _, a := range added {
		diffs = append(diffs, Difference{Name: "input " + a.Name, Problem: fmt.Sprintf("not among the inputs the manifest recorded (SHA-256 %s)", a.SHA256)})
	}
	return diffs
}

// onlyOne returns the index of the one file called name in files, or −1
// when there is none or more than one.
func onlyOne(files []manifest.File, name string) int {
	at := -1
	for i, f := range files {
		if f.Name == name {
			if at >= 0 {
				return -1
			}
			at = i
		}
	}
	return at
}

// strayFiles reports files in the folder and its statements folder that
// neither the manifest nor the re-run names (a hidden temporary file left
// by a crash included).
func strayFiles(dir string, named map[string]bool) []Difference {
	diffs := strayIn(dir, "", named)
	if fi, err := os.Stat(filepath.Join(dir, StatementsDir)); err == nil && fi.IsDir() {
		diffs = append(diffs, strayIn(filepath.Join(dir, StatementsDir), StatementsDir+"/", named)...)
	}
	return diffs
}

func strayIn(dir, prefix string, named map[string]bool) []Difference {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return []Difference{{Name: dir, Problem: err.Error()}}
	}
	var diffs []Difference
	for _, e := range entries {
		if name := prefix + e.Name(); !e.IsDir() && !named[name] {
			diffs = append(diffs, Difference{Name: name, Problem: "in the folder, but neither the manifest nor the re-run has it"})
		}
	}
	return diffs
}

// explain names the first differences: cells for workbooks, lines for text.
func explain(name string, got, want []byte) []string {
	if strings.HasSuffix(name, ".xlsx") {
		return workbookDiff(got, want)
	}
	return lineDiff(got, want)
}

func lineDiff(got, want []byte) []string {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	var out []string
	for i := 0; i < len(g) || i < len(w); i++ {
		gl, wl := at(g, i), at(w, i)
		if gl == wl {
			continue
		}
		out = append(out, fmt.Sprintf("line %d: folder %q, re-run %q", i+1, gl, wl))
		if len(out) == maxDetail {
			break
		}
	}
	return out
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "<none>"
}

// workbookDiff compares the sheets' dumps (values and number formats) and
// names the first differing cells; when those agree the difference is in
// the workbook's structure or properties.
func workbookDiff(got, want []byte) []string {
	gd, err := excel.Dump(got)
	if err != nil {
		return []string{"the folder's workbook cannot be read: " + err.Error()}
	}
	wd, err := excel.Dump(want)
	if err != nil {
		return []string{"the re-run's workbook cannot be read: " + err.Error()}
	}
	var out []string
	for i := 0; i < len(gd) || i < len(wd); i++ {
		if i >= len(gd) || i >= len(wd) || gd[i].Name != wd[i].Name {
			return append(out, "the sheets differ: folder "+sheetNames(gd)+", re-run "+sheetNames(wd))
		}
		for _, d := range cellDiffs(gd[i], wd[i]) {
			out = append(out, d)
			if len(out) == maxDetail {
				return out
			}
		}
	}
	if len(out) == 0 {
		out = append(out, "same cell values and formats; the difference is in the workbook's structure or properties")
	}
	return out
}

func sheetNames(d []excel.SheetDump) string {
	var n []string
	for _, s := range d {
		n = append(n, s.Name)
	}
	return strings.Join(n, ", ")
}

// cellDiffs names the cells whose value or format differ, in dump order:
// "Linjer!Z2: folder 36767.74, re-run 36667.74".
func cellDiffs(got, want excel.SheetDump) []string {
	g, gOrder := cells(got.CSV)
	w, wOrder := cells(want.CSV)
	var out []string
	seen := map[string]bool{}
	for _, ref := range append(wOrder, gOrder...) {
		if seen[ref] {
			continue
		}
		seen[ref] = true
		if g[ref] != w[ref] {
			out = append(out, fmt.Sprintf("%s!%s: folder %s, re-run %s", want.Name, ref, show(g[ref]), show(w[ref])))
		}
	}
	return out
}

// cells parses a sheet dump into cell → "value [format weight]".
func cells(dump []byte) (map[string]string, []string) {
	r := stdcsv.NewReader(bytes.NewReader(dump))
	r.FieldsPerRecord = -1 // the view line is shorter than the cell lines
	rows, _ := r.ReadAll()
	m := map[string]string{}
	var order []string
	for _, row := range rows {
		if len(row) < 2 || row[0] == "cell" {
			continue
		}
		ref := row[0]
		if ref == "#" {
			ref = "(view)"
		}
		m[ref] = strings.TrimSpace(strings.Join(row[1:], " "))
		order = append(order, ref)
	}
	return m, order
}

func show(s string) string {
	if s == "" {
		return "(empty)"
	}
	return s
}
