package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/oslokommune/payout/fixtures/gen"
)

// generateCommand writes a synthetic fixture folder: the embedded Oslo demo
// data set or the national benchmark workload (fixtures/gen).
type generateCommand struct {
	base
	preset, out string
	seed        uint64
}

func newGenerateCommand(env *Env) command {
	c := &generateCommand{base: newBase("generate", env)}
	c.fs.StringVar(&c.preset, "preset", "oslo", "data set: "+strings.Join(gen.PresetNames(), ", "))
	c.fs.Uint64Var(&c.seed, "seed", gen.DefaultSeed, "seed of the generator; the same seed gives the same bytes")
	c.fs.StringVar(&c.out, "out", "", "folder to write the CSV files into (created if missing)")
	c.fs.Usage = c.Usage
	return c
}

func (c *generateCommand) Run(_ context.Context, args []string) error {
	env := c.env
	if err := c.parseOnly(args); err != nil {
		return err
	}
	if c.out == "" {
		return usagef("--out is required")
	}
	p, err := gen.PresetByName(c.preset)
	if err != nil {
		return usagef("--preset: %v", err)
	}
	if env.StderrIsTerminal && p.GP+p.Fysio > 2000 {
		fmt.Fprintf(env.Stderr, "generating %s (%d agreements) …\n", p.Name, p.GP+p.Fysio)
	}
	st, err := gen.Generate(c.out, p, c.seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "generated preset %s (seed %d) in %s: %d rows\n", p.Name, c.seed, c.out, st.Total())
	for _, f := range gen.Files {
		fmt.Fprintf(env.Stdout, "  %-16s %9d\n", f, st.Files[f])
	}
	return nil
}
