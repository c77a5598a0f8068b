package main

import (
	"context"

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
	c.help = helpText{
		synopsis: []string{"payout check --fixtures DIR", "payout check FILE|DIR ..."},
		required: "--fixtures, or the files and folders to check",
		example:  "payout check --fixtures fixtures/oslo",
	}
	return c
}

func (c *checkCommand) Run(_ context.Context, args []string) error {
	if err := c.parse(args); err != nil {
		return err
	}
	if c.dir != "" {
		reportSkipped(c.env, c.dir)
	}
	in, warnings, err := loadForCheck(c.dir, c.fs.Args())
	if err != nil {
		return err
	}
	for _, w := range warnings {
		c.env.errf("payout check: warning %s: %s\n", w.Code, w.Msg)
	}
	if problems := payout.CheckInputs(in); len(problems) > 0 {
		return problems
	}
	printCounts(c.env, in)
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
func printCounts(env *Env, in *payout.Inputs) {
	total := 0
	for _, f := range in.Files {
		if f.Kind == payout.FilePolicy {
			env.outf("%-20s policy\n", f.Name)
			continue
		}
		env.outf("%-20s %6s %s\n", f.Name, formatCount(f.Rows), checkPlural(env, f.Rows, "record", "records"))
		total += f.Rows
	}
	env.outf("OK: %s %s, %s %s, no problems found\n", formatCount(len(in.Files)), checkPlural(env, len(in.Files), "file", "files"),
		formatCount(total), checkPlural(env, total, "record", "records"))
}

// checkPlural is the singular or plural word, in the user's language.
func checkPlural(env *Env, n int, one, many string) string {
	if n == 1 {
		return env.tr(one)
	}
	return env.tr(many)
}

var _ = messages(
	msg{"fixture folder to check", "fixturmappen som skal kontrolleres"},
	msg{"--fixtures, or the files and folders to check", "--fixtures, eller filene og mappene som skal kontrolleres"},
	msg{"payout check: warning %s: %s\n", "payout check: advarsel %s: %s\n"},
	msg{"give --fixtures DIR, or the files and folders to check", "oppgi --fixtures DIR, eller filene og mappene som skal kontrolleres"},
	msg{"%-20s policy\n", "%-20s policy\n"},
	msg{"%-20s %6s %s\n", "%-20s %6s %s\n"},
	msg{"OK: %s %s, %s %s, no problems found\n", "OK: %s %s, %s %s, ingen problemer funnet\n"},
	msg{"record", "post"},
	msg{"records", "poster"},
	msg{"file", "fil"},
)
