package payout_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
)

// The order of the records within a kind does not matter to the engine
// (Inputs): the index uses a file's counts in place when they are in its
// order and sorts their positions when not, and both give the same Result.
func TestComputeIgnoresRecordOrder(t *testing.T) {
	in, _, err := importers.LoadFolder(filepath.Join("..", "fixtures", "oslo"))
	require.NoError(t, err)
	p := payout.MustPeriod("2022-12")
	want, err := payout.Compute(in, p, payout.Options{})
	require.NoError(t, err)

	rev := *in
	rev.Rates = slices.Clone(in.Rates)
	rev.Payees = slices.Clone(in.Payees)
	rev.Agreements = slices.Clone(in.Agreements)
	rev.ListCounts = slices.Clone(in.ListCounts)
	rev.Absences = slices.Clone(in.Absences)
	rev.Caregivers = slices.Clone(in.Caregivers)
	rev.Breaches = slices.Clone(in.Breaches)
	rev.Takeovers = slices.Clone(in.Takeovers)
	slices.Reverse(rev.Rates)
	slices.Reverse(rev.Payees)
	slices.Reverse(rev.Agreements)
	slices.Reverse(rev.ListCounts)
	slices.Reverse(rev.Absences)
	slices.Reverse(rev.Caregivers)
	slices.Reverse(rev.Breaches)
	slices.Reverse(rev.Takeovers)
	got, err := payout.Compute(&rev, p, payout.Options{})
	require.NoError(t, err)
	require.Equal(t, want, got)
}
