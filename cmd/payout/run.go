package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// run computes one period, from a fixture folder or from the store, and
// writes its review files. With --db it also stores the run (status
// computed), replacing a computed or attested one. Any error writes nothing.
func init() {
	register("run", "compute a period and write its review files (with --db: store the run)", runRun)
}

type runFlags struct {
	period, fixtures, db, out, asOf, user string
	reopen                                bool
}

func runRun(_ context.Context, env *Env, args []string) error {
	fs := newFlags("run", env)
	var f runFlags
	fs.StringVar(&f.period, "period", "", "period to compute: YYYY-MM, current or next")
	fs.StringVar(&f.fixtures, "fixtures", "", "fixture folder to compute from (without --db)")
	fs.StringVar(&f.db, "db", "", "store to compute from; the run is stored")
	fs.StringVar(&f.out, "out", "out", "folder for the period's output folder")
	fs.StringVar(&f.asOf, "as-of", "", "knowledge cut-off YYYY-MM-DD (default: the payment date)")
	fs.StringVar(&f.user, "user", "", "who computes (recorded in the store's audit log)")
	fs.BoolVar(&f.reopen, "reopen", false, "with --db: replace an approved, unreleased run (voids its attestation and approval)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	p, err := periodFlag(env, f.period)
	if err != nil {
		return err
	}
	asOf, err := dateFlag("as-of", f.asOf)
	if err != nil {
		return err
	}
	switch {
	case f.db != "" && f.fixtures != "":
		return usagef("give either --fixtures DIR or --db FILE, not both (import the folder with 'payout import')")
	case f.db == "" && f.fixtures == "":
		return usagef("--fixtures DIR or --db FILE is required")
	case f.db != "":
		return runFromStore(env, p, asOf, f)
	}
	return runFromFolder(env, p, asOf, f)
}

func runFromFolder(env *Env, p payout.Period, asOf payout.Date, f runFlags) error {
	prog := newProgress(env)
	defer prog.Done()
	prog.Stage("reading " + f.fixtures)
	in, warns, err := importers.LoadFolder(f.fixtures)
	if err != nil {
		return err
	}
	printLoadWarnings(env.Stderr, warns)
	prog.Stage("computing " + p.String())
	res, err := computeChecked(in, p, payout.Options{AsOf: asOf, Progress: prog.Count})
	if err != nil {
		return err
	}
	prog.Stage("writing the outputs")
	if _, err := bundle.Write(f.out, res, in, nil); err != nil {
		return err
	}
	prog.Done()
	printRunSummary(env.Stdout, res, bundle.Dir(f.out, p), "")
	return nil
}

func runFromStore(env *Env, p payout.Period, asOf payout.Date, f runFlags) error {
	s, err := openStore(f.db)
	if err != nil {
		return err
	}
	defer s.Close()
	// Refuse a released or approved period before the work of computing it.
	if prev, err := s.Run(p); err == nil {
		if err := prev.Replaceable(f.reopen); err != nil {
			return err
		}
	} else if !errors.Is(err, store.ErrNoRun) {
		return err
	}
	prog := newProgress(env)
	defer prog.Done()
	prog.Stage("reading the store")
	in, state, err := s.Inputs()
	if err != nil {
		return err
	}
	released, err := s.ReleasedAsOf()
	if err != nil {
		return err
	}
	prog.Stage("computing " + p.String())
	res, err := computeChecked(in, p, payout.Options{AsOf: asOf, AsOfByPeriod: released, Progress: prog.Count})
	if err != nil {
		return err
	}
	// Render before storing, so a result the outputs cannot show is never
	// stored; write after, so files never show a run the store lacks.
	rendered, err := bundle.Render(res, in, nil)
	if err != nil {
		return err
	}
	run, replaced, err := s.SaveRun(res, state, store.SaveOptions{At: env.Now(), User: f.user, Reopen: f.reopen})
	if err != nil {
		return err
	}
	prog.Stage("writing the outputs")
	if _, err := bundle.WriteRendered(f.out, p, rendered); err != nil {
		return fmt.Errorf("the run is stored, but its files could not be written (run again to write them): %w", err)
	}
	prog.Done()
	note := fmt.Sprintf("%s: run of %s stored as computed (computation %d)", f.db, p, run.Computations)
	if replaced != "" {
		note += fmt.Sprintf(", replacing the %s run", replaced)
	}
	printRunSummary(env.Stdout, res, bundle.Dir(f.out, p), note)
	return nil
}

// computeChecked computes and checks the controls of RULEBOOK §8.
func computeChecked(in *payout.Inputs, p payout.Period, opt payout.Options) (*payout.Result, error) {
	res, err := payout.Compute(in, p, opt)
	if err != nil {
		return nil, err
	}
	if err := payout.CheckInvariants(res); err != nil {
		return nil, err
	}
	return res, nil
}

func printLoadWarnings(w io.Writer, warns []payout.Warning) {
	for _, x := range warns {
		fmt.Fprintf(w, "warning: %s %s %s\n", x.Code, x.AgreementID, x.Msg)
	}
}

func printRunSummary(w io.Writer, res *payout.Result, dir, note string) {
	agreements := map[string]bool{}
	for _, l := range res.Lines {
		agreements[l.AgreementID] = true
	}
	fmt.Fprintf(w, "period        %s\n", res.Period)
	fmt.Fprintf(w, "as-of         %s\n", res.AsOf)
	fmt.Fprintf(w, "payment date  %s\n", res.PayDate)
	fmt.Fprintf(w, "agreements    %s\n", formatCount(len(agreements)))
	fmt.Fprintf(w, "payees        %s\n", formatCount(len(res.Payments)))
	fmt.Fprintf(w, "total         %s\n", formatKroner(res.Total))
	fmt.Fprintf(w, "warnings      %d\n", len(res.Warnings))
	fmt.Fprintf(w, "files         %s\n", dir)
	if note != "" {
		fmt.Fprintf(w, "store         %s\n", note)
	}
}
