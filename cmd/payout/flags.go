package main

// Flag parsing shared by the commands: usage errors, the flag set every
// command has, and the flags several commands take (--db, --period, --out).

import (
	"errors"
	"flag"
	"fmt"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// usageError is bad usage: exit status 2 with a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// base is what every command has: the environment and its flag set, whose
// errors come back to Main instead of exiting.
type base struct {
	env *Env
	fs  *flag.FlagSet
}

func newBase(name string, env *Env) base {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return base{env: env, fs: fs}
}

// Usage prints the command's flags as the flag package does.
func (b *base) Usage() {
	fmt.Fprintf(b.fs.Output(), "Usage of %s:\n", b.fs.Name())
	b.fs.PrintDefaults()
}

// parse parses args and turns flag errors into usage errors.
func (b *base) parse(args []string) error {
	if err := b.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	return nil
}

// parseOnly is parse for commands that take no arguments besides their
// flags: a stray word is a usage error, not silently ignored.
func (b *base) parseOnly(args []string) error {
	if err := b.parse(args); err != nil {
		return err
	}
	if b.fs.NArg() > 0 {
		return usagef("unexpected argument %q", b.fs.Arg(0))
	}
	return nil
}

// Usage texts of the shared flags, where the commands agree.
const (
	dbUsage     = "store file"
	periodUsage = "period: YYYY-MM, current or next"
	outUsage    = "folder for the period's output folder"
)

// shared holds the flags several commands take. A command defines the ones
// it takes, with its own usage text, and reads them back with the methods.
type shared struct {
	db, period, out string
}

func (f *shared) dbFlag(fs *flag.FlagSet, usage string) { fs.StringVar(&f.db, "db", "", usage) }

func (f *shared) periodFlag(fs *flag.FlagSet, usage string) {
	fs.StringVar(&f.period, "period", "", usage)
}

func (f *shared) outFlag(fs *flag.FlagSet, value, usage string) {
	fs.StringVar(&f.out, "out", value, usage)
}

// openStore opens the --db store.
func (f *shared) openStore() (*store.Store, error) { return openStore(f.db) }

// parsePeriod parses --period.
func (f *shared) parsePeriod(env *Env) (payout.Period, error) { return periodFlag(env, f.period) }

// openStore opens the store at path with the importers' file reader.
func openStore(path string) (*store.Store, error) {
	if path == "" {
		return nil, usagef("--db FILE is required")
	}
	return store.Open(path, importers.ReadFile)
}

// periodFlag parses --period: YYYY-MM, or "current"/"next" from the clock.
func periodFlag(env *Env, s string) (payout.Period, error) {
	now := env.Now().UTC()
	cur := payout.NewPeriod(now.Year(), int(now.Month()))
	switch s {
	case "":
		return 0, usagef("--period is required (YYYY-MM, current or next)")
	case "current":
		return cur, nil
	case "next":
		return cur + 1, nil
	}
	p, err := payout.ParsePeriod(s)
	if err != nil {
		return 0, usagef("--period: %v", err)
	}
	return p, nil
}

// dateFlag parses an optional YYYY-MM-DD flag.
func dateFlag(name, s string) (payout.Date, error) {
	if s == "" {
		return payout.NoDate, nil
	}
	d, err := payout.ParseDate(s)
	if err != nil {
		return payout.NoDate, usagef("--%s: %v", name, err)
	}
	return d, nil
}
