package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --scale multiplies the preset's agreements; a scale out of range is bad
// usage.
func TestGenerateScale(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runImportCmd(t, "generate", "--preset", "small", "--seed", "2", "--scale", "2", "--out", out)
	if code != 0 || !strings.Contains(stdout, "generated preset small-x2 (seed 2)") || !strings.Contains(stdout, "agreements.csv         160") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, _, stderr = runImportCmd(t, "generate", "--preset", "small", "--scale", "0", "--out", out)
	if code != 2 || !strings.Contains(stderr, "--scale: scale 0: want 1 to 9") {
		t.Errorf("--scale 0: exit %d, stderr %q", code, stderr)
	}
}

// generate refuses a folder that holds anything unless --force, and writes
// into a missing or empty one.
func TestGenerateRefusesANonEmptyFolder(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runImportCmd(t, "generate", "--preset", "small", "--out", out)
	if code != 1 || stderr != "payout generate: "+out+" is not empty (it holds notes.txt); choose a new folder, or use --force to write into it\n" {
		t.Errorf("non-empty: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "agreements.csv")); err == nil {
		t.Error("wrote into the refused folder")
	}
	if code, _, stderr = runImportCmd(t, "generate", "--preset", "small", "--out", out, "--force"); code != 0 {
		t.Errorf("--force: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr = runImportCmd(t, "generate", "--preset", "small", "--out", filepath.Join(out, "new")); code != 0 {
		t.Errorf("a new folder: exit %d, stderr %q", code, stderr)
	}
}
