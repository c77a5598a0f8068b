package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// statusCommand shows where each period stands; --check verifies the
// store's hash chain, released results and input files (and, when the
// output folder is there, the released files on disk).
type statusCommand struct {
	base
	shared
	check bool
}

func newStatusCommand(env *Env) command {
	c := &statusCommand{base: newBase("status", env)}
	c.dbFlag(c.fs, dbUsage)
	c.periodFlag(c.fs, "show one period in detail, with its audit log")
	c.fs.BoolVar(&c.check, "check", false, "verify the hash chain of releases, stored results and input files; exit 1 on any problem")
	c.outFlag(c.fs, "out", "with --check: the output folder whose released files are verified too")
	c.help = helpText{
		synopsis: []string{"payout status --db FILE [--period P] [--check [--out DIR]]"},
		required: "--db",
		example:  "payout status --db payout.db --check",
	}
	return c
}

func (c *statusCommand) Run(_ context.Context, args []string) error {
	env := c.env
	if err := c.parseOnly(args); err != nil {
		return err
	}
	s, err := c.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	if c.check {
		return checkStore(env, s, c.out)
	}
	if c.period != "" {
		p, err := c.parsePeriod(env)
		if err != nil {
			return err
		}
		return periodStatus(env, s, p)
	}
	return allStatus(env, s)
}

func allStatus(env *Env, s *store.Store) error {
	runs, err := s.Runs()
	if err != nil {
		return err
	}
	st, err := s.State()
	if err != nil {
		return err
	}
	env.outf("store %s: %s input files (digest %s)\n", s.Path(), formatCount(len(st.FileIDs)), st.Digest[:12])
	if len(runs) == 0 {
		env.outf("no runs yet\n")
		return nil
	}
	const row = "%-8s %-9s %20s %9s  %-10s  %-26s %-26s %s\n"
	fmt.Fprintf(env.Stdout, row, env.tr("period"), env.tr("status"), env.tr("total"), env.tr("payees"),
		env.tr("pay date"), env.tr("attested"), env.tr("approved"), env.tr("released"))
	for i := range runs {
		r := &runs[i]
		fmt.Fprintf(env.Stdout, row, r.Period, statusText(env, r.Status), formatKroner(r.Total),
			formatCount(r.Payees), r.PayDate, person(r.AttestedBy, r.AttestedAt), person(r.ApprovedBy, r.ApprovedAt), released(r))
	}
	for i := range runs {
		for _, w := range runWarnings(env, &runs[i], st) {
			env.outf("warning: %s\n", w)
		}
	}
	return nil
}

// person is "name 2022-09-20 10:00 CEST", or "-" when nobody yet.
func person(name string, at time.Time) string {
	if name == "" {
		return "-"
	}
	return name + " " + when(at)
}

func released(r *store.Run) string {
	if r.Release == nil {
		return "-"
	}
	return person(r.Release.ReleasedBy, r.Release.ReleasedAt)
}

// runWarnings: a release later than two banking days before the payment
// date, inputs changed under an unreleased run, a deadline passed.
func runWarnings(env *Env, r *store.Run, st store.InputState) []string {
	var out []string
	deadline := payout.ReleaseDeadline(r.Period)
	if r.Release != nil {
		if on := osloDate(r.Release.ReleasedAt); on > deadline {
			out = append(out, env.tr("%s was released on %s, later than two banking days before the payment date %s (last day %s)", r.Period, on, r.PayDate, deadline))
		}
		return out
	}
	if r.InputDigest != st.Digest {
		out = append(out, env.tr("%s: inputs changed since the run was computed at %s; run it again before attest, approve and release", r.Period, when(r.ComputedAt)))
	}
	if today(env) > deadline {
		out = append(out, env.tr("%s is not released and the last day to release (%s) has passed: the payment on %s will be late", r.Period, deadline, r.PayDate))
	}
	return out
}

