package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/oslokommune/payout/exporters/explain"
	"github.com/oslokommune/payout/payout"
)

// explainCommand prints the trace of one agreement in one period so a
// finance officer can check every amount with a calendar and a pocket
// calculator; with --out it also writes the trace as explain-<ID>-<P>.csv.
type explainCommand struct {
	base
	shared
	fixtures, id, asOf string
}

func newExplainCommand(env *Env) command {
	c := &explainCommand{base: newBase("explain", env)}
	c.periodFlag(c.fs, "the month, YYYY-MM")
	c.fs.StringVar(&c.fixtures, "fixtures", "", "fixture folder to read the inputs from")
	c.dbFlag(c.fs, "store: explain the period's stored run (or, when none is stored, what a run would read now)")
	c.fs.StringVar(&c.id, "agreement", "", "agreement_id to explain")
	c.fs.StringVar(&c.asOf, "as-of", "", "knowledge cut-off YYYY-MM-DD (default: the payment date)")
	c.outFlag(c.fs, "", "also write the trace as explain-<ID>-<P>.csv in this folder")
	c.help = helpText{
		synopsis: []string{"payout explain --period P --fixtures DIR --agreement ID [--as-of DATE] [--out DIR]",
			"payout explain --period P --db FILE --agreement ID [--as-of DATE] [--out DIR]"},
		required: "--period, --agreement, and --fixtures or --db",
		example:  "payout explain --period 2022-12 --fixtures fixtures/oslo --agreement A0001",
	}
	return c
}

func (c *explainCommand) Run(_ context.Context, args []string) error {
	env := c.env
	if err := c.parseOnly(args); err != nil {
		return err
	}
	p, err := c.parsePeriod(env)
	if err != nil {
		return err
	}
	asOf, err := dateFlag("as-of", c.asOf)
	if err != nil {
		return err
	}
	switch {
	case c.fixtures == "" && c.db == "":
		return usagef("--fixtures DIR or --db FILE is required")
	case c.fixtures != "" && c.db != "":
		return usagef("give either --fixtures DIR or --db FILE, not both")
	case c.id == "":
		return usagef("--agreement is required")
	}
	in, opt, err := c.inputs(p, asOf)
	if err != nil {
		return err
	}
	tr, err := payout.Explain(in, p, opt, c.id)
	if err != nil {
		return err
	}
	if err := explain.Text(env.Stdout, tr); err != nil {
		return err
	}
	if c.out == "" {
		return nil
	}
	return writeTraceCSV(env, c.out, tr)
}

func writeTraceCSV(env *Env, dir string, tr *payout.Trace) error {
	data, err := explain.CSV(tr)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	path := filepath.Join(dir, explain.CSVFileName(tr.Agreement.ID, tr.Period))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return err
	}
	env.errf("payout explain: wrote %s\n", path)
	return nil
}

// inputs are the inputs and options to explain p with: a fixture folder's
// (with an exported folder's knowledge), or the store's stored run of p.
func (c *explainCommand) inputs(p payout.Period, asOf payout.Date) (*payout.Inputs, payout.Options, error) {
	if c.db == "" {
		in, opt, _, err := fixtureInputs(c.fixtures, p, asOf)
		return in, opt, err
	}
	s, err := c.openStoreReadOnly()
	if err != nil {
		return nil, payout.Options{}, err
	}
	defer s.Close()
	return storedOrCurrent(s, p, asOf)
}

var _ = messages(
	msg{"the month, YYYY-MM", "måneden, ÅÅÅÅ-MM"},
	msg{"fixture folder to read the inputs from", "fixturmappen inndataene leses fra"},
	msg{"agreement_id to explain", "agreement_id (avtalen) som skal forklares"},
	msg{"also write the trace as explain-<ID>-<P>.csv in this folder", "skriv også sporet som explain-<ID>-<P>.csv i denne mappen"},
	msg{"--period, --fixtures and --agreement", "--period, --fixtures og --agreement"},
	msg{"--fixtures is required", "--fixtures er påkrevd"},
	msg{"--agreement is required", "--agreement er påkrevd"},
	msg{"payout explain: wrote %s\n", "payout explain: skrev %s\n"},
	msg{"store: explain the period's stored run (or, when none is stored, what a run would read now)",
		"lageret: forklar periodens lagrede kjøring (eller, når ingen er lagret, det en kjøring ville lest nå)"},
	msg{"give either --fixtures DIR or --db FILE, not both", "oppgi enten --fixtures DIR eller --db FILE, ikke begge"},
	msg{"--period, --agreement, and --fixtures or --db", "--period, --agreement, og --fixtures eller --db"},
)
