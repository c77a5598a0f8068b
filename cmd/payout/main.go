// Command payout runs Oslo kommune's monthly basistilskudd and driftstilskudd
// payout batch: compute, explain, verify, and the store's lifecycle of import,
// attest, approve and release.
//
// Each subcommand is one type in its own file, with its flag set, Run and
// Usage; the table in this file lists them all. main is the only place that
// exits: Main maps a command's error to the exit status (0 success, 1 bad
// input or a failed control, 2 bad usage with a one-line "Try: …" hint).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/oslokommune/payout/payout/store"
	"golang.org/x/text/language"
)

// Env is what a command may touch of the outside world; tests give their own.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	// Now is the clock for periods (current, next) and lateness: the
	// binary pins it with PAYOUT_NOW (clock.go).
	Now func() time.Time
	// Pinned says Now is pinned; Real is the system clock, which the audit
	// log always records (never pinned).
	Pinned bool
	Real   func() time.Time
	// Actor is the authenticated account running the command (the
	// operating-system account in the binary).
	Actor func() (store.Actor, error)
	// Getenv reads the environment (PAYOUT_RELEASE_KEY, PAYOUT_RELEASE_PUB).
	Getenv func(string) string
	// StderrIsTerminal turns on progress output for long work.
	StderrIsTerminal bool
	// Lang is the language of the messages (messages.go); the zero value
	// is English.
	Lang language.Tag
}

// command is one subcommand. Run parses the command's flags from args and
// does the work; Usage prints what -h prints.
type command interface {
	Run(ctx context.Context, args []string) error
	Usage()
}

// commands is every subcommand, in the order `payout help` lists them.
var commands = []struct {
	name, summary string
	new           func(*Env) command
}{
	{"approve", "approve a period's attested run (second person, not the one who attested)", newApproveCommand},
	{"attest", "record that you checked a period's computed run (first person)", newAttestCommand},
	{"bank", "import the bank's answers (pain.002, camt.054) to released payment files and reconcile", newBankCommand},
	{"check", "validate input files without computing: every problem at once", newCheckCommand},
	{"due", "what must still happen before the next payment date; exit 1 when it would be late", newDueCommand},
	{"explain", "day-by-day trace of one agreement, rule by rule", newExplainCommand},
	{"export", "write the auditor's fixture folder of a stored run: the inputs it read and what the store knew", newExportCommand},
	{"generate", "write a synthetic fixture folder (oslo, norway, small) from a seed", newGenerateCommand},
	{"import", "load fixture folders or single files into the store (idempotent)", newImportCommand},
	{"init", "create a store (--group: shared by the clerks of a group)", newInitCommand},
	{"keygen", "make a release signing key (release.key for the releaser, release.pub for the checkers)", newKeygenCommand},
	{"release", "write payments.xml for an approved run and mark it released (once per period)", newReleaseCommand},
	{"run", "compute a period and write its review files (with --db: store the run)", newRunCommand},
	{"statement", "write each payee's statement of a year (every released month, the year's total)", newStatementCommand},
	{"status", "where each period stands; --check verifies the release hash chain", newStatusCommand},
	{"template", "write empty .xlsx input templates for bydel staff", newTemplateCommand},
	{"verify", "auditor's re-run: recompute a month and compare every output byte for byte", newVerifyCommand},
}

var _ = messages(
	msg{"approve a period's attested run (second person, not the one who attested)", "godkjenn en periodes attesterte kjøring (andre person, ikke den som attesterte)"},
	msg{"import the bank's answers (pain.002, camt.054) to released payment files and reconcile", "les inn bankens svar (pain.002, camt.054) på utbetalingsfiler og avstem"},
	msg{"record that you checked a period's computed run (first person)", "registrer at du har kontrollert en periodes beregnede kjøring (første person)"},
	msg{"validate input files without computing: every problem at once", "kontroller inndatafiler uten å beregne: alle problemer på én gang"},
	msg{"what must still happen before the next payment date; exit 1 when it would be late", "hva som gjenstår før neste utbetalingsdato; status 1 når utbetalingen blir forsinket"},
	msg{"day-by-day trace of one agreement, rule by rule", "dag-for-dag-spor av én avtale, regel for regel"},
	msg{"write the auditor's fixture folder of a stored run: the inputs it read and what the store knew",
		"skriv revisorens fixturmappe for en lagret kjøring: inndataene den leste og det lageret visste"},
	msg{"write a synthetic fixture folder (oslo, norway, small) from a seed", "skriv en syntetisk fixturmappe (oslo, norway, small) fra et frø"},
	msg{"load fixture folders or single files into the store (idempotent)", "les fixturmapper eller enkeltfiler inn i lageret (idempotent)"},
	msg{"write payments.xml for an approved run and mark it released (once per period)", "skriv payments.xml for en godkjent kjøring og merk den frigitt (én gang per periode)"},
	msg{"compute a period and write its review files (with --db: store the run)", "beregn en periode og skriv kontrollfilene (med --db: lagre kjøringen)"},
	msg{"where each period stands; --check verifies the release hash chain", "status for hver periode; --check kontrollerer hashkjeden for frigivelser"},
	msg{"write empty .xlsx input templates for bydel staff", "skriv tomme .xlsx-maler for inndata til bydelene"},
	msg{"auditor's re-run: recompute a month and compare every output byte for byte", "revisors etterkjøring: beregn en måned på nytt og sammenlign alle utdata byte for byte"},
)

func main() {
	env, err := envFromOS()
	if err != nil {
		fmt.Fprint(os.Stderr, sprintf(localeLanguage(os.Getenv), "payout: %s\n", err))
		os.Exit(2)
	}
	os.Exit(Main(context.Background(), env, os.Args[1:]))
}

// Main runs one command line and returns the exit status: 0 success, 1 bad
// input or a failed control, 2 bad usage.
func Main(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		printUsage(env, env.Stderr)
		return 2
	}
	switch args[0] {
	case "-h", "--help", "-help":
		printUsage(env, env.Stdout)
		return 0
	case "help":
		return helpCommand(env, args[1:])
	case "--version", "-version", "version":
		fmt.Fprintln(env.Stdout, versionLine())
		return 0
	}
	name := args[0]
	cmd := lookup(env, name)
	if cmd == nil {
		env.errf("payout: %s\n", env.tr("unknown command %q", name))
		env.errf("Try: payout help\n")
		return 2
	}
	return exitStatus(env, name, cmd.Run(ctx, args[1:]))
}

// helpCommand is `payout help [COMMAND]`.
func helpCommand(env *Env, args []string) int {
	if len(args) == 0 {
		printUsage(env, env.Stdout)
		return 0
	}
	cmd := lookup(env, args[0])
	if cmd == nil {
		env.errf("payout: %s\n", env.tr("unknown command %q", args[0]))
		env.errf("Try: payout help\n")
		return 2
	}
	cmd.Usage()
	return 0
}

// exitStatus prints a command's error in the user's language and maps it
// to the exit status.
func exitStatus(env *Env, name string, err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		env.errf("payout %s: %s\n", name, env.errText(ue))
		env.errf("Try: payout %s -h\n", name)
		return 2
	}
	for _, line := range strings.Split(env.errText(err), "\n") {
		env.errf("payout %s: %s\n", name, line)
	}
	return 1
}

// lookup returns a fresh command called name, or nil.
func lookup(env *Env, name string) command {
	for _, c := range commands {
		if c.name == name {
			return c.new(env)
		}
	}
	return nil
}
