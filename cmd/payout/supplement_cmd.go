package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/exporters/journal"
	"github.com/oslokommune/payout/exporters/pain001"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/releasekey"
	"github.com/oslokommune/payout/payout/store"
)

// The supplement's steps on the command line: run --supplement computes
// and stores it (and prints it for review), attest and approve
// --supplement record the two people, release --supplement writes
// payments-supplement-N.xml, its voucher journal-supplement-N.csv and
// supplement-N.sig into the period's released
// folder, in its own subfolder supplement-N/ (the released folder's files
// and manifest stay as released; an auditor finds every payment of the
// period under the period's folder).

// supplementPaymentsName is the payment file of supplement n.
func supplementPaymentsName(n int) string { return "payments-supplement-" + strconv.Itoa(n) + ".xml" }

// supplementJournalName is the voucher of supplement n.
func supplementJournalName(n int) string { return "journal-supplement-" + strconv.Itoa(n) + ".csv" }

// supplementDir is supplement n's folder inside the period's released one.
func supplementDir(periodDir string, n int) string {
	return filepath.Join(periodDir, "supplement-"+strconv.Itoa(n))
}

// runSupplement computes p's supplement and stores it as computed.
func (c *runCommand) runSupplement(p payout.Period) error {
	env := c.env
	s, by, err := c.openAs(env, c.user)
	if err != nil {
		return err
	}
	defer s.Close()
	in, state, err := s.Inputs()
	if err != nil {
		return err
	}
	l, err := ledgerOf(s)
	if err != nil {
		return err
	}
	run, err := s.Run(p)
	if err != nil {
		return err
	}
	n, err := s.NextSupplement(p)
	if err != nil {
		return err
	}
	d := today(env)
	plan, err := makeSupplement(s, l, in, p, n, d, supplementPayDate(d, run.PayDate))
	if err != nil {
		return err
	}
	draft, err := plan.draft(p, state.Digest)
	if err != nil {
		return err
	}
	sup, replaced, err := s.SaveSupplement(draft, by, env.when(), c.reopen)
	if err != nil {
		return err
	}
	printSupplement(env, sup, &plan.body)
	res, err := plan.body.result(plan.policy)
	if err != nil {
		return err
	}
	for i := range res.Payments {
		printLoadWarnings(env, payout.BankTextWarnings(&res.Payments[i]))
	}
	if replaced != "" {
		env.outf("it replaces the %s supplement, whose attestation and approval are void\n", statusText(env, replaced))
	}
	env.outf("next: another person attests with %s from their own account\n", fmt.Sprintf("'payout attest --db %s --period %s --supplement --digest %s'", c.dbShown(), p, sup.Digest[:12]))
	return nil
}

// printSupplement shows what a supplement pays: each payment, the account
// rejected and the one paid now, and the digest the people name.
func printSupplement(env *Env, sup *store.Supplement, b *supplementBody) {
	env.outf("supplement %d of %s (%s): %s payment(s), %s, execution date %s\n",
		sup.N, sup.Period, sup.MsgID, formatCount(sup.Payments), formatKroner(sup.Total), sup.PayDate)
	for _, x := range b.Payments {
		env.outf("  %s %s %s kr to %s (rejected: %s, %s); pays %s again as %s\n", x.PayeeID, x.Name, x.Amount, x.Account, x.OldAccount, orDash(x.Reason), x.Repays, x.EndToEndID)
	}
	env.outf("supplement digest %s, status %s\n", sup.Digest, statusText(env, sup.Status))
}

// supplementStep is attest or approve --supplement.
func (c *transitionCommand) supplementStep(s *store.Store, st store.Step) error {
	env := c.env
	step := (*store.Store).AttestSupplement
	if c.name == "approve" {
		step = (*store.Store).ApproveSupplement
	}
	sup, err := step(s, st)
	if err != nil {
		return err
	}
	b, err := readSupplementBody(sup)
	if err != nil {
		return err
	}
	printSupplement(env, sup, b)
	switch sup.Status {
	case store.StatusAttested:
		env.outf("next: another person approves with %s from their own account\n", fmt.Sprintf("'payout approve --db %s --period %s --supplement'", c.dbShown(), st.Period))
	case store.StatusApproved:
		env.outf("next: a third person releases with %s before the execution date %s\n", fmt.Sprintf("'payout release --db %s --period %s --supplement'", c.dbShown(), st.Period), sup.PayDate)
	}
	return nil
}

