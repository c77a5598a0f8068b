package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// runCommand computes one period, from a fixture folder or from the store,
// and writes its review files. With --db it also stores the run (status
// computed), replacing a computed or attested one. Any error writes nothing.
type runCommand struct {
	base
	shared
	fixtures, asOf, user string
	reopen, supplement   bool
}

func newRunCommand(env *Env) command {
	c := &runCommand{base: newBase("run", env)}
	c.periodFlag(c.fs, "period to compute: YYYY-MM, current or next")
	c.fs.StringVar(&c.fixtures, "fixtures", "", "fixture folder to compute from (without --db)")
	c.dbFlag(c.fs, "store to compute from; the run is stored")
	c.outFlag(c.fs, "out", outUsage)
	c.fs.StringVar(&c.asOf, "as-of", "", "knowledge cut-off YYYY-MM-DD (default: the payment date)")
	c.fs.StringVar(&c.user, "user", "", userUsage)
	c.fs.BoolVar(&c.reopen, "reopen", false, "with --db: replace an approved, unreleased run (voids its attestation and approval)")
	c.fs.BoolVar(&c.supplement, "supplement", false, "with --db: a supplement of the released period, paying again exactly its payments the bank rejected (to the payees' corrected accounts)")
	c.help = helpText{
		synopsis: []string{
			"payout run --period P --fixtures DIR [--out DIR] [--as-of DATE]",
			"payout run --period P --db FILE [--out DIR] [--as-of DATE] [--reopen]",
			"payout run --period P --db FILE --supplement [--reopen]",
		},
		required: "--period, and --fixtures or --db",
		example:  "payout run --period 2022-12 --fixtures fixtures/oslo --out out",
	}
	return c
}

func (c *runCommand) Run(_ context.Context, args []string) error {
	if err := c.parseOnly(args); err != nil {
		return err
	}
	p, err := c.parsePeriod(c.env)
	if err != nil {
		return err
	}
	asOf, err := dateFlag("as-of", c.asOf)
	if err != nil {
		return err
	}
	switch {
	case c.supplement && (c.db == "" || c.fixtures != "" || c.asOf != ""):
		return usagef("--supplement takes --db FILE (and neither --fixtures nor --as-of): a supplement pays again what a released period's bank rejected")
	case c.supplement:
		return c.runSupplement(p)
	case c.db != "" && c.fixtures != "":
		return usagef("give either --fixtures DIR or --db FILE, not both (import the folder with 'payout import')")
	case c.db == "" && c.fixtures == "":
		return usagef("--fixtures DIR or --db FILE is required")
	case c.db != "":
		if w := payout.WhatIf(p, asOf); w != "" {
			return usagef("%s: a run from the store can be released, so it sees what was known by the payment date at the latest (run a what-if from a fixture folder)", w)
		}
		return c.fromStore(p, asOf)
	}
	return c.fromFolder(p, asOf)
}

func (c *runCommand) fromFolder(p payout.Period, asOf payout.Date) error {
	env := c.env
	prog := newProgress(env)
	defer prog.Done()
	prog.Stage(env.tr("reading %s", c.fixtures))
	reportSkipped(env, c.fixtures)
	// The importers' warnings (an orphan list) are the engine's too, so
	// they are printed once, with the run's, from either source.
	in, opt, _, err := fixtureInputs(c.fixtures, p, asOf)
	if err != nil {
		return err
	}
	prog.Stage(env.tr("computing %s", p))
	opt.Progress, opt.ChainsDone = prog.Count, collectDropped
	// Only the records the outputs read are kept past the compute (taken
	// before it, so that in is not live after it): the rest, the bulk of the
	// heap, is garbage as soon as Compute returns (issue 16).
	outIn := bundle.OutputInputs(in)
	res, err := computeChecked(in, p, opt)
	if err != nil {
		return err
	}
	prog.Stage(env.tr("writing the outputs"))
	if _, err := bundle.Write(c.out, res, outIn, nil); err != nil {
		return err
	}
	prog.Done()
	printRunWarnings(env, res)
	printRunSummary(env, res, bundle.Dir(c.out, p), "", 0)
	return nil
}

