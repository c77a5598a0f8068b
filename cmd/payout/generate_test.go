package main

import (
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