// releaseSupplement releases p's approved supplement, or completes the
// files of one released before, or refuses a supplement released already.
func (c *releaseCommand) releaseSupplement(s *store.Store, run *store.Run, by store.Actor, key *releasekey.Private) error {
	env := c.env
	if run.Release == nil {
		return errorf("%s is not released: a supplement pays again what the bank rejected of a released period", run.Period)
	}
	if c.out != "" {
		dir, err := filepath.Abs(bundle.Dir(c.out, run.Period))
		if err != nil {
			return err
		}
		if dir != run.Release.OutDir {
			return refuseOtherFolder(run, dir)
		}
	}
	sups, err := s.Supplements(run.Period)
	if err != nil {
		return err
	}
	if len(sups) == 0 {
		return errorf("no supplement of %s is stored: compute one with 'payout run --db FILE --period %s --supplement'", run.Period, run.Period)
	}
	// A released supplement whose files are not complete (an interrupted
	// release, or a file lost since) is written again first, whichever it
	// is; then the latest, if it is not released, is released.
	for i := range sups {
		if sups[i].Release != nil && !supplementFilesComplete(s, &sups[i]) {
			return c.finishSupplement(s, &sups[i], by)
		}
	}
	last := &sups[len(sups)-1]
	var files *supplementOutputs
	sup, err := s.ReleaseSupplement(store.SupplementReleaseRequest{Period: run.Period, N: last.N, By: by, At: env.when(),
		OutDir: supplementDir(run.Release.OutDir, last.N), Key: key,
		Derive: func(in *payout.Inputs, sup *store.Supplement) ([]byte, payout.Policy, error) {
			l, err := ledgerOf(s)
			if err != nil {
				return nil, payout.Policy{}, err
			}
			plan, err := makeSupplement(s, l, in, sup.Period, sup.N, sup.AsOf, sup.PayDate)
			if err != nil {
				return nil, payout.Policy{}, err
			}
			return plan.data, plan.policy, nil
		},
		Stage: func(sup *store.Supplement, rec *store.SupplementRelease) (string, error) {
			if today(env) > sup.PayDate {
				return "", errorf("%s is to be paid on %s, which has passed: compute it again (payout run --supplement) for a new execution date", supWhere(env, sup), sup.PayDate)
			}
			if files, err = renderSupplement(s, sup, rec); err != nil {
				return "", err
			}
			return sha256Hex(files.payments), nil
		}})
	if err != nil {
		return err
	}
	if err := writeSupplement(s, sup.Release, files); err != nil {
		return errorf("the release of %s is recorded, but its files are not complete: run %s again to write them: %w",
			supWhere(env, sup), fmt.Sprintf("'payout release --db %s --period %s --supplement'", c.dbShown(), run.Period), err)
	}
	rec := sup.Release
	env.outf("%s released at %s by %s (attested by %s, approved by %s)\n", supWhere(env, sup), when(rec.ReleasedAt), rec.ReleasedBy, rec.AttestedBy, rec.ApprovedBy)
	env.outf("payment file %s (%s payments, %s, execution date %s, sha256 %s)\n",
		filepath.Join(rec.OutDir, supplementPaymentsName(rec.N)), formatCount(rec.Payments), formatKroner(sup.Total), sup.PayDate, rec.FileSHA256)
	env.outf("voucher %s (%s)\n", filepath.Join(rec.OutDir, supplementJournalName(rec.N)), journal.SupplementVoucherNumber(sup.Period, sup.N))
	env.outf("statement %s, chain %s\n", filepath.Join(rec.OutDir, supplementSigName(rec.N)), rec.ChainSHA256)
	return nil
}

// supWhere names a supplement for the user: "supplement 1 of 2022-12".
func supWhere(env *Env, sup *store.Supplement) string {
	return env.tr("supplement %d of %s", sup.N, sup.Period)
}

func supplementSigName(n int) string { return "supplement-" + strconv.Itoa(n) + ".sig" }

// supplementOutputs are a released supplement's files: the payment file,
// whose SHA-256 the release records and signs, and the voucher, derived
// from the approved body and the period's policy (so it is the same bytes
// whenever it is derived again).
type supplementOutputs struct{ payments, journal []byte }

// renderSupplement makes the supplement's files, the payment file created
// at its release time.
func renderSupplement(s *store.Store, sup *store.Supplement, rec *store.SupplementRelease) (*supplementOutputs, error) {
	b, err := readSupplementBody(sup)
	if err != nil {
		return nil, err
	}
	run, err := s.Run(sup.Period)
	if err != nil {
		return nil, err
	}
	orig, err := s.Result(run.ID)
	if err != nil {
		return nil, err
	}
	res, err := b.result(orig.Policy)
	if err != nil {
		return nil, err
	}
	payments, err := pain001.Build(res, orig.Policy.Debtor, b.MsgID, rec.ReleasedAt)
	if err != nil {
		return nil, err
	}
	j, err := journal.BuildSupplement(res, sup.N)
	if err != nil {
		return nil, err
	}
	voucher, err := j.CSV(orig.Policy.Ledger.Layout)
	if err != nil {
		return nil, err
	}
	return &supplementOutputs{payments: payments, journal: voucher}, nil
}

