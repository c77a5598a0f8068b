package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/exporters/pain001"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/releasekey"
	"github.com/oslokommune/payout/payout/store"
)

// releaseCommand writes payments.xml for an approved run and marks it
// released.
//
// What is paid: the store recomputes the run from its stored inputs (each
// checked against its digest), re-runs the controls, and releases only when
// the result's digest is the one attested and approved by two other
// accounts; the folder is rendered from that recomputed result, never from a
// stored blob, and the release statement is signed with the release key.
//
// Crash safety: the store is the record. Inside the release transaction
// (which holds the store's write lock) the folder is rendered in memory and
// the manifest's digest recorded; only after the commit are the files
// written (temporary names, synced, renamed, release.sig and then the
// manifest last). So payments.xml never exists for a release the store does
// not have; if the process dies between the commit and the last rename,
// running release again writes the same bytes again, in the folder recorded
// with the release and nowhere else, and logs that it did.
type releaseCommand struct {
	base
	shared
	user, key  string
	supplement bool
}

func newReleaseCommand(env *Env) command {
	c := &releaseCommand{base: newBase("release", env)}
	c.dbFlag(c.fs, dbUsage)
	c.periodFlag(c.fs, periodUsage)
	c.outFlag(c.fs, "", "folder for the period's output folder (default: out; completing a release: the folder recorded with it)")
	c.fs.StringVar(&c.user, "user", "", userUsage)
	c.fs.StringVar(&c.key, "key", "", "the release signing key (release.key; default: PAYOUT_RELEASE_KEY)")
	c.fs.BoolVar(&c.supplement, "supplement", false, "release the period's approved supplement (payments-supplement-N.xml in the released folder's supplement-N/)")
	c.help = helpText{
		synopsis: []string{"payout release --db FILE --period P [--out DIR] [--key FILE]", "payout release --db FILE --period P --supplement [--key FILE]"},
		required: "--db and --period",
		example:  "payout release --db payout.db --period 2022-12 --out out",
	}
	return c
}

func (c *releaseCommand) Run(_ context.Context, args []string) error {
	if err := c.parseOnly(args); err != nil {
		return err
	}
	p, err := c.parsePeriod(c.env)
	if err != nil {
		return err
	}
	key, err := c.env.releaseKey(c.key)
	if err != nil {
		return err
	}
	s, by, err := c.openAs(c.env, c.user)
	if err != nil {
		return err
	}
	defer s.Close()
	// The lock keeps a second release (or a repair) from writing the
	// period's files while the first is still writing them.
	unlock, err := s.LockReleases()
	if err != nil {
		return err
	}
	defer unlock()
	run, err := s.Run(p)
	if err != nil {
		return err
	}
	if c.supplement {
		return c.releaseSupplement(s, run, by, key)
	}
	r := &releaser{env: c.env, s: s, run: run, by: by}
	if run.Release != nil {
		return r.finish(c.out)
	}
	out := c.out
	if out == "" {
		out = "out"
	}
	return r.release(out, key)
}

// releaser is one release command at work.
type releaser struct {
	env *Env
	s   *store.Store
	run *store.Run
	by  store.Actor
}

// release records the release and then writes its files.
func (r *releaser) release(out string, key *releasekey.Private) error {
	p := r.run.Period
	dir, err := filepath.Abs(bundle.Dir(out, p))
	if err != nil {
		return err
	}
	if err := r.unknownRelease(dir); err != nil {
		return err
	}
	var b *bundle.Bundle
	rec, err := r.s.Release(store.ReleaseRequest{
		Period: p, By: r.by, At: r.env.when(), MsgID: pain001.MessageID(p), OutDir: dir, Key: key,
		Stage: func(res *payout.Result, in *payout.Inputs, rel *store.Release) (string, error) {
			b, err = bundle.RenderRelease(res, in, releaseRecord(rel))
			if err != nil {
				return "", err
			}
			return b.ManifestSHA256(), nil
		},
	})
	if err != nil {
		return err
	}
	if err := writeRelease(r.s, b, rec); err != nil {
		return errorf("the release of %s is recorded, but its files are not complete: run %s again to write them: %w",
			p, fmt.Sprintf("'payout release --db %s --period %s'", r.s.Path(), p), err)
	}
	printRelease(r.env, r.run, rec)
	return nil
}

