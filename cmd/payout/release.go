package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/exporters/pain001"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// releaseCommand writes payments.xml for an approved run and marks it
// released.
//
// Crash safety: the store is the record. Inside the release transaction
// (which holds the store's write lock) the folder is rendered in memory and
// the manifest's digest recorded; only after the commit are the files
// written (temporary names, synced, renamed, manifest last). So payments.xml
// never exists for a release the store does not have; if the process dies
// between the commit and the last rename, running release again writes the
// same bytes again (the folder is deterministic given the release record)
// and checks them against the recorded digest.
type releaseCommand struct {
	base
	shared
	user string
}

func newReleaseCommand(env *Env) command {
	c := &releaseCommand{base: newBase("release", env)}
	c.dbFlag(c.fs, dbUsage)
	c.periodFlag(c.fs, periodUsage)
	c.outFlag(c.fs, "out", outUsage)
	c.fs.StringVar(&c.user, "user", os.Getenv("USER"), "who releases (default: $USER)")
	c.help = helpText{
		synopsis: []string{"payout release --db FILE --period P [--out DIR] [--user NAME]"},
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
	if c.user == "" {
		return usagef("--user NAME is required ($USER is not set)")
	}
	s, err := c.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	// The lock keeps a second release (or a repair) from writing the
	// period's files while the first is still writing them.
	unlock, err := lockReleases(c.db)
	if err != nil {
		return err
	}
	defer unlock()
	run, err := s.Run(p)
	if err != nil {
		return err
	}
	if run.Release != nil {
		return finishRelease(c.env, s, run, c.out)
	}
	return newRelease(c.env, s, run, c.out, c.user)
}

// newRelease records the release and then writes its files.
func newRelease(env *Env, s *store.Store, run *store.Run, out, user string) error {
	res, in, err := runData(s, run)
	if err != nil {
		return err
	}
	var b *bundle.Bundle
	rec, err := s.Release(store.ReleaseRequest{
		Period: run.Period, User: user, At: env.Now(), MsgID: pain001.MessageID(run.Period),
		Stage: func(r *store.Run, rel *store.Release) (string, error) {
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
	if err := writeRelease(out, run.Period, b, rec); err != nil {
		return errorf("the release of %s is recorded, but its files are not complete: run 'payout release' again to write them: %w", run.Period, err)
	}
	printRelease(env, run, rec, out)
	return nil
}

// finishRelease refuses a released period whose files are in place, and
// writes them again when a release was interrupted after its commit.
func finishRelease(env *Env, s *store.Store, run *store.Run, out string) error {
	rec := run.Release
	if onDisk, _ := bundle.ManifestOnDisk(out, run.Period); onDisk == rec.ManifestSHA256 {
		return store.AlreadyReleased(run)
	}
	res, in, err := runData(s, run)
	if err != nil {
		return err
	}
	b, err := bundle.RenderRelease(res, in, releaseRecord(rec))
	if err != nil {
		return err
	}
	if err := writeRelease(out, run.Period, b, rec); err != nil {
		return err
	}
	env.outf("the release of %s (at %s by %s) was not complete in %s: its files are written again and match the recorded manifest %s\n",
		run.Period, when(rec.ReleasedAt), rec.ReleasedBy, bundle.Dir(out, run.Period), rec.ManifestSHA256[:12])
	return nil
}

// runData reads back exactly what the run was computed from and as.
func runData(s *store.Store, run *store.Run) (*payout.Result, *payout.Inputs, error) {
	res, err := s.Result(run.ID)
	if err != nil {
		return nil, nil, err
	}
	in, err := s.RunInputs(run.ID)
	if err != nil {
		return nil, nil, err
	}
	return res, in, nil
}

// releaseRecord is the store's release record as the manifest holds it.
func releaseRecord(rel *store.Release) manifest.Release {
	return manifest.Release{
		ReleasedAt: rel.ReleasedAt.UTC().Format(time.RFC3339), ReleasedBy: rel.ReleasedBy,
		AttestedBy: rel.AttestedBy, ApprovedBy: rel.ApprovedBy, MsgID: rel.MsgID, PreviousSHA256: rel.PreviousSHA256,
	}
}

// writeRelease writes the rendered folder and checks it is the recorded one.
func writeRelease(out string, p payout.Period, b *bundle.Bundle, rec *store.Release) error {
	err := bundle.WriteRelease(out, p, b, rec.ManifestSHA256)
	if errors.Is(err, bundle.ErrNotRecorded) {
		return errorf("%w: check the store with 'payout status --check'", err)
	}
	return err
}

// lockReleases takes an exclusive lock on DB.release-lock beside the store,
// waiting for another release to finish; the kernel drops it if we die.
func lockReleases(db string) (func(), error) {
	path := db + ".release-lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

func printRelease(env *Env, run *store.Run, rec *store.Release, out string) {
	dir := bundle.Dir(out, run.Period)
	env.outf("%s released at %s by %s (attested by %s, approved by %s)\n",
		run.Period, when(rec.ReleasedAt), rec.ReleasedBy, rec.AttestedBy, rec.ApprovedBy)
	printFields(env, []field{
		{"payment file", env.tr("%s (%s payments, %s, execution date %s)",
			filepath.Join(dir, bundle.PaymentsXML), formatCount(run.Payees), formatKroner(run.Total), run.PayDate)},
		{"manifest", env.tr("%s sha256 %s (previous release %s)",
			filepath.Join(dir, bundle.ManifestJSON), rec.ManifestSHA256, orNone(env, rec.PreviousSHA256))},
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
	msg{"who releases (default: $USER)", "hvem som frigir (standard: $USER)"},
	msg{"--db and --period", "--db og --period"},
	msg{"--user NAME is required ($USER is not set)", "--user NAME er påkrevd ($USER er ikke satt)"},
	msg{"the release of %s is recorded, but its files are not complete: run 'payout release' again to write them: %w",
		"frigivelsen av %s er registrert, men filene er ikke komplette: kjør 'payout release' på nytt for å skrive dem: %w"},
	msg{"the release of %s (at %s by %s) was not complete in %s: its files are written again and match the recorded manifest %s\n",
		"frigivelsen av %s (%s av %s) var ikke komplett i %s: filene er skrevet på nytt og stemmer med det registrerte manifestet %s\n"},
	msg{"%w: check the store with 'payout status --check'", "%w: kontroller lageret med 'payout status --check'"},
	msg{"lock %s: %w", "lås %s: %w"},
	msg{"%s released at %s by %s (attested by %s, approved by %s)\n", "%s frigitt %s av %s (attestert av %s, godkjent av %s)\n"},
	msg{"payment file", "betalingsfil"},
	msg{"%s (%s payments, %s, execution date %s)", "%s (%s betalinger, %s, betalingsdato %s)"},
	msg{"manifest", "manifest"},
	msg{"%s sha256 %s (previous release %s)", "%s sha256 %s (forrige frigivelse %s)"},
	msg{"warning: released on %s, later than two banking days before the payment date %s (last day %s): the bank may not pay on time\n",
		"advarsel: frigitt %s, senere enn to bankdager før utbetalingsdatoen %s (siste dag %s): banken utbetaler kanskje ikke i tide\n"},
	msg{"none: first release", "ingen: første frigivelse"},
)
