package importers

import (
	"sort"
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
)

// The codes the reader accepts (absKind, covers, in FORMATS.md's order)
// and the engine's values (payout/enums.go, in sorted order) are two
// lists kept by hand: they must hold the same codes.
func TestEnumerationsMatchTheEngine(t *testing.T) {
	engine := func(name func(int) string) []string {
		var out []string
		for i := 1; ; i++ {
			n := name(i)
			if strings.Contains(n, "(") {
				return out
			}
			out = append(out, n)
		}
	}
	sorted := func(s []string) []string {
		c := append([]string(nil), s...)
		sort.Strings(c)
		return c
	}
	assert.Equal(t, sorted(absKind), engine(func(i int) string { return payout.AbsenceKind(i).String() }))
	assert.Equal(t, sorted(covers), engine(func(i int) string { return payout.Cover(i).String() }))
	for _, k := range absKind {
		_, ok := payout.ParseAbsenceKind(k)
		assert.True(t, ok, k)
	}
	for _, c := range covers {
		_, ok := payout.ParseCover(c)
		assert.True(t, ok, c)
	}
}