func periodStatus(env *Env, s *store.Store, p payout.Period) error {
	r, err := s.Run(p)
	if err != nil {
		return err
	}
	st, err := s.State()
	if err != nil {
		return err
	}
	fields := []field{
		{"period", r.Period.String()},
		{"status", statusText(env, r.Status)},
		{"as-of", r.AsOf.String()},
		{"payment date", env.tr("%s (release by %s)", r.PayDate, payout.ReleaseDeadline(p))},
		{"total", formatKroner(r.Total)},
		{"agreements", formatCount(r.Agreements)},
		{"payees", formatCount(r.Payees)},
		{"lines", formatCount(r.Lines)},
		{"warnings", formatCount(r.Warnings)},
		{"computed", env.tr("%s (computation %d, inputs %s)", when(r.ComputedAt), r.Computations, r.InputDigest[:12])},
		{"attested", person(r.AttestedBy, r.AttestedAt)},
		{"approved", person(r.ApprovedBy, r.ApprovedAt)},
		{"released", released(r)},
	}
	if r.Release != nil {
		fields = append(fields, field{"manifest", r.Release.ManifestSHA256}, field{"previous", orNone(env, r.Release.PreviousSHA256)})
	}
	printFields(env, fields)
	for _, x := range runWarnings(env, r, st) {
		env.outf("warning: %s\n", x)
	}
	events, err := s.Events(p.String())
	if err != nil {
		return err
	}
	env.outf("\naudit log:\n")
	for _, e := range events {
		// The action and detail are the store's record, shown as stored.
		fmt.Fprintf(env.Stdout, "  %s  %-8s %-10s %s\n", when(e.At), e.Action, e.User, e.Detail)
	}
	return nil
}

// checkStore runs the store's checks and verifies the released folders
// found under out; any problem is an error (exit 1).
func checkStore(env *Env, s *store.Store, out string) error {
	problems, err := s.Check()
	if err != nil {
		return err
	}
	rels, err := s.Releases()
	if err != nil {
		return err
	}
	checked := 0
	for i := range rels {
		ps, found := checkReleasedFolder(env, out, &rels[i])
		if found {
			checked++
		}
		problems = append(problems, ps...)
	}
	if len(problems) > 0 {
		return errorf("%d problem(s) found:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	st, err := s.State()
	if err != nil {
		return err
	}
	env.outf("ok: %d release(s), hash chain intact; %d input file(s) match their digests; %d released folder(s) under %s verified\n",
		len(rels), len(st.FileIDs), checked, out)
	return nil
}

// checkReleasedFolder verifies out/P against the release (see
// bundle.CheckReleased), as sentences for the operator.
func checkReleasedFolder(env *Env, out string, r *store.Release) (problems []string, found bool) {
	errs, found := bundle.CheckReleased(out, r.Period, r.ManifestSHA256)
	for _, err := range errs {
		msg := err.Error()
		if errors.Is(err, bundle.ErrNotRecorded) {
			msg += env.tr(" (changed, or the release was interrupted: run 'payout release' again)")
		}
		problems = append(problems, msg)
	}
	return problems, found
}

var _ = messages(
	msg{"show one period in detail, with its audit log", "vis én periode i detalj, med revisjonsloggen"},
	msg{"verify the hash chain of releases, stored results and input files; exit 1 on any problem",
		"kontroller hashkjeden av frigivelser, lagrede resultater og inndatafiler; status 1 ved ethvert problem"},
	msg{"store %s: %s input files (digest %s)\n", "lager %s: %s inndatafiler (sum %s)\n"},
	msg{"no runs yet\n", "ingen kjøringer ennå\n"},
	msg{"status", "status"},
	msg{"pay date", "utbet.dato"},
	msg{"%s was released on %s, later than two banking days before the payment date %s (last day %s)",
		"%s ble frigitt %s, senere enn to bankdager før utbetalingsdatoen %s (siste dag %s)"},
	msg{"%s: inputs changed since the run was computed at %s; run it again before attest, approve and release",
		"%s: inndata er endret siden kjøringen ble beregnet %s; kjør den på nytt før attestasjon, godkjenning og frigivelse"},
	msg{"%s is not released and the last day to release (%s) has passed: the payment on %s will be late",
		"%s er ikke frigitt og siste frigivelsesdag (%s) er passert: utbetalingen %s blir forsinket"},
	msg{"%s (release by %s)", "%s (frigis innen %s)"},
	msg{"lines", "linjer"},
	msg{"%s (computation %d, inputs %s)", "%s (beregning %d, inndata %s)"},
	msg{"previous", "forrige"},
	msg{"\naudit log:\n", "\nrevisjonslogg:\n"},
	msg{"%d problem(s) found:\n%s", "%d problem(er) funnet:\n%s"},
	msg{"ok: %d release(s), hash chain intact; %d input file(s) match their digests; %d released folder(s) under %s verified\n",
		"ok: %d frigivelse(r), hashkjeden er intakt; %d inndatafil(er) stemmer med sine summer; %d frigitt(e) mappe(r) under %s kontrollert\n"},
	msg{" (changed, or the release was interrupted: run 'payout release' again)", " (endret, eller frigivelsen ble avbrutt: kjør 'payout release' på nytt)"},
	msg{"with --check: the output folder whose released files are verified too", "med --check: utdatamappen der de frigitte filene også kontrolleres"},
)
