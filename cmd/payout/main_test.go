package main

import (
	"bytes"
	"context"
	"flag"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"

	"github.com/stretchr/testify/assert"
)

// The command table: `payout help` lists it in order, so it stays sorted,
// each name once, and each command's flag set carries its table name.
// `payout CMD -h` and `payout help CMD` print the same help on stdout: a
// synopsis, the summary, the required flags, every flag with two dashes,
// and an example.
func TestCommandTable(t *testing.T) {
	var names []string
	seen := map[string]bool{}
	for _, c := range commands {
		assert.False(t, seen[c.name], "%s twice", c.name)
		seen[c.name] = true
		names = append(names, c.name)
		var out, errb bytes.Buffer
		code := Main(context.Background(), testEnv(&out, &errb), []string{c.name, "-h"})
		assert.Equal(t, 0, code, c.name)
		assert.Empty(t, errb.String(), c.name)
		help := out.String()
		assert.True(t, strings.HasPrefix(help, "Usage: payout "+c.name+" "), "%s: %q", c.name, help)
		assert.Contains(t, help, "\n"+c.summary+"\n", c.name)
		assert.Contains(t, help, "\nRequired: ", c.name)
		assert.Contains(t, help, "\nExample:\n  payout "+c.name+" ", c.name)
		assert.NotRegexp(t, `\n  -[a-z]`, help, "%s: a single-dash flag", c.name)
		out.Reset()
		code = Main(context.Background(), testEnv(&out, &errb), []string{"help", c.name})
		assert.Equal(t, 0, code, c.name)
		assert.Equal(t, help, out.String(), "payout help %s", c.name)
	}
	assert.True(t, sort.StringsAreSorted(names), "table order %v", names)
}

// A bad flag exits 2 with one line and one "Try:" line naming the command.
func TestUsageErrorHint(t *testing.T) {
	for _, c := range commands {
		var errb bytes.Buffer
		code := Main(context.Background(), testEnv(&bytes.Buffer{}, &errb), []string{c.name, "--no-such-flag"})
		assert.Equal(t, 2, code, c.name)
		assert.Equal(t, "payout "+c.name+": unknown flag --no-such-flag\nTry: payout "+c.name+" -h\n", errb.String(), c.name)
	}
}

// --version names the build and the engine; help goes to stdout, and no
// command at all is a usage error on stderr.
func TestVersionAndGeneralHelp(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, 0, Main(context.Background(), testEnv(&out, &errb), []string{"--version"}))
	assert.Regexp(t, `^payout \S.* \(engine `+regexp.QuoteMeta(payout.EngineVersion)+`\)\n$`, out.String())
	out.Reset()
	assert.Equal(t, 0, Main(context.Background(), testEnv(&out, &errb), []string{"help"}))
	assert.Contains(t, out.String(), "  verify    ")
	assert.Empty(t, errb.String())
	out.Reset()
	assert.Equal(t, 2, Main(context.Background(), testEnv(&out, &errb), nil))
	assert.Empty(t, out.String())
	assert.Contains(t, errb.String(), "Commands:")
	errb.Reset()
	assert.Equal(t, 2, Main(context.Background(), testEnv(&out, &errb), []string{"help", "nope"}))
	assert.Equal(t, "payout: unknown command \"nope\"\nTry: payout help\n", errb.String())
}

// A flag given twice is a usage error, in every command: the flag package
// would keep the last value (release --period 2025-11 … --period 2025-12
// would release 2025-12). A list flag (--pub) may repeat.
func TestFlagGivenTwice(t *testing.T) {
	checked := 0
	for _, c := range commands {
		b := commandBase(c.new(testEnv(&bytes.Buffer{}, &bytes.Buffer{})))
		if b == nil {
			continue // a command of subcommands: their own flag sets
		}
		var name string
		var isBool bool
		b.fs.VisitAll(func(f *flag.Flag) {
			if _, list := f.Value.(*listFlag); name == "" && !list {
				name = f.Name
				bf, ok := f.Value.(interface{ IsBoolFlag() bool })
				isBool = ok && bf.IsBoolFlag()
			}
		})
		if name == "" {
			continue
		}
		args := []string{c.name, "--" + name + "=a", "--" + name + "=b"}
		if isBool {
			args = []string{c.name, "--" + name, "--" + name}
		}
		var errb bytes.Buffer
		code := Main(context.Background(), testEnv(&bytes.Buffer{}, &errb), args)
		assert.Equal(t, 2, code, "%v", args)
		assert.Equal(t, "payout "+c.name+": --"+name+" is given 2 times; give it once\nTry: payout "+c.name+" -h\n", errb.String(), "%v", args)
		checked++
	}
	assert.Greater(t, checked, 15, "the commands' flags were not found")
	// bank parses its flags on both sides of import: counted across both
	var bankErr bytes.Buffer
	assert.Equal(t, 2, Main(context.Background(), testEnv(&bytes.Buffer{}, &bankErr), []string{"bank", "--db", "a.db", "import", "--db", "b.db", "x.xml"}))
	assert.Contains(t, bankErr.String(), "--db is given 2 times; give it once")
	var errb bytes.Buffer
	Main(context.Background(), testEnv(&bytes.Buffer{}, &errb), []string{"verify", "--pub", "a.pub", "--pub", "b.pub", "--period", "2022-12"})
	assert.NotContains(t, errb.String(), "given 2 times", "--pub repeats")
}
