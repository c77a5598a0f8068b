package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
)

// verifyCommand is the auditor's proof (DESIGN.md "Determinism"): it reads
// DIR/P/manifest.json, recomputes P from the fixtures with the manifest's
// as-of date, re-renders every file (payments.xml from the manifest's
// release record), and compares each with the folder and with the
// manifest's digests. Exit 0 and "identical", or exit 1 naming each
// differing file and its first differing lines or cells.
type verifyCommand struct {
	base
	shared
	fixtures string
}

func newVerifyCommand(env *Env) command {
	c := &verifyCommand{base: newBase("verify", env)}
	c.periodFlag(c.fs, "the month to verify, YYYY-MM")
	c.fs.StringVar(&c.fixtures, "fixtures", "", "fixture folder the month was computed from")
	c.outFlag(c.fs, "", "output folder holding YYYY-MM/manifest.json")
	c.help = helpText{
		synopsis: []string{"payout verify --period P --fixtures DIR --out DIR"},
		required: "--period, --fixtures and --out",
		example:  "payout verify --period 2022-12 --fixtures fixtures/oslo --out out",
	}
	return c
}

func (c *verifyCommand) Run(_ context.Context, args []string) error {
	env := c.env
	if err := c.parseOnly(args); err != nil {
		return err
	}
	p, err := c.parsePeriod(env)
	if err != nil {
		return err
	}
	switch {
	case c.fixtures == "":
		return usagef("--fixtures is required")
	case c.out == "":
		return usagef("--out is required")
	}
	dir := bundle.Dir(c.out, p)
	m, err := readManifest(dir, p)
	if err != nil {
		return err
	}
	fresh, err := rerun(c.fixtures, p, m)
	if err != nil {
		return err
	}
	diffs := bundle.Compare(dir, fresh, m)
	if len(diffs) > 0 {
		lines := make([]string, 0, len(diffs))
		for _, d := range diffs {
			lines = append(lines, d.String())
		}
		return errorf("%s: %d difference(s) from the re-run of %s as of %s\n%s", dir, len(diffs), p, m.AsOf, strings.Join(lines, "\n"))
	}
	env.outf("identical\n")
	env.outf("  %d files in %s match the re-run as of %s and the manifest's SHA-256 digests\n", len(fresh.Files), dir, m.AsOf)
	return nil
}

func readManifest(dir string, p payout.Period) (*manifest.Manifest, error) {
	path := filepath.Join(dir, bundle.ManifestJSON)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errorf("%s: no run of %s to verify: %w", path, p, err)
	}
	m, err := manifest.Unmarshal(data)
	if err != nil {
		return nil, errorf("%s: %w", path, err)
	}
	if m.Period != p.String() {
		return nil, errorf("%s: the manifest is for period %q, not %s", path, m.Period, p)
	}
	return m, nil
}

// rerun recomputes the month as the manifest recorded it and renders the
// folder afresh.
func rerun(fixtures string, p payout.Period, m *manifest.Manifest) (*bundle.Bundle, error) {
	asOf, err := payout.ParseDate(m.AsOf)
	if err != nil {
		return nil, errorf("manifest as_of: %w", err)
	}
	in, _, err := importers.LoadFolder(fixtures)
	if err != nil {
		return nil, err
	}
	opt := payout.Options{AsOf: asOf, AsOfByPeriod: map[payout.Period]payout.Date{}}
	for e, d := range m.AsOfByPeriod {
		ep, perr := payout.ParsePeriod(e)
		dd, derr := payout.ParseDate(d)
		if perr != nil || derr != nil {
			return nil, errorf("manifest as_of_by_period: %q: %q is not a period and a date", e, d)
		}
		opt.AsOfByPeriod[ep] = dd
	}
	res, err := payout.Compute(in, p, opt)
	if err != nil {
		return nil, err
	}
	if m.Release != nil {
		return bundle.RenderRelease(res, in, *m.Release)
	}
	return bundle.Render(res, in, nil)
}

var _ = messages(
	msg{"the month to verify, YYYY-MM", "måneden som skal etterprøves, ÅÅÅÅ-MM"},
	msg{"fixture folder the month was computed from", "fixturmappen måneden ble beregnet fra"},
	msg{"output folder holding YYYY-MM/manifest.json", "utdatamappen med ÅÅÅÅ-MM/manifest.json"},
	msg{"--period, --fixtures and --out", "--period, --fixtures og --out"},
	msg{"--out is required", "--out er påkrevd"},
	msg{"%s: %d difference(s) from the re-run of %s as of %s\n%s", "%s: %d avvik fra etterkjøringen av %s per %s\n%s"},
	msg{"identical\n", "identisk\n"},
	msg{"  %d files in %s match the re-run as of %s and the manifest's SHA-256 digests\n",
		"  %d filer i %s stemmer med etterkjøringen per %s og manifestets SHA-256-summer\n"},
	msg{"%s: no run of %s to verify: %w", "%s: ingen kjøring av %s å etterprøve: %w"},
	msg{"%s: the manifest is for period %q, not %s", "%s: manifestet gjelder periode %q, ikke %s"},
	msg{"manifest as_of: %w", "manifestets as_of: %w"},
	msg{"manifest as_of_by_period: %q: %q is not a period and a date", "manifestets as_of_by_period: %q: %q er ikke en periode og en dato"},
)
