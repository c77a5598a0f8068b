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

// runCommand computes one period, from a fixture folder or from the store,
// and writes its review files. With --db it also stores the run (status
// computed), replacing a computed or attested one. Any error writes nothing.
type runCommand struct {
	base
	shared
	fixtures, asOf, user string
	reopen               bool
}

func newRunCommand(env *Env) command {
	c := &runCommand{base: newBase("run", env)}
	c.periodFlag(c.fs, "period to compute: YYYY-MM, current or next")
	c.fs.StringVar(&c.fixtures, "fixtures", "", "fixture folder to compute from (without --db)")
	c.dbFlag(c.fs, "store to compute from; the run is stored")
	c.outFlag(c.fs, "out", outUsage)
	c.fs.StringVar(&c.asOf, "as-of", "", "knowledge cut-off YYYY-MM-DD (default: the payment date)")
	c.fs.StringVar(&c.user, "user", "", "who computes (recorded in the store's audit log)")
	c.fs.BoolVar(&c.reopen, "reopen", false, "with --db: replace an approved, unreleased run (voids its attestation and approval)")
	c.fs.Usage = c.Usage
	return c
}

func (c *runCommand) Run(_ context.Context, args []string) error {
	if err := c.parseOnly(args); err != nil {
		return err
	}
	p, err := c.parsePeriod(c.env)
	if err != nil {
		return err
	}
	asOf, err := dateFlag("as-of", c.asOf)
	if err != nil {
		return err
	}
	switch {
	case c.db != "" && c.fixtures != "":
		return usagef("give either --fixtures DIR or --db FILE, not both (import the folder with 'payout import')")
	case c.db == "" && c.fixtures == "":
		return usagef("--fixtures DIR or --db FILE is required")
	case c.db != "":
		return c.fromStore(p, asOf)
	}
	return c.fromFolder(p, asOf)
}

func (c *runCommand) fromFolder(p payout.Period, asOf payout.Date) error {
	env := c.env
	prog := newProgress(env)
	defer prog.Done()
	prog.Stage("reading " + c.fixtures)
	in, warns, err := importers.LoadFolder(c.fixtures)
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
	if _, err := bundle.Write(c.out, res, in, nil); err != nil {
		return err
	}
	prog.Done()
	printRunSummary(env.Stdout, res, bundle.Dir(c.out, p), "")
	return nil
}

func (c *runCommand) fromStore(p payout.Period, asOf payout.Date) error {
	env := c.env
	s, err := openStore(c.db)
	if err != nil {
		return err
	}
	defer s.Close()
	// Refuse a released or approved period before the work of computing it.
	if prev, err := s.Run(p); err == nil {
		if err := prev.Replaceable(c.reopen); err != nil {
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
	run, replaced, err := s.SaveRun(res, state, store.SaveOptions{At: env.Now(), User: c.user, Reopen: c.reopen})
	if err != nil {
		return err
	}
	prog.Stage("writing the outputs")
	if _, err := bundle.WriteRendered(c.out, p, rendered); err != nil {
		return fmt.Errorf("the run is stored, but its files could not be written (run again to write them): %w", err)
	}
	prog.Done()
	note := fmt.Sprintf("%s: run of %s stored as computed (computation %d)", c.db, p, run.Computations)
	if replaced != "" {
		note += fmt.Sprintf(", replacing the %s run", replaced)
	}
	printRunSummary(env.Stdout, res, bundle.Dir(c.out, p), note)
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
