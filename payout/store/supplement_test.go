package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/releasekey"
)

// draftOf is supplement n of 2022-09 paying again the EndToEndIds given.
func draftOf(t *testing.T, s *Store, n int, body string, repays ...string) SupplementDraft {
	t.Helper()
	_, st, err := s.Inputs()
	require.NoError(t, err)
	d := SupplementDraft{Period: payout.MustPeriod("2022-09"), N: n, AsOf: payout.MustDate("2022-09-22"), PayDate: payout.MustDate("2022-09-23"),
		MsgID: "MSG-2022-09-S" + string(rune('0'+n)), InputDigest: st.Digest, Body: []byte(body)}
	for _, e := range repays {
		d.Repays = append(d.Repays, Repayment{Repays: e, EndToEndID: e + "-S1", PayeeID: "P1", Account: "12000079195", Amount: decimal.RequireFromString("100.00")})
	}
	return d
}

func releaseSupplement(s *Store, by Actor, key *releasekey.Private, body string) (*Supplement, error) {
	return s.ReleaseSupplement(SupplementReleaseRequest{Period: payout.MustPeriod("2022-09"), N: 1, By: by, At: at(8),
		OutDir: "/srv/payout/out/2022-09/supplement-1", Key: key,
		Derive: func(*payout.Inputs, *Supplement) ([]byte, payout.Policy, error) {
			return []byte(body), payout.Policy{}, nil
		},
		Stage: func(sup *Supplement, _ *SupplementRelease) (string, error) { return sha(sup.Body), nil }})
}

// A supplement's lifecycle: stored only for a released period, attested,
// approved and released by three accounts, the body derived again at the
// release; released once; a payment paid again by one supplement at most;
// the database refuses changes to a released one; Check verifies it.
func TestSupplementLifecycle(t *testing.T) {
	s, _, key := world(t)
	p := payout.MustPeriod("2022-09")
	_, _, err := s.SaveSupplement(draftOf(t, s, 1, "B1", "E1"), kari, at(4), false)
	assert.ErrorIs(t, err, ErrNoRun)
	approved(t, s, "2022-09")
	_, _, err = s.SaveSupplement(draftOf(t, s, 1, "B1", "E1"), kari, at(4), false)
	assert.ErrorIs(t, err, ErrNotReleased)
	_, err = release(s, "2022-09", per, key)
	require.NoError(t, err)

	sup, _, err := s.SaveSupplement(draftOf(t, s, 1, "B1", "E1", "E2"), kari, at(4), false)
	require.NoError(t, err)
	assert.Equal(t, StatusComputed, sup.Status)
	assert.Equal(t, "200.00", sup.Total.StringFixed(2))
	_, err = s.ApproveSupplement(Step{Period: p, By: ola, At: at(5)})
	assert.ErrorIs(t, err, ErrNotAttested)
	_, err = s.AttestSupplement(Step{Period: p, By: kari, At: at(5), Digest: "0123456789ab"})
	assert.ErrorIs(t, err, ErrDigestMismatch)
	_, err = s.AttestSupplement(Step{Period: p, By: kari, At: at(5), Digest: sup.Digest[:12]})
	require.NoError(t, err)
	_, err = s.ApproveSupplement(Step{Period: p, By: kari, At: at(6)})
	assert.ErrorIs(t, err, ErrSameApprover)
	_, err = s.ApproveSupplement(Step{Period: p, By: ola, At: at(6)})
	require.NoError(t, err)

	_, err = releaseSupplement(s, kari, key, "B1")
	assert.ErrorIs(t, err, ErrSameReleaser)
	_, err = releaseSupplement(s, per, key, "B1, changed since")
	assert.ErrorIs(t, err, ErrDigestMismatch, "what is released is derived again and compared")
	got, err := releaseSupplement(s, per, key, "B1")
	require.NoError(t, err)
	require.NotNil(t, got.Release)
	assert.Equal(t, sha([]byte("B1")), got.Release.FileSHA256)
	assert.True(t, key.Public().Verify(got.Release.Statement(), got.Release.Signature))
	_, err = releaseSupplement(s, per, key, "B1")
	assert.ErrorIs(t, err, ErrAlreadyReleased, "a supplement released twice")

	_, _, err = s.SaveSupplement(draftOf(t, s, 2, "B2", "E3", "E2"), kari, at(9), false)
	assert.ErrorIs(t, err, ErrPaidAgain, "E2 is paid again by supplement 1 already")
	all, err := s.Supplements(p)
	require.NoError(t, err)
	require.Len(t, all, 1, "the refused supplement is not stored")
	assert.Len(t, all[0].Repays, 2)

	rep, err := s.Check(releasekey.Ring{key.Public()})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	for _, q := range []string{`UPDATE supplement_releases SET total = '1.00'`, `DELETE FROM supplement_releases`,
		`UPDATE supplements SET total = '1.00'`, `DELETE FROM supplement_payments`} {
		_, err := s.db.Exec(q)
		assert.Error(t, err, "%s: the database refuses it", q)
	}
}

