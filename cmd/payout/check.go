package main

import (
	"context"
	"fmt"
	"io"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
)

// checkCommand loads a fixture folder (or single files) as a run would,
// applies the rulebook's input checks, and prints every problem (exit 1) or
// the records per file (exit 0). Warnings never fail the check.
type checkCommand struct {
	base
	dir string
}

func newCheckCommand(env *Env) command {
	c := &checkCommand{base: newBase("check", env)}
	c.fs.StringVar(&c.dir, "fixtures", "", "fixture folder to check")
	c.fs.Usage = c.Usage
	return c
}

func (c *checkCommand) Usage() {
	fmt.Fprintln(c.env.Stderr, "Usage: payout check --fixtures DIR\n       payout check FILE|DIR ...\n\nValidates the input files without computing anything.")
	c.fs.PrintDefaults()
}

func (c *checkCommand) Run(_ context.Context, args []string) error {
	if err := c.parse(args); err != nil {
		return err
	}
	in, warnings, err := loadForCheck(c.dir, c.fs.Args())
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(c.env.Stderr, "payout check: warning %s: %s\n", w.Code, w.Msg)
	}
	if problems := payout.CheckInputs(in); len(problems) > 0 {
		return problems
	}
	printCounts(c.env.Stdout, in)
	return nil
}

func loadForCheck(dir string, paths []string) (*payout.Inputs, []payout.Warning, error) {
	switch {
	case dir == "" && len(paths) == 0:
		return nil, nil, usagef("give --fixtures DIR, or the files and folders to check")
	case dir != "" && len(paths) == 0:
		return importers.LoadFolder(dir)
	case dir != "":
		paths = append([]string{dir}, paths...)
	}
	return importers.LoadPaths(paths)
}

// printCounts lists each file read with its number of records.
func printCounts(w io.Writer, in *payout.Inputs) {
	total := 0
	for _, f := range in.Files {
		if f.Kind == "policy" {
			fmt.Fprintf(w, "%-20s policy\n", f.Name)
			continue
		}
		fmt.Fprintf(w, "%-20s %6d %s\n", f.Name, f.Rows, checkPlural(f.Rows, "record", "records"))
		total += f.Rows
	}
	fmt.Fprintf(w, "OK: %d %s, %d %s, no problems found\n", len(in.Files), checkPlural(len(in.Files), "file", "files"),
		total, checkPlural(total, "record", "records"))
}

func checkPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
