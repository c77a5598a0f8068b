package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// verifyCommand is the auditor's proof (DESIGN.md "Determinism"): it reads
// DIR/P/manifest.json, recomputes P from the fixtures with the manifest's
// as-of date, re-renders every file (payments.xml from the manifest's
// release record), and compares each with the folder and with the
// manifest's digests. Exit 0 and "identical", or exit 1 naming each
// differing file and its first differing lines or cells.
//
// A released folder's release.sig is checked too: its statement names this
// manifest, this period and the re-run's digest, and its signature verifies
// with a trusted public key (--pub, PAYOUT_RELEASE_PUB).
type verifyCommand struct {
	base
	shared
	fixtures string
	pubs     listFlag
}

// The re-run's inputs: a fixture folder, or the stored run's own files.

func newVerifyCommand(env *Env) command {
	c := &verifyCommand{base: newBase("verify", env)}
	c.periodFlag(c.fs, "the month to verify, YYYY-MM")
	c.fs.StringVar(&c.fixtures, "fixtures", "", "fixture folder the month was computed from (or payout export's folder)")
	c.dbFlag(c.fs, "store to re-run the month's stored run from, instead of --fixtures")
	c.outFlag(c.fs, "", "output folder holding YYYY-MM/manifest.json")
	pubFlag(c.fs, &c.pubs)
	c.help = helpText{
		synopsis: []string{"payout verify --period P --fixtures DIR --out DIR [--pub FILE]", "payout verify --period P --db FILE --out DIR [--pub FILE]"},
		required: "--period, --out, and --fixtures or --db",
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
	case c.fixtures == "" && c.db == "":
		return usagef("--fixtures DIR or --db FILE is required")
	case c.fixtures != "" && c.db != "":
		return usagef("give either --fixtures DIR or --db FILE, not both")
	case c.out == "":
		return usagef("--out is required")
	}
	dir := bundle.Dir(c.out, p)
	m, err := readManifest(dir, p)
	if err != nil {
		return err
	}
	in, opt, paths, err := c.inputs(p, m)
	if err != nil {
		return err
	}
	fresh, err := rerun(in, p, opt, m)
	if err != nil {
		return err
	}
	diffs := bundle.Compare(dir, fresh, m)
	namePaths(diffs, paths)
	older := bundle.OlderFormat(m, fresh.Manifest)
	if older && len(diffs) > 0 {
		env.errf(olderFormatNote, m.Format(), fresh.Manifest.Format())
	}
	if len(diffs) > 0 {
		lines := make([]string, 0, len(diffs))
		for _, d := range diffs {
			lines = append(lines, d.String())
		}
		return errorf("%s: %d difference(s) from the re-run of %s as of %s\n%s", dir, len(diffs), p, m.AsOf, strings.Join(lines, "\n"))
	}
	signed, err := c.checkStatement(dir, m, fresh)
	if err != nil {
		return err
	}
	env.outf("identical\n")
	env.outf("  %d files in %s match the re-run as of %s and the manifest's SHA-256 digests\n", len(fresh.Files), dir, m.AsOf)
	if older {
		env.outf(olderFormatNote, m.Format(), fresh.Manifest.Format())
	}
	if signed != "" {
		env.outf("  %s\n", signed)
	}
	return nil
}