func (c *runCommand) fromStore(p payout.Period, asOf payout.Date) error {
	env := c.env
	s, by, err := c.openAs(env, c.user)
	if err != nil {
		return err
	}
	defer s.Close()
	// Refuse a released or approved period before the work of computing it.
	if prev, err := s.Run(p); err == nil {
		if err := prev.Replaceable(c.reopen); err != nil {
			return err
		}
	} else if !errors.Is(err, store.ErrNoRun) {
		return err
	}
	prog := newProgress(env)
	defer prog.Done()
	prog.Stage(env.tr("reading the store"))
	in, state, err := s.Inputs()
	if err != nil {
		return err
	}
	released, err := s.Released()
	if err != nil {
		return err
	}
	prog.Stage(env.tr("computing %s", p))
	opt := released.Options(p, asOf, in)
	opt.Progress, opt.ChainsDone = prog.Count, collectDropped
	// As in fromFolder: only the records the outputs read are kept past the
	// compute, taken before it, so that the rest are garbage as soon as the
	// engine lets them go (issue 16).
	outIn := bundle.OutputInputs(in)
	res, err := computeChecked(in, p, opt)
	if err != nil {
		return err
	}
	// The files are rendered and written before the run is stored, so that
	// a result the outputs cannot show, or whose files cannot be written,
	// is never stored: they are written to temporary names as they are
	// rendered (as fromFolder's bundle.Write does), made durable while the
	// store's transaction stores the result (the flush waits for the disk),
	// and moved into place inside the transaction, before its commit, so
	// the store never points at a run whose files were not written. The
	// transaction begins, checks the run and stores its lines and payments
	// while the files are rendered (StartSave), and its JSON is made
	// meanwhile too. The folder's lock is taken before the store's, as by
	// every command that takes both (a release writes its folder after its
	// transaction).
	prog.Stage(env.tr("writing the outputs"))
	dir, err := filepath.Abs(bundle.Dir(c.out, p))
	if err != nil {
		return err
	}
	staged, err := bundle.Reserve(c.out, p, storePerm(s))
	if err != nil {
		return c.notWritten(p, err)
	}
	defer staged.Close()
	saving := s.StartSave(res, state, store.SaveOptions{At: env.when(), By: by, Reopen: c.reopen, OutDir: dir})
	defer saving.Close()
	if err := staged.Render(res, outIn); err != nil {
		return c.notWritten(p, err)
	}
	go staged.Flush() // its error is Commit's
	rendered := staged.Bundle()
	digest := manifestDigest(rendered)
	run, replaced, err := saving.Finish(rendered.Manifest.RunSHA256, digest, func() (string, error) {
		if _, err := staged.Commit(); err != nil {
			return "", c.notWritten(p, err)
		}
		return digest, nil
	})
	if err != nil {
		return err
	}
	prog.Done()
	note := env.tr("%s: run of %s stored as computed (computation %d)", c.dbShown(), p, run.Computations)
	if replaced != "" {
		note += env.tr(", replacing the %s run", statusText(env, replaced))
	}
	rejected, err := openRejections(env, s, p)
	if err != nil {
		return err
	}
	printRunWarnings(env, res)
	for _, line := range rejected {
		env.errf("warning: %s\n", line)
	}
	// The summary counts every warning printed (issue 11).
	printRunSummary(env, res, bundle.Dir(c.out, p), note, len(rejected))
	return nil
}

// notWritten says that the run is not stored when its files could not be
// written (a bundle.WriteError), else returns err as it is (a result the
// outputs cannot show).
func (c *runCommand) notWritten(p payout.Period, err error) error {
	var we *bundle.WriteError
	if errors.As(err, &we) {
		return errorf("the files of %s could not be written, so the run is not stored: %w", p, err)
	}
	return err
}

// openRejections are the warnings of every payment of an earlier period
// that the bank rejected and nobody has paid again (issue 13): the run of
// P+1 never carries it silently, nor drops it.
func openRejections(env *Env, s *store.Store, p payout.Period) ([]string, error) {
	items, _, err := openItems(s)
	if err != nil || items == nil {
		return nil, err
	}
	return openRejectionLines(env, s, items.OpenRejections(p-1))
}

// storePerm shares the files written for a store as the store is shared.
func storePerm(s *store.Store) bundle.Perm {
	if gid, ok := s.Shared(); ok {
		return bundle.Shared(gid)
	}
	return bundle.Private
}

// manifestDigest is the SHA-256 of a rendered folder's manifest.json.
func manifestDigest(b *bundle.Bundle) string {
	m := b.File(bundle.ManifestJSON)
	if m == nil {
		return ""
	}
	return manifest.Digest(m.Name, m.Data).SHA256
}

// collectDropped is the engine's ChainsDone: a collection at the one moment
// the process knows most of its heap has just become garbage. The records
// the chains read (≈ 100 MiB of Norway's 120 MiB live) were live at the
// last collection, which the load or the index started, so the heap goal
// it set is about twice them; without a collection here the lines,
// payments and the first rendered files pile up to that goal before the
// next one finds them gone (issue 16: run's peak RSS ≈ 1.2× check's, which
// ends before it). Collected here, the memory they held is reused by what
// follows. The mark sees only the live ≈ 20 MiB (a few milliseconds); no
// setting of the collector is changed.
func collectDropped() { runtime.GC() }

// computeChecked computes P and checks the controls of RULEBOOK §8:
// Compute evaluates them and fails with ErrInvariant on any failed one, so
// they are not evaluated a second time here (their sets of 10 000 lines
// would be garbage made while the heap still holds the inputs, issue 16).
func computeChecked(in *payout.Inputs, p payout.Period, opt payout.Options) (*payout.Result, error) {
	res, err := payout.Compute(in, p, opt)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// printLoadWarnings prints the importers' warnings; their text (file,
// line, record) is the importers', only the label is translated.
func printLoadWarnings(env *Env, warns []payout.Warning) {
	for _, x := range warns {
		env.errf("warning: %s\n", fmt.Sprintf("%s %s %s", x.Code, x.AgreementID, x.Msg))
	}
}

// maxPrinted caps the warnings printed one by one; the rest are in
// report.xlsx, and the summary counts them all.
const maxPrinted = 20

// printRunWarnings prints the run's warnings, as many as the summary's
// "warnings N" counts (RULEBOOK §8: they never block payment).
func printRunWarnings(env *Env, res *payout.Result) {
	for i, x := range res.Warnings {
		if i == maxPrinted {
			env.errf("warning: … and %s more, listed in report.xlsx\n", formatCount(len(res.Warnings)-maxPrinted))
			return
		}
		parts := []string{x.Code, x.AgreementID, x.Msg}
		env.errf("warning: %s\n", strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " "))
	}
}

