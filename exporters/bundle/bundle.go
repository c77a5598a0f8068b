// Package bundle renders and writes one period's output folder
// (FORMATS.md "Outputs"): DIR/YYYY-MM/ with lines.csv, adjustments.csv,
// payments.csv, report.xlsx, one bydel-NN.xlsx per district present,
// payments.xml once released, and manifest.json.
//
// The contract:
//   - Render is pure: the same Result, Inputs and release record give the
//     same bytes for every file, manifest included. Write and `payout verify`
//     both call it, so verify compares exactly what a run wrote.
//   - Write is all or nothing: every file goes to a temporary name in the
//     same folder, is synced, and only when all are written are they renamed
//     into place, mode 0600, with manifest.json renamed last (and the old
//     manifest removed first). A folder with a manifest is complete; a crash
//     leaves the old state or no manifest, never a half-written file.
//   - A folder holding payments.xml belongs to a released run, which is never
//     changed: Write without a release record refuses it (ErrReleased).
package bundle

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/oslokommune/payout/exporters/csv"
	"github.com/oslokommune/payout/exporters/excel"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/payout"
)

// The fixed file names of the folder.
const (
	LinesCSV       = "lines.csv"
	AdjustmentsCSV = "adjustments.csv"
	PaymentsCSV    = "payments.csv"
	PaymentsXML    = "payments.xml"
	ManifestJSON   = "manifest.json"
)

// ErrReleased: the folder holds a released run's payment file and may not be
// overwritten by an unreleased one (RULEBOOK §8, DESIGN.md lifecycle).
var ErrReleased = errors.New("period already released")

// ReleaseFile is what a release adds: the record the store keeps and the
// payment file built from it.
type ReleaseFile struct {
	Record      manifest.Release
	PaymentsXML []byte
}

// Output is one file of the folder.
type Output struct {
	Name string
	Data []byte
}

// Bundle is a rendered folder: the files sorted by name with manifest.json
// last, and the manifest they end with.
type Bundle struct {
	Files    []Output
	Manifest *manifest.Manifest
}

// File returns the named output, or nil.
func (b *Bundle) File(name string) *Output {
	for i := range b.Files {
		if b.Files[i].Name == name {
			return &b.Files[i]
		}
	}
	return nil
}

// Dir is the period's folder under outDir.
func Dir(outDir string, p payout.Period) string { return filepath.Join(outDir, p.String()) }

// Render renders every file of the period's folder.
func Render(res *payout.Result, in *payout.Inputs, rel *ReleaseFile) (*Bundle, error) {
	var files []Output
	add := func(name string, render func() ([]byte, error)) error {
		data, err := render()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		files = append(files, Output{Name: name, Data: data})
		return nil
	}
	steps := []struct {
		name   string
		render func() ([]byte, error)
	}{
		{LinesCSV, func() ([]byte, error) { return csv.Lines(res) }},
		{AdjustmentsCSV, func() ([]byte, error) { return csv.Adjustments(res) }},
		{PaymentsCSV, func() ([]byte, error) { return csv.Payments(res) }},
		{excel.ReportName, func() ([]byte, error) { return excel.Report(res, in) }},
	}
	for _, b := range excel.Districts(res) {
		steps = append(steps, struct {
			name   string
			render func() ([]byte, error)
		}{excel.DistrictFileName(b), func() ([]byte, error) { return excel.District(res, in, b) }})
	}
	if rel != nil {
		if len(rel.PaymentsXML) == 0 {
			return nil, fmt.Errorf("%s: the release carries no payment file", PaymentsXML)
		}
		steps = append(steps, struct {
			name   string
			render func() ([]byte, error)
		}{PaymentsXML, func() ([]byte, error) { return rel.PaymentsXML, nil }})
	}
	for _, s := range steps {
		if err := add(s.name, s.render); err != nil {
			return nil, err
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	m := newManifest(res, in, files, rel)
	data, err := m.Marshal()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestJSON, err)
	}
	files = append(files, Output{Name: ManifestJSON, Data: data})
	return &Bundle{Files: files, Manifest: m}, nil
}
