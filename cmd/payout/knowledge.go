package main

// Where a re-run's inputs and options come from (issue 11): a fixture
// folder (with knowledge.json when it was exported from a store), or a
// stored run, read back exactly as it was computed.

import (
	"errors"
	"slices"

	"github.com/oslokommune/payout/exporters/auditfolder"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// fixtureInputs loads a fixture folder and the options of a run of p as of
// asOf from it: an exported folder's knowledge.json gives the released
// runs' as-of dates and knowledge, and the stored files the manifest names.
func fixtureInputs(dir string, p payout.Period, asOf payout.Date) (*payout.Inputs, payout.Options, []payout.Warning, error) {
	in, warns, err := importers.LoadFolder(dir)
	if err != nil {
		return nil, payout.Options{}, nil, err
	}
	k, err := auditfolder.Read(dir)
	if err != nil || k == nil {
		return in, payout.Options{AsOf: asOf}, warns, err
	}
	in.Files = k.InputFiles()
	return in, k.Options(p, asOf), warns, nil
}

// storedRun is P's stored run with the inputs it read and the options that
// compute it again: its as-of date and knowledge, and the released runs'
// before it (RULEBOOK §6).
type storedRun struct {
	run      *store.Run
	in       *payout.Inputs
	opt      payout.Options
	released store.Released
}

func loadStoredRun(s *store.Store, p payout.Period) (*storedRun, error) {
	run, err := s.Run(p)
	if err != nil {
		return nil, err
	}
	in, err := s.RunInputs(run)
	if err != nil {
		return nil, err
	}
	rel, err := s.Released()
	if err != nil {
		return nil, err
	}
	return &storedRun{run: run, in: in, opt: rel.Options(p, run.AsOf, in), released: rel}, nil
}

// currentInputs is what a new run of p would read: every stored file.
func currentInputs(s *store.Store, p payout.Period, asOf payout.Date) (*payout.Inputs, payout.Options, error) {
	in, _, err := s.Inputs()
	if err != nil {
		return nil, payout.Options{}, err
	}
	rel, err := s.Released()
	if err != nil {
		return nil, payout.Options{}, err
	}
	return in, rel.Options(p, asOf, in), nil
}

// storedOrCurrent is the stored run of p, or, when none is stored, what a
// new run would read.
func storedOrCurrent(s *store.Store, p payout.Period, asOf payout.Date) (*payout.Inputs, payout.Options, error) {
	sr, err := loadStoredRun(s, p)
	switch {
	case err == nil && asOf == payout.NoDate:
		return sr.in, sr.opt, nil
	case err == nil:
		sr.opt.AsOf = asOf
		return sr.in, sr.opt, nil
	case errors.Is(err, store.ErrNoRun):
		return currentInputs(s, p, asOf)
	}
	return nil, payout.Options{}, err
}

// exportKnowledge is knowledge.json of a stored run: the released runs
// before it, the run itself, and the stored files it read.
func exportKnowledge(sr *storedRun, files []store.StoredFile) *auditfolder.Knowledge {
	p := sr.run.Period
	k := &auditfolder.Knowledge{Period: p.String()}
	for _, e := range periodsSorted(sr.released.AsOf) {
		if e < p {
			k.Runs = append(k.Runs, auditfolder.Run{Period: e.String(), AsOf: sr.released.AsOf[e].String(),
				Knowledge: sr.released.Knowledge[e], Released: true})
		}
	}
	k.Runs = append(k.Runs, auditfolder.Run{Period: p.String(), AsOf: sr.run.AsOf.String(),
		Knowledge: payout.KnowledgeOf(sr.in), Released: sr.run.Status == store.StatusReleased})
	for _, f := range files {
		k.Files = append(k.Files, auditfolder.File{Import: f.Import, Name: f.Name, Kind: f.Kind, Path: f.Path, SHA256: f.SHA256, Rows: f.Rows})
	}
	return k
}

func periodsSorted[T any](m map[payout.Period]T) []payout.Period {
	out := make([]payout.Period, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}