// unknownRelease refuses a folder that holds a release the store does not
// know: the store was lost, truncated or rolled back, or another store
// released the period. Releasing again would pay twice.
func (r *releaser) unknownRelease(dir string) error {
	sum, err := bundle.FileSHA256(filepath.Join(dir, bundle.ManifestJSON))
	if err == nil {
		known, err := r.s.ReleaseByManifest(sum)
		if err != nil {
			return err
		}
		if known == nil && folderIsReleased(dir) {
			return errorf("%s holds the manifest of a release that the store %s does not know (it may have been lost, truncated or restored from an older copy): nothing is released; restore the store, and check with 'payout status --check'",
				dir, r.s.Path())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, bundle.PaymentsXML)); err == nil {
		return errorf("%s holds a %s that the store %s did not release: nothing is released; find out where it came from before paying again",
			dir, bundle.PaymentsXML, r.s.Path())
	}
	return nil
}

// folderIsReleased: the folder's manifest carries a release record.
func folderIsReleased(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, bundle.ManifestJSON))
	if err != nil {
		return false
	}
	m, err := manifest.Unmarshal(data)
	return err == nil && m.Release != nil
}

// finish completes an interrupted release in the folder recorded with it,
// or refuses: a release writes only to its own folder, and a complete one
// is never written again.
func (r *releaser) finish(out string) error {
	rec := r.run.Release
	if out != "" {
		dir, err := filepath.Abs(bundle.Dir(out, r.run.Period))
		if err != nil {
			return err
		}
		if dir != rec.OutDir {
			return refuseOtherFolder(r.run, dir)
		}
	}
	if problems := releasedFolderProblems(r.env, rec, ""); len(problems) == 0 {
		return store.AlreadyReleased(r.run)
	}
	res, in, err := r.s.Recompute(r.run)
	if err != nil {
		return err
	}
	b, err := bundle.RenderRelease(res, in, releaseRecord(rec))
	if err != nil {
		return err
	}
	if err := writeRelease(r.s, b, rec); err != nil {
		return err
	}
	names := make([]string, 0, len(b.Files)+1)
	for _, f := range b.Files {
		names = append(names, f.Name)
	}
	if err := r.s.RecordRewrite(rec, r.by, r.env.when(), append(names, bundle.ReleaseSig)); err != nil {
		return err
	}
	r.env.outf("the release of %s (at %s by %s) was not complete in %s: its files are written again, match the recorded manifest %s, and the audit log records that %s wrote them\n",
		r.run.Period, when(rec.ReleasedAt), rec.ReleasedBy, rec.OutDir, rec.ManifestSHA256[:12], r.by)
	return nil
}

func refuseOtherFolder(run *store.Run, dir string) error {
	rec := run.Release
	return errorf("%w: %s was released at %s by %s to %s; a release is written only there, never to %s (leave --out out to complete it there)",
		store.ErrOtherFolder, run.Period, when(rec.ReleasedAt), rec.ReleasedBy, rec.OutDir, dir)
}

// releaseRecord is the store's release record as the manifest holds it.
func releaseRecord(rel *store.Release) manifest.Release {
	rec := manifest.Release{
		ReleasedAt: rel.ReleasedAt.UTC().Format(time.RFC3339), ReleasedBy: rel.ReleasedBy.String(),
		AttestedBy: rel.AttestedBy.String(), ApprovedBy: rel.ApprovedBy.String(), MsgID: rel.MsgID,
		PreviousSHA256: rel.PreviousSHA256, PreviousChain: rel.PreviousChain, EventsSHA256: rel.EventsSHA256, KeyID: rel.KeyID,
	}
	if !rel.PinnedAt.IsZero() {
		rec.PinnedAt = rel.PinnedAt.UTC().Format(time.RFC3339)
	}
	return rec
}

