package main

// Flag parsing shared by the commands: usage errors, the flag set every
// command has, and the flags several commands take (--db, --period, --out).

import (
	"errors"
	"flag"
	"io"

	"golang.org/x/text/language"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// usageError is bad usage: exit status 2 with a hint. Its text is a
// catalogue message (messages.go).
type usageError struct {
	key  string
	args []any
}

func (e *usageError) Error() string { return sprintf(language.English, e.key, e.args...) }

func (e *usageError) Unwrap() []error { return wrapped(e.args) }

// usagef is a usage error through the catalogue.
func usagef(key string, args ...any) error { return &usageError{key, args} }

// base is what every command has: the environment, its flag set (which
// prints nothing itself: Main prints one line for a bad flag, and help on
// stdout) and its help text.
type base struct {
	env  *Env
	fs   *flag.FlagSet
	help helpText
}

func newBase(name string, env *Env) base {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return base{env: env, fs: fs}
}

func (b *base) commandBase() *base { return b }

// Usage prints the command's help on stdout (help.go).
func (b *base) Usage() { printCommandHelp(b.env, b.fs, b.help) }

// parse parses args and turns flag errors into usage errors; -h prints the
// help and returns flag.ErrHelp.
func (b *base) parse(args []string) error {
	b.fs.Usage = func() {}
	counts := countSets(b.fs)
	if err := b.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			b.Usage()
			return err
		}
		return flagUsageError(err)
	}
	if err := givenOnce(b.fs, counts); err != nil {
		return err
	}
	// PAYOUT_DB is --db when --db is not given: a file or a PostgreSQL URL.
	if f := b.fs.Lookup("db"); f != nil && f.Value.String() == "" {
		if v := b.env.getenv("PAYOUT_DB"); v != "" {
			_ = f.Value.Set(v)
		}
	}
	return nil
}

// A flag given twice is refused: the flag package keeps the last, so
// `release --period 2025-11 … --period 2025-12` would release 2025-12,
// and a command that moves money says what it does once. A list flag
// (listFlag: --pub) is meant to repeat.

// countedValue counts the times its flag is set on the command line.
type countedValue struct {
	flag.Value
	n *int
}

func (c countedValue) Set(s string) error { *c.n++; return c.Value.Set(s) }

// countedBool is a counted boolean flag, still one that takes no value.
type countedBool struct{ countedValue }

func (countedBool) IsBoolFlag() bool { return true }

// countSets makes every flag of fs but the lists count its settings, and
// returns the counts by flag name. A flag set parsed again (bank's flags
// before and after import) keeps counting: `bank --db a import --db b` is
// --db twice.
func countSets(fs *flag.FlagSet) map[string]*int {
	counts := map[string]*int{}
	fs.VisitAll(func(f *flag.Flag) {
		switch v := f.Value.(type) {
		case *listFlag:
		case countedValue:
			counts[f.Name] = v.n
		case countedBool:
			counts[f.Name] = v.n
		default:
			c := countedValue{Value: v, n: new(int)}
			counts[f.Name] = c.n
			if b, ok := v.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				f.Value = countedBool{c}
			} else {
				f.Value = c
			}
		}
	})
	return counts
}

// givenOnce is the usage error of the first flag (by name) set more than
// once.
func givenOnce(fs *flag.FlagSet, counts map[string]*int) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if n := counts[f.Name]; err == nil && n != nil && *n > 1 {
			err = usagef("--%s is given %d times; give it once", f.Name, *n)
		}
	})
	return err
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
	dbUsage     = "store file, or a PostgreSQL URL (postgres://…); default PAYOUT_DB"
	periodUsage = "period: YYYY-MM, current or next"
	outUsage    = "folder for the period's output folder"
)

// shared holds the flags several commands take. A command defines the ones
// it takes, with its own usage text, and reads them back with the methods.
type shared struct {
	db, period, out string
}

func (f *shared) dbFlag(fs *flag.FlagSet, usage string) { fs.StringVar(&f.db, "db", "", usage) }

// dbShown is --db as hints and summaries show it: a PostgreSQL URL without
// its password.
func (f *shared) dbShown() string { return store.DisplayDB(f.db) }

func (f *shared) periodFlag(fs *flag.FlagSet, usage string) {
	fs.StringVar(&f.period, "period", "", usage)
}

func (f *shared) outFlag(fs *flag.FlagSet, value, usage string) {
	fs.StringVar(&f.out, "out", value, usage)
}

// openStore opens the --db store for reading and writing.
func (f *shared) openStore() (*store.Store, error) { return openStore(f.db) }

// openAs opens the --db store for writing as the person running the
// command: the OS account (checked against a typed --user) before the store
// is opened, then, on PostgreSQL, the session user the server
// authenticated. The caller closes the store.
func (f *shared) openAs(env *Env, typed string) (*store.Store, store.Actor, error) {
	by, err := env.actorFor(f.db, typed)
	if err != nil {
		return nil, store.Actor{}, err
	}
	s, err := f.openStore()
	if err != nil {
		return nil, store.Actor{}, err
	}
	if by, err = storeActor(s, by, typed); err != nil {
		s.Close()
		return nil, store.Actor{}, err
	}
	return s, by, nil
}

// openStoreReadOnly opens the --db store read-only, for the commands that
// change nothing (an auditor with read access can run them).
func (f *shared) openStoreReadOnly() (*store.Store, error) {
	if f.db == "" {
		return nil, usagef("--db FILE is required")
	}
	return withReaders(store.OpenReadOnly(f.db, importers.ReadFile))
}

// withReaders gives an opened store the importers' reader of a file stored
// in pieces, so that a large stored file is parsed as it is read.
func withReaders(s *store.Store, err error) (*store.Store, error) {
	if err == nil {
		s.StreamWith(importers.ReadStored)
	}
	return s, err
}

// parsePeriod parses --period.
func (f *shared) parsePeriod(env *Env) (payout.Period, error) { return periodFlag(env, f.period) }

// openStore opens the store at path with the importers' file reader.
func openStore(path string) (*store.Store, error) {
	if path == "" {
		return nil, usagef("--db FILE is required")
	}
	return withReaders(store.Open(path, importers.ReadFile))
}

// periodFlag parses --period: YYYY-MM, or "current"/"next" from the clock.
func periodFlag(env *Env, s string) (payout.Period, error) {
	now := env.Now().In(oslo) // the month it is in Oslo
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

var _ = messages(
	msg{"store file, or a PostgreSQL URL (postgres://…); default PAYOUT_DB", "lagerfilen, eller en PostgreSQL-URL (postgres://…); standard PAYOUT_DB"},
	msg{"period: YYYY-MM, current or next", "periode: ÅÅÅÅ-MM, current (inneværende) eller next (neste)"},
	msg{"folder for the period's output folder", "mappen der periodens utdatamappe legges"},
	msg{"--db", "--db"},
	msg{"--db FILE is required", "--db FILE er påkrevd"},
	msg{"--period is required (YYYY-MM, current or next)", "--period er påkrevd (ÅÅÅÅ-MM, current eller next)"},
	msg{"--period: %v", "--period: %v"},
	msg{"--%s: %v", "--%s: %v"},
	msg{"--out DIR is required", "--out DIR er påkrevd"},
	msg{"--out", "--out"},
)
