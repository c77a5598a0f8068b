package payout

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSource(t *testing.T) {
	s := NewSource("list_counts.xlsx", "Listetall", 4)
	assert.Equal(t, "list_counts.xlsx", s.File())
	assert.Equal(t, "Listetall", s.Sheet())
	assert.Equal(t, 4, s.Line())
	assert.Equal(t, NewSource("list_counts.xlsx", "Listetall", 9), s.At(9), "another line of the same file")
	assert.NotEqual(t, NewSource("list_counts.xlsx", "Ark1", 4), s)
	assert.NotEqual(t, NewSource("list_counts.csv", "", 4), NewSource("list_counts.csv", "", 5))
	var zero Source
	assert.Equal(t, "", zero.File()+zero.Sheet())
	assert.Equal(t, 0, zero.Line())
	assert.Equal(t, zero, NewSource("", "", 0))
	assert.Equal(t, math.MaxInt32, s.At(1<<40).Line(), "a line past 2³¹−1 is named as 2³¹−1")
}

// TestSourceConcurrent: files read side by side number their names at the
// same time; each Source names its own file.
func TestSourceConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				name := fmt.Sprintf("f%d-%d.csv", g%2, i)
				s := NewSource(name, "", i)
				if s.File() != name || s.Line() != i {
					t.Errorf("NewSource(%s, %d) names %s:%d", name, i, s.File(), s.Line())
				}
			}
		})
	}
	wg.Wait()
}