// writeRelease writes the rendered folder with its release.sig into the
// folder recorded with the release, shared as the store is, and checks it
// is the recorded one.
func writeRelease(s *store.Store, b *bundle.Bundle, rec *store.Release) error {
	out, p := filepath.Dir(rec.OutDir), rec.Period
	if _, err := bundle.WriteRenderedAs(out, p, b.WithSignature(rec.SignatureFile()), storePerm(s)); err != nil {
		return err
	}
	got, err := bundle.ManifestOnDisk(out, p)
	if err != nil {
		return err
	}
	if got != rec.ManifestSHA256 {
		return errorf("%w: the written manifest (%s) is not the recorded one (%s): check the store with 'payout status --check'",
			bundle.ErrNotRecorded, got[:min(12, len(got))], rec.ManifestSHA256[:12])
	}
	return nil
}

// releasedFolderProblems checks a release's own folder (dir "") or a copy
// of it: the manifest is the recorded one, every output it names is there
// with its digest, and release.sig is the release's statement and
// signature.
func releasedFolderProblems(env *Env, rec *store.Release, dir string) []string {
	if dir == "" {
		dir = rec.OutDir
	}
	if _, err := os.Stat(filepath.Join(dir, bundle.ManifestJSON)); err != nil {
		if errors.Is(err, os.ErrPermission) {
			return []string{env.tr("%s: the released folder of %s cannot be read by this account (no readable %s)", dir, rec.Period, bundle.ManifestJSON)}
		}
		return []string{env.tr("%s: the released folder of %s is missing (no readable %s)", dir, rec.Period, bundle.ManifestJSON)}
	}
	errs, _ := bundle.CheckReleased(filepath.Dir(dir), rec.Period, rec.ManifestSHA256)
	var problems []string
	for _, err := range errs {
		msg := err.Error()
		if errors.Is(err, bundle.ErrNotRecorded) {
			msg = env.tr("%s (changed, or the release was interrupted: run 'payout release' again)", msg)
		}
		problems = append(problems, msg)
	}
	sig := filepath.Join(dir, bundle.ReleaseSig)
	if got, err := bundle.FileSHA256(sig); err != nil || got != manifest.Digest(bundle.ReleaseSig, rec.SignatureFile()).SHA256 {
		problems = append(problems, env.tr("%s: missing or not the release's signed statement", sig))
	}
	return problems
}

func printRelease(env *Env, run *store.Run, rec *store.Release) {
	dir := rec.OutDir
	env.outf("%s released at %s by %s (attested by %s, approved by %s)\n",
		run.Period, when(rec.ReleasedAt), rec.ReleasedBy, rec.AttestedBy, rec.ApprovedBy)
	signed := env.tr("UNSIGNED (policy unsigned_releases)")
	if rec.Signed() {
		signed = env.tr("signed with key %s", rec.KeyID)
	}
	printFields(env, []field{
		{"payment file", env.tr("%s (%s payments, %s, execution date %s)",
			filepath.Join(dir, bundle.PaymentsXML), formatCount(rec.Payments), formatKroner(run.Total), run.PayDate)},
		{"run digest", env.tr("%s (recomputed from the stored inputs; the one attested and approved)", rec.RunSHA256)},
		{"manifest", env.tr("%s sha256 %s (previous release %s)",
			filepath.Join(dir, bundle.ManifestJSON), rec.ManifestSHA256, orNone(env, rec.PreviousSHA256))},
		{"statement", env.tr("%s, chain %s", signed, rec.ChainSHA256)},
	})
	if d, deadline := today(env), payout.ReleaseDeadline(run.Period); d > deadline {
		env.errf("warning: released on %s, later than two banking days before the payment date %s (last day %s): the bank may not pay on time\n",
			d, run.PayDate, deadline)
	}
}

func orNone(env *Env, s string) string {
	if s == "" {
		return env.tr("none: first release")
	}
	return s
}

