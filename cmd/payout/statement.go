package main

import (
	"context"
	"os"
	"slices"
	"strconv"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/exporters/statement"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// statementCommand writes each payee's statement of a year (issue 14):
// every released month's net, withheld, released and corrections, and the
// year's total, from the runs as the store released them. It opens the
// store read-only and changes nothing in it.
type statementCommand struct {
	base
	shared
	year  int
	payee string
}

func newStatementCommand(env *Env) command {
	c := &statementCommand{base: newBase("statement", env)}
	c.dbFlag(c.fs, dbUsage)
	c.fs.IntVar(&c.year, "year", 0, "the year: every released month of it")
	c.outFlag(c.fs, "", "folder to write the statements to (created if missing)")
	c.fs.StringVar(&c.payee, "payee", "", "only this payee's statement")
	c.help = helpText{
		synopsis: []string{"payout statement --db FILE --year YYYY --out DIR [--payee ID]"},
		required: "--db, --year and --out",
		example:  "payout statement --db payout.db --year 2022 --out arsoppgaver",
	}
	return c
}

func (c *statementCommand) Run(_ context.Context, args []string) error {
	env := c.env
	if err := c.parseOnly(args); err != nil {
		return err
	}
	switch {
	case c.year < 1900 || c.year > 9999:
		return usagef("--year YYYY is required")
	case c.out == "":
		return usagef("--out DIR is required")
	}
	s, err := c.openStoreReadOnly()
	if err != nil {
		return err
	}
	defer s.Close()
	y, err := yearStatements(s, c.year)
	if err != nil {
		return err
	}
	payees := y.Payees()
	if c.payee != "" {
		if !slices.Contains(payees, c.payee) {
			return errorf("payee %s has no line in any released month of %d", c.payee, c.year)
		}
		payees = []string{c.payee}
	}
	if err := os.MkdirAll(c.out, 0o750); err != nil {
		return errorf("cannot create %s: %w", c.out, err)
	}
	rendered, err := y.Files(payees)
	if err != nil {
		return err
	}
	files := make([]bundle.Output, len(rendered))
	for i, f := range rendered {
		files[i] = bundle.Output{Name: f.Name, Data: f.Data}
	}
	// All or none, through temporary files made durable together, and the
	// owner's alone: each names the payee and the account's last digits.
	if err := bundle.WriteFilesAs(c.out, files, bundle.Private); err != nil {
		return errorf("cannot write %s: %w", c.out, err)
	}
	env.outf("wrote %s statements of %d to %s\n", formatCount(len(payees)), c.year, c.out)
	return nil
}

// statementStore is what the yearly statements read of the store.
type statementStore interface {
	Runs() ([]store.Run, error)
	Result(runID int64) (*payout.Result, error)
	RunInputs(run *store.Run) (*payout.Inputs, error)
}

// yearStatements reads the released runs of the year from the store, each
// as released, and names the payees as the last of them saw them.
func yearStatements(s statementStore, year int) (*statement.Year, error) {
	runs, err := s.Runs()
	if err != nil {
		return nil, err
	}
	var results []*payout.Result
	var last *store.Run
	for i := range runs {
		r := &runs[i]
		if r.Release == nil || r.Period.Year() != year {
			continue
		}
		res, err := s.Result(r.ID)
		if err != nil {
			return nil, err
		}
		results = append(results, res)
		last = r
	}
	if len(results) == 0 {
		return nil, errorf("no released run in %s", strconv.Itoa(year))
	}
	in, err := s.RunInputs(last)
	if err != nil {
		return nil, err
	}
	return statement.NewYear(year, results, statement.NewDirectory(results[len(results)-1], in))
}

var _ = messages(
	msg{"the year: every released month of it", "året: alle frigitte måneder i det"},
	msg{"folder to write the statements to (created if missing)", "mappen spesifikasjonene skrives til (opprettes om den mangler)"},
	msg{"only this payee's statement", "bare denne mottakerens spesifikasjon"},
	msg{"--year YYYY is required", "--year ÅÅÅÅ må oppgis"},
	msg{"--db, --year and --out", "--db, --year og --out"},
	msg{"wrote %s statements of %d to %s\n", "skrev %s årsoversikter for %d til %s\n"},
	msg{"no released run in %s", "ingen frigitt kjøring i %s"},
	msg{"payee %s has no line in any released month of %d", "mottaker %s har ingen linje i noen frigitt måned i %d"},
	msg{"write each payee's statement of a year (every released month, the year's total)", "skriv hver mottakers årsoversikt (alle frigitte måneder og årets sum)"},
)
