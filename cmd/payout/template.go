package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/oslokommune/payout/importers"
)

func init() {
	register("template", "write empty .xlsx input templates for bydel staff", runTemplate)
}

// runTemplate writes one empty workbook per input file kind. It refuses to
// overwrite a file unless --force: the folder may hold a filled-in copy.
func runTemplate(_ context.Context, env *Env, args []string) error {
	fs := newFlags("template", env)
	out := fs.String("out", "", "folder to write the templates to (created if missing)")
	force := fs.Bool("force", false, "overwrite existing files")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	switch {
	case *out == "":
		return usagef("--out DIR is required")
	case fs.NArg() > 0:
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("cannot create %s: %w", *out, err)
	}
	for _, kind := range importers.Kinds() {
		path := filepath.Join(*out, importers.TemplateName(kind))
		if _, err := os.Stat(path); err == nil && !*force {
			return fmt.Errorf("%s exists and may hold filled-in data; move it away or use --force", path)
		}
		data, err := importers.Template(kind)
		if err != nil {
			return err
		}
		if err := writeTemplateFile(path, data); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "wrote %s\n", path)
	}
	return nil
}

// writeTemplateFile writes to a temporary name and renames, so a crash never
// leaves half a workbook under the real name.
func writeTemplateFile(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
