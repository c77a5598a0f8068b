package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// importCommand loads fixture folders or single files into the store, all
// or nothing. Files whose bytes the store already holds are skipped without
// being read (re-importing changes nothing, cheaply); the new ones are read
// together, so every problem of every file and the references between them
// are reported, and then checked against the store: a version that
// contradicts a stored one is refused.
type importCommand struct {
	base
	shared
}

func newImportCommand(env *Env) command {
	c := &importCommand{base: newBase("import", env)}
	c.dbFlag(c.fs, "store file (made with payout init)")
	c.help = helpText{
		synopsis: []string{"payout import --db FILE PATH..."},
		required: "--db and at least one folder or file",
		example:  "payout import --db payout.db fixtures/oslo",
	}
	return c
}

func (c *importCommand) Run(_ context.Context, args []string) error {
	env, fs := c.env, c.fs
	if err := c.parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("give the folders or files to import: %s", "payout import --db FILE PATH...")
	}
	if c.db == "" {
		return usagef("--db FILE is required")
	}
	by, err := env.actor("")
	if err != nil {
		return err
	}
	s, err := c.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	files, toRead, err := importCandidates(s, fs.Args())
	if err != nil {
		return err
	}
	if len(toRead) > 0 {
		in, warns, err := importers.LoadPaths(toRead)
		if err != nil {
			return err
		}
		printLoadWarnings(env, warns)
		attachParsed(files, in)
	}
	rep, err := s.Import(files, by, env.when())
	if err != nil {
		return err
	}
	printImport(env, rep)
	return nil
}

// importCandidates reads the files of the paths (a folder's files of known
// kinds, every single file given) and returns them with the paths the
// importers must read: a folder whose files are all new is read as a
// folder (so a missing required file is caught), otherwise only its new
// files are.
func importCandidates(s *store.Store, paths []string) ([]store.File, []string, error) {
	var files []store.File
	var toRead []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		names := []string{p}
		if fi.IsDir() {
			if names, err = folderFiles(p); err != nil {
				return nil, nil, err
			}
		}
		var fresh []string
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				return nil, nil, err
			}
			sum := sha256.Sum256(data)
			known, err := s.HasFile(hex.EncodeToString(sum[:]))
			if err != nil {
				return nil, nil, err
			}
			files = append(files, store.File{Path: name, Data: data})
			if !known {
				fresh = append(fresh, name)
			}
		}
		if fi.IsDir() && len(fresh) == len(names) {
			fresh = []string{p}
		}
		toRead = append(toRead, fresh...)
	}
	return files, toRead, nil
}

// folderFiles lists the files of a folder that the importers know by name.
func folderFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	kinds := map[string]bool{"policy.json": true}
	for _, k := range importers.Kinds() {
		kinds[k+".csv"], kinds[k+".xlsx"] = true, true
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && kinds[strings.ToLower(e.Name())] {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// attachParsed gives each file the records the importers read from it, so
// the store does not read them again; a file whose base name is not unique
// is left for the store to read.
func attachParsed(files []store.File, in *payout.Inputs) {
	count := map[string]int{}
	for _, f := range files {
		count[filepath.Base(f.Path)]++
	}
	parts := splitByFile(in)
	for i, f := range files {
		name := filepath.Base(f.Path)
		if part, ok := parts[name]; ok && count[name] == 1 {
			files[i].Parsed = part
		}
	}
}

// splitByFile splits merged records by the file they came from.
func splitByFile(in *payout.Inputs) map[string]*payout.Inputs {
	parts := map[string]*payout.Inputs{}
	part := func(name string) *payout.Inputs {
		if parts[name] == nil {
			parts[name] = &payout.Inputs{Policy: payout.DefaultPolicy()}
		}
		return parts[name]
	}
	for _, f := range in.Files {
		p := part(f.Name)
		p.Files = append(p.Files, f)
		if f.Kind == payout.FilePolicy {
			p.Policy = in.Policy
		}
	}
	for _, k := range payout.RecordKinds {
		for i := range k.Len(in) {
			k.AppendOne(part(k.Version(in, i).Src.File), in, i)
		}
	}
	return parts
}

func printImport(env *Env, rep *store.ImportReport) {
	for _, f := range rep.Files {
		switch f.Status {
		case store.FileStored:
			if f.Rows == 0 {
				env.outf("stored     %s (sha256 %s)\n", f.Path, f.SHA256[:12])
				continue
			}
			env.outf("stored     %s (%s rows, %s new record versions, sha256 %s)\n", f.Path, formatCount(f.Rows), formatCount(f.Versions), f.SHA256[:12])
		case store.FileUnchanged:
			env.outf("unchanged  %s (already in the store, sha256 %s)\n", f.Path, f.SHA256[:12])
		default:
			env.outf("unchanged  %s (every record version is already in the store; not stored)\n", f.Path)
		}
	}
	if !rep.Stored() {
		env.outf("nothing changed\n")
	}
	for _, w := range rep.Warnings {
		env.errf("warning: %s\n", w)
	}
}

var _ = messages(
	msg{"store file (made with payout init)", "lagerfilen (laget med payout init)"},
	msg{"--db and at least one folder or file", "--db og minst én mappe eller fil"},
	msg{"give the folders or files to import: %s", "oppgi mappene eller filene som skal leses inn: %s"},
	msg{"stored     %s (sha256 %s)\n", "lagret     %s (sha256 %s)\n"},
	msg{"stored     %s (%s rows, %s new record versions, sha256 %s)\n", "lagret     %s (%s rader, %s nye postversjoner, sha256 %s)\n"},
	msg{"unchanged  %s (already in the store, sha256 %s)\n", "uendret    %s (finnes allerede i lageret, sha256 %s)\n"},
	msg{"unchanged  %s (every record version is already in the store; not stored)\n",
		"uendret    %s (alle postversjonene finnes allerede i lageret; ikke lagret)\n"},
	msg{"nothing changed\n", "ingenting endret\n"},
)