// writeSupplement writes the payment file, the voucher and the signed
// statement into the supplement's folder (temporary names, then renamed;
// the statement last), shared as the store is.
func writeSupplement(s *store.Store, rec *store.SupplementRelease, files *supplementOutputs) error {
	if sha256Hex(files.payments) != rec.FileSHA256 {
		return errorf("%w: the payment file to write (%s) is not the recorded one (%s): check the store with 'payout status --check'",
			bundle.ErrNotRecorded, short12(sha256Hex(files.payments)), short12(rec.FileSHA256))
	}
	return bundle.WriteFilesAs(rec.OutDir, []bundle.Output{
		{Name: supplementPaymentsName(rec.N), Data: files.payments},
		{Name: supplementJournalName(rec.N), Data: files.journal},
		{Name: supplementSigName(rec.N), Data: rec.SignatureFile()},
	}, storePerm(s))
}

// supplementFilesComplete: the released supplement's files are there, as
// recorded (the payment file by its SHA-256, the voucher as derived again,
// the statement as signed).
func supplementFilesComplete(s *store.Store, sup *store.Supplement) bool {
	rec := sup.Release
	got, err := bundle.FileSHA256(filepath.Join(rec.OutDir, supplementPaymentsName(rec.N)))
	if err != nil || got != rec.FileSHA256 {
		return false
	}
	sig, err := os.ReadFile(filepath.Join(rec.OutDir, supplementSigName(rec.N)))
	if err != nil || string(sig) != string(rec.SignatureFile()) {
		return false
	}
	files, err := renderSupplement(s, sup, rec)
	if err != nil {
		return false
	}
	voucher, err := os.ReadFile(filepath.Join(rec.OutDir, supplementJournalName(rec.N)))
	return err == nil && string(voucher) == string(files.journal)
}

// finishSupplement writes the files of a supplement whose release was
// interrupted (the same bytes again, in its recorded folder) and logs it.
func (c *releaseCommand) finishSupplement(s *store.Store, sup *store.Supplement, by store.Actor) error {
	rec := sup.Release
	files, err := renderSupplement(s, sup, rec)
	if err != nil {
		return err
	}
	if err := writeSupplement(s, rec, files); err != nil {
		return err
	}
	if err := s.RecordSupplementRewrite(rec, by, c.env.when()); err != nil {
		return err
	}
	c.env.outf("the release of %s (at %s by %s) was not complete in %s: its files are written again, as recorded, and the audit log records that %s wrote them\n",
		supWhere(c.env, sup), when(rec.ReleasedAt), rec.ReleasedBy, rec.OutDir, by)
	return nil
}

var _ = messages(
	msg{"supplement %d of %s", "tilleggsutbetaling %d for %s"},
	msg{"it replaces the %s supplement, whose attestation and approval are void\n", "den erstatter den %s tilleggsutbetalingen, og attestasjon og godkjenning av den faller bort\n"},
	msg{"next: another person attests with %s from their own account\n", "neste: en annen person attesterer med %s fra sin egen konto\n"},
	msg{"supplement %d of %s (%s): %s payment(s), %s, execution date %s\n", "tilleggsutbetaling %d for %s (%s): %s betaling(er), %s, betalingsdato %s\n"},
	msg{"  %s %s %s kr to %s (rejected: %s, %s); pays %s again as %s\n", "  %s %s %s kr til %s (avvist: %s, %s); betaler %s på nytt som %s\n"},
	msg{"supplement digest %s, status %s\n", "tilleggsutbetalingens sammendrag %s, status %s\n"},
	msg{"next: a third person releases with %s before the execution date %s\n", "neste: en tredje person frigir med %s før betalingsdatoen %s\n"},
	msg{"%s is to be paid on %s, which has passed: compute it again (payout run --supplement) for a new execution date",
		"%s skulle betales %s, som er passert: beregn den på nytt (payout run --supplement) for en ny betalingsdato"},
	msg{"payment file %s (%s payments, %s, execution date %s, sha256 %s)\n", "betalingsfil %s (%s betalinger, %s, betalingsdato %s, sha256 %s)\n"},
	msg{"statement %s, chain %s\n", "erklæring %s, kjede %s\n"},
	msg{"voucher %s (%s)\n", "bilag %s (%s)\n"},
	msg{"%w: the payment file to write (%s) is not the recorded one (%s): check the store with 'payout status --check'",
		"%w: betalingsfilen som skal skrives (%s) er ikke den registrerte (%s): kontroller lageret med 'payout status --check'"},
	msg{"the release of %s (at %s by %s) was not complete in %s: its files are written again, as recorded, and the audit log records that %s wrote them\n",
		"frigivelsen av %s (%s av %s) var ikke komplett i %s: filene er skrevet på nytt, som registrert, og revisjonsloggen viser at %s skrev dem\n"},
)

