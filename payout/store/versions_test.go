package store

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

// Conflicts are reported in the order of the files and their records, the
// first version of an identity is kept, and the others keep their order.
func TestDedupeBatchesOrder(t *testing.T) {
	lc := func(list string, count, line int) payout.ListCount {
		return payout.ListCount{ListID: list, AsOf: payout.NewDate(2022, 1, 1), Count: count,
			Version: payout.Version{Src: payout.NewSource("list_counts.csv", "", line)}}
	}
	stored := &payout.Inputs{ListCounts: []payout.ListCount{lc("L2", 5, 1), lc("L1", 5, 2)}}
	fresh := &payout.Inputs{ListCounts: []payout.ListCount{lc("L3", 1, 1), lc("L2", 6, 2), lc("L1", 7, 3), lc("L1", 5, 4), lc("L0", 1, 5)},
		Payees: []payout.Payee{{ID: "P1", Version: payout.Version{Src: payout.NewSource("payees.csv", "", 2)}},
			{ID: "P1", Name: "other", Version: payout.Version{Src: payout.NewSource("payees.csv", "", 3)}}}}
	conflicts, n := dedupeBatches([]*payout.Inputs{stored, fresh})
	assert.Equal(t, []int{2, 3}, n)
	var got []string
	for _, c := range conflicts {
		got = append(got, c.error().Error())
	}
	assert.Equal(t, []string{
		"payees.csv:3: payees P1: this version (same key and recorded_on) is already stored from payees.csv:2 with other values; records are append-only — give the correction a later recorded_on",
		"list_counts.csv:2: list_counts L2/2022-01-01: this version (same key and recorded_on) is already stored from list_counts.csv:1 with other values; records are append-only — give the correction a later recorded_on",
		"list_counts.csv:3: list_counts L1/2022-01-01: this version (same key and recorded_on) is already stored from list_counts.csv:2 with other values; records are append-only — give the correction a later recorded_on",
	}, got)
	var lists []string
	for _, r := range fresh.ListCounts {
		lists = append(lists, r.ListID)
	}
	assert.Equal(t, []string{"L3", "L0"}, lists)
	assert.Len(t, fresh.Payees, 1)
}

// A policy has no dates: after a release, a policy.json that changes a rule
// parameter is refused (the released months would be re-read by rules they
// were not paid by, with no difference paid); one that changes only how
// money is sent or booked is stored. Before any release both are stored.
func TestPolicyAfterRelease(t *testing.T) {
	s, _, key := world(t)
	importText(t, s, "policy.json", `{"cap_13_4_days": 80}`)
	approved(t, s, "2022-09")
	_, err := release(s, "2022-09", per, key)
	require.NoError(t, err)

	_, err = s.Import([]File{{Path: "in/policy.json", Data: []byte(`{"cap_13_4_days": 60, "retro_window_months": 12}`)}}, kari, at(4))
	require.ErrorIs(t, err, payout.ErrOutOfRange)
	require.ErrorContains(t, err, "policy.json")
	require.ErrorContains(t, err, "changes cap_13_4_days, retro_window_months after the release of 2022-09")
	in, _, err := s.Inputs()
	require.NoError(t, err)
	require.Equal(t, 80, in.Policy.Cap134Days, "nothing stored")

	importText(t, s, "policy.json", `{"cap_13_4_days": 80, "bank_booking_days": 5}`)
	in, _, err = s.Inputs()
	require.NoError(t, err)
	require.Equal(t, 5, in.Policy.BankBookingDays)
}

// TestDedupeInOrderAgrees: versions in key order are checked in one pass
// without a sort; the records kept, the counts and the conflicts are what
// the sort gives, for batches in order and out of it.
func TestDedupeInOrderAgrees(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	defer func() { inOrderPass = true }()
	for range 2000 {
		var batches [2][]*payout.Inputs
		nb := 1 + rnd.IntN(3)
		for b := range nb {
			var recs []payout.ListCount
			for i := range rnd.IntN(12) {
				recs = append(recs, payout.ListCount{ListID: fmt.Sprintf("L%d", rnd.IntN(4)), AsOf: payout.NewDate(2022, 1+rnd.IntN(2), 1),
					Count: rnd.IntN(2), Version: payout.Version{RecordedOn: payout.Date(1 + rnd.IntN(2)), Src: payout.NewSource(fmt.Sprintf("f%d.csv", b), "", i+2)}})
			}
			if rnd.IntN(4) != 0 { // mostly in key order, as exports are
				slices.SortStableFunc(recs, func(a, b payout.ListCount) int {
					return cmp.Or(strings.Compare(a.ListID, b.ListID), cmp.Compare(a.AsOf, b.AsOf), cmp.Compare(a.RecordedOn, b.RecordedOn))
				})
			}
			for k := range batches {
				batches[k] = append(batches[k], &payout.Inputs{ListCounts: slices.Clone(recs)})
			}
		}
		inOrderPass = true
		c1, n1 := dedupeBatches(batches[0])
		inOrderPass = false
		c2, n2 := dedupeBatches(batches[1])
		require.Equal(t, c2, c1)
		require.Equal(t, n2, n1)
		require.Equal(t, batches[1], batches[0])
	}
}
