package parallel

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every index runs once, whatever the number of workers, and the error is
// the lowest failing index's, though a later one may fail first.
func TestEach(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 7, 100} {
		var calls atomic.Int64
		seen := make([]int, 50)
		err := Each(len(seen), workers, func(i int) error {
			calls.Add(1)
			seen[i]++
			if i == 31 || i == 40 {
				return fmt.Errorf("index %d", i)
			}
			return nil
		})
		require.Error(t, err)
		assert.Equal(t, "index 31", err.Error(), "workers %d", workers)
		assert.Equal(t, int64(len(seen)), calls.Load())
		for i, n := range seen {
			assert.Equal(t, 1, n, "index %d, workers %d", i, workers)
		}
	}
	assert.NoError(t, Each(0, 4, func(int) error { return errors.New("never called") }))
	assert.NoError(t, Each(3, 2, func(int) error { return nil }))
}
