package importers

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/oslokommune/payout/payout"
	"github.com/xuri/excelize/v2"
)

// requiredKinds must be present in a fixture folder (FORMATS.md).
var requiredKinds = []string{"agreements", "payees", "rates", "list_counts"}

// LoadFolder reads a fixture folder: each kind as NAME.csv or NAME.xlsx
// (not both), agreements, payees, rates and list_counts required, the rest
// optional, policy.json optional; other files are ignored. On any problem
// it returns nil inputs and a payout.ErrorList of every problem of every
// file, sorted. The warnings do not block.
func LoadFolder(dir string) (*payout.Inputs, []payout.Warning, error) {
	l := newLoader()
	l.addFolder(dir)
	return l.finish()
}

// LoadPaths loads folders and/or single files (the kind comes from the
// file's base name, e.g. ".../absences.xlsx"), all or nothing. Folders must
// be complete fixture folders; single files need not be.
//
// The single files are read side by side as a folder's are (readFiles:
// `payout import` gives each file of its folders apart), and merged in
// the order given, so the result is the same as one after the other.
func LoadPaths(paths []string) (*payout.Inputs, []payout.Warning, error) {
	l := newLoader()
	infos := make([]os.FileInfo, len(paths))
	errs := make([]error, len(paths))
	var files []string
	seen := map[string]bool{}
	for i, p := range paths {
		infos[i], errs[i] = os.Stat(p)
		if errs[i] == nil && !infos[i].IsDir() && !seen[p] {
			files, seen[p] = append(files, p), true
		}
	}
	read := readFiles(files)
	for i, p := range paths {
		switch fr, ok := read[p]; {
		case errs[i] != nil:
			l.errs.Add(fileErrf(payout.ErrUnreadable, p, "cannot be read: %s", plainOSError(errs[i])))
		case infos[i].IsDir():
			l.addFolder(p)
		case ok:
			delete(read, p) // a path given twice is read twice, as before
			l.merge(p, fr)
		default:
			l.addFile(p)
		}
	}
	return l.finish()
}

// ReadFile parses one file's bytes; the name decides the kind and whether
// it is CSV, XLSX or policy.json. On error it returns a payout.ErrorList.
func ReadFile(name string, data []byte) (*payout.Inputs, error) {
	p := readOne(name, heldSource(data))
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	return p.in, nil
}

// ReadStored is ReadFile for a file read from a reader as it is parsed
// (the store's StreamFunc: a file stored in pieces): size is its length,
// lines a hint of its number of lines, and open a reader of it from its
// start, called again when the file has to be read whole (one that is not
// plain CSV, or an XLSX).
func ReadStored(name string, size int64, lines int, open func() io.Reader) (*payout.Inputs, error) {
	kind, ext := kindOf(filepath.Base(name))
	p, err := readAs(kind, ext, name, source{reader: open, size: size, lines: lines})
	if err != nil {
		return nil, err // the reader's: the store could not read the file
	}
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	return p.in, nil
}

// parsed is one file read, with its problems and header, kept even when it
// has problems so that the checks between files can run.
type parsed struct {
	in   *payout.Inputs
	kind string
	errs payout.ErrorList
	cols map[string]int
	// complete: every data row became a record, so the file's IDs are all
	// known and references to them can be checked.
	complete bool
	spec     *kindSpec // the kind of the file's records; nil when it has none
}