var _ = messages(
	msg{"release the period's approved supplement (payments-supplement-N.xml in the released folder's supplement-N/)",
		"frigi periodens godkjente tilleggsutbetaling (payments-supplement-N.xml i den frigitte mappens supplement-N/)"},
	msg{"folder for the period's output folder (default: out; completing a release: the folder recorded with it)",
		"mappe for periodens utdatamappe (standard: out; når en frigivelse fullføres: mappen som er registrert med den)"},
	msg{"the release signing key (release.key; default: PAYOUT_RELEASE_KEY)", "nøkkelen som signerer frigivelser (release.key; standard: PAYOUT_RELEASE_KEY)"},
	msg{"--db and --period", "--db og --period"},
	msg{"the release of %s is recorded, but its files are not complete: run %s again to write them: %w",
		"frigivelsen av %s er registrert, men filene er ikke komplette: kjør %s på nytt for å skrive dem: %w"},
	msg{"%s holds the manifest of a release that the store %s does not know (it may have been lost, truncated or restored from an older copy): nothing is released; restore the store, and check with 'payout status --check'",
		"%s har manifestet til en frigivelse som lageret %s ikke kjenner (det kan være tapt, avkortet eller gjenopprettet fra en eldre kopi): ingenting frigis; gjenopprett lageret, og kontroller med 'payout status --check'"},
	msg{"%s holds a %s that the store %s did not release: nothing is released; find out where it came from before paying again",
		"%s har en %s som lageret %s ikke har frigitt: ingenting frigis; finn ut hvor den kommer fra før noe betales på nytt"},
	msg{"the release of %s (at %s by %s) was not complete in %s: its files are written again, match the recorded manifest %s, and the audit log records that %s wrote them\n",
		"frigivelsen av %s (%s av %s) var ikke komplett i %s: filene er skrevet på nytt, stemmer med det registrerte manifestet %s, og revisjonsloggen viser at %s skrev dem\n"},
	msg{"%w: %s was released at %s by %s to %s; a release is written only there, never to %s (leave --out out to complete it there)",
		"%w: %s ble frigitt %s av %s til %s; en frigivelse skrives bare der, aldri til %s (utelat --out for å fullføre den der)"},
	msg{"%w: the written manifest (%s) is not the recorded one (%s): check the store with 'payout status --check'",
		"%w: det skrevne manifestet (%s) er ikke det registrerte (%s): kontroller lageret med 'payout status --check'"},
	msg{"%s: the released folder of %s cannot be read by this account (no readable %s)", "%s: den frigitte mappen for %s kan ikke leses av denne kontoen (ingen lesbar %s)"},
	msg{"%s: the released folder of %s is missing (no readable %s)", "%s: den frigitte mappen for %s mangler (ingen lesbar %s)"},
	msg{"%s (changed, or the release was interrupted: run 'payout release' again)", "%s (endret, eller frigivelsen ble avbrutt: kjør 'payout release' på nytt)"},
	msg{"%s: missing or not the release's signed statement", "%s: mangler eller er ikke frigivelsens signerte erklæring"},
	msg{"%s released at %s by %s (attested by %s, approved by %s)\n", "%s frigitt %s av %s (attestert av %s, godkjent av %s)\n"},
	msg{"UNSIGNED (policy unsigned_releases)", "USIGNERT (policy unsigned_releases)"},
	msg{"signed with key %s", "signert med nøkkel %s"},
	msg{"payment file", "betalingsfil"},
	msg{"%s (%s payments, %s, execution date %s)", "%s (%s betalinger, %s, betalingsdato %s)"},
	msg{"run digest", "sammendrag"},
	msg{"%s (recomputed from the stored inputs; the one attested and approved)", "%s (beregnet på nytt fra de lagrede inndataene; det attesterte og godkjente)"},
	msg{"manifest", "manifest"},
	msg{"%s sha256 %s (previous release %s)", "%s sha256 %s (forrige frigivelse %s)"},
	msg{"statement", "erklæring"},
	msg{"%s, chain %s", "%s, kjede %s"},
	msg{"warning: released on %s, later than two banking days before the payment date %s (last day %s): the bank may not pay on time\n",
		"advarsel: frigitt %s, senere enn to bankdager før utbetalingsdatoen %s (siste dag %s): banken utbetaler kanskje ikke i tide\n"},
	msg{"none: first release", "ingen: første frigivelse"},
)
