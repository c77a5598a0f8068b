// Command payout runs Oslo kommune's monthly basistilskudd and driftstilskudd
// payout batch: compute, explain, verify, and the store's lifecycle of import,
// attest, approve and release. Each subcommand lives in its own file and
// registers itself with register; main is the only place that exits.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/oslokommune/payout/payout"
)

// Env is what a command may touch of the outside world; tests give their own.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	// Now is the injected clock. The binary reads PAYOUT_NOW (RFC 3339) when
	// set, so a scheduled job or a test can pin the time.
	Now func() time.Time
	// StderrIsTerminal turns on progress output for long work.
	StderrIsTerminal bool
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]command{}

func register(name, summary string, run func(ctx context.Context, env *Env, args []string) error) {
	commands[name] = command{summary: summary, run: run}
}

// usageError is bad usage: exit status 2 with a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// newFlags returns a flag set that reports errors to us instead of exiting.
func newFlags(name string, env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parseFlags parses args and turns flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	return nil
}

func main() {
	env := &Env{Stdout: os.Stdout, Stderr: os.Stderr, Now: clockFromEnv()}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		env.StderrIsTerminal = true
	}
	os.Exit(Main(context.Background(), env, os.Args[1:]))
}

// Main runs one command line and returns the exit status: 0 success, 1 bad
// input or a failed control, 2 bad usage.
func Main(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(env.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "payout: unknown command %q\nTry: payout help\n", args[0])
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "payout %s: %s\nTry: payout %s -h\n", args[0], ue.msg, args[0])
		return 2
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(env.Stderr, "payout %s: %s\n", args[0], line)
	}
	return 1
}

func printUsage(w io.Writer) {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "payout: Oslo kommune's monthly basistilskudd and driftstilskudd payout")
	fmt.Fprintln(w, "\nUsage: payout COMMAND [flags]\n\nCommands:")
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'payout COMMAND -h' for a command's flags.")
}

func clockFromEnv() func() time.Time {
	if s := os.Getenv("PAYOUT_NOW"); s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return func() time.Time { return t }
		}
	}
	return time.Now
}

// parseFlagsOnly is parseFlags for commands that take no arguments besides
// their flags: a stray word is a usage error, not silently ignored.
func parseFlagsOnly(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
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