// ReadFileAs is ReadFile for a file of a given kind whatever its name
// (list_counts_nov.csv, "list_counts (1).csv"): the extension still tells
// CSV from XLSX, and the problems name the file as it is called.
func ReadFileAs(kind, name string, data []byte) (*payout.Inputs, error) {
	if specFor(kind) == nil {
		return nil, payout.ErrorList{fileErrf(payout.ErrUnknownFile, filepath.Base(name),
			"unknown kind %s: the kinds are %s", quote(kind), strings.Join(Kinds(), ", "))}
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".xlsx" {
		ext = ".csv"
	}
	p, _ := readAs(kind, ext, name, heldSource(data)) // held bytes cannot fail to be read
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	return p.in, nil
}

// readOne reads one held file into records, never failing outright.
func readOne(name string, src source) *parsed {
	kind, ext := kindOf(filepath.Base(name))
	p, _ := readAs(kind, ext, name, src)
	return p
}

// readAs reads one file of a kind ("" when unknown) into records. Only a
// file read from its path or a reader can fail to be read (err).
func readAs(kind, ext, name string, src source) (*parsed, error) {
	base := filepath.Base(name)
	p := &parsed{in: &payout.Inputs{Policy: payout.DefaultPolicy()}}
	p.kind = kind
	if kind == "" {
		p.errs.Add(fileErrf(payout.ErrUnknownFile, base, "unknown file: the name must be one of %s, with .csv or .xlsx, or policy.json",
			strings.Join(Kinds(), ", ")))
		return p, nil
	}
	var (
		t    *table
		recs *payout.Inputs
		sum  string
	)
	switch {
	case kind == "policy" || ext == ".xlsx":
		data, err := src.all()
		if err != nil {
			return nil, err
		}
		h := sha256.Sum256(data)
		sum = hex.EncodeToString(h[:])
		if kind == "policy" {
			pol, err := payout.ParsePolicy(data)
			if err != nil {
				p.errs.Add(policyProblem(base, err))
			}
			p.in.Policy = pol
		} else if t = readXLSX(base, data, &p.errs); t != nil {
			recs, p.cols = parseTable(t, specFor(kind), &p.errs)
		}
	default:
		// CSV is parsed while it is read (stream.go). Lines bound the
		// records, to size the record slice once.
		var tp *tableParser
		var err error
		t, sum, err = readCSVSource(base, src, &p.errs, func(lines int, errs *payout.ErrorList) rowSink {
			tp = newTableParser(specFor(kind), errs, lines)
			return tp
		})
		if err != nil {
			return nil, err
		}
		if t != nil {
			recs, p.cols = tp.in, tp.idx
		}
	}
	if t == nil {
		p.in.Files = []payout.InputFile{{Name: base, Kind: payout.FileKind(kind), SHA256: sum}}
		return p, nil
	}
	recs.Policy = p.in.Policy
	p.in = recs
	p.complete = t.lost == 0
	p.spec = checkFile(p.in, &p.errs)
	p.in.Files = []payout.InputFile{{Name: base, Kind: payout.FileKind(kind), SHA256: sum, Rows: t.nrows}}
	return p, nil
}

// kindOf maps a base name to its kind and extension ("" when unknown).
// Names match case-insensitively: Windows users write Absences.XLSX.
func kindOf(base string) (kind, ext string) {
	lower := strings.ToLower(base)
	if lower == "policy.json" {
		return "policy", ".json"
	}
	ext = filepath.Ext(lower)
	if ext != ".csv" && ext != ".xlsx" {
		return "", ext
	}
	if s := specFor(strings.TrimSuffix(lower, ext)); s != nil {
		return s.name, ext
	}
	return "", ext
}

// loader merges files and runs the checks between them.
type loader struct {
	in     *payout.Inputs
	errs   payout.ErrorList
	loaded map[string]bool
	cols   map[string]map[string]int // file base name → column → index
	seen   dupIndex                  // the versions of the files added so far
}

func newLoader() *loader {
	return &loader{in: &payout.Inputs{Policy: payout.DefaultPolicy()},
		loaded: map[string]bool{}, cols: map[string]map[string]int{}, seen: newDupIndex()}
}

// addFolder adds the known files of a fixture folder.
func (l *loader) addFolder(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		l.errs.Add(fileErrf(payout.ErrUnreadable, dir, "cannot read the folder: %s", plainOSError(err)))
		return
	}
	found := map[string][]string{}
	for _, e := range entries {
		if kind, _ := kindOf(e.Name()); kind != "" && !e.IsDir() {
			found[kind] = append(found[kind], e.Name())
		}
	}
	kinds := append(Kinds(), "policy")
	var paths []string
	for _, kind := range kinds {
		if names := found[kind]; len(names) == 1 {
			paths = append(paths, filepath.Join(dir, names[0]))
		}
	}
	read := readFiles(paths)
	for _, kind := range kinds {
		names := found[kind]
		switch {
		case len(names) > 1:
			l.errs.Add(fileErrf(payout.ErrUnknownFile, dir, "both %s are present; keep only one of them", strings.Join(names, " and ")))
		case len(names) == 1:
			path := filepath.Join(dir, names[0])
			l.merge(path, read[path])
		case isRequired(kind):
			l.errs.Add(fileErrf(payout.ErrMissingFile, dir, "%s.csv (or %s.xlsx) is missing; every fixture folder needs one", kind, kind))
		}
	}
}

func isRequired(kind string) bool {
	for _, k := range requiredKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// fileRead is one file read and parsed, or why it could not be read.
type fileRead struct {
	p   *parsed
	err error
}

// readPath reads a file from its path. A file of no known kind is still
// read, so that one that cannot be is named as such.
func readPath(path string) fileRead {
	kind, ext := kindOf(filepath.Base(path))
	src := source{path: path}
	if kind == "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return fileRead{err: err}
		}
		src = heldSource(data)
	}
	p, err := readAs(kind, ext, path, src)
	if err != nil {
		return fileRead{err: err}
	}
	return fileRead{p: p}
}

