package store

import (
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/oslokommune/payout/payout"
)

// Knowledge time (DESIGN.md "When", RULEBOOK §6). The id of an import is the
// store's import sequence: every version read from a file of that import
// carries it (payout.Version.Import) beside the recorded_on its source gave
// it. A run knows exactly the files it read (run_files), so its knowledge is
// the highest import sequence among them, and a later run sees a released
// month with that knowledge: a version imported after the release is new,
// and paid by R-ADJ in the next run whatever its recorded_on.

// Released is what later runs need of the released runs: the as-of date and
// the knowledge of each.
type Released struct {
	AsOf      map[payout.Period]payout.Date
	Knowledge map[payout.Period]int64
}

// Released returns the as-of date and knowledge of every released run.
func (s *Store) Released() (Released, error) { return releasedTx(s.db) }

func releasedTx(q sqlx.Queryer) (Released, error) {
	var rows []struct {
		Period    string `db:"period"`
		AsOf      string `db:"as_of"`
		Knowledge int64  `db:"knowledge"`
	}
	if err := sqlx.Select(q, &rows, `SELECT r.period, r.as_of, COALESCE(MAX(f.import_id), 0) AS knowledge
		FROM runs r LEFT JOIN run_files rf ON rf.run_id = r.id LEFT JOIN files f ON f.id = rf.file_id
		WHERE r.status = 'released' GROUP BY r.id, r.period, r.as_of`); err != nil {
		return Released{}, err
	}
	out := Released{AsOf: map[payout.Period]payout.Date{}, Knowledge: map[payout.Period]int64{}}
	for _, r := range rows {
		p, err := payout.ParsePeriod(r.Period)
		if err != nil {
			return Released{}, fmt.Errorf("store: run period: %w", err)
		}
		d, err := payout.ParseDate(r.AsOf)
		if err != nil {
			return Released{}, fmt.Errorf("store: as-of of %s: %w", r.Period, err)
		}
		out.AsOf[p], out.Knowledge[p] = d, r.Knowledge
	}
	return out, nil
}

// Options are the engine options of a run of p as of asOf that read the
// inputs in (RULEBOOK §6): the as-of dates and knowledge of the periods
// released before p, and p's own knowledge, the highest import sequence
// among in's versions (so that re-deriving the run later sees what it saw).
func (r Released) Options(p payout.Period, asOf payout.Date, in *payout.Inputs) payout.Options {
	opt := payout.Options{AsOf: asOf, AsOfByPeriod: map[payout.Period]payout.Date{}, KnowledgeByPeriod: map[payout.Period]int64{}}
	for e, d := range r.AsOf {
		if e < p {
			opt.AsOfByPeriod[e], opt.KnowledgeByPeriod[e] = d, r.Knowledge[e]
		}
	}
	if k := payout.KnowledgeOf(in); k > 0 {
		opt.KnowledgeByPeriod[p] = k
	}
	return opt
}

// stampImport gives every version of part the import sequence of its file.
// A version holds it in 32 bits; inputsTx refuses a larger one.
func stampImport(part *payout.Inputs, importID int64) {
	part.EachVersion(func(v *payout.Version) { v.Import = int32(importID) })
}

// corrections names the released periods that the new versions of one
// file concern: the next run compares each with what its release paid and
// pays the difference (R-ADJ), also when the version is recorded on or
// before the release's as-of date: it was not imported then. A version
// concerns a period when the first day it can change a payout (a count's
// as_of, a rate's valid_from, an absence's from …) lies on or before the
// period's last day. False when the file concerns no released period. The
// command line says it in the clerk's language.
func corrections(name string, in *payout.Inputs, released Released) (Correction, bool) {
	periods := sortedPeriods(released.AsOf)
	if len(periods) == 0 {
		return Correction{}, false
	}
	last := periods[len(periods)-1].Last()
	c := Correction{File: name}
	first := payout.Forever
	for _, d := range datedVersions(in) {
		if d.concerns > last {
			continue
		}
		c.Versions++
		if d.concerns < first {
			first, c.Line = d.concerns, d.v.Src.Line()
		}
	}
	if c.Versions == 0 {
		return Correction{}, false
	}
	for _, p := range periods {
		if p.Last() >= first {
			c.Periods = append(c.Periods, p)
		}
	}
	return c, true
}

func sortedPeriods[T any](m map[payout.Period]T) []payout.Period {
	out := make([]payout.Period, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// StoredFile is one stored file as an export names it.
type StoredFile struct {
	Import int64  `db:"import_id"`
	Name   string `db:"name"`
	Kind   string `db:"kind"`
	Path   string `db:"path"`
	SHA256 string `db:"sha256"`
	Rows   int    `db:"rows"`
}

// RunFiles lists the files a stored run read, in import order.
func (s *Store) RunFiles(runID int64) ([]StoredFile, error) {
	var out []StoredFile
	err := s.db.Select(&out, `SELECT f.import_id, f.name, f.kind, f.path, f.sha256, f.rows
		FROM run_files r JOIN files f ON f.id = r.file_id WHERE r.run_id = ? ORDER BY f.id`, runID)
	return out, err
}
