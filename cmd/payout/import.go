package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout/store"
)

// import loads fixture folders or single files into the store, all or
// nothing. The files are checked as one set first (every problem of every
// file is reported), then against the store: a file already there (same
// SHA-256) changes nothing, and a version that contradicts a stored one is
// refused.
func init() {
	register("import", "load fixture folders or single files into the store (idempotent)", runImport)
}

func runImport(_ context.Context, env *Env, args []string) error {
	fs := newFlags("import", env)
	db := fs.String("db", "", "store file (created if missing)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("give the folders or files to import: payout import --db FILE PATH...")
	}
	if *db == "" {
		return usagef("--db FILE is required")
	}
	in, warns, err := importers.LoadPaths(fs.Args())
	if err != nil {
		return err
	}
	printLoadWarnings(env.Stderr, warns)
	known := map[string]bool{}
	for _, f := range in.Files {
		known[f.Name] = true
	}
	files, err := importFiles(fs.Args(), known)
	if err != nil {
		return err
	}
	s, err := openStore(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.Import(files, env.Now())
	if err != nil {
		return err
	}
	printImport(env, rep)
	return nil
}

// importFiles reads the files the importers took from the paths: a folder's
// files of known kinds, and every single file given.
func importFiles(paths []string, known map[string]bool) ([]store.File, error) {
	var files []store.File
	add := func(path string) error {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, store.File{Path: path, Data: data})
		return nil
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			if err := add(p); err != nil {
				return nil, err
			}
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() && known[e.Name()] {
				if err := add(filepath.Join(p, e.Name())); err != nil {
					return nil, err
				}
			}
		}
	}
	return files, nil
}

func printImport(env *Env, rep *store.ImportReport) {
	for _, f := range rep.Files {
		switch f.Status {
		case "stored":
			if f.Rows == 0 {
				fmt.Fprintf(env.Stdout, "stored     %s (sha256 %s)\n", f.Path, f.SHA256[:12])
				continue
			}
			fmt.Fprintf(env.Stdout, "stored     %s (%s rows, %s new record versions, sha256 %s)\n", f.Path, formatCount(f.Rows), formatCount(f.Versions), f.SHA256[:12])
		case "unchanged":
			fmt.Fprintf(env.Stdout, "unchanged  %s (already in the store, sha256 %s)\n", f.Path, f.SHA256[:12])
		default:
			fmt.Fprintf(env.Stdout, "unchanged  %s (every record version is already in the store; not stored)\n", f.Path)
		}
	}
	if !rep.Stored() {
		fmt.Fprintln(env.Stdout, "nothing changed")
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w)
	}
}
