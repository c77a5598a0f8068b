package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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
	kind string
}

func newImportCommand(env *Env) command {
	c := &importCommand{base: newBase("import", env)}
	c.dbFlag(c.fs, "store file (made with payout init)")
	c.fs.StringVar(&c.kind, "kind", "", "read the files as this kind whatever their names (list_counts, absences, …)")
	c.help = helpText{
		synopsis: []string{"payout import --db FILE PATH...", "payout import --db FILE --kind KIND FILE..."},
		required: "--db and at least one folder or file",
		example:  "payout import --db payout.db --kind list_counts list_counts_nov.csv",
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
	s, by, err := c.openAs(env, "")
	if err != nil {
		return err
	}
	defer s.Close()
	if c.kind != "" {
		return c.importAs(s, by, fs.Args())
	}
	files, toRead, err := importCandidates(env, s, fs.Args())
	if err != nil {
		return err
	}
	if len(toRead) > 0 {
		in, warns, err := importers.LoadHeld(toRead)
		if err != nil {
			return err
		}
		if err := payout.CheckRecordedBy(in, today(env)); err != nil {
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

// importAs imports single files of one kind (--kind), whatever their
// names: each is read as that kind and recorded under the kind's name, so
// the store reads it the same way again.
func (c *importCommand) importAs(s *store.Store, by store.Actor, paths []string) error {
	var files []store.File
	var errs payout.ErrorList
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		in, err := importers.ReadFileAs(c.kind, p, data)
		var list payout.ErrorList
		switch {
		case errors.As(err, &list):
			errs = append(errs, list...)
			continue
		case err != nil:
			return err
		}
		name := c.kind + ".csv"
		if strings.EqualFold(filepath.Ext(p), ".xlsx") {
			name = c.kind + ".xlsx"
		}
		files = append(files, store.File{Path: p, Name: name, Data: data, Parsed: in})
	}
	if len(errs) > 0 {
		return errs
	}
	rep, err := s.Import(files, by, c.env.when())
	if err != nil {
		return err
	}
	printImport(c.env, rep)
	return nil
}

// importCandidates reads the files of the paths (a folder's input files,
// every single file given) and returns them with those the importers must
// parse, the new ones, with the bytes read here (the store keeps the bytes
// whose records were checked). A folder may hold only some kinds (this month's
// counts): the store holds the rest. Every file of a folder that is not
// read is named with the reason.
func importCandidates(env *Env, s *store.Store, paths []string) ([]store.File, []importers.Held, error) {
	var files []store.File
	var toRead []importers.Held
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		names := []string{p}
		if fi.IsDir() {
			if names, err = folderFiles(env, p); err != nil {
				return nil, nil, err
			}
		}
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
				toRead = append(toRead, importers.Held{Path: name, Data: data})
			}
		}
	}
	return files, toRead, nil
}

// folderFiles lists the input files of a folder (named as their kind) and
// names every other entry on stderr with the reason it is not read.
func folderFiles(env *Env, dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || !isInputName(e.Name()) {
			env.errf("%s\n", skipReason(env, filepath.Join(dir, e.Name()), e.IsDir()))
			continue
		}
		out = append(out, filepath.Join(dir, e.Name()))
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

// splitByFile splits merged records by the file they came from. A file's
// records lie side by side in in (the loader merges file after file), so
// a part holds its run of in's records, not a copy: in is not read after
// its parts are made, and the store changes a part only within its run.
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
		for i, n := 0, k.Len(in); i < n; {
			name := k.Version(in, i).Src.File()
			j := i + 1
			for j < n && k.Version(in, j).Src.File() == name {
				j++
			}
			if p := part(name); k.Len(p) == 0 {
				k.Share(p, in, i, j)
			} else {
				for r := i; r < j; r++ {
					k.AppendOne(p, in, r)
				}
			}
			i = j
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
	for _, c := range rep.Corrections {
		names := make([]string, len(c.Periods))
		for i, p := range c.Periods {
			names[i] = p.String()
		}
		env.outf("corrects   %s: %s new record version(s) (the earliest at line %d) concern released period(s) %s: the next run pays the corrections (R-ADJ, registered after the release)\n",
			c.File, formatCount(c.Versions), c.Line, strings.Join(names, ", "))
	}
}

var _ = messages(
	msg{"store file (made with payout init)", "lagerfilen (laget med payout init)"},
	msg{"read the files as this kind whatever their names (list_counts, absences, …)",
		"les filene som denne typen uansett navn (list_counts, absences, …)"},
	msg{"--db and at least one folder or file", "--db og minst én mappe eller fil"},
	msg{"give the folders or files to import: %s", "oppgi mappene eller filene som skal leses inn: %s"},
	msg{"stored     %s (sha256 %s)\n", "lagret     %s (sha256 %s)\n"},
	msg{"stored     %s (%s rows, %s new record versions, sha256 %s)\n", "lagret     %s (%s rader, %s nye postversjoner, sha256 %s)\n"},
	msg{"unchanged  %s (already in the store, sha256 %s)\n", "uendret    %s (finnes allerede i lageret, sha256 %s)\n"},
	msg{"unchanged  %s (every record version is already in the store; not stored)\n",
		"uendret    %s (alle postversjonene finnes allerede i lageret; ikke lagret)\n"},
	msg{"nothing changed\n", "ingenting endret\n"},
	msg{"corrects   %s: %s new record version(s) (the earliest at line %d) concern released period(s) %s: the next run pays the corrections (R-ADJ, registered after the release)\n",
		"korrigerer %s: %s nye postversjon(er) (den tidligste på linje %d) gjelder frigitt(e) periode(r) %s: neste kjøring betaler korreksjonene (R-ADJ, registrert etter frigivelsen)\n"},
)
