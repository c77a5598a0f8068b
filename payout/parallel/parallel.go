// Package parallel runs the same step over the indices 0…n-1 on several
// goroutines, each taking the next index in turn, and reports the failure
// of the first failing index in that order: what a caller writes into its
// own slot i, and the error it gets, do not depend on the schedule.
package parallel

import (
	"sync"
	"sync/atomic"
)

// Each calls f(i) for every i in 0…n-1 on up to workers goroutines (at
// least one), and returns the error of the lowest i whose f failed, or nil.
// Every f runs, failing or not; f(i) may write only what belongs to i.
func Each(n, workers int, f func(i int) error) error {
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, n)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				errs[i] = f(i)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
