package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/releasekey"
	"github.com/oslokommune/payout/payout/store"
)

// statusCommand shows where each period stands; --check proves the store
// is what payout wrote (see checkStore). It opens the store read-only, so
// an auditor with read access can run it.
type statusCommand struct {
	base
	shared
	check bool
	pubs  listFlag
}

func newStatusCommand(env *Env) command {
	c := &statusCommand{base: newBase("status", env)}
	c.dbFlag(c.fs, dbUsage)
	c.periodFlag(c.fs, "show one period in detail, with its audit log")
	c.fs.BoolVar(&c.check, "check", false, "verify the store end to end (integrity, audit log, runs against events, signed release chain, released runs recomputed, input digests, released folders); exit 1 on any problem")
	c.outFlag(c.fs, "", "with --check: another output folder to search for released folders the store does not know, or a copy of released folders this account cannot read")
	pubFlag(c.fs, &c.pubs)
	c.help = helpText{
		synopsis: []string{"payout status --db FILE [--period P] [--check [--out DIR] [--pub FILE]]"},
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
	s, err := c.openStoreReadOnly()
	if err != nil {
		return err
	}
	defer s.Close()
	if c.check {
		ring, err := env.trustedKeys(c.pubs)
		if err != nil {
			return err
		}
		return checkStore(env, s, ring, c.out)
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
			formatCount(r.Payees), r.PayDate, person(r.AttestedBy.Name, r.AttestedAt), person(r.ApprovedBy.Name, r.ApprovedAt), released(r))
	}
	sups, err := s.Supplements(0)
	if err != nil {
		return err
	}
	for i := range sups {
		sp := &sups[i]
		rel := "-"
		if sp.Release != nil {
			rel = person(sp.Release.ReleasedBy.Name, sp.Release.ReleasedAt)
		}
		fmt.Fprintf(env.Stdout, row, fmt.Sprintf("%s-S%d", sp.Period, sp.N), statusText(env, sp.Status), formatKroner(sp.Total),
			formatCount(sp.Payments), sp.PayDate, person(sp.AttestedBy.Name, sp.AttestedAt), person(sp.ApprovedBy.Name, sp.ApprovedAt), rel)
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
	return person(r.Release.ReleasedBy.Name, r.Release.ReleasedAt)
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
		{"computed", env.tr("%s by %s (computation %d, inputs %s)", when(r.ComputedAt), r.ComputedBy, r.Computations, r.InputDigest[:12])},
		{"run digest", orDash(r.Digest)},
		{"folder", orDash(r.OutDir)},
		{"attested", person(r.AttestedBy.String(), r.AttestedAt)},
		{"approved", person(r.ApprovedBy.String(), r.ApprovedAt)},
		{"released", released(r)},
	}
	if r.Release != nil {
		fields = append(fields, field{"manifest", r.Release.ManifestSHA256}, field{"previous", orNone(env, r.Release.PreviousSHA256)},
			field{"chain", r.Release.ChainSHA256}, field{"key", orDash(r.Release.KeyID)})
	}
	printFields(env, fields)
	for _, x := range runWarnings(env, r, st) {
		env.outf("warning: %s\n", x)
	}
	if r.Release != nil {
		l, err := ledgerOf(s)
		if err != nil {
			return err
		}
		printBankState(env, l, p)
		if err := printSupplements(env, s, p); err != nil {
			return err
		}
	}
	events, err := s.Events(p.String())
	if err != nil {
		return err
	}
	env.outf("\naudit log (real time; the pinned clock in brackets):\n")
	for _, e := range events {
		pinned := ""
		if !e.Pinned.IsZero() {
			pinned = " [" + when(e.Pinned) + "]"
		}
		// The action and detail are the store's record, shown as stored.
		fmt.Fprintf(env.Stdout, "  %s%s  %-8s %-22s %s %s %s\n", when(e.At), pinned, e.Action, e.Actor, short12(e.RunSHA256), e.Total, e.Detail)
	}
	return nil
}