// The store's refusals of supplements (payout/store supplement*.go).
var _ = messages(
	msg{"%s is %s, not released: a supplement pays again what the bank rejected of a released period",
		"%s er %s, ikke frigitt: en tilleggsutbetaling betaler på nytt det banken avviste i en frigitt periode"},
	msg{"inputs changed while the supplement of %s was computed (another import): run it again",
		"inndataene endret seg mens tilleggsutbetalingen for %s ble beregnet (en annen innlesing): kjør den på nytt"},
	msg{"supplement %d of %s was approved by %s at %s; computing it again voids the attestation and approval: give --reopen to do so",
		"tilleggsutbetaling %d for %s ble godkjent av %s %s; en ny beregning opphever attestasjon og godkjenning: oppgi --reopen for å gjøre det"},
	msg{"%s (payee %s) is paid again by supplement %d of %s already: a payment is never paid twice",
		"%s (mottaker %s) betales allerede på nytt av tilleggsutbetaling %d for %s: en betaling betales aldri to ganger"},
	msg{"supplement %d of %s is already %s", "tilleggsutbetaling %d for %s er allerede %s"},
	msg{"supplement %d of %s is not attested: 'payout attest --supplement' by another person comes first",
		"tilleggsutbetaling %d for %s er ikke attestert: 'payout attest --supplement' av en annen person kommer først"},
	msg{"supplement %d of %s is already approved by %s at %s", "tilleggsutbetaling %d for %s er allerede godkjent av %s %s"},
	msg{"%s attested supplement %d of %s and cannot also approve it: a second person must approve, from their own account",
		"%s attesterte tilleggsutbetaling %d for %s og kan ikke også godkjenne den: en annen person må godkjenne, fra sin egen konto"},
	msg{"supplement %d of %s has digest %s, not the %s you reviewed", "tilleggsutbetaling %d for %s har sammendrag %s, ikke %s som du kontrollerte"},
	msg{"inputs changed since supplement %d of %s was computed at %s: compute it again (payout run --supplement), then attest and approve it anew",
		"inndataene er endret siden tilleggsutbetaling %d for %s ble beregnet %s: beregn den på nytt (payout run --supplement), og få den attestert og godkjent på nytt"},
	msg{"supplement %d of %s was already released at %s by %s (%s, file sha256 %s); a supplement is released once: compute a new one for what is still rejected",
		"tilleggsutbetaling %d for %s ble allerede frigitt %s av %s (%s, fil-sha256 %s); en tilleggsutbetaling frigis én gang: beregn en ny for det som fortsatt er avvist"},
	msg{"no supplement of %s is stored: compute one with 'payout run --db FILE --period %s --supplement'",
		"ingen tilleggsutbetaling for %s er lagret: beregn en med 'payout run --db FILE --period %s --supplement'"},
	msg{"supplement %d of %s made again from the stored inputs and the bank's answers has digest %s, but the one attested and approved has %s: compute it again (payout run --supplement) and have it attested and approved anew",
		"tilleggsutbetaling %d for %s laget på nytt fra de lagrede inndataene og bankens svar har sammendrag %s, men den attesterte og godkjente har %s: beregn den på nytt (payout run --supplement) og få den attestert og godkjent på nytt"},
	msg{"supplement %d of %s is %s, not approved: it needs attest and approve by two people before release",
		"tilleggsutbetaling %d for %s er %s, ikke godkjent: den må attesteres og godkjennes av to personer før frigivelse"},
	msg{"supplement %d of %s: the audit log does not hold its compute, attest and approve events naming its digest by the accounts it names: the store was changed outside payout, so nothing is released",
		"tilleggsutbetaling %d for %s: revisjonsloggen har ikke dens beregnings-, attesterings- og godkjenningshendelser med dens sammendrag av kontoene den nevner: lageret er endret utenfor payout, så ingenting frigis"},
	msg{"%s attested supplement %d of %s and cannot also release it: a third person releases",
		"%s attesterte tilleggsutbetaling %d for %s og kan ikke også frigi den: en tredje person frigir"},
	msg{"%s approved supplement %d of %s and cannot also release it: a third person releases (or set policy release_by_approver: true)",
		"%s godkjente tilleggsutbetaling %d for %s og kan ikke også frigi den: en tredje person frigir (eller sett policy release_by_approver: true)"},
)
