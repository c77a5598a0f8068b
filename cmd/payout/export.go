package main

import (
	"context"

	"github.com/oslokommune/payout/exporters/auditfolder"
)

// exportCommand writes the auditor's package of a stored run: a fixture
// folder with exactly the input versions the run read (every version, its
// recorded_on and import), the policy, and knowledge.json (the as-of dates
// and knowledge of the run and of the released runs before it, and the
// stored files). `payout verify --fixtures DIR` then reproduces the run's
// folder byte for byte on any machine, and `payout run --fixtures DIR`
// gives the same lines. A period never released exports its last computed
// run.
type exportCommand struct {
	base
	shared
}

func newExportCommand(env *Env) command {
	c := &exportCommand{base: newBase("export", env)}
	c.dbFlag(c.fs, dbUsage)
	c.periodFlag(c.fs, "the month whose run to export, YYYY-MM")
	c.outFlag(c.fs, "", "new folder to write the fixture folder to")
	c.help = helpText{
		synopsis: []string{"payout export --db FILE --period P --out DIR"},
		required: "--db, --period and --out",
		example:  "payout export --db payout.db --period 2022-12 --out audit-2022-12",
	}
	return c
}

func (c *exportCommand) Run(_ context.Context, args []string) error {
	if err := c.parseOnly(args); err != nil {
		return err
	}
	p, err := c.parsePeriod(c.env)
	if err != nil {
		return err
	}
	if c.out == "" {
		return usagef("--out DIR is required")
	}
	s, err := c.openStoreReadOnly()
	if err != nil {
		return err
	}
	defer s.Close()
	sr, err := loadStoredRun(s, p)
	if err != nil {
		return err
	}
	files, err := s.RunFiles(sr.run.ID)
	if err != nil {
		return err
	}
	k := exportKnowledge(sr, files)
	if err := auditfolder.Write(c.out, sr.in, k); err != nil {
		return err
	}
	c.env.outf("exported the %s run of %s (as-of %s, knowledge: import %s) to %s\n",
		statusText(c.env, sr.run.Status), p, sr.run.AsOf, formatCount(int(k.Runs[len(k.Runs)-1].Knowledge)), c.out)
	c.env.outf("  %s stored files, %s released runs before it; check it with: payout verify --fixtures %s --period %s --out FOLDER\n",
		formatCount(len(files)), formatCount(len(k.Runs)-1), c.out, p)
	return nil
}

var _ = messages(
	msg{"the month whose run to export, YYYY-MM", "måneden hvis kjøring skal eksporteres, ÅÅÅÅ-MM"},
	msg{"new folder to write the fixture folder to", "ny mappe fixturmappen skrives til"},
	msg{"--db, --period and --out", "--db, --period og --out"},
	msg{"exported the %s run of %s (as-of %s, knowledge: import %s) to %s\n",
		"eksporterte den %s kjøringen for %s (kunnskapsdato %s, kunnskap: import %s) til %s\n"},
	msg{"  %s stored files, %s released runs before it; check it with: payout verify --fixtures %s --period %s --out FOLDER\n",
		"  %s lagrede filer, %s frigitte kjøringer før den; kontroller med: payout verify --fixtures %s --period %s --out MAPPE\n"},
)