// printRunSummary prints the run's summary; its warnings count the run's
// and the extra ones the command printed beside them (the store's open bank
// rejections), so the count always agrees with the warnings shown.
func printRunSummary(env *Env, res *payout.Result, dir, note string, extra int) {
	agreements := map[string]bool{}
	for _, l := range res.Lines {
		agreements[l.AgreementID] = true
	}
	fields := []field{
		{"period", res.Period.String()},
		{"as-of", res.AsOf.String()},
		{"payment date", res.PayDate.String()},
		{"agreements", formatCount(len(agreements))},
		{"payees", formatCount(len(res.Payments))},
		{"total", formatKroner(res.Total)},
		{"warnings", formatCount(len(res.Warnings) + extra)},
		{"files", dir},
	}
	if wi := payout.WhatIf(res.Period, res.AsOf); wi != "" {
		fields = append(fields[:2], append([]field{{"what-if", env.tr("%s: not a run that can be released", wi)}}, fields[2:]...)...)
	}
	if note != "" {
		fields = append(fields, field{"store", note})
	}
	printFields(env, fields)
}

var _ = messages(
	msg{"with --db: a supplement of the released period, paying again exactly its payments the bank rejected (to the payees' corrected accounts)",
		"med --db: en tilleggsutbetaling for den frigitte perioden, som betaler på nytt nøyaktig de betalingene banken avviste (til mottakernes rettede kontoer)"},
	msg{"--supplement takes --db FILE (and neither --fixtures nor --as-of): a supplement pays again what a released period's bank rejected",
		"--supplement krever --db FILE (og verken --fixtures eller --as-of): en tilleggsutbetaling betaler på nytt det banken avviste i en frigitt periode"},
	msg{"period to compute: YYYY-MM, current or next", "perioden som skal beregnes: ÅÅÅÅ-MM, current (inneværende) eller next (neste)"},
	msg{"fixture folder to compute from (without --db)", "fixturmappen det beregnes fra (uten --db)"},
	msg{"store to compute from; the run is stored", "lageret det beregnes fra; kjøringen lagres"},
	msg{"knowledge cut-off YYYY-MM-DD (default: the payment date)", "kunnskapsdato ÅÅÅÅ-MM-DD (standard: utbetalingsdatoen)"},
	msg{"with --db: replace an approved, unreleased run (voids its attestation and approval)",
		"med --db: erstatt en godkjent, ikke frigitt kjøring (attestasjon og godkjenning faller bort)"},
	msg{"--period, and --fixtures or --db", "--period, og --fixtures eller --db"},
	msg{"what-if", "hva-om"},
	msg{"%s: not a run that can be released", "%s: ikke en kjøring som kan frigis"},
	msg{"%s: a run from the store can be released, so it sees what was known by the payment date at the latest (run a what-if from a fixture folder)",
		"%s: en kjøring fra lageret kan frigis, og ser derfor det som var kjent senest på utbetalingsdatoen (kjør en hva-om fra en fixturmappe)"},
	msg{"warning: … and %s more, listed in report.xlsx\n", "advarsel: … og %s til, i report.xlsx\n"},
)

var _ = messages(
	msg{"reading %s", "leser %s"},
	msg{"computing %s", "beregner %s"},
	msg{"writing the outputs", "skriver utdata"},
	msg{"reading the store", "leser lageret"},
	msg{"give either --fixtures DIR or --db FILE, not both (import the folder with 'payout import')",
		"oppgi enten --fixtures DIR eller --db FILE, ikke begge (les inn mappen med 'payout import')"},
	msg{"--fixtures DIR or --db FILE is required", "--fixtures DIR eller --db FILE er påkrevd"},
	msg{"the files of %s could not be written, so the run is not stored: %w",
		"filene for %s kunne ikke skrives, så kjøringen er ikke lagret: %w"},
	msg{"%s: run of %s stored as computed (computation %d)", "%s: kjøringen for %s er lagret som beregnet (beregning %d)"},
	msg{", replacing the %s run", ", erstatter den %s kjøringen"},
	msg{"warning: %s\n", "advarsel: %s\n"},
	msg{"period", "periode"},
	msg{"as-of", "kunnskapsdato"},
	msg{"payment date", "utbetalingsdato"},
	msg{"agreements", "avtaler"},
	msg{"payees", "mottakere"},
	msg{"total", "sum"},
	msg{"warnings", "advarsler"},
	msg{"files", "filer"},
	msg{"store", "lager"},
)