// A supplement computed again replaces the unreleased one (an approved
// one only with reopen); its number stays.
func TestSupplementRecomputed(t *testing.T) {
	s, _, key := world(t)
	approved(t, s, "2022-09")
	_, err := release(s, "2022-09", per, key)
	require.NoError(t, err)
	p := payout.MustPeriod("2022-09")
	_, _, err = s.SaveSupplement(draftOf(t, s, 1, "B1", "E1"), kari, at(4), false)
	require.NoError(t, err)
	_, err = s.AttestSupplement(Step{Period: p, By: kari, At: at(5)})
	require.NoError(t, err)
	_, err = s.ApproveSupplement(Step{Period: p, By: ola, At: at(6)})
	require.NoError(t, err)
	_, _, err = s.SaveSupplement(draftOf(t, s, 1, "B1'", "E1"), kari, at(7), false)
	assert.ErrorIs(t, err, ErrAlreadyApproved)
	sup, replaced, err := s.SaveSupplement(draftOf(t, s, 1, "B1'", "E1"), kari, at(7), true)
	require.NoError(t, err)
	assert.Equal(t, StatusApproved, replaced)
	assert.Equal(t, StatusComputed, sup.Status)
	_, _, err = s.SaveSupplement(draftOf(t, s, 2, "B2", "E1"), kari, at(8), false)
	assert.True(t, err != nil && !errors.Is(err, ErrPaidAgain), "the next supplement is number 1 until one is released: %v", err)
}

// A supplement release signs the audit log's head before its event: an
// attacker who edits an earlier event and re-derives every hash after it
// leaves a chain that walks, but not the head the supplement signed.
func TestSupplementSignsTheLogHead(t *testing.T) {
	s, _, key := world(t)
	approved(t, s, "2022-09")
	_, err := release(s, "2022-09", per, key)
	require.NoError(t, err)
	sup, _, err := s.SaveSupplement(draftOf(t, s, 1, "B1", "E1"), kari, at(4), false)
	require.NoError(t, err)
	_, err = s.AttestSupplement(Step{Period: sup.Period, By: kari, At: at(5), Digest: sup.Digest[:12]})
	require.NoError(t, err)
	_, err = s.ApproveSupplement(Step{Period: sup.Period, By: ola, At: at(6)})
	require.NoError(t, err)
	_, err = releaseSupplement(s, per, key, "B1")
	require.NoError(t, err)
	rep, err := s.Check(releasekey.Ring{key.Public()})
	require.NoError(t, err)
	require.Empty(t, rep.Problems)

	dropTriggers(t, s) // an attacker with the file bypasses the store
	mustExec(t, s, `UPDATE events SET detail = 'nothing to see' WHERE action = ?`, ActionSupplementAttest)
	rehashEvents(t, s)
	_, walk, err := walkEvents(s.db)
	require.NoError(t, err)
	require.Empty(t, walk, "the re-derived chain walks")
	rep, err = s.Check(releasekey.Ring{key.Public()})
	require.NoError(t, err)
	assert.Contains(t, strings.Join(rep.Problems, "\n"), "supplement release 1 of 2022-09: the audit log before its release event is not the one it signed")
}
