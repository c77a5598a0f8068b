package main

// Help: `payout help`, `payout help CMD` and `payout CMD -h` print on stdout;
// a bad flag is one line and the hint (Main). The texts are catalogue
// messages; synopses and examples are command lines and stay as they are.

import (
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/oslokommune/payout/payout"
)

// helpText is what `payout CMD -h` prints beside the command's summary and
// flags. A command sets it in its constructor; TestHelp wants every field.
type helpText struct {
	// synopsis is one or more command lines, flags with double dashes.
	synopsis []string
	// required is a catalogue message naming the required flags.
	required string
	// example is one command line that works on the demo data.
	example string
}

// placeholders name a flag's value in the synopsis and the flag list.
var placeholders = map[string]string{
	"db": "FILE", "period": "P", "out": "DIR", "fixtures": "DIR", "as-of": "DATE",
	"user": "NAME", "agreement": "ID", "seed": "N", "preset": "NAME", "margin": "N",
	"kind": "KIND", "key": "FILE", "pub": "FILE", "group": "NAME", "digest": "D",
	"year": "YYYY", "payee": "ID",
}

func printCommandHelp(env *Env, fs *flag.FlagSet, h helpText) {
	name := fs.Name()
	for i, line := range h.synopsis {
		label := env.tr("Usage:")
		if i > 0 {
			label = strings.Repeat(" ", len([]rune(label)))
		}
		fmt.Fprintf(env.Stdout, "%s %s\n", label, line)
	}
	env.outf("\n%s\n", env.tr(commandSummary(name)))
	if h.required != "" {
		env.outf("\nRequired: %s\n", env.tr(h.required))
	}
	env.outf("\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		left := "--" + f.Name
		if p := placeholder(f); p != "" {
			left += " " + p
		}
		usage := env.tr(f.Usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += env.tr(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(env.Stdout, "  %-18s %s\n", left, usage)
	})
	if h.example != "" {
		env.outf("\nExample:\n  %s\n", h.example)
	}
}

// placeholder is a flag's value name; a boolean flag has none.
func placeholder(f *flag.Flag) string {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return ""
	}
	if p, ok := placeholders[f.Name]; ok {
		return p
	}
	return "VALUE"
}

// summaries are the command table's summaries by name, for the help (set
// in init, since the table's constructors print help themselves).
var summaries = map[string]string{}

func init() {
	for _, c := range commands {
		summaries[c.name] = c.summary
	}
}

func commandSummary(name string) string { return summaries[name] }

// printUsage is the general help: every command with its summary.
func printUsage(env *Env, w io.Writer) {
	p := func(key string, args ...any) { fmt.Fprint(w, env.tr(key, args...)) }
	p("payout: Oslo kommune's monthly basistilskudd and driftstilskudd payout\n")
	p("\nUsage: payout COMMAND [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, env.tr(c.summary))
	}
	p("\nRun 'payout help COMMAND' or 'payout COMMAND -h' for a command's flags and an example.\n")
}

// flagUsageError turns the flag package's English error into one
// catalogue line with the flag written as the help writes it (--name).
func flagUsageError(err error) error {
	s := err.Error()
	if name, ok := strings.CutPrefix(s, "flag provided but not defined: "); ok {
		return usagef("unknown flag --%s", strings.TrimLeft(name, "-"))
	}
	if name, ok := strings.CutPrefix(s, "flag needs an argument: "); ok {
		return usagef("flag --%s needs a value", strings.TrimLeft(name, "-"))
	}
	if rest, ok := strings.CutPrefix(s, "invalid value "); ok {
		if value, flagPart, ok := strings.Cut(rest, " for flag "); ok {
			name, _, _ := strings.Cut(flagPart, ":")
			return usagef("invalid value %s for --%s", value, strings.TrimLeft(name, "-"))
		}
	}
	if rest, ok := strings.CutPrefix(s, "invalid boolean value "); ok {
		if value, flagPart, ok := strings.Cut(rest, " for "); ok {
			name, _, _ := strings.Cut(flagPart, ":")
			return usagef("invalid value %s for --%s", value, strings.TrimLeft(name, "-"))
		}
	}
	return usagef("%s", s)
}

// version is the build's version, set with
// -ldflags "-X main.version=v1.2.3"; otherwise the module's version and the
// VCS revision the Go tool recorded.
var version = ""

func versionLine() string {
	v := version
	if v == "" {
		v = "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok {
			if bi.Main.Version != "" {
				v = bi.Main.Version
			}
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					v += " " + s.Value[:12]
				}
			}
		}
	}
	return fmt.Sprintf("payout %s (engine %s)", v, payout.EngineVersion)
}

var _ = messages(
	msg{"Usage:", "Bruk:"},
	msg{"\n%s\n", "\n%s\n"},
	msg{"\nRequired: %s\n", "\nPåkrevd: %s\n"},
	msg{"\nFlags:\n", "\nFlagg:\n"},
	msg{" (default %s)", " (standard %s)"},
	msg{"\nExample:\n  %s\n", "\nEksempel:\n  %s\n"},
	msg{"payout: Oslo kommune's monthly basistilskudd and driftstilskudd payout\n",
		"payout: Oslo kommunes månedlige utbetaling av basistilskudd og driftstilskudd\n"},
	msg{"\nUsage: payout COMMAND [flags]\n\nCommands:\n", "\nBruk: payout KOMMANDO [flagg]\n\nKommandoer:\n"},
	msg{"\nRun 'payout help COMMAND' or 'payout COMMAND -h' for a command's flags and an example.\n",
		"\nKjør 'payout help KOMMANDO' eller 'payout KOMMANDO -h' for kommandoens flagg og et eksempel.\n"},
	msg{"unknown flag --%s", "ukjent flagg --%s"},
	msg{"flag --%s needs a value", "flagget --%s trenger en verdi"},
	msg{"invalid value %s for --%s", "ugyldig verdi %s for --%s"},
	msg{"unexpected argument %q", "uventet argument %q"},
	msg{"--%s is given %d times; give it once", "--%s er oppgitt %d ganger; oppgi det én gang"},
	msg{"unknown command %q", "ukjent kommando %q"},
	msg{"payout: %s\n", "payout: %s\n"},
	msg{"Try: payout help\n", "Prøv: payout help\n"},
	msg{"Try: payout %s -h\n", "Prøv: payout %s -h\n"},
	msg{"payout %s: %s\n", "payout %s: %s\n"},
)
