package main

// Files in a folder that are not read: each is named with the reason, so a
// clerk whose "list_counts (1).csv" was not imported learns it at once.

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/oslokommune/payout/exporters/auditfolder"
	"github.com/oslokommune/payout/importers"
)

// isInputName reports whether a folder's file is read by its name: a
// kind's .csv or .xlsx, policy.json or knowledge.json (case-insensitively,
// as the importers match them).
func isInputName(name string) bool {
	lower := strings.ToLower(name)
	// knowledge.json is an exported folder's record of what the store knew
	// (payout export): run, verify and explain read it.
	if lower == "policy.json" || lower == auditfolder.Name {
		return true
	}
	ext := filepath.Ext(lower)
	for _, k := range importers.Kinds() {
		if (ext == ".csv" || ext == ".xlsx") && strings.TrimSuffix(lower, ext) == k {
			return true
		}
	}
	return false
}

// skipReason says why an entry of a folder is not read.
func skipReason(env *Env, path string, dir bool) string {
	name := filepath.Base(path)
	lower := strings.ToLower(name)
	ext := filepath.Ext(lower)
	switch {
	case dir:
		return env.tr("%s: a folder, not read (give it as its own path to read it)", path)
	case ext == ".csv" || ext == ".xlsx":
		for _, k := range importers.Kinds() {
			if strings.HasPrefix(lower, k) {
				return env.tr("%s: not read: the name is not %s%s; rename it, or import it with %s", path, k, ext,
					"'payout import --kind "+k+"'")
			}
		}
	}
	return env.tr("%s: not an input file, skipped", path)
}

// reportSkipped names the entries of a fixture folder the importers do not
// read (run --fixtures, check); a folder that cannot be listed is left for
// the importers to report.
func reportSkipped(env *Env, dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() || !isInputName(e.Name()) {
			env.errf("%s\n", skipReason(env, filepath.Join(dir, e.Name()), e.IsDir()))
		}
	}
}

var _ = messages(
	msg{"%s: a folder, not read (give it as its own path to read it)", "%s: en mappe, ikke lest (oppgi den som egen sti for å lese den)"},
	msg{"%s: not read: the name is not %s%s; rename it, or import it with %s",
		"%s: ikke lest: navnet er ikke %s%s; gi filen nytt navn, eller les den inn med %s"},
	msg{"%s: not an input file, skipped", "%s: ikke en inndatafil, hoppet over"},
)