// readFiles reads and parses files side by side, one per CPU, the largest
// first so that the big ones do not end up on the same CPU one after the
// other. Files are independent until merged; merging stays sequential, in
// the loader's order, so the result does not depend on which finishes first.
func readFiles(paths []string) map[string]fileRead {
	sizes := make([]int64, len(paths))
	for i, p := range paths {
		if fi, err := os.Stat(p); err == nil {
			sizes[i] = fi.Size()
		}
	}
	results := readSideBySide(sizes, func(i int) fileRead { return readPath(paths[i]) })
	read := make(map[string]fileRead, len(paths))
	for i, p := range paths {
		read[p] = results[i]
	}
	return read
}

// readSideBySide runs read for each index, one per CPU, the largest size
// first, and returns the results by index.
func readSideBySide(sizes []int64, read func(i int) fileRead) []fileRead {
	order := make([]int, len(sizes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sizes[b], sizes[a]) })
	results := make([]fileRead, len(sizes))
	next := make(chan int, len(order))
	for _, i := range order {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(order)) {
		wg.Go(func() {
			for i := range next {
				results[i] = read(i)
			}
		})
	}
	wg.Wait()
	return results
}

// Held is a file's path and the bytes read from it.
type Held struct {
	Path string
	Data []byte
}

// LoadHeld is LoadPaths of single files whose bytes the caller has read
// already, parsed from those bytes (payout import checks the bytes it
// stores, not what the file holds when it is read once more), side by
// side and merged in the order given.
func LoadHeld(files []Held) (*payout.Inputs, []payout.Warning, error) {
	l := newLoader()
	sizes := make([]int64, len(files))
	for i, f := range files {
		sizes[i] = int64(len(f.Data))
	}
	read := readSideBySide(sizes, func(i int) fileRead {
		kind, ext := kindOf(filepath.Base(files[i].Path))
		p, err := readAs(kind, ext, files[i].Path, heldSource(files[i].Data))
		return fileRead{p: p, err: err}
	})
	for i, f := range files {
		l.merge(f.Path, read[i])
	}
	return l.finish()
}

// addFile reads one file and merges it.
func (l *loader) addFile(path string) {
	l.merge(path, readPath(path))
}

// merge adds a file read to the loaded inputs.
func (l *loader) merge(path string, fr fileRead) {
	if fr.err != nil {
		l.errs.Add(fileErrf(payout.ErrUnreadable, filepath.Base(path), "cannot be read: %s", plainOSError(fr.err)))
		return
	}
	p := fr.p
	l.errs = append(l.errs, p.errs...)
	if p.kind == "" {
		return
	}
	l.loaded[p.kind] = p.complete || l.loaded[p.kind]
	l.cols[filepath.Base(path)] = p.cols
	l.seen.add(l.in, p.in, p.spec, &l.errs)
	adoptRecords(l.in, p.in)
	l.in.Append(p.in)
}

// adoptRecords moves o's records into in where in has none of that kind
// yet, so that Append need not copy them (a million list counts); Append
// then adds the rest, and the files and policy, as always.
func adoptRecords(in, o *payout.Inputs) {
	for _, k := range payout.RecordKinds {
		k.Adopt(in, o)
	}
}

// finish runs the checks between files and returns all or nothing.
func (l *loader) finish() (*payout.Inputs, []payout.Warning, error) {
	checkReferences(l.in, l.loaded, l.cellOf, &l.errs)
	warnings := orphanLists(l.in, l.loaded)
	if len(l.errs) > 0 {
		l.errs.Sort()
		return nil, warnings, l.errs
	}
	sort.SliceStable(l.in.Files, func(i, j int) bool { return l.in.Files[i].Name < l.in.Files[j].Name })
	return l.in, warnings, nil
}

// cellOf is the workbook cell of a column in a record's row ("" for CSV).
func (l *loader) cellOf(src payout.Source, column string) string {
	i, ok := l.cols[src.File()][column]
	if src.Sheet() == "" || !ok {
		return ""
	}
	ref, _ := excelize.CoordinatesToCellName(i+1, src.Line())
	return ref
}

// plainOSError drops the path that os errors repeat.
func plainOSError(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// policyProblem is policy.json's problem placed as any input's is: its
// line, the parameter in the place of a column name, and the column of
// the character in the message.
func policyProblem(base string, err error) *payout.InputError {
	var pe *payout.PolicyError
	if !errors.As(err, &pe) || pe.Line == 0 {
		return fileErrf(payout.ErrPolicy, base, "%v; see the policy names in RULEBOOK.md", err)
	}
	e := fileErrf(payout.ErrPolicy, base, "column %d: %v; see the policy names in RULEBOOK.md", pe.Column, pe.Text)
	e.Line, e.Column = pe.Line, pe.Param
	return e
}
