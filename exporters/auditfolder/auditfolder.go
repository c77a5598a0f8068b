// Package auditfolder writes the auditor's package of one stored run
// (payout export): a fixture folder (FORMATS.md) holding exactly the input
// versions the run read, one CSV file per kind with every version, its
// recorded_on and its import (the store's import sequence), the policy, and
// knowledge.json, which says what the store knew: the as-of date and
// knowledge of the run and of the released runs its history relied on, and
// the stored files the versions came from (for the manifest's inputs).
//
// Loading the folder (importers.LoadFolder) and applying Knowledge gives
// the engine the same inputs and options as the store did, so
// `payout verify --fixtures DIR` reproduces the released folder byte for
// byte and `payout run --fixtures DIR` gives the same lines. The bytes are
// deterministic: records in a fixed order, no clock.
package auditfolder

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/oslokommune/payout/payout"
)

// Name is the knowledge file's name in the folder.
const Name = "knowledge.json"

// Knowledge is knowledge.json.
type Knowledge struct {
	// Period is the run the folder reproduces.
	Period string `json:"period"`
	// Runs are that run (last) and the released runs before it: each
	// period's as-of date and knowledge (the highest import sequence its
	// run read).
	Runs []Run `json:"runs"`
	// Files are the stored files the versions were read from, in import
	// order: the inputs the run's manifest names.
	Files []File `json:"files"`
}

// Run is one run's view.
type Run struct {
	Period    string `json:"period"`
	AsOf      string `json:"as_of"`
	Knowledge int64  `json:"knowledge"`
	Released  bool   `json:"released"`
}

// File is one stored file.
type File struct {
	Import int64  `json:"import"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// Read returns the folder's knowledge.json, or nil when the folder has none
// (an ordinary fixture folder).
func Read(dir string) (*Knowledge, error) {
	path := filepath.Join(dir, Name)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// One object, each name once: encoding/json alone would apply the
	// last of two values and never read past the first object.
	if err := payout.CheckJSONObject(data); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var k Knowledge
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&k); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if _, err := k.options(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &k, nil
}

// Options are the engine options of a run of p from the folder: the
// released runs' as-of dates and knowledge, and, for the folder's own
// period, its as-of date (unless asOf is given) and knowledge.
func (k *Knowledge) Options(p payout.Period, asOf payout.Date) payout.Options {
	opt, _ := k.options()
	if own, ok := opt.AsOfByPeriod[p]; ok {
		delete(opt.AsOfByPeriod, p)
		if asOf == payout.NoDate {
			asOf = own
		}
	}
	for e := range opt.KnowledgeByPeriod {
		if e > p {
			delete(opt.KnowledgeByPeriod, e)
		}
	}
	for e := range opt.AsOfByPeriod {
		if e > p {
			delete(opt.AsOfByPeriod, e)
		}
	}
	opt.AsOf = asOf
	return opt
}

func (k *Knowledge) options() (payout.Options, error) {
	opt := payout.Options{AsOfByPeriod: map[payout.Period]payout.Date{}, KnowledgeByPeriod: map[payout.Period]int64{}}
	for _, r := range k.Runs {
		p, err := payout.ParsePeriod(r.Period)
		if err != nil {
			return opt, fmt.Errorf("runs: %v", err)
		}
		d, err := payout.ParseDate(r.AsOf)
		if err != nil {
			return opt, fmt.Errorf("runs %s: as_of: %v", r.Period, err)
		}
		if r.Released || r.Period == k.Period {
			opt.AsOfByPeriod[p] = d
			opt.KnowledgeByPeriod[p] = r.Knowledge
		}
	}
	return opt, nil
}

// InputFiles are the stored files as the manifest names them.
func (k *Knowledge) InputFiles() []payout.InputFile {
	out := make([]payout.InputFile, len(k.Files))
	for i, f := range k.Files {
		out[i] = payout.InputFile{Name: f.Name, Kind: payout.FileKind(f.Kind), SHA256: f.SHA256, Rows: f.Rows}
	}
	return out
}

// Write writes in as the fixture folder dir (created; it must not hold a
// folder already) with k as knowledge.json.
func Write(dir string, in *payout.Inputs, k *Knowledge) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: export writes a new folder", dir)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	files, err := render(in)
	if err != nil {
		return err
	}
	kj, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		return err
	}
	files[Name] = append(kj, '\n')
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), files[n], 0o640); err != nil {
			return err
		}
	}
	return nil
}
