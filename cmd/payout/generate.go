package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/oslokommune/payout/fixtures/gen"
)

// generate writes a synthetic fixture folder: the embedded Oslo demo data set
// or the national benchmark workload (fixtures/gen).
func init() {
	register("generate", "write a synthetic fixture folder (oslo, norway, small) from a seed", runGenerate)
}

func runGenerate(_ context.Context, env *Env, args []string) error {
	fs := newFlags("generate", env)
	preset := fs.String("preset", "oslo", "data set: "+strings.Join(gen.PresetNames(), ", "))
	seed := fs.Uint64("seed", gen.DefaultSeed, "seed of the generator; the same seed gives the same bytes")
	out := fs.String("out", "", "folder to write the CSV files into (created if missing)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required")
	}
	p, err := gen.PresetByName(*preset)
	if err != nil {
		return usagef("--preset: %v", err)
	}
	if env.StderrIsTerminal && p.GP+p.Fysio > 2000 {
		fmt.Fprintf(env.Stderr, "generating %s (%d agreements) …\n", p.Name, p.GP+p.Fysio)
	}
	st, err := gen.Generate(*out, p, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "generated preset %s (seed %d) in %s: %d rows\n", p.Name, *seed, *out, st.Total())
	for _, f := range gen.Files {
		fmt.Fprintf(env.Stdout, "  %-16s %9d\n", f, st.Files[f])
	}
	return nil
}
