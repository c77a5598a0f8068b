package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/oslokommune/payout/importers"
)

// templateCommand writes one empty workbook per input file kind. It refuses
// to overwrite a file unless --force: the folder may hold a filled-in copy.
type templateCommand struct {
	base
	out   string
	force bool
}

func newTemplateCommand(env *Env) command {
	c := &templateCommand{base: newBase("template", env)}
	c.fs.StringVar(&c.out, "out", "", "folder to write the templates to (created if missing)")
	c.fs.BoolVar(&c.force, "force", false, "overwrite existing files")
	c.help = helpText{
		synopsis: []string{"payout template --out DIR [--force]"},
		required: "--out",
		example:  "payout template --out maler",
	}
	return c
}

func (c *templateCommand) Run(_ context.Context, args []string) error {
	env := c.env
	if err := c.parseOnly(args); err != nil {
		return err
	}
	if c.out == "" {
		return usagef("--out DIR is required")
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return errorf("cannot create %s: %w", c.out, err)
	}
	for _, kind := range importers.Kinds() {
		path := filepath.Join(c.out, importers.TemplateName(kind))
		if _, err := os.Stat(path); err == nil && !c.force {
			return errorf("%s exists and may hold filled-in data; move it away or use --force", path)
		}
		data, err := importers.Template(kind)
		if err != nil {
			return err
		}
		if err := writeFileAtomic(path, data, 0o644); err != nil {
			return err
		}
		env.outf("wrote %s\n", path)
	}
	return nil
}

var _ = messages(
	msg{"folder to write the templates to (created if missing)", "mappen malene skrives til (opprettes om den mangler)"},
	msg{"overwrite existing files", "overskriv eksisterende filer"},
	msg{"cannot create %s: %w", "kan ikke opprette %s: %w"},
	msg{"%s exists and may hold filled-in data; move it away or use --force", "%s finnes og kan inneholde utfylte data; flytt den eller bruk --force"},
	msg{"wrote %s\n", "skrev %s\n"},
	msg{"cannot write %s: %w", "kan ikke skrive %s: %w"},
)
