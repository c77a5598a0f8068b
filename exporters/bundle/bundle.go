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
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/oslokommune/payout/exporters/csvout"
	"github.com/oslokommune/payout/exporters/excel"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/payout"
)

// The fixed file names of the folder.
const (
	LinesCSV       = "lines.csv"
	AdjustmentsCSV = "adjustments.csv"
	ClaimsCSV      = "claims.csv"
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

// step renders one file.
type step struct {
	name   string
	render func() ([]byte, error)
}

// Render renders every file of the period's folder. The files are rendered
// in parallel on up to GOMAXPROCS goroutines, report.xlsx (the largest)
// first; each is a pure function of the Result, so neither the bytes nor
// the error returned depend on the schedule.
func Render(res *payout.Result, in *payout.Inputs, rel *ReleaseFile) (*Bundle, error) {
	if rel != nil && len(rel.PaymentsXML) == 0 {
		return nil, fmt.Errorf("%s: the release carries no payment file", PaymentsXML)
	}
	wb := excel.NewSet(res, in)
	steps := []step{{excel.ReportName, wb.Report}}
	for _, b := range excel.Districts(res) {
		steps = append(steps, step{excel.DistrictFileName(b), func() ([]byte, error) { return wb.District(b) }})
	}
	steps = append(steps,
		step{LinesCSV, func() ([]byte, error) { return csvout.Lines(res) }},
		step{PaymentsCSV, func() ([]byte, error) { return csvout.Payments(res) }},
		step{AdjustmentsCSV, func() ([]byte, error) { return csvout.Adjustments(res) }},
		step{ClaimsCSV, func() ([]byte, error) { return csvout.Claims(res) }},
	)
	if rel != nil {
		steps = append(steps, step{PaymentsXML, func() ([]byte, error) { return rel.PaymentsXML, nil }})
	}
	files, err := run(steps, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
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

// run renders the steps on up to workers goroutines, each taking the next
// step in order, and returns the files in the steps' order. On failure it
// returns the error of the first failing step in that order, so the error
// does not depend on the schedule either.
func run(steps []step, workers int) ([]Output, error) {
	files := make([]Output, len(steps))
	errs := make([]error, len(steps))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, len(steps))) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(steps) {
					return
				}
				data, err := steps[i].render()
				files[i], errs[i] = Output{Name: steps[i].name, Data: data}, err
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", steps[i].name, err)
		}
	}
	return files, nil
}