// checkStatement checks a released folder's release.sig against the
// manifest on disk and the re-run, and its signature against the trusted
// keys; it says what it proved ("" for a folder that is not released).
func (c *verifyCommand) checkStatement(dir string, m *manifest.Manifest, fresh *bundle.Bundle) (string, error) {
	if m.Release == nil {
		return "", nil
	}
	sigPath := filepath.Join(dir, bundle.ReleaseSig)
	data, err := os.ReadFile(sigPath)
	if err != nil {
		return "", errorf("%s: the released folder has no signed release statement: %w", sigPath, err)
	}
	st, sig, err := store.ParseSignatureFile(data)
	if err != nil {
		return "", errorf("%s: %w", sigPath, err)
	}
	mSum, err := bundle.FileSHA256(filepath.Join(dir, bundle.ManifestJSON))
	if err != nil {
		return "", err
	}
	for _, f := range []struct{ name, want string }{
		{"period", m.Period}, {"manifest_sha256", mSum}, {"run_sha256", fresh.Manifest.RunSHA256}, {"key_id", m.Release.KeyID},
	} {
		if got := store.StatementField(st, f.name); got != f.want {
			return "", errorf("%s: the statement's %s is %q, the folder's %q: it is not this release's statement", sigPath, f.name, got, f.want)
		}
	}
	if sig == "" {
		if !m.Policy.UnsignedReleases {
			return "", errorf("%s: the release is unsigned, and its policy does not allow unsigned releases", sigPath)
		}
		return c.env.tr("release statement matches (unsigned: policy unsigned_releases)"), nil
	}
	ring, err := c.env.trustedKeys(c.pubs)
	if err != nil {
		return "", err
	}
	key := ring.Find(m.Release.KeyID)
	if key == nil {
		return "", errorf("%s: signed by key %s, which is not among the trusted public keys (%s): give its public key with --pub FILE or PAYOUT_RELEASE_PUB", sigPath, m.Release.KeyID, describeRing(c.env, ring))
	}
	if !key.Verify(st, sig) {
		return "", errorf("%s: the signature does not verify with key %s: the statement or the signature was changed", sigPath, key.ID())
	}
	return c.env.tr("release statement signed with trusted key %s names this manifest and the re-run's digest %s", key.ID(), short12(fresh.Manifest.RunSHA256)), nil
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

// inputs are the re-run's inputs and options, and the path of each input
// file by name: from a fixture folder, the manifest's as-of dates and
// knowledge; from the store, the stored run's own record of them.
func (c *verifyCommand) inputs(p payout.Period, m *manifest.Manifest) (*payout.Inputs, payout.Options, map[string]string, error) {
	paths := map[string]string{}
	if c.db != "" {
		s, err := c.openStoreReadOnly()
		if err != nil {
			return nil, payout.Options{}, nil, err
		}
		defer s.Close()
		sr, err := loadStoredRun(s, p)
		if err != nil {
			return nil, payout.Options{}, nil, err
		}
		files, err := s.RunFiles(sr.run.ID)
		if err != nil {
			return nil, payout.Options{}, nil, err
		}
		for _, f := range files {
			paths[f.Name] = appendPath(paths[f.Name], f.Path)
		}
		return sr.in, sr.opt, paths, nil
	}
	in, _, _, err := fixtureInputs(c.fixtures, p, payout.NoDate)
	if err != nil {
		return nil, payout.Options{}, nil, err
	}
	for _, f := range in.Files {
		paths[f.Name] = filepath.Join(c.fixtures, f.Name)
	}
	opt, err := manifestOptions(m)
	return in, opt, paths, err
}

func appendPath(have, path string) string {
	if have == "" {
		return path
	}
	return have + ", " + path
}

// namePaths names each input difference's file by its path.
func namePaths(diffs []bundle.Difference, paths map[string]string) {
	for i, d := range diffs {
		if name, ok := strings.CutPrefix(d.Name, "input "); ok && paths[name] != "" {
			diffs[i].Name = "input " + paths[name]
		}
	}
}

// manifestOptions are the options the manifest recorded: the as-of date,
// and the released runs' as-of dates and knowledge.
func manifestOptions(m *manifest.Manifest) (payout.Options, error) {
	asOf, err := payout.ParseDate(m.AsOf)
	if err != nil {
		return payout.Options{}, errorf("manifest as_of: %w", err)
	}
	opt := payout.Options{AsOf: asOf, AsOfByPeriod: map[payout.Period]payout.Date{}}
	for e, d := range m.AsOfByPeriod {
		ep, perr := payout.ParsePeriod(e)
		dd, derr := payout.ParseDate(d)
		if perr != nil || derr != nil {
			return opt, errorf("manifest as_of_by_period: %q: %q is not a period and a date", e, d)
		}
		opt.AsOfByPeriod[ep] = dd
	}
	for e, k := range m.KnowledgeByPeriod {
		ep, err := payout.ParsePeriod(e)
		if err != nil {
			return opt, errorf("manifest knowledge_by_period: %q is not a period", e)
		}
		if opt.KnowledgeByPeriod == nil {
			opt.KnowledgeByPeriod = map[payout.Period]int64{}
		}
		opt.KnowledgeByPeriod[ep] = k
	}
	return opt, nil
}

// rerun recomputes the month with opt and renders the folder afresh (with
// payments.xml from the manifest's release record).
func rerun(in *payout.Inputs, p payout.Period, opt payout.Options, m *manifest.Manifest) (*bundle.Bundle, error) {
	res, err := payout.Compute(in, p, opt)
	if err != nil {
		return nil, err
	}
	if m.Release != nil {
		return bundle.RenderRelease(res, in, *m.Release)
	}
	return bundle.Render(res, in, nil)
}

// olderFormatNote says how a folder of an older format version was
// compared (issue 16, bundle.Compare).
const olderFormatNote = "  written by format version %d (this is %d): CSV, XML, PDF and the manifest's amounts compared byte for byte, the workbooks by their numbers cell by cell\n"

var _ = messages(
	msg{olderFormatNote, "  skrevet med formatversjon %d (denne er %d): CSV, XML, PDF og manifestets beløp sammenlignet byte for byte, arbeidsbøkene etter tallene celle for celle\n"},
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
	msg{"fixture folder the month was computed from (or payout export's folder)", "fixturmappen måneden ble beregnet fra (eller mappen fra payout export)"},
	msg{"store to re-run the month's stored run from, instead of --fixtures", "lageret som periodens lagrede kjøring beregnes på nytt fra, i stedet for --fixtures"},
	msg{"--period, --out, and --fixtures or --db", "--period, --out, og --fixtures eller --db"},
	msg{"manifest knowledge_by_period: %q is not a period", "manifestets knowledge_by_period: %q er ikke en periode"},
)

var _ = messages(
	msg{"%s: the released folder has no signed release statement: %w", "%s: den frigitte mappen har ingen signert frigivelseserklæring: %w"},
	msg{"%s: the statement's %s is %q, the folder's %q: it is not this release's statement", "%s: erklæringens %s er %q, mappens %q: det er ikke denne frigivelsens erklæring"},
	msg{"%s: the release is unsigned, and its policy does not allow unsigned releases", "%s: frigivelsen er ikke signert, og policyen tillater ikke usignerte frigivelser"},
	msg{"release statement matches (unsigned: policy unsigned_releases)", "frigivelseserklæringen stemmer (usignert: policy unsigned_releases)"},
	msg{"%s: signed by key %s, which is not among the trusted public keys (%s): give its public key with --pub FILE or PAYOUT_RELEASE_PUB",
		"%s: signert med nøkkel %s, som ikke er blant de betrodde offentlige nøklene (%s): oppgi den offentlige nøkkelen med --pub FILE eller PAYOUT_RELEASE_PUB"},
	msg{"%s: the signature does not verify with key %s: the statement or the signature was changed", "%s: signaturen stemmer ikke med nøkkel %s: erklæringen eller signaturen er endret"},
	msg{"release statement signed with trusted key %s names this manifest and the re-run's digest %s", "frigivelseserklæringen, signert med betrodd nøkkel %s, viser til dette manifestet og etterkjøringens sammendrag %s"},
	msg{"  %s\n", "  %s\n"},
)
