package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oslokommune/payout/importers/iso20022/banksim"
	"github.com/oslokommune/payout/payout/releasekey"
	"github.com/oslokommune/payout/payout/store"
)

// BenchmarkReleasedYear makes the store scripts/bench.sh measures `run
// --db` on with a year behind it (issue 16: every run reads what every
// release paid, for the open rejections): the Norway decade of
// $PAYOUT_BENCH_NORWAY imported into $PAYOUT_BENCH_RELEASED/payout.db,
// and 2025-01 to 2025-11 each computed and attested (kari), approved
// (ola), released (per), its status report and bookings imported from
// the bank (banksim: two payments of 2025-03 rejected, the rest booked).
// It is run once (-benchtime 1x); the figure it gives is the making, not
// what is measured. Without the variables it is skipped.
func BenchmarkReleasedYear(b *testing.B) {
	norway, dir := os.Getenv("PAYOUT_BENCH_NORWAY"), os.Getenv("PAYOUT_BENCH_RELEASED")
	if norway == "" || dir == "" {
		b.Skip("PAYOUT_BENCH_NORWAY and PAYOUT_BENCH_RELEASED are not set")
	}
	for b.Loop() {
		if err := makeReleasedYear(norway, dir, 11); err != nil {
			b.Fatal(err)
		}
	}
}

// makeReleasedYear makes dir/payout.db as BenchmarkReleasedYear says, with
// the first months of 2025 released.
func makeReleasedYear(norway, dir string, months int) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	key := filepath.Join(dir, "keys", "release.key")
	if _, err := releasekey.Generate(filepath.Dir(key), nil); err != nil {
		return err
	}
	db, out, bankDir := filepath.Join(dir, "payout.db"), filepath.Join(dir, "out"), filepath.Join(dir, "bank")
	if err := os.MkdirAll(bankDir, 0o755); err != nil {
		return err
	}
	as := func(who string, at time.Time, args ...string) error {
		var o, e bytes.Buffer
		env := &Env{Stdout: &o, Stderr: &e, Now: func() time.Time { return at }, Real: func() time.Time { return at },
			Actor:  func() (store.Actor, error) { return lcActor(who), nil },
			Getenv: func(k string) string { return map[string]string{"PAYOUT_RELEASE_KEY": key}[k] }}
		full := append([]string{args[0], "--db", db}, args[1:]...)
		if code := Main(context.Background(), env, full); code != 0 {
			return fmt.Errorf("payout %s (%s): exit %d: %s", strings.Join(full, " "), who, code, e.String())
		}
		return nil
	}
	// One day, as the bench's other commands (BenchmarkCommand): the
	// inputs are recorded up to the end of 2025.
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	if err := as("kari", start, "init"); err != nil {
		return err
	}
	if err := as("kari", start, "import", norway); err != nil {
		return err
	}
	for m := 1; m <= months; m++ {
		p := fmt.Sprintf("2025-%02d", m)
		at := start.Add(time.Duration(m) * time.Minute)
		for _, step := range []struct{ who, cmd string }{{"kari", "run"}, {"kari", "attest"}, {"ola", "approve"}, {"per", "release"}} {
			args := []string{step.cmd, "--period", p}
			if step.cmd == "run" || step.cmd == "release" {
				args = append(args, "--out", out)
			}
			if err := as(step.who, at, args...); err != nil {
				return err
			}
		}
		if err := answerFromBank(filepath.Join(out, p, "payments.xml"), filepath.Join(bankDir, p), m == 3); err != nil {
			return err
		}
		if err := as("kari", at, "bank", "import", filepath.Join(bankDir, p)); err != nil {
			return err
		}
	}
	return nil
}

// answerFromBank writes the bank's status report and bookings of a
// released payments.xml into dir: every payment accepted and booked, or
// with reject two of them rejected and not booked.
func answerFromBank(payments, dir string, reject bool) error {
	data, err := os.ReadFile(payments)
	if err != nil {
		return err
	}
	f, err := banksim.Read(data)
	if err != nil {
		return err
	}
	rejected, status := map[int]banksim.Rejection{}, "ACCP"
	if reject {
		rejected = map[int]banksim.Rejection{1: {Code: "AC04", Info: "Konto avsluttet"}, 4: {Code: "AC01", Info: "Ugyldig kontonummer"}}
		status = "PART"
	}
	skip := map[int]bool{}
	for i := range rejected {
		skip[i] = true
	}
	date := f.Blocks[0].Date
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	sts := f.Pain002("pain.002.001.03", "DNB-STS-"+date, date+"T06:30:00", status, "", status, rejected, true)
	ntf := f.Camt054(false, "DNB-NTF-"+date, date+"T18:00:00", skip)
	if err := os.WriteFile(filepath.Join(dir, "pain002.xml"), sts, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "camt054.xml"), ntf, 0o644)
}
