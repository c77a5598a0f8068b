// Package bundle renders and writes one period's output folder
// (FORMATS.md "Outputs"): DIR/YYYY-MM/ with lines.csv, adjustments.csv,
// payments.csv, report.xlsx (with the run's voucher, Bilag), one
// bydel-NN.xlsx per district present, statements/ with one PDF per payee
// (statements/P00002-2022-12.pdf), and once released payments.xml and the
// general-ledger journal journal.csv; manifest.json last.
//
// The contract:
//   - Render is pure: the same Result, Inputs and release record give the
//     same bytes for every file, manifest included. Write and `payout verify`
//     both call it, so verify compares exactly what a run wrote.
//   - Write is all or nothing: every file goes to a temporary name in the
//     same folder (written in parallel, a run's as soon as it is rendered;
//     a file already in place with the same bytes is left; a statements
//     folder not there yet is written whole under a temporary name), all
//     are made durable (one syncfs of the file system on Linux 5.8 and
//     later, else an fsync each), and only then are they renamed into
//     place, mode 0600, with manifest.json renamed last (and the old
//     manifest removed first), and the folders synced. A folder with a
//     manifest is complete; a crash leaves the old state or no manifest,
//     never a half-written file.
//   - A folder holding payments.xml belongs to a released run, which is never
//     changed: Write without a release record refuses it (ErrReleased).
//   - The journal is built on every run (so a district without an ansvar or
//     a missing account fails the run, long before a release) and shown in
//     report.xlsx; journal.csv, the file an ERP imports, is written only for
//     a release, so that no unreleased voucher can be booked by mistake.
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
	"github.com/oslokommune/payout/exporters/journal"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/exporters/statement"
	"github.com/oslokommune/payout/payout"
)

// The fixed file names of the folder.
const (
	LinesCSV       = "lines.csv"
	AdjustmentsCSV = "adjustments.csv"
	ClaimsCSV      = "claims.csv"
	PaymentsCSV    = "payments.csv"
	PaymentsXML    = "payments.xml"
	JournalCSV     = "journal.csv"
	ManifestJSON   = "manifest.json"
	// StatementsDir is the folder of the payees' statements; their names in
	// the bundle (and the manifest) are "statements/P00002-2022-12.pdf".
	StatementsDir = "statements"
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
	// recycle, when not nil, takes back the bytes render made once the
	// sink has written them (nothing else holds them then).
	recycle func([]byte)
}

// Render renders every file of the period's folder. The files are rendered
// in parallel on up to GOMAXPROCS goroutines, report.xlsx (the largest)
// first; each is a pure function of the Result, so neither the bytes nor
// the error returned depend on the schedule.
func Render(res *payout.Result, in *payout.Inputs, rel *ReleaseFile) (*Bundle, error) {
	return render(res, in, rel, nil)
}

// sink takes the files as they are rendered: told every name before the
// first, then given each file (but the manifest) on the worker that
// rendered it, while the others render; the bundle rendered keeps only
// the manifest's bytes, not those the sink took. Write's sink writes
// their temporary files so.
type sink interface {
	expect(names []string) error
	put(o Output) error
}

// render is Render, handing each file to to instead when to is not nil;
// an error to returns fails the file's step.
func render(res *payout.Result, in *payout.Inputs, rel *ReleaseFile, to sink) (*Bundle, error) {
	if rel != nil && len(rel.PaymentsXML) == 0 {
		return nil, fmt.Errorf("%s: the release carries no payment file", PaymentsXML)
	}
	// The voucher and the workbooks' split of the Result by district are
	// made side by side before any step starts (both only read res).
	sets := make(chan *excel.Set, 1)
	go func() { sets <- excel.NewSet(res, in) }()
	j, err := journal.Build(res)
	set := <-sets
	if err != nil {
		return nil, err
	}
	wb := set.WithJournal(j)
	steps := []step{{excel.ReportName, wb.Report, nil}}
	for _, b := range excel.Districts(res) {
		steps = append(steps, step{excel.DistrictFileName(b), func() ([]byte, error) { return wb.District(b) }, nil})
	}
	steps = append(steps,
		step{LinesCSV, func() ([]byte, error) { return csvout.Lines(res) }, nil},
		step{PaymentsCSV, func() ([]byte, error) { return csvout.Payments(res) }, nil},
		step{AdjustmentsCSV, func() ([]byte, error) { return csvout.Adjustments(res) }, nil},
		step{ClaimsCSV, func() ([]byte, error) { return csvout.Claims(res) }, nil},
	)
	steps = append(steps, statementSteps(res, in)...)
	if rel != nil {
		steps = append(steps,
			step{PaymentsXML, func() ([]byte, error) { return rel.PaymentsXML, nil }, nil},
			step{JournalCSV, func() ([]byte, error) { return j.CSV(res.Policy.Ledger.Layout) }, nil})
	}
	var put func(Output) error
	if to != nil {
		names := make([]string, 0, len(steps)+1)
		for _, s := range steps {
			names = append(names, s.name)
		}
		if err := to.expect(append(names, ManifestJSON)); err != nil {
			return nil, err
		}
		put = to.put
	}
	// The run's digest is computed beside the files (it reads only res).
	runSHA := make(chan string, 1)
	go func() { runSHA <- payout.RunDigest(res) }()
	files, err := run(steps, runtime.GOMAXPROCS(0), func(o Output) manifest.File { return describe(o, j) }, put)
	sha := <-runSHA
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	m := newManifest(res, in, files, rel, j, sha)
	data, err := m.Marshal()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestJSON, err)
	}
	out := make([]Output, 0, len(files)+1)
	for _, f := range files {
		out = append(out, f.Output)
	}
	out = append(out, Output{Name: ManifestJSON, Data: data})
	return &Bundle{Files: out, Manifest: m}, nil
}

// statementSteps renders one statement per payee with a line, each its
// own step so that they render in parallel like the workbooks.
// The statements' index is made by the first statement step to run (while
// the other workers render workbooks), not before any step starts.
func statementSteps(res *payout.Result, in *payout.Inputs) []step {
	month := sync.OnceValue(func() *statement.Month { return statement.NewMonth(res, statement.NewDirectory(res, in)) })
	payees := statement.Payees(res)
	steps := make([]step, 0, len(payees))
	for _, id := range payees {
		steps = append(steps, step{StatementsDir + "/" + statement.FileName(id, res.Period),
			func() ([]byte, error) { return month().PDF(id) }, statement.Recycle})
	}
	return steps
}

// run renders the steps on up to workers goroutines, each taking the next
// step in order and describing what it rendered (its manifest entry: the
// digests are taken on both cores too) and handing it to put (when not
// nil), and returns the files in the steps' order. On failure it returns
// the error of the first failing step in that order, so the error does
// not depend on the schedule either.
func run(steps []step, workers int, describe func(Output) manifest.File, put func(Output) error) ([]described, error) {
	files := make([]described, len(steps))
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
				files[i].Output, errs[i] = Output{Name: steps[i].name, Data: data}, err
				if err == nil {
					files[i].entry = describe(files[i].Output)
					if put != nil {
						// The sink has written the bytes: they are let go,
						// or given back to the step for its next file.
						errs[i], files[i].Data = put(files[i].Output), nil
						if steps[i].recycle != nil {
							steps[i].recycle(data)
						}
					}
				}
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

// described is a rendered file with its manifest entry.
type described struct {
	Output
	entry manifest.File
}