// printSupplements lists the period's supplements: number, status, what
// they pay, their digest, and who released them where.
func printSupplements(env *Env, s *store.Store, p payout.Period) error {
	sups, err := s.Supplements(p)
	if err != nil {
		return err
	}
	for i := range sups {
		sup := &sups[i]
		env.outf("  %s: %s, %s payment(s), %s, execution date %s, %s, digest %s\n", supWhere(env, sup), statusText(env, sup.Status),
			formatCount(sup.Payments), formatKroner(sup.Total), sup.PayDate, sup.MsgID, short12(sup.Digest))
		if r := sup.Release; r != nil {
			env.outf("    released at %s by %s (attested by %s, approved by %s) to %s\n", when(r.ReleasedAt), r.ReleasedBy, r.AttestedBy, r.ApprovedBy, r.OutDir)
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func short12(s string) string { return s[:min(12, len(s))] }

// checkStore is `status --check`, what an auditor relies on: the store's
// own Check (SQLite's integrity_check, the audit log's hash chain, every
// run against its events, the release chain and each signature against the
// trusted keys, every released run recomputed from its digest-checked
// inputs and compared with the released digest, every input file against
// its digest), then every release's folder (the recorded manifest, every
// output it names, release.sig), and any released folder beside them that
// the store does not know. Any problem is exit 1.
func checkStore(env *Env, s *store.Store, ring releasekey.Ring, extra string) error {
	rep, err := s.Check(ring)
	if err != nil {
		return err
	}
	rels, err := s.Releases()
	if err != nil {
		return err
	}
	problems := append(rep.Problems, bankProblems(env, s)...)
	roots := map[string]bool{}
	for i := range rels {
		problems = append(problems, checkReleasedFolder(env, &rels[i], extra)...)
		roots[filepath.Dir(rels[i].OutDir)] = true
	}
	if extra != "" {
		roots[extra] = true
	}
	runs, err := s.Runs()
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.OutDir != "" {
			roots[filepath.Dir(r.OutDir)] = true
		}
	}
	unknown, err := unknownFolders(env, s, roots)
	if err != nil {
		return err
	}
	problems = append(problems, unknown...)
	sups, more, err := checkSupplementFolders(env, s)
	if err != nil {
		return err
	}
	problems = append(problems, more...)
	if len(problems) > 0 {
		return errorf("%d problem(s) found:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	env.outf("ok: %d release(s), chain intact: %d signed and verified with %s, %d unsigned by policy; %d released run(s) recomputed from the stored inputs equal the released digests; audit log of %d event(s) intact and consistent with the runs; %d input file(s) match their digests; %d released folder(s) verified, none unknown\n",
		rep.Releases, rep.Signed, describeRing(env, ring), rep.Unsigned, rep.Recomputed, rep.Events, rep.Files, len(rels))
	if sups > 0 {
		env.outf("ok: %d released supplement(s): digests, chain and signatures verified, their folders hold the recorded files\n", sups)
	}
	return nil
}

// checkSupplementFolders checks each released supplement's folder: its
// payment file and statement are the recorded ones, its voucher the one
// derived again.
func checkSupplementFolders(env *Env, s *store.Store) (int, []string, error) {
	sups, err := s.Supplements(0)
	if err != nil {
		return 0, nil, err
	}
	n := 0
	var problems []string
	for i := range sups {
		if sups[i].Release == nil {
			continue
		}
		n++
		if !supplementFilesComplete(s, &sups[i]) {
			problems = append(problems, env.tr("%s: the files of %s are missing or not the recorded ones (run 'payout release --supplement' again to write them)",
				sups[i].Release.OutDir, supWhere(env, &sups[i])))
		}
	}
	return n, problems, nil
}

// checkReleasedFolder checks a release's folder where it was released, or,
// when that cannot be read here, the copy under extra (an auditor's copy).
func checkReleasedFolder(env *Env, rec *store.Release, extra string) []string {
	problems := releasedFolderProblems(env, rec, "")
	if len(problems) == 0 || extra == "" {
		return problems
	}
	if _, err := os.Stat(rec.OutDir); err == nil || !errors.Is(err, os.ErrNotExist) && !errors.Is(err, os.ErrPermission) {
		return problems
	}
	return releasedFolderProblems(env, rec, bundle.Dir(extra, rec.Period))
}

// unknownFolders lists the period folders under roots whose manifest
// carries a release the store does not know (a lost or truncated store).
// A known release elsewhere is a copy of it (an archive, an auditor's):
// the same bytes.
func unknownFolders(env *Env, s *store.Store, roots map[string]bool) ([]string, error) {
	var out []string
	for _, root := range sortedKeys(roots) {
		dirs, _ := filepath.Glob(filepath.Join(root, "[0-9][0-9][0-9][0-9]-[0-9][0-9]"))
		for _, dir := range dirs {
			if !folderIsReleased(dir) {
				continue
			}
			sum, err := bundle.FileSHA256(filepath.Join(dir, bundle.ManifestJSON))
			if err != nil {
				continue
			}
			known, err := s.ReleaseByManifest(sum)
			if err != nil {
				return nil, err
			}
			if known == nil {
				out = append(out, env.tr("%s: holds a release the store does not know (manifest %s): the store may be lost, truncated or restored from an older copy", dir, sum[:12]))
			}
		}
	}
	return out, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var _ = messages(
	msg{"ok: %d released supplement(s): digests, chain and signatures verified, their folders hold the recorded files\n",
		"ok: %d frigitte tilleggsutbetaling(er): sammendrag, kjede og signaturer kontrollert, mappene har de registrerte filene\n"},
	msg{"%s: the files of %s are missing or not the recorded ones (run 'payout release --supplement' again to write them)",
		"%s: filene for %s mangler eller er ikke de registrerte (kjør 'payout release --supplement' på nytt for å skrive dem)"},
	msg{"  %s: %s, %s payment(s), %s, execution date %s, %s, digest %s\n", "  %s: %s, %s betaling(er), %s, betalingsdato %s, %s, sammendrag %s\n"},
	msg{"    released at %s by %s (attested by %s, approved by %s) to %s\n", "    frigitt %s av %s (attestert av %s, godkjent av %s) til %s\n"},
	msg{"show one period in detail, with its audit log", "vis én periode i detalj, med revisjonsloggen"},
	msg{"verify the store end to end (integrity, audit log, runs against events, signed release chain, released runs recomputed, input digests, released folders); exit 1 on any problem",
		"kontroller lageret fra ende til annen (integritet, revisjonslogg, kjøringer mot hendelser, signert frigivelseskjede, frigitte kjøringer beregnet på nytt, inndatasummer, frigitte mapper); status 1 ved ethvert problem"},
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
	msg{"%s by %s (computation %d, inputs %s)", "%s av %s (beregning %d, inndata %s)"},
	msg{"folder", "mappe"},
	msg{"chain", "kjede"},
	msg{"key", "nøkkel"},
	msg{"previous", "forrige"},
	msg{"\naudit log (real time; the pinned clock in brackets):\n", "\nrevisjonslogg (faktisk tid; den fastsatte klokken i klammer):\n"},
	msg{"%d problem(s) found:\n%s", "%d problem(er) funnet:\n%s"},
	msg{"ok: %d release(s), chain intact: %d signed and verified with %s, %d unsigned by policy; %d released run(s) recomputed from the stored inputs equal the released digests; audit log of %d event(s) intact and consistent with the runs; %d input file(s) match their digests; %d released folder(s) verified, none unknown\n",
		"ok: %d frigivelse(r), kjeden er intakt: %d signert og kontrollert med %s, %d usignert etter policy; %d frigitt(e) kjøring(er) beregnet på nytt fra de lagrede inndataene er lik de frigitte sammendragene; revisjonsloggen med %d hendelse(r) er intakt og stemmer med kjøringene; %d inndatafil(er) stemmer med sine summer; %d frigitt(e) mappe(r) kontrollert, ingen ukjente\n"},
	msg{"with --check: another output folder to search for released folders the store does not know, or a copy of released folders this account cannot read",
		"med --check: en annen utdatamappe å lete etter frigitte mapper lageret ikke kjenner i, eller en kopi av frigitte mapper denne kontoen ikke kan lese"},
	msg{"%s: holds a release the store does not know (manifest %s): the store may be lost, truncated or restored from an older copy",
		"%s: har en frigivelse lageret ikke kjenner (manifest %s): lageret kan være tapt, avkortet eller gjenopprettet fra en eldre kopi"},
)
