package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/oslokommune/payout/fixtures/gen"
)

// generateCommand writes a synthetic fixture folder: the embedded Oslo demo
// data set or the national benchmark workload (fixtures/gen).
type generateCommand struct {
	base
	preset, out string
	seed        uint64
	scale       int
	force       bool
}

func newGenerateCommand(env *Env) command {
	c := &generateCommand{base: newBase("generate", env)}
	c.fs.StringVar(&c.preset, "preset", "oslo", "data set: oslo (the demo), norway (national scale) or small")
	c.fs.Uint64Var(&c.seed, "seed", gen.DefaultSeed, "seed of the generator; the same seed gives the same bytes")
	c.fs.StringVar(&c.out, "out", "", "folder to write the CSV files into (created if missing)")
	c.fs.BoolVar(&c.force, "force", false, "write into a folder that is not empty (its files of the same names are replaced)")
	c.fs.IntVar(&c.scale, "scale", 1, "multiply the preset's agreements, and so its records, by N (1 to 9; benchmarks use 4)")
	c.help = helpText{
		synopsis: []string{"payout generate --out DIR [--preset NAME] [--seed N] [--scale N] [--force]"},
		required: "--out",
		example:  "payout generate --preset small --seed 7 --out /tmp/small",
	}
	return c
}

func (c *generateCommand) Run(_ context.Context, args []string) error {
	env := c.env
	if err := c.parseOnly(args); err != nil {
		return err
	}
	if c.out == "" {
		return usagef("--out DIR is required")
	}
	p, err := gen.PresetByName(c.preset)
	if err != nil {
		return usagef("--preset: %v", err)
	}
	if p, err = p.Scaled(c.scale); err != nil {
		return usagef("--scale: %v", err)
	}
	if err := emptyOrForced(c.out, c.force); err != nil {
		return err
	}
	if env.StderrIsTerminal && p.GP+p.Fysio > 2000 {
		env.errf("generating %s (%s agreements) …\n", p.Name, formatCount(p.GP+p.Fysio))
	}
	st, err := gen.Generate(c.out, p, c.seed)
	if err != nil {
		return err
	}
	env.outf("generated preset %s (seed %d) in %s: %s rows\n", p.Name, c.seed, c.out, formatCount(st.Total()))
	for _, f := range gen.Files {
		fmt.Fprintf(env.Stdout, "  %-16s %9d\n", f, st.Files[f])
	}
	return nil
}

// emptyOrForced refuses an existing folder that holds anything, unless
// --force: it may be someone's fixtures, and the generator replaces files.
func emptyOrForced(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(entries) > 0 && !force:
		return errorf("%s is not empty (it holds %s); choose a new folder, or use --force to write into it", dir, entries[0].Name())
	}
	return nil
}

var _ = messages(
	msg{"write into a folder that is not empty (its files of the same names are replaced)",
		"skriv i en mappe som ikke er tom (filer med samme navn erstattes)"},
	msg{"%s is not empty (it holds %s); choose a new folder, or use --force to write into it",
		"%s er ikke tom (den inneholder %s); velg en ny mappe, eller bruk --force for å skrive i den"},
	msg{"data set: oslo (the demo), norway (national scale) or small", "datasett: oslo (demo), norway (nasjonal skala) eller small"},
	msg{"seed of the generator; the same seed gives the same bytes", "frø for generatoren; samme frø gir de samme bytene"},
	msg{"folder to write the CSV files into (created if missing)", "mappen CSV-filene skrives til (opprettes om den mangler)"},
	msg{"--preset: %v", "--preset: %v"},
	msg{"multiply the preset's agreements, and so its records, by N (1 to 9; benchmarks use 4)", "gang datasettets avtaler, og dermed postene, med N (1 til 9; benchmarkene bruker 4)"},
	msg{"--scale: %v", "--scale: %v"},
	msg{"generating %s (%s agreements) …\n", "genererer %s (%s avtaler) …\n"},
	msg{"generated preset %s (seed %d) in %s: %s rows\n", "generert datasett %s (frø %d) i %s: %s rader\n"},
)
