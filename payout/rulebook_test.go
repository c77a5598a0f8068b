package payout_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/oslokommune/payout/fixtures/sharedtest"
	"github.com/oslokommune/payout/payout"
)

// TestRuleCatalogueIsRulebook: the engine's catalogue (every ID a line, a
// deduction or a trace can cite) is exactly RULEBOOK §10, and each entry
// carries its own ID and a clause and title for the reports.
func TestRuleCatalogueIsRulebook(t *testing.T) {
	want := sharedtest.RulebookIDs(t)
	slices.Sort(want)
	if got := payout.RuleIDs(); !slices.Equal(got, want) {
		t.Errorf("payout.Rules differs from RULEBOOK §10:\n  catalogue %v\n  §10       %v", got, want)
	}
	for id, info := range payout.Rules {
		if info.ID != id || info.Clause == "" || info.Title == "" {
			t.Errorf("Rules[%q] = %+v: want its own ID, a clause and a title", id, info)
		}
	}
}

// TestRuleIDsStandInTheCode: every catalogue ID is written out in the
// engine's code beside the branch that applies it (not only as a constant
// in rules.go), so that grep -rn <ID> payout/ lands there.
func TestRuleIDsStandInTheCode(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var code strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "rules.go" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		code.Write(data)
	}
	for _, id := range payout.RuleIDs() {
		// In a comment inside a function body (indented; a file's or a
		// function's doc comment does not count), not followed by more of
		// an ID (R-8.4 is not R-8.4-TIERS).
		cited := regexp.MustCompile(`(?m)^\t+.*//.*` + regexp.QuoteMeta(id) + `([^A-Z0-9.-]|$)`)
		if !cited.MatchString(code.String()) {
			t.Errorf("%s is not cited at a branch of the engine (// %s: …)", id, id)
		}
	}
}
