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
	c.fs.Usage = c.Usage
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
	fmt.Fprintf(env.Stdout, "store %s: %d input files (digest %s)\n", s.Path(), len(st.FileIDs), st.Digest[:12])
	if len(runs) == 0 {
		fmt.Fprintln(env.Stdout, "no runs yet")
		return nil
	}
	fmt.Fprintf(env.Stdout, "%-8s %-9s %20s %7s  %-10s  %-26s %-26s %s\n", "period", "status", "total", "payees", "pay date", "attested", "approved", "released")
	for i := range runs {
		r := &runs[i]
		fmt.Fprintf(env.Stdout, "%-8s %-9s %20s %7s  %-10s  %-26s %-26s %s\n", r.Period, r.Status, formatKroner(r.Total),
			formatCount(r.Payees), r.PayDate, person(r.AttestedBy, r.AttestedAt), person(r.ApprovedBy, r.ApprovedAt), released(r))
	}
	for i := range runs {
		for _, w := range runWarnings(env, &runs[i], st) {
			fmt.Fprintf(env.Stdout, "warning: %s\n", w)
		}
	}
	return nil
}

// person is "name 2022-09-20 08:00 UTC", or "-" when nobody yet.
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
		y, m, d := r.Release.ReleasedAt.Date()
		if on := payout.NewDate(y, int(m), d); on > deadline {
			out = append(out, fmt.Sprintf("%s was released on %s, later than two banking days before the payment date %s (last day %s)", r.Period, on, r.PayDate, deadline))
		}
		return out
	}
	if r.InputDigest != st.Digest {
		out = append(out, fmt.Sprintf("%s: inputs changed since the run was computed at %s; run it again before attest, approve and release", r.Period, when(r.ComputedAt)))
	}
	if today(env) > deadline {
		out = append(out, fmt.Sprintf("%s is not released and the last day to release (%s) has passed: the payment on %s will be late", r.Period, deadline, r.PayDate))
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
	w := env.Stdout
	fmt.Fprintf(w, "period        %s\nstatus        %s\n", r.Period, r.Status)
	fmt.Fprintf(w, "as-of         %s\npayment date  %s (release by %s)\n", r.AsOf, r.PayDate, payout.ReleaseDeadline(p))
	fmt.Fprintf(w, "total         %s\nagreements    %s\npayees        %s\nlines         %s\nwarnings      %d\n",
		formatKroner(r.Total), formatCount(r.Agreements), formatCount(r.Payees), formatCount(r.Lines), r.Warnings)
	fmt.Fprintf(w, "computed      %s (computation %d, inputs %s)\n", when(r.ComputedAt), r.Computations, r.InputDigest[:12])
	fmt.Fprintf(w, "attested      %s\napproved      %s\nreleased      %s\n", person(r.AttestedBy, r.AttestedAt), person(r.ApprovedBy, r.ApprovedAt), released(r))
	if r.Release != nil {
		fmt.Fprintf(w, "manifest      %s\nprevious      %s\n", r.Release.ManifestSHA256, orNone(r.Release.PreviousSHA256))
	}
	for _, x := range runWarnings(env, r, st) {
		fmt.Fprintf(w, "warning: %s\n", x)
	}
	events, err := s.Events(p.String())
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\naudit log:")
	for _, e := range events {
		fmt.Fprintf(w, "  %s  %-8s %-10s %s\n", when(e.At), e.Action, e.User, e.Detail)
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
		ps, found := checkReleasedFolder(out, &rels[i])
		if found {
			checked++
		}
		problems = append(problems, ps...)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problem(s) found:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	st, err := s.State()
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "ok: %d release(s), hash chain intact; %d input file(s) match their digests; %d released folder(s) under %s verified\n",
		len(rels), len(st.FileIDs), checked, out)
	return nil
}

// checkReleasedFolder verifies out/P against the release (see
// bundle.CheckReleased), as sentences for the operator.
func checkReleasedFolder(out string, r *store.Release) (problems []string, found bool) {
	errs, found := bundle.CheckReleased(out, r.Period, r.ManifestSHA256)
	for _, err := range errs {
		msg := err.Error()
		if errors.Is(err, bundle.ErrNotRecorded) {
			msg += " (changed, or the release was interrupted: run 'payout release' again)"
		}
		problems = append(problems, msg)
	}
	return problems, found
}
